//! Review timeliness on DfE SSDA903 return files: the episodes and reviews tables.
//!
//! The SSDA903 return ("the 903") holds, for each looked-after child (`CHILD`), the episodes of
//! care (`DECOM` start, `RNE` reason for the new episode, `LS` legal status, `PLACE` placement,
//! `DEC` end, `REC` reason ceased) and the dates of the child's reviews (`REVIEW`). Dates are
//! `DD/MM/YYYY`. This module turns each child's episodes into periods of care, each period into a
//! [`CaseHistory`] of engine events, and checks every review against the deadline the schedule
//! engine gives it.
//!
//! **Periods of care.** A new period starts at an episode with `RNE` = `S`; it ends at the `DEC` of
//! its last episode (open when that is blank). Within a period:
//! - a run of episodes with legal status `V3`/`V4` (a series of short breaks) runs the short-break
//!   clock (`short_breaks_started` ... `short_breaks_ended`); any other legal status runs the
//!   looked-after clock (`became_looked_after` ... `ceased_to_be_looked_after`). A change from
//!   one to the other within a period ends one clock and starts the other, numbered from 1;
//! - legal status `E1` (placement order) gives `authority_to_place` (the adoption-authorised clock)
//!   and its end `authority_to_place_ended`;
//! - placements `A3`-`A6` give `placed_for_adoption` (the adoption-placed clock), and a move to
//!   another placement `returned_to_agency`;
//! - a period ending while placed for adoption with `REC` `E11`/`E12` ends with
//!   `adoption_order_made`.
//!
//! Episodes before the child's first `S` episode belong to a period whose start is not in the
//! file: they are rejected, as are the reviews that would fall in it.
//!
//! **Accounting.** Every data row ends up either used (an episode in a period of care, a review in
//! `reviews_audit.csv`) or rejected with its file, line and reason: rows in = rows out + rejects.
//!
//! **Streaming.** [`audit_paths`] first scans the `CHILD` column of both files (cheap: no date
//! parsing). When both are sorted by `CHILD` in the same order (byte order, or numeric order for
//! numeric ids), it merges the two files child by child, holding only one batch of children in
//! memory. Otherwise it hash-partitions both files by `CHILD` into temporary files sized to
//! [`AuditOptions::memory_budget`] and audits each partition in memory (an external sort that
//! needs no ordering at all); input smaller than the budget is audited in memory directly.
//! Children are audited on [`AuditOptions::threads`] worker threads, results are written in input
//! order.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc};

use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::export::csv_field;
use crate::model::{CaseHistory, Child, Duty, Event, EventKind, Jurisdiction, Regime};
use crate::profile::Profile;
use crate::schedule::{schedule, Breach, ScheduleOptions};

/// Which of the two input files a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// The episodes table.
    Episodes,
    /// The reviews table.
    Reviews,
}

impl FileKind {
    /// `episodes` or `reviews`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Episodes => "episodes",
            FileKind::Reviews => "reviews",
        }
    }
}

/// A row that could not be used, with where it came from and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The file.
    pub file: FileKind,
    /// The line number in the file (the header is line 1).
    pub line: u64,
    /// The row's `CHILD` value (may be empty).
    pub child: String,
    /// Why, naming the field and value.
    pub reason: String,
}

impl Reject {
    /// The header of `rejects.csv`.
    pub const CSV_HEADER: &'static str = "file,line,CHILD,reason";

    /// Appends this reject as one CSV line.
    pub fn write_csv(&self, out: &mut String) {
        out.push_str(self.file.as_str());
        out.push(',');
        push_num(out, self.line as i64);
        out.push(',');
        csv_field(out, &self.child);
        out.push(',');
        csv_field(out, &self.reason);
        out.push('\n');
    }
}

/// One line of `reviews_audit.csv`: a review held, or (with an as-at date) a review overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// The child.
    pub child: Arc<str>,
    /// Start of the period of care (or short-break series) the review belongs to.
    pub period_start: NaiveDate,
    /// The review regime whose deadline binds (the earliest when one meeting served several).
    pub regime: Regime,
    /// The review's number within its regime and period (from 1).
    pub review_number: u32,
    /// The date the review was held; `None` for an overdue review not held by the as-at date.
    pub review: Option<NaiveDate>,
    /// The legal deadline.
    pub deadline: NaiveDate,
    /// The last working day on or before the deadline.
    pub latest_working_day: NaiveDate,
    /// Held on or before the deadline.
    pub on_time: bool,
    /// Working days after the deadline (0 when on time).
    pub working_days_late: i64,
    /// Calendar days after the deadline (0 when on time).
    pub calendar_days_late: i64,
    /// Anything worth knowing: other clocks served, overdue, inferred episode ends.
    pub note: String,
    /// Line of the review in the reviews file (0 for an overdue row).
    pub line: u64,
}

impl AuditRow {
    /// The header of `reviews_audit.csv`.
    pub const CSV_HEADER: &'static str = "CHILD,period_start,regime,review_number,REVIEW,deadline,\
latest_working_day,on_time,working_days_late,calendar_days_late,note";

    /// True for an overdue row (a review not held by the as-at date).
    pub fn is_overdue(&self) -> bool {
        self.review.is_none()
    }

    /// Appends this row as one CSV line (dates ISO `YYYY-MM-DD`).
    pub fn write_csv(&self, out: &mut String) {
        csv_field(out, &self.child);
        out.push(',');
        push_date(out, self.period_start);
        out.push(',');
        out.push_str(self.regime.as_str());
        out.push(',');
        push_num(out, i64::from(self.review_number));
        out.push(',');
        if let Some(r) = self.review {
            push_date(out, r);
        }
        out.push(',');
        push_date(out, self.deadline);
        out.push(',');
        push_date(out, self.latest_working_day);
        out.push_str(if self.on_time { ",true," } else { ",false," });
        push_num(out, self.working_days_late);
        out.push(',');
        push_num(out, self.calendar_days_late);
        out.push(',');
        csv_field(out, &self.note);
        out.push('\n');
    }
}

fn push_num(out: &mut String, n: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("?"));
}

fn push_date(out: &mut String, d: NaiveDate) {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if (0..=9999).contains(&y) {
        let b = [
            b'0' + (y / 1000) as u8,
            b'0' + (y / 100 % 10) as u8,
            b'0' + (y / 10 % 10) as u8,
            b'0' + (y % 10) as u8,
            b'-',
            b'0' + (m / 10) as u8,
            b'0' + (m % 10) as u8,
            b'-',
            b'0' + (day / 10) as u8,
            b'0' + (day % 10) as u8,
        ];
        out.push_str(std::str::from_utf8(&b).unwrap_or("?"));
    } else {
        use std::fmt::Write as _;
        let _ = write!(out, "{d}");
    }
}

/// Reads a `DD/MM/YYYY` date (one- or two-digit day and month). `None` when it is not one.
///
/// # Example
/// ```
/// use lac_timescales::ssda903::parse_date;
/// assert_eq!(parse_date("01/04/2024"), chrono::NaiveDate::from_ymd_opt(2024, 4, 1));
/// assert_eq!(parse_date("31/02/2024"), None);
/// assert_eq!(parse_date("2024-04-01"), None);
/// assert_eq!(parse_date("99999999999999/01/2024"), None);
/// ```
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.trim().as_bytes();
    let mut parts = [0u32; 3];
    let mut digits = [0usize; 3];
    let mut k = 0;
    for &c in b {
        match c {
            b'0'..=b'9' => {
                digits[k] += 1;
                if digits[k] > 4 {
                    return None;
                }
                parts[k] = parts[k] * 10 + u32::from(c - b'0');
            }
            b'/' if k < 2 => k += 1,
            _ => return None,
        }
    }
    if k != 2 || !(1..=2).contains(&digits[0]) || !(1..=2).contains(&digits[1]) || digits[2] != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(parts[2] as i32, parts[1], parts[0])
}

/// Calls `f` with the fields of a CSV line. Fields may be quoted (`"a,b"`, `""` for a quote).
fn with_fields<T>(line: &str, f: impl FnOnce(&[&str]) -> T) -> std::result::Result<T, String> {
    if !line.contains('"') {
        let mut v: [&str; 32] = [""; 32];
        let mut n = 0;
        for (i, p) in line.split(',').enumerate() {
            if i >= v.len() {
                let all: Vec<&str> = line.split(',').collect();
                return Ok(f(&all));
            }
            v[i] = p;
            n = i + 1;
        }
        return Ok(f(&v[..n]));
    }
    let mut fields: Vec<String> = vec![String::new()];
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        let cur = fields.last_mut().expect("one field");
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if cur.is_empty() => quoted = true,
            (',', false) => fields.push(String::new()),
            (c, _) => cur.push(c),
        }
    }
    if quoted {
        return Err("unterminated quoted field".into());
    }
    let refs: Vec<&str> = fields.iter().map(|s| s.as_str()).collect();
    Ok(f(&refs))
}

/// Column positions in the episodes file, found by name in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpisodeColumns {
    child: usize,
    decom: usize,
    rne: usize,
    ls: usize,
    place: usize,
    dec: usize,
    rec: usize,
}

/// Column positions in the reviews file, found by name in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewColumns {
    child: usize,
    review: usize,
}

/// Columns of either file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Columns {
    Episodes(EpisodeColumns),
    Reviews(ReviewColumns),
}

impl Columns {
    fn child(&self) -> usize {
        match self {
            Columns::Episodes(c) => c.child,
            Columns::Reviews(c) => c.child,
        }
    }
}

const EPISODE_REQUIRED: [&str; 7] = ["CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"];
const REVIEW_REQUIRED: [&str; 2] = ["CHILD", "REVIEW"];

fn header_columns(kind: FileKind, line: &str) -> std::result::Result<Columns, String> {
    let line = line.trim_start_matches('\u{feff}');
    let names: Vec<String> = with_fields(line, |f| f.iter().map(|s| s.trim().to_ascii_uppercase()).collect())?;
    let required: &[&str] = match kind {
        FileKind::Episodes => &EPISODE_REQUIRED,
        FileKind::Reviews => &REVIEW_REQUIRED,
    };
    let mut pos = Vec::with_capacity(required.len());
    let mut missing = Vec::new();
    for r in required {
        match names.iter().position(|n| n == r) {
            Some(p) => pos.push(p),
            None => missing.push(*r),
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "bad header: missing column {} (the {} file needs {})",
            missing.join(", "),
            kind.as_str(),
            required.join(", ")
        ));
    }
    Ok(match kind {
        FileKind::Episodes => Columns::Episodes(EpisodeColumns {
            child: pos[0],
            decom: pos[1],
            rne: pos[2],
            ls: pos[3],
            place: pos[4],
            dec: pos[5],
            rec: pos[6],
        }),
        FileKind::Reviews => Columns::Reviews(ReviewColumns { child: pos[0], review: pos[1] }),
    })
}

/// One episode of care, as read from the episodes file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    /// Line in the episodes file.
    pub line: u64,
    /// Start of the episode (`DECOM`).
    pub decom: NaiveDate,
    /// End of the episode (`DEC`), if it has ended.
    pub dec: Option<NaiveDate>,
    /// `RNE` = `S`: the episode starts a new period of care.
    pub starts_period: bool,
    /// `LS` is `V3` or `V4`: a series of short breaks.
    pub short_breaks: bool,
    /// `LS` is `E1`: placement order (authority to place for adoption).
    pub authorised: bool,
    /// `PLACE` is `A3`-`A6`: placed for adoption.
    pub placed_for_adoption: bool,
    /// `REC` is `E11` or `E12`: adopted.
    pub adopted: bool,
}

/// The calendar every date must lie in.
fn in_range(d: NaiveDate) -> bool {
    Calendar::england_and_wales().check_in_range(d).is_ok()
}

fn date_field(field: &str, value: &str) -> std::result::Result<NaiveDate, String> {
    match parse_date(value) {
        Some(d) if in_range(d) => Ok(d),
        Some(d) => Err(format!("{field} {value:?}: date {d} is outside the calendar (1971 to 2199)")),
        None if value.trim().is_empty() => Err(format!("{field} is empty (expected a date DD/MM/YYYY)")),
        None => Err(format!("bad date in {field}: {value:?} (expected DD/MM/YYYY)")),
    }
}

/// Parses one data row of the episodes file. Errors name the field and value.
fn parse_episode(line: u64, text: &str, c: &EpisodeColumns) -> std::result::Result<Episode, String> {
    with_fields(text, |f| {
        let get = |i: usize| f.get(i).map(|s| s.trim());
        let need = [c.child, c.decom, c.rne, c.ls, c.place, c.dec, c.rec].into_iter().max().unwrap_or(0);
        if f.len() <= need {
            return Err(format!("too few fields: {} (the header has at least {})", f.len(), need + 1));
        }
        let decom = date_field("DECOM", get(c.decom).unwrap_or(""))?;
        let dec_text = get(c.dec).unwrap_or("");
        let dec = if dec_text.is_empty() { None } else { Some(date_field("DEC", dec_text)?) };
        if let Some(e) = dec {
            if e < decom {
                return Err(format!("DEC {dec_text:?} is before DECOM {:?}", get(c.decom).unwrap_or("")));
            }
        }
        let rne = get(c.rne).unwrap_or("");
        let ls = get(c.ls).unwrap_or("");
        let place = get(c.place).unwrap_or("");
        let rec = get(c.rec).unwrap_or("");
        Ok(Episode {
            line,
            decom,
            dec,
            starts_period: rne.eq_ignore_ascii_case("S"),
            short_breaks: ls.eq_ignore_ascii_case("V3") || ls.eq_ignore_ascii_case("V4"),
            authorised: ls.eq_ignore_ascii_case("E1"),
            placed_for_adoption: ["A3", "A4", "A5", "A6"].iter().any(|p| place.eq_ignore_ascii_case(p)),
            adopted: rec.eq_ignore_ascii_case("E11") || rec.eq_ignore_ascii_case("E12"),
        })
    })?
}

/// Parses one data row of the reviews file: the review date.
fn parse_review(text: &str, c: &ReviewColumns) -> std::result::Result<NaiveDate, String> {
    with_fields(text, |f| {
        let need = c.child.max(c.review);
        if f.len() <= need {
            return Err(format!("too few fields: {} (the header has at least {})", f.len(), need + 1));
        }
        date_field("REVIEW", f[c.review])
    })?
}

/// Where an engine event comes in a day: starts and changes, then reviews, then ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Change = 0,
    Review = 1,
    End = 2,
}

/// A period of care (or short-break series) built from a child's episodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarePeriod {
    /// First day (the `DECOM` of its `RNE` = `S` episode).
    pub start: NaiveDate,
    /// Last day (the `DEC` of its last episode), `None` while open.
    pub end: Option<NaiveDate>,
    /// Lines of its episodes in the episodes file.
    pub lines: Vec<u64>,
    /// The engine events the episodes give, in order (no reviews).
    pub events: Vec<Event>,
    /// Inferences worth reporting on each of its reviews.
    pub notes: Vec<String>,
    slots: Vec<Slot>,
}

impl CarePeriod {
    /// Whether `date` lies in the period (start and end days included).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && self.end.is_none_or(|e| date <= e)
    }

    /// The period's case history with reviews held on `reviews` (sorted, in the period).
    ///
    /// # Errors
    /// The engine's validation error (none is expected for reviews inside the period).
    pub fn case_history(&self, jurisdiction: Jurisdiction, reviews: &[NaiveDate]) -> crate::Result<CaseHistory> {
        let mut events = Vec::with_capacity(self.events.len() + reviews.len());
        let mut r = reviews.iter().peekable();
        for (ev, slot) in self.events.iter().zip(&self.slots) {
            while let Some(&&d) = r.peek() {
                if (d, Slot::Review) < (ev.date, *slot) {
                    events.push(Event::new(d, EventKind::ReviewHeld { meeting: true, regimes: None }));
                    r.next();
                } else {
                    break;
                }
            }
            events.push(ev.clone());
        }
        for &d in r {
            events.push(Event::new(d, EventKind::ReviewHeld { meeting: true, regimes: None }));
        }
        CaseHistory::new(jurisdiction, Child::default(), events)
    }
}

/// Builds a child's periods of care from its episodes (any order). Returns the periods in date
/// order and the episodes that could not be used (duplicates, episodes before the first period
/// start, periods overlapping the previous one).
pub fn build_periods(child: &str, mut episodes: Vec<Episode>) -> (Vec<CarePeriod>, Vec<Reject>) {
    episodes.sort_by_key(|e| (e.decom, e.line));
    let mut rejects = Vec::new();
    let reject =
        |e: &Episode, reason: String| Reject { file: FileKind::Episodes, line: e.line, child: child.into(), reason };
    let mut groups: Vec<Vec<Episode>> = Vec::new();
    let mut prev: Option<(NaiveDate, u64)> = None;
    for e in episodes {
        if let Some((d, l)) = prev {
            if d == e.decom {
                rejects.push(reject(&e, format!("duplicate: same CHILD and DECOM as line {l}")));
                continue;
            }
        }
        prev = Some((e.decom, e.line));
        if e.starts_period {
            groups.push(vec![e]);
        } else if let Some(g) = groups.last_mut() {
            g.push(e);
        } else {
            rejects.push(reject(
                &e,
                "no period start: episode before the child's first RNE = S episode (the period began before this file?)"
                    .into(),
            ));
        }
    }
    let mut periods: Vec<CarePeriod> = Vec::new();
    for g in groups {
        if let Some(p) = periods.last() {
            let clash = match p.end {
                None => true,
                Some(end) => g[0].decom < end,
            };
            if clash {
                let until = p.end.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_else(|| "open".into());
                let start = g[0].decom.format("%d/%m/%Y");
                for e in &g {
                    rejects.push(reject(
                        e,
                        format!(
                            "period of care starting {start} overlaps the previous period ({} to {until})",
                            p.start.format("%d/%m/%Y")
                        ),
                    ));
                }
                continue;
            }
        }
        periods.push(period_from(g));
    }
    (periods, rejects)
}

fn period_from(g: Vec<Episode>) -> CarePeriod {
    let mut events = Vec::new();
    let mut slots = Vec::new();
    let mut notes = Vec::new();
    let mut push = |d: NaiveDate, k: EventKind, s: Slot| {
        events.push(Event::new(d, k));
        slots.push(s);
    };
    let mut short = g[0].short_breaks;
    let (mut authority, mut placed) = (false, false);
    let start = g[0].decom;
    for (i, e) in g.iter().enumerate() {
        let d = e.decom;
        if i == 0 {
            push(d, if short { EventKind::ShortBreaksStarted } else { EventKind::BecameLookedAfter }, Slot::Change);
        } else {
            let prev = &g[i - 1];
            if prev.dec.is_none() {
                notes.push(format!(
                    "episodes line {} has no DEC but a later episode follows: taken to end {}",
                    prev.line,
                    d.format("%d/%m/%Y")
                ));
            }
            if e.short_breaks != short {
                if short {
                    push(d, EventKind::ShortBreaksEnded, Slot::Change);
                    push(d, EventKind::BecameLookedAfter, Slot::Change);
                } else {
                    push(d, EventKind::CeasedToBeLookedAfter, Slot::Change);
                    push(d, EventKind::ShortBreaksStarted, Slot::Change);
                    authority = false;
                    placed = false;
                }
                short = e.short_breaks;
            }
        }
        if short {
            continue;
        }
        if authority && !e.authorised {
            push(d, EventKind::AuthorityToPlaceEnded, Slot::Change);
            authority = false;
        }
        if placed && !e.placed_for_adoption {
            push(d, EventKind::ReturnedToAgency, Slot::Change);
            placed = false;
        }
        if !authority && e.authorised {
            push(d, EventKind::AuthorityToPlace, Slot::Change);
            authority = true;
        }
        if !placed && e.placed_for_adoption {
            push(d, EventKind::PlacedForAdoption, Slot::Change);
            placed = true;
        }
    }
    let last = &g[g.len() - 1];
    if let Some(end) = last.dec {
        let k = if short {
            EventKind::ShortBreaksEnded
        } else if placed && last.adopted {
            EventKind::AdoptionOrderMade
        } else {
            EventKind::CeasedToBeLookedAfter
        };
        push(end, k, Slot::End);
    }
    CarePeriod { start, end: last.dec, lines: g.iter().map(|e| e.line).collect(), events, notes, slots }
}

/// What to audit and how.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// The profile (only its `hold_review` rules on the review clocks are used).
    pub profile: Profile,
    /// Report reviews overdue on this date for children still looked after.
    pub as_at: Option<NaiveDate>,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Bytes of input audited in memory at once when the files are not both sorted by `CHILD`.
    pub memory_budget: u64,
}

impl AuditOptions {
    /// Options for `profile`: no as-at date, one worker per available core, a 512 MB budget.
    pub fn new(profile: &Profile) -> AuditOptions {
        AuditOptions {
            profile: profile.clone(),
            as_at: None,
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            memory_budget: 512 << 20,
        }
    }
}

/// The review-clock rules of `profile` only: `hold_review` rules that are not early-review
/// triggers. Scheduling with it gives exactly the review deadlines, several times faster.
pub fn review_profile(profile: &Profile) -> Profile {
    let mut p = profile.clone();
    p.rules.retain(|r| r.duty == Duty::HoldReview && !r.anchor.is_trigger());
    p
}

/// Counts of rows in and out: `episodes_in = episodes_used + episodes_rejected` and
/// `reviews_in = reviews_audited + reviews_rejected`, always.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Rows read from the episodes file (not counting a good header).
    pub episodes_in: u64,
    /// Episodes that belong to a period of care.
    pub episodes_used: u64,
    /// Episode rows rejected.
    pub episodes_rejected: u64,
    /// Rows read from the reviews file (not counting a good header).
    pub reviews_in: u64,
    /// Reviews written to the audit.
    pub reviews_audited: u64,
    /// Review rows rejected.
    pub reviews_rejected: u64,
    /// Overdue rows written (with an as-at date).
    pub overdue: u64,
    /// Children audited.
    pub children: u64,
    /// Periods of care built.
    pub periods: u64,
}

impl Totals {
    fn add(&mut self, o: &Totals) {
        self.episodes_in += o.episodes_in;
        self.episodes_used += o.episodes_used;
        self.episodes_rejected += o.episodes_rejected;
        self.reviews_in += o.reviews_in;
        self.reviews_audited += o.reviews_audited;
        self.reviews_rejected += o.reviews_rejected;
        self.overdue += o.overdue;
        self.children += o.children;
        self.periods += o.periods;
    }

    /// Whether every row read is accounted for.
    pub fn balanced(&self) -> bool {
        self.episodes_in == self.episodes_used + self.episodes_rejected
            && self.reviews_in == self.reviews_audited + self.reviews_rejected
    }
}

/// Receives the audit's output, in order.
pub trait Sink {
    /// One audit row (a review, or an overdue review).
    fn row(&mut self, row: &AuditRow) -> io::Result<()>;
    /// A run of audit rows, with the same rows already formatted as `reviews_audit.csv` lines
    /// (formatted on the worker threads). By default calls [`Sink::row`] for each.
    fn rows(&mut self, rows: &[AuditRow], csv: &str) -> io::Result<()> {
        let _ = csv;
        for r in rows {
            self.row(r)?;
        }
        Ok(())
    }
    /// One rejected row.
    fn reject(&mut self, reject: &Reject) -> io::Result<()>;
}

/// A sink that keeps everything in memory (for tests and small files).
#[derive(Debug, Default, Clone)]
pub struct Collect {
    /// The audit rows.
    pub rows: Vec<AuditRow>,
    /// The rejects.
    pub rejects: Vec<Reject>,
}

impl Sink for Collect {
    fn row(&mut self, row: &AuditRow) -> io::Result<()> {
        self.rows.push(row.clone());
        Ok(())
    }
    fn reject(&mut self, reject: &Reject) -> io::Result<()> {
        self.rejects.push(reject.clone());
        Ok(())
    }
}

/// What can stop an audit (bad rows never do: they are rejected).
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: io::Error,
    },
    /// The output could not be written.
    #[error("writing the output: {0}")]
    Output(io::Error),
    /// A file changed between the ordering scan and the audit.
    #[error("{0} is no longer sorted by CHILD: did the file change during the audit?")]
    Changed(String),
}

/// Orders of `CHILD` under which a merge works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyOrder {
    /// Byte order (as `sort` gives).
    Bytes,
    /// Shorter first, then byte order: numeric order for numeric ids.
    Numeric,
}

impl KeyOrder {
    fn cmp(self, a: &str, b: &str) -> Ordering {
        match self {
            KeyOrder::Bytes => a.cmp(b),
            KeyOrder::Numeric => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        }
    }
}

/// A child's rows: (line, text) of each episode and review.
#[derive(Debug)]
struct Group {
    child: Arc<str>,
    /// (line number, start, end) of each row in the batch's text.
    episodes: Vec<(u64, usize, usize)>,
    reviews: Vec<(u64, usize, usize)>,
}

/// The result of one batch of children.
#[derive(Default)]
struct BatchOut {
    rows: Vec<AuditRow>,
    csv: String,
    rejects: Vec<Reject>,
    totals: Totals,
}

/// Audits children: the per-child work, shared by every driver.
struct Auditor {
    profile: Profile,
    calendar: Calendar,
    as_at: Option<NaiveDate>,
    ep_cols: EpisodeColumns,
    rv_cols: ReviewColumns,
    episodes_unusable: bool,
}

impl Auditor {
    fn audit_group(&self, g: &Group, text: &str, out: &mut BatchOut) {
        let child_arc = &g.child;
        let child: &str = child_arc;
        let r0 = out.rejects.len();
        let t = &mut out.totals;
        t.children += 1;
        t.episodes_in += g.episodes.len() as u64;
        t.reviews_in += g.reviews.len() as u64;
        let mut episodes = Vec::with_capacity(g.episodes.len());
        for &(line, a, b) in &g.episodes {
            let line = &line;
            match parse_episode(*line, &text[a..b], &self.ep_cols) {
                Ok(e) => episodes.push(e),
                Err(reason) => {
                    out.rejects.push(Reject { file: FileKind::Episodes, line: *line, child: child.into(), reason })
                }
            }
        }
        let mut reviews: Vec<(NaiveDate, u64)> = Vec::with_capacity(g.reviews.len());
        for &(line, a, b) in &g.reviews {
            let line = &line;
            match parse_review(&text[a..b], &self.rv_cols) {
                Ok(d) => reviews.push((d, *line)),
                Err(reason) => {
                    out.rejects.push(Reject { file: FileKind::Reviews, line: *line, child: child.into(), reason })
                }
            }
        }
        let had_episodes = !g.episodes.is_empty();
        let (periods, ep_rejects) = build_periods(child, episodes);
        out.rejects.extend(ep_rejects);
        out.totals.periods += periods.len() as u64;
        out.totals.episodes_used += periods.iter().map(|p| p.lines.len() as u64).sum::<u64>();
        reviews.sort_unstable();
        let mut per_period: Vec<Vec<(NaiveDate, u64)>> = vec![Vec::new(); periods.len()];
        let mut last: Option<(NaiveDate, u64)> = None;
        for (d, line) in reviews {
            if let Some((ld, ll)) = last {
                if ld == d {
                    out.rejects.push(Reject {
                        file: FileKind::Reviews,
                        line,
                        child: child.into(),
                        reason: format!("duplicate: same CHILD and REVIEW date as line {ll}"),
                    });
                    continue;
                }
            }
            last = Some((d, line));
            match periods.iter().position(|p| p.contains(d)) {
                Some(i) => per_period[i].push((d, line)),
                None => {
                    let reason = if self.episodes_unusable {
                        "no usable episodes file (its header is bad)".to_string()
                    } else if !had_episodes {
                        "unknown child: no episodes for this CHILD".to_string()
                    } else if periods.is_empty() {
                        "no usable period of care for this CHILD (its episodes were rejected)".to_string()
                    } else {
                        let list: Vec<String> = periods
                            .iter()
                            .map(|p| {
                                format!(
                                    "{} to {}",
                                    p.start.format("%d/%m/%Y"),
                                    p.end.map(|e| e.format("%d/%m/%Y").to_string()).unwrap_or_else(|| "open".into())
                                )
                            })
                            .collect();
                        format!("REVIEW {} is outside every period of care ({})", d.format("%d/%m/%Y"), list.join("; "))
                    };
                    out.rejects.push(Reject { file: FileKind::Reviews, line, child: child.into(), reason });
                }
            }
        }
        for (p, revs) in periods.iter().zip(&per_period) {
            let overdue_here = self.as_at.is_some_and(|a| p.start <= a && p.end.is_none_or(|e| e > a));
            if revs.is_empty() && !overdue_here {
                continue;
            }
            self.audit_period(child_arc, p, revs, overdue_here, out);
        }
        for r in &out.rejects[r0..] {
            match r.file {
                FileKind::Episodes => out.totals.episodes_rejected += 1,
                FileKind::Reviews => out.totals.reviews_rejected += 1,
            }
        }
    }

    fn audit_period(
        &self,
        child_arc: &Arc<str>,
        p: &CarePeriod,
        revs: &[(NaiveDate, u64)],
        overdue_here: bool,
        out: &mut BatchOut,
    ) {
        let dates: Vec<NaiveDate> = revs.iter().map(|r| r.0).collect();
        let result = p.case_history(self.profile.jurisdiction, &dates).and_then(|case| {
            let opts = ScheduleOptions { as_at: None, horizon_months: Some(0), local_calendar: None };
            schedule(&case, &self.profile, &self.calendar, &opts)
        });
        let child: &str = child_arc;
        let s = match result {
            Ok(s) => s,
            Err(e) => {
                for &(_, line) in revs {
                    out.rejects.push(Reject {
                        file: FileKind::Reviews,
                        line,
                        child: child.into(),
                        reason: format!("cannot compute the deadline: {e}"),
                    });
                }
                return;
            }
        };
        let note = p.notes.join("; ");
        for &(d, line) in revs {
            // The clocks this meeting served; the earliest deadline binds the row.
            let mut best: Option<&crate::schedule::Obligation> = None;
            let mut others = Vec::new();
            for o in s.obligations.iter().filter(|o| o.duty == Duty::HoldReview && o.done == Some(d) && !o.early) {
                match best {
                    Some(b) if b.latest <= o.latest || o.latest.is_none() => others.push(o),
                    Some(b) => {
                        others.push(b);
                        best = Some(o);
                    }
                    None => best = Some(o),
                }
            }
            let Some((b, latest, lwd)) = best.and_then(|b| Some((b, b.latest?, b.latest_working_day?))) else {
                out.rejects.push(Reject {
                    file: FileKind::Reviews,
                    line,
                    child: child.into(),
                    reason: "no review clock was running on this date".into(),
                });
                continue;
            };
            let (wd, cd) = match &b.breach {
                Some(Breach::LateReview { working_days_late, calendar_days_late, .. }) => {
                    (*working_days_late, *calendar_days_late)
                }
                _ => (0, 0),
            };
            let mut n = note.clone();
            for o in others {
                if !n.is_empty() {
                    n.push_str("; ");
                }
                n.push_str(&format!(
                    "also {} review {} due {}",
                    o.regime.map(|r| r.as_str()).unwrap_or("?"),
                    o.review_number.unwrap_or(0),
                    o.latest.map(|l| l.to_string()).unwrap_or_else(|| "-".into())
                ));
            }
            out.rows.push(AuditRow {
                child: child_arc.clone(),
                period_start: p.start,
                regime: b.regime.unwrap_or(Regime::LookedAfter),
                review_number: b.review_number.unwrap_or(0),
                review: Some(d),
                deadline: latest,
                latest_working_day: lwd,
                on_time: d <= latest,
                working_days_late: wd,
                calendar_days_late: cd,
                note: n,
                line,
            });
            out.totals.reviews_audited += 1;
        }
        if let (true, Some(as_at)) = (overdue_here, self.as_at) {
            if let Some(o) = s.next_review_due(as_at) {
                if let (Some(l), Some(w)) = (o.latest, o.latest_working_day) {
                    if l < as_at {
                        let wd = self.calendar.working_days_between(l, as_at).unwrap_or(0);
                        let mut n = format!("overdue at {as_at}: not held");
                        if let Some(h) = o.done {
                            n.push_str(&format!(" (held later, {h})"));
                        }
                        if !note.is_empty() {
                            n = format!("{n}; {note}");
                        }
                        out.rows.push(AuditRow {
                            child: child_arc.clone(),
                            period_start: p.start,
                            regime: o.regime.unwrap_or(Regime::LookedAfter),
                            review_number: o.review_number.unwrap_or(0),
                            review: None,
                            deadline: l,
                            latest_working_day: w,
                            on_time: false,
                            working_days_late: wd,
                            calendar_days_late: (as_at - l).num_days(),
                            note: n,
                            line: 0,
                        });
                        out.totals.overdue += 1;
                    }
                }
            }
        }
    }
}

/// A source of lines with their line numbers.
trait Lines {
    /// Puts the next line (without its line break) in `buf`; returns its line number.
    fn next_line(&mut self, buf: &mut String) -> io::Result<Option<u64>>;
}

/// Lines of a reader; invalid UTF-8 is replaced (codes and dates are ASCII).
struct ReaderLines<R> {
    r: R,
    line: u64,
    bytes: Vec<u8>,
}

impl<R: BufRead> ReaderLines<R> {
    fn new(r: R) -> Self {
        ReaderLines { r, line: 0, bytes: Vec::with_capacity(256) }
    }
}

impl<R: BufRead> Lines for ReaderLines<R> {
    fn next_line(&mut self, buf: &mut String) -> io::Result<Option<u64>> {
        self.bytes.clear();
        if self.r.read_until(b'\n', &mut self.bytes)? == 0 {
            return Ok(None);
        }
        self.line += 1;
        while matches!(self.bytes.last(), Some(b'\n' | b'\r')) {
            self.bytes.pop();
        }
        buf.clear();
        match std::str::from_utf8(&self.bytes) {
            Ok(s) => buf.push_str(s),
            Err(_) => buf.push_str(&String::from_utf8_lossy(&self.bytes)),
        }
        Ok(Some(self.line))
    }
}

/// Lines held in memory (already without the header).
struct MemLines {
    lines: std::vec::IntoIter<(u64, String)>,
}

impl Lines for MemLines {
    fn next_line(&mut self, buf: &mut String) -> io::Result<Option<u64>> {
        Ok(self.lines.next().map(|(n, s)| {
            *buf = s;
            n
        }))
    }
}

/// The `CHILD` of a data line, trimmed; `None` when the line has too few fields or bad quoting.
fn child_key(line: &str, col: usize) -> Option<Cow<'_, str>> {
    if !line.contains('"') {
        return line.split(',').nth(col).map(|s| Cow::Borrowed(s.trim()));
    }
    with_fields(line, |f| f.get(col).map(|s| Cow::Owned(s.trim().to_string()))).ok().flatten()
}

/// Reads the header line of a file: its columns, or why it is unusable (with the reject).
fn read_header(kind: FileKind, lines: &mut impl Lines) -> io::Result<(Option<Columns>, Option<Reject>)> {
    let mut buf = String::new();
    let Some(n) = lines.next_line(&mut buf)? else {
        return Ok((None, None));
    };
    match header_columns(kind, &buf) {
        Ok(c) => Ok((Some(c), None)),
        Err(reason) => {
            let child = child_key(&buf, 0).map(|c| c.into_owned()).unwrap_or_default();
            Ok((None, Some(Reject { file: kind, line: n, child, reason })))
        }
    }
}

/// Walks a file's data rows, rejecting the ones that cannot be grouped by `CHILD`.
struct Cursor<L> {
    kind: FileKind,
    lines: L,
    cols: Option<Columns>,
    header_line: u64,
    buf: String,
    line: u64,
    key: String,
    has: bool,
}

impl<L: Lines> Cursor<L> {
    fn new(kind: FileKind, lines: L, cols: Option<Columns>) -> Self {
        Cursor { kind, lines, cols, header_line: 1, buf: String::new(), line: 0, key: String::new(), has: false }
    }

    /// Moves to the next groupable row; rejects the others into `rej` (counting them in `t`).
    fn advance(&mut self, rej: &mut Vec<Reject>, t: &mut Totals) -> io::Result<()> {
        self.has = false;
        while let Some(n) = self.lines.next_line(&mut self.buf)? {
            let mut reject = |child: &str, reason: String| {
                rej.push(Reject { file: self.kind, line: n, child: child.into(), reason });
                match self.kind {
                    FileKind::Episodes => {
                        t.episodes_in += 1;
                        t.episodes_rejected += 1;
                    }
                    FileKind::Reviews => {
                        t.reviews_in += 1;
                        t.reviews_rejected += 1;
                    }
                }
            };
            let Some(cols) = self.cols else {
                let child = child_key(&self.buf, 0).map(|c| c.into_owned()).unwrap_or_default();
                reject(&child, format!("unusable: the file's header (line {}) is bad", self.header_line));
                continue;
            };
            if self.buf.trim().is_empty() {
                reject("", "empty line".into());
                continue;
            }
            match child_key(&self.buf, cols.child()) {
                None => {
                    let reason = match with_fields(&self.buf, |f| f.len()) {
                        Err(e) => e,
                        Ok(k) => format!("too few fields: {k}"),
                    };
                    reject("", reason);
                }
                Some(k) if k.eq_ignore_ascii_case("CHILD") => reject("", "repeated header row".into()),
                Some(k) if k.is_empty() => reject("", "missing CHILD".into()),
                Some(k) => {
                    self.key.clear();
                    self.key.push_str(&k);
                    self.line = n;
                    self.has = true;
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

/// A batch of children for a worker, with rows rejected while grouping them.
#[derive(Default)]
struct Batch {
    groups: Vec<Group>,
    text: String,
    pre: Vec<Reject>,
    pre_totals: Totals,
}

const BATCH_CHILDREN: usize = 512;

impl Auditor {
    fn run_batch(&self, b: Batch) -> BatchOut {
        let n: usize = b.groups.iter().map(|g| g.reviews.len()).sum();
        let mut out =
            BatchOut { rows: Vec::with_capacity(n + 8), csv: String::new(), rejects: b.pre, totals: b.pre_totals };
        for g in &b.groups {
            self.audit_group(g, &b.text, &mut out);
        }
        out.csv.reserve(out.rows.len() * 96);
        for r in &out.rows {
            r.write_csv(&mut out.csv);
        }
        out
    }

    /// Merges two cursors sorted by `CHILD` under `order`, auditing child by child.
    /// [`Auditor::merge`] over rows already read and sorted by `CHILD` in memory (byte order).
    fn merge_in_memory(
        &self,
        (ep, ec): (Vec<(u64, String)>, Option<Columns>),
        (rv, rc): (Vec<(u64, String)>, Option<Columns>),
        names: (&str, &str),
        threads: usize,
        sink: &mut dyn Sink,
    ) -> Result<Totals, AuditError> {
        self.merge(
            Cursor::new(FileKind::Episodes, MemLines { lines: ep.into_iter() }, ec),
            Cursor::new(FileKind::Reviews, MemLines { lines: rv.into_iter() }, rc),
            KeyOrder::Bytes,
            names,
            threads,
            sink,
        )
    }

    fn merge<LE: Lines, LR: Lines>(
        &self,
        mut ep: Cursor<LE>,
        mut rv: Cursor<LR>,
        order: KeyOrder,
        names: (&str, &str),
        threads: usize,
        sink: &mut dyn Sink,
    ) -> Result<Totals, AuditError> {
        let io_err = |path: &str| {
            let path = path.to_string();
            move |source| AuditError::Io { path, source }
        };
        let mut total = Totals::default();
        let mut batch = Batch::default();
        ep.advance(&mut batch.pre, &mut batch.pre_totals).map_err(io_err(names.0))?;
        rv.advance(&mut batch.pre, &mut batch.pre_totals).map_err(io_err(names.1))?;
        let mut emit = |out: BatchOut, total: &mut Totals| -> Result<(), AuditError> {
            total.add(&out.totals);
            sink.rows(&out.rows, &out.csv).map_err(AuditError::Output)?;
            for r in &out.rejects {
                sink.reject(r).map_err(AuditError::Output)?;
            }
            Ok(())
        };
        std::thread::scope(|scope| -> Result<Totals, AuditError> {
            let workers = threads.max(1);
            let (work_tx, work_rx) = mpsc::sync_channel::<(u64, Batch)>(workers * 2);
            let (done_tx, done_rx) = mpsc::channel::<(u64, BatchOut)>();
            let work_rx = std::sync::Arc::new(std::sync::Mutex::new(work_rx));
            if workers > 1 {
                for _ in 0..workers {
                    let rx = work_rx.clone();
                    let tx = done_tx.clone();
                    scope.spawn(move || loop {
                        let job = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(_) => return,
                        };
                        let Ok((seq, b)) = job else { return };
                        if tx.send((seq, self.run_batch(b))).is_err() {
                            return;
                        }
                    });
                }
            }
            drop(done_tx);
            let mut seq = 0u64;
            let mut next_out = 0u64;
            let mut waiting: BTreeMap<u64, BatchOut> = BTreeMap::new();
            let mut dispatch = |b: Batch, last: bool, total: &mut Totals| -> Result<(), AuditError> {
                if workers == 1 {
                    return emit(self.run_batch(b), total);
                }
                if work_tx.send((seq, b)).is_err() {
                    return Err(AuditError::Output(io::Error::other("a worker thread stopped")));
                }
                seq += 1;
                loop {
                    let got = if last {
                        if next_out == seq {
                            return Ok(());
                        }
                        done_rx.recv().ok()
                    } else {
                        done_rx.try_recv().ok()
                    };
                    let Some((s, out)) = got else {
                        if last {
                            return Err(AuditError::Output(io::Error::other("a worker thread stopped")));
                        }
                        return Ok(());
                    };
                    waiting.insert(s, out);
                    while let Some(out) = waiting.remove(&next_out) {
                        emit(out, total)?;
                        next_out += 1;
                    }
                }
            };
            while ep.has || rv.has {
                let key = match (ep.has, rv.has) {
                    (true, true) if order.cmp(&rv.key, &ep.key) == Ordering::Less => rv.key.clone(),
                    (true, _) => ep.key.clone(),
                    _ => rv.key.clone(),
                };
                let mut g = Group { child: Arc::from(key.as_str()), episodes: Vec::new(), reviews: Vec::new() };
                while ep.has && ep.key == key {
                    let a = batch.text.len();
                    batch.text.push_str(&ep.buf);
                    g.episodes.push((ep.line, a, batch.text.len()));
                    ep.advance(&mut batch.pre, &mut batch.pre_totals).map_err(io_err(names.0))?;
                }
                while rv.has && rv.key == key {
                    let a = batch.text.len();
                    batch.text.push_str(&rv.buf);
                    g.reviews.push((rv.line, a, batch.text.len()));
                    rv.advance(&mut batch.pre, &mut batch.pre_totals).map_err(io_err(names.1))?;
                }
                if ep.has && order.cmp(&ep.key, &key) != Ordering::Greater {
                    return Err(AuditError::Changed(names.0.to_string()));
                }
                if rv.has && order.cmp(&rv.key, &key) != Ordering::Greater {
                    return Err(AuditError::Changed(names.1.to_string()));
                }
                batch.groups.push(g);
                if batch.groups.len() >= BATCH_CHILDREN {
                    dispatch(std::mem::take(&mut batch), false, &mut total)?;
                }
            }
            dispatch(std::mem::take(&mut batch), true, &mut total)?;
            drop(work_tx);
            Ok(total)
        })
    }
}

fn open(path: &Path) -> Result<BufReader<File>, AuditError> {
    File::open(path)
        .map(|f| BufReader::with_capacity(1 << 20, f))
        .map_err(|source| AuditError::Io { path: path.display().to_string(), source })
}

/// Whether the `CHILD` column of a file is sorted in byte order and in numeric order.
fn scan_order(path: &Path, kind: FileKind) -> Result<(bool, bool), AuditError> {
    let io_err = |source| AuditError::Io { path: path.display().to_string(), source };
    let mut lines = ReaderLines::new(open(path)?);
    let (cols, _) = read_header(kind, &mut lines).map_err(io_err)?;
    let Some(cols) = cols else { return Ok((true, true)) };
    let (mut bytes, mut numeric) = (true, true);
    let mut prev: Vec<u8> = Vec::new();
    // Raw bytes, no UTF-8 check or copy: only the CHILD field is compared.
    let mut r = lines.r;
    let mut line: Vec<u8> = Vec::with_capacity(256);
    let col = cols.child();
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line).map_err(io_err)? == 0 {
            break;
        }
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        let key: Cow<'_, [u8]> = if line.contains(&b'"') {
            let text = String::from_utf8_lossy(&line);
            match child_key(&text, col) {
                Some(k) => Cow::Owned(k.as_bytes().to_vec()),
                None => continue,
            }
        } else {
            match line.split(|b| *b == b',').nth(col) {
                Some(k) => Cow::Borrowed(k.trim_ascii()),
                None => continue,
            }
        };
        if key.is_empty() || key.eq_ignore_ascii_case(b"CHILD") || *key == *prev {
            continue;
        }
        bytes &= prev.as_slice() <= key.as_ref();
        numeric &= (prev.len(), prev.as_slice()) <= (key.len(), key.as_ref());
        if !bytes && !numeric {
            break;
        }
        prev.clear();
        prev.extend_from_slice(&key);
    }
    Ok((bytes, numeric))
}

/// How [`audit_paths`] read the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Both files sorted by `CHILD`: merged as they stream.
    Merge,
    /// Not both sorted, small enough: grouped by `CHILD` in memory.
    InMemory,
    /// Not both sorted, larger than the memory budget: hash-partitioned into this many
    /// temporary files per input, each grouped in memory.
    Partitioned(usize),
}

fn auditor(opts: &AuditOptions, ep: Option<Columns>, rv: Option<Columns>) -> Auditor {
    let dummy_ep = EpisodeColumns { child: 0, decom: 1, rne: 2, ls: 3, place: 5, dec: 7, rec: 8 };
    Auditor {
        profile: review_profile(&opts.profile),
        calendar: Calendar::england_and_wales(),
        as_at: opts.as_at,
        ep_cols: match ep {
            Some(Columns::Episodes(c)) => c,
            _ => dummy_ep,
        },
        rv_cols: match rv {
            Some(Columns::Reviews(c)) => c,
            _ => ReviewColumns { child: 0, review: 2 },
        },
        episodes_unusable: ep.is_none(),
    }
}

fn header_totals(rejects: &[Reject]) -> Totals {
    let mut t = Totals::default();
    for r in rejects {
        match r.file {
            FileKind::Episodes => {
                t.episodes_in += 1;
                t.episodes_rejected += 1;
            }
            FileKind::Reviews => {
                t.reviews_in += 1;
                t.reviews_rejected += 1;
            }
        }
    }
    t
}

/// Reads a whole file's data lines into memory, sorted by `CHILD` (stable: file order within a
/// child). Lines whose `CHILD` cannot be read sort first and are rejected by the cursor.
fn sorted_lines(mut lines: impl Lines, col: Option<usize>) -> io::Result<Vec<(u64, String)>> {
    let mut v = Vec::new();
    let mut buf = String::new();
    while let Some(n) = lines.next_line(&mut buf)? {
        v.push((n, std::mem::take(&mut buf)));
    }
    if let Some(c) = col {
        v.sort_by(|a, b| {
            let ka = child_key(&a.1, c).unwrap_or_default();
            let kb = child_key(&b.1, c).unwrap_or_default();
            ka.cmp(&kb)
        });
    }
    Ok(v)
}

/// Audits two files given as text (any order), in memory. For tests and small inputs.
///
/// # Errors
/// Only when the sink fails; bad rows are rejected, never errors.
pub fn audit_str(
    episodes: &str,
    reviews: &str,
    opts: &AuditOptions,
    sink: &mut dyn Sink,
) -> Result<Totals, AuditError> {
    let mut el = ReaderLines::new(episodes.as_bytes());
    let mut rl = ReaderLines::new(reviews.as_bytes());
    let io_err = |source| AuditError::Io { path: "input".into(), source };
    let (ec, er) = read_header(FileKind::Episodes, &mut el).map_err(io_err)?;
    let (rc, rr) = read_header(FileKind::Reviews, &mut rl).map_err(io_err)?;
    let aud = auditor(opts, ec, rc);
    let head: Vec<Reject> = er.into_iter().chain(rr).collect();
    let mut total = header_totals(&head);
    for r in &head {
        sink.reject(r).map_err(AuditError::Output)?;
    }
    let ev = sorted_lines(el, ec.map(|c| c.child())).map_err(io_err)?;
    let rvl = sorted_lines(rl, rc.map(|c| c.child())).map_err(io_err)?;
    let mut ecur = Cursor::new(FileKind::Episodes, MemLines { lines: ev.into_iter() }, ec);
    let mut rcur = Cursor::new(FileKind::Reviews, MemLines { lines: rvl.into_iter() }, rc);
    ecur.header_line = 1;
    rcur.header_line = 1;
    let t = aud.merge(ecur, rcur, KeyOrder::Bytes, ("episodes", "reviews"), opts.threads, sink)?;
    total.add(&t);
    Ok(total)
}

/// Audits the two files at these paths, choosing the [`Strategy`] from their order and size.
/// Temporary partition files (if any) go in `tmp_dir` and are removed afterwards.
///
/// # Errors
/// [`AuditError::Io`] when a file cannot be opened or read, [`AuditError::Output`] when the sink
/// fails, [`AuditError::Changed`] when a file changes during the audit. Bad rows are rejected,
/// never errors.
pub fn audit_paths(
    episodes: &Path,
    reviews: &Path,
    opts: &AuditOptions,
    tmp_dir: &Path,
    sink: &mut dyn Sink,
) -> Result<(Totals, Strategy), AuditError> {
    let (en, rn) = (episodes.display().to_string(), reviews.display().to_string());
    let (eb, enm) = scan_order(episodes, FileKind::Episodes)?;
    let (rb, rnm) = scan_order(reviews, FileKind::Reviews)?;
    let mut el = ReaderLines::new(open(episodes)?);
    let mut rl = ReaderLines::new(open(reviews)?);
    let (ec, er) =
        read_header(FileKind::Episodes, &mut el).map_err(|source| AuditError::Io { path: en.clone(), source })?;
    let (rc, rr) =
        read_header(FileKind::Reviews, &mut rl).map_err(|source| AuditError::Io { path: rn.clone(), source })?;
    let aud = auditor(opts, ec, rc);
    let head: Vec<Reject> = er.into_iter().chain(rr).collect();
    let mut total = header_totals(&head);
    for r in &head {
        sink.reject(r).map_err(AuditError::Output)?;
    }
    let order = if eb && rb {
        Some(KeyOrder::Bytes)
    } else if enm && rnm {
        Some(KeyOrder::Numeric)
    } else {
        None
    };
    let names = (en.as_str(), rn.as_str());
    if let Some(order) = order {
        let t = aud.merge(
            Cursor::new(FileKind::Episodes, el, ec),
            Cursor::new(FileKind::Reviews, rl, rc),
            order,
            names,
            opts.threads,
            sink,
        )?;
        total.add(&t);
        return Ok((total, Strategy::Merge));
    }
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let bytes = size(episodes) + size(reviews);
    let budget = opts.memory_budget.max(1);
    if bytes <= budget {
        let ev =
            sorted_lines(el, ec.map(|c| c.child())).map_err(|source| AuditError::Io { path: en.clone(), source })?;
        let rvl =
            sorted_lines(rl, rc.map(|c| c.child())).map_err(|source| AuditError::Io { path: rn.clone(), source })?;
        total.add(&aud.merge_in_memory((ev, ec), (rvl, rc), names, opts.threads, sink)?);
        return Ok((total, Strategy::InMemory));
    }
    // External sort: hash-partition both files by CHILD, then audit each partition in memory.
    let parts = (bytes.div_ceil(budget) as usize).clamp(2, 4096);
    let dir = tmp_dir.join(format!(".audit_903_tmp_{}", std::process::id()));
    let tmp_err = |source| AuditError::Io { path: dir.display().to_string(), source };
    std::fs::create_dir_all(&dir).map_err(tmp_err)?;
    let result = (|| -> Result<Totals, AuditError> {
        let ep_parts = partition(el, ec.map(|c| c.child()), &dir, "e", parts).map_err(tmp_err)?;
        let rv_parts = partition(rl, rc.map(|c| c.child()), &dir, "r", parts).map_err(tmp_err)?;
        let mut total = Totals::default();
        for (pe, pr) in ep_parts.iter().zip(&rv_parts) {
            let ev = sorted_lines(ReaderLines::new(open(pe)?), None).map_err(tmp_err)?;
            let rvl = sorted_lines(ReaderLines::new(open(pr)?), None).map_err(tmp_err)?;
            let unpack = |v: Vec<(u64, String)>, col: Option<usize>| -> Vec<(u64, String)> {
                let mut out: Vec<(u64, String)> = v
                    .into_iter()
                    .map(|(_, s)| match s.split_once('\t') {
                        Some((n, rest)) => (n.parse().unwrap_or(0), rest.to_string()),
                        None => (0, s),
                    })
                    .collect();
                if let Some(c) = col {
                    out.sort_by(|a, b| {
                        child_key(&a.1, c).unwrap_or_default().cmp(&child_key(&b.1, c).unwrap_or_default())
                    });
                }
                out
            };
            let ev = unpack(ev, ec.map(|c| c.child()));
            let rvl = unpack(rvl, rc.map(|c| c.child()));
            total.add(&aud.merge_in_memory((ev, ec), (rvl, rc), names, opts.threads, sink)?);
        }
        Ok(total)
    })();
    let _ = std::fs::remove_dir_all(&dir);
    total.add(&result?);
    Ok((total, Strategy::Partitioned(parts)))
}

/// Writes a file's data lines into `parts` files by a hash of `CHILD`, each line prefixed with
/// its line number and a tab.
fn partition(
    mut lines: impl Lines,
    col: Option<usize>,
    dir: &Path,
    tag: &str,
    parts: usize,
) -> io::Result<Vec<PathBuf>> {
    let paths: Vec<PathBuf> = (0..parts).map(|i| dir.join(format!("{tag}{i}.txt"))).collect();
    let mut w: Vec<BufWriter<File>> =
        paths.iter().map(|p| File::create(p).map(BufWriter::new)).collect::<io::Result<_>>()?;
    let mut buf = String::new();
    while let Some(n) = lines.next_line(&mut buf)? {
        let key = col.and_then(|c| child_key(&buf, c)).unwrap_or_default();
        // FNV-1a: stable across runs, so a child's rows from both files meet in one partition.
        let h = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        writeln!(w[(h % parts as u64) as usize], "{n}\t{buf}")?;
    }
    for x in &mut w {
        x.flush()?;
    }
    Ok(paths)
}

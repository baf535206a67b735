//! Review timeliness on DfE SSDA903 returns ("the 903"): the episodes and reviews tables, as CSV
//! or as the XML that local authorities submit.
//!
//! A return covers one **collection year** (1 April to 31 March; named here by the year it ends,
//! so 2025 is 2024-25). It holds every episode open at any time in the year, with its original
//! `DECOM` and `RNE`, and only the reviews held in the year. Most children in it were looked
//! after before the year began, so their earlier reviews are not in it. Several returns can be
//! audited together; their years make the **window** of dates the data covers
//! ([`window::Window`]).
//!
//! # What each row rests on ([`Basis`])
//! Each review is checked against the deadline the schedule engine gives it. When a review's
//! period of care began before the window (its first episode in the data is not `RNE` = `S`,
//! or its start is before the window opened), the reviews before the window are unknown. The
//! audit then runs the engine on the period under the possible histories and never numbers or
//! judges a review as if those earlier reviews did not exist:
//! - **H0**: no review in the unknown part (the first review in the data is the period's first);
//! - **H-late**: two reviews on the last two days before each unknown part ends (the latest,
//!   most generous, previous review: gives the latest deadline any history can give);
//! - **H-early**: one review on the first day of the unknown part, when that day is known (the
//!   period's `S` start, or the day after an earlier window): the earliest deadline.
//!
//! A review is then:
//! - [`Basis::KnownReviewNumber`]: the same review number and deadline under every history (in
//!   particular, every review of a period that began inside the window);
//! - [`Basis::DecidedByData`]: on time under every history, or late under every history. Its
//!   previous review is in the data and it is on time even at 3 months or late even at 6; or it
//!   is the first review in the data, held six months or more after the window opened (late
//!   whatever came before). The row shows the earliest deadline when on time and the latest
//!   (the smallest lateness) when late;
//! - [`Basis::Assumption`]: the histories disagree, but the one that disagrees (H0) would make
//!   its previous review (in the data) the period's first review, held more than three months
//!   after that first review was due. The audit assumes that did not happen and judges the review
//!   as a later review (H-late), and says so on the row; the summary counts these rows;
//! - [`Basis::NotAssessable`]: otherwise. The row is still written, with `on_time` empty and a
//!   note naming the return that would decide it ("previous review before this return: add the
//!   2023-24 return").
//!
//! Overdue reviews (with an as-at date) follow the same rule: a child is reported overdue only
//! when every history (or the stated assumption) makes it overdue.
//!
//! # Reviews not held
//! One rule for every period of care, ended or still open. A review that fell due and was not
//! held is a row; so is each next one, counted from the last working day by which the one before
//! was due, as if held then (as the engine projects a review not held), while it too fell due
//! before the day the audit looks from. The Regulations set the longest interval between reviews,
//! counted from the review before (CPPCR reg 33(2)); with none held, each interval that passes
//! is one more review the child went without. So the same history gives the same rows, with the
//! same deadlines and lateness, whether the child left care on a day or was still looked after
//! and audited as at that day: a child not reviewed for a year has two reviews missed either way.
//! Every clock of a period is stepped on (the looked-after reviews up to a placement for
//! adoption, then the adoption reviews).
//! - **Never held**: a review clock that stopped (the child left care, or the review regime
//!   ended: short breaks to care, placement for adoption) owes the review whose deadline fell
//!   **before** the day it stopped (the engine's rule: a deadline on that day had not passed
//!   while the clock ran). Such a review is a row with no `REVIEW` date
//!   ([`AuditRow::is_never_held`], [`AuditRow::ended`]), `on_time` false, lateness counted to the
//!   day the clock stopped, and a note ("never held: the child left care on ... after it fell
//!   due").
//! - **Overdue** (with an as-at date, a period open then): the review due first is the overdue
//!   row ("overdue at ...: not held"); each next whose deadline is before the as-at date is an
//!   overdue row too ([`AuditRow::is_overdue`]), lateness counted to the as-at date. A review a
//!   stopped clock missed is a review never held, never also overdue.
//! - **Not held while the returns show the child looked after**: a period open at the end of
//!   one return whose child is not in a later return given (its end is not in the data). The
//!   child was looked after on that return's last day, 31 March; the reviews whose deadlines
//!   are before that day and that were not held by then are decided by the data, with or
//!   without an as-at date: rows as for a review never held, `ended` that 31 March, lateness
//!   counted to it, and a note ("not held by ..., the last day the returns show the child looked
//!   after (the child is not in the ... return, and when care ended is not in the data)"). What
//!   came after that day stays unknown: with an as-at date the child is counted among the open
//!   children whose overdue status the data cannot decide.
//!
//! The rows after the first say what they were counted from ("counted from ..., the last working
//! day by which the previous review (not held) was due, as if held then"). Only what the data
//! decides is written: the day the clock stopped is in the window; with reviews before the data
//! unknown, a review is written only when it was missed under the latest possible earlier
//! reviews (then under every history), `decided_by_data` with that latest deadline; for a period
//! whose end was taken from the returns, only a deadline no later than the last day its return
//! shows the child looked after. Overdue rows after the first rest on what the first rests on: a
//! known review number, the data (the latest possible earlier reviews), or the stated assumption.
//! Without an as-at date a period still open has no such row.
//!
//! # Accounting
//! Every data row ends up used (an episode in a period of care, a review in the audit), rejected
//! (with its file, line and reason), or superseded (an episode also in a later year's return,
//! whose copy wins): rows in = rows out + rejects + superseded, for every file ([`Totals`]).
//!
//! # Reading
//! Each input is read once ([`read`]): rows go to an in-memory store, or, above
//! [`AuditOptions::memory_budget`], into temporary partition files by a hash of `CHILD` (in
//! [`AuditOptions::tmp_dir`], removed on every exit path this process controls). When the inputs
//! are regular files or text that together fit half the budget, and there is more than one
//! thread, reader threads read each table whole and the store keeps its rows as slices of it;
//! otherwise tables are read as streams. The store puts its rows in order by merging the ascending
//! runs they arrive in, without moving them. Children are audited in `CHILD` byte order on
//! [`AuditOptions::threads`] threads (when the rows were partitioned, in that order within each
//! partition, one partition after another). The result never depends on the order of the
//! returns or of the rows.
//!
//! # Entry points
//! [`audit()`] takes [`ReturnInput`]s (files, readers or text) and a [`Sink`]; [`audit_str`] is the
//! one-return, in-memory shorthand. [`report::Summary`] is a sink wrapper that gathers the
//! figures for the console summary and the HTML report.

mod audit;
pub mod periods;
pub mod read;
pub mod report;
pub mod window;

use std::fmt;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::model::{Duty, Regime};
use crate::profile::Profile;
use crate::Result;

pub use self::periods::{build_periods, CarePeriod, Episode, EpisodeReject};
pub use self::read::csv::parse_date;
pub use self::window::Window;

/// Which table a row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    /// The file (as named to the audit).
    pub file: Arc<str>,
    /// The table.
    pub table: FileKind,
    /// The line in the file (the header is line 1; a row over several lines, its first); for
    /// XML, the line its `EPISODE` (or `AREVIEW`) element starts on.
    pub line: u64,
    /// The row's `CHILD` value (may be empty; a line break in it is shown as a space, and the
    /// reason names it).
    pub child: String,
    /// Why, naming the field and value (a line break in a quoted value is named as one, the
    /// value shown with `\n`).
    pub reason: String,
}

impl Reject {
    /// The header of `rejects.csv`.
    pub const CSV_HEADER: &'static str = "file,table,line,CHILD,reason";

    /// Appends this reject as one CSV line.
    pub fn write_csv(&self, out: &mut String) {
        let mut b = Vec::with_capacity(64 + self.reason.len());
        self.write_csv_bytes(&mut b);
        push_bytes(out, b);
    }

    /// Appends this reject as one CSV line, as bytes (UTF-8): what [`Reject::write_csv`] writes.
    pub fn write_csv_bytes(&self, out: &mut Vec<u8>) {
        field_b(out, &self.file);
        out.push(b',');
        out.extend_from_slice(self.table.as_str().as_bytes());
        out.push(b',');
        num_b(out, Some(self.line));
        out.push(b',');
        field_b(out, &self.child);
        out.push(b',');
        field_b(out, &self.reason);
        out.push(b'\n');
    }
}

/// An episode row replaced by the copy of the same episode (same `CHILD` and `DECOM`) in a later
/// collection year's return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Superseded {
    /// The child (shared with the child's audit rows, as [`AuditRow::child`]).
    pub child: Arc<str>,
    /// The episode's start.
    pub decom: NaiveDate,
    /// The superseded copy: file, line, collection year.
    pub file: Arc<str>,
    /// Its line.
    pub line: u64,
    /// Its collection year.
    pub year: i32,
    /// The copy kept: file, line, collection year.
    pub kept_file: Arc<str>,
    /// Its line.
    pub kept_line: u64,
    /// Its collection year.
    pub kept_year: i32,
    /// The fields that differ other than what a later year fills in (`DEC`, `REC`,
    /// `REASON_PLACE_CHANGE` blank in the earlier copy); empty when none do.
    pub conflict: String,
}

impl Superseded {
    /// The header of `superseded.csv`.
    pub const CSV_HEADER: &'static str =
        "CHILD,DECOM,file,line,collection_year,kept_file,kept_line,kept_collection_year,conflict";

    /// Appends this row as one CSV line.
    pub fn write_csv(&self, out: &mut String) {
        let mut b = Vec::with_capacity(128 + self.conflict.len());
        self.write_csv_bytes(&mut b);
        push_bytes(out, b);
    }

    /// Appends this row as one CSV line, as bytes (UTF-8): what [`Superseded::write_csv`] writes.
    pub fn write_csv_bytes(&self, out: &mut Vec<u8>) {
        self.write_with(out, &mut FieldCache::new(1), &mut FieldCache::new(1));
    }

    fn write_with(&self, out: &mut Vec<u8>, file: &mut FieldCache, kept_file: &mut FieldCache) {
        field_b(out, &self.child);
        out.push(b',');
        date_b(out, Some(self.decom));
        out.push(b',');
        file.put(out, &self.file);
        out.push(b',');
        num_b(out, Some(self.line));
        out.push(b',');
        year_b(out, self.year);
        out.push(b',');
        kept_file.put(out, &self.kept_file);
        out.push(b',');
        num_b(out, Some(self.kept_line));
        out.push(b',');
        year_b(out, self.kept_year);
        out.push(b',');
        field_b(out, &self.conflict);
        out.push(b'\n');
    }
}

/// On what a row's deadline stands. See the module docs for the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Basis {
    /// The review's number and deadline are known: the same whatever happened before the data.
    KnownReviewNumber,
    /// The number is not known, but the data decides the answer (on time or late whatever the
    /// earlier reviews were).
    DecidedByData,
    /// Judged as a later review on the stated assumption (its previous review was not a first
    /// review held more than three months late).
    Assumption,
    /// Not assessable from the data: `on_time` is empty and the note says what is missing.
    NotAssessable,
}

impl Basis {
    /// Every value.
    pub const ALL: [Basis; 4] =
        [Basis::KnownReviewNumber, Basis::DecidedByData, Basis::Assumption, Basis::NotAssessable];

    /// `known_review_number`, `decided_by_data`, `assumption` or `not_assessable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::KnownReviewNumber => "known_review_number",
            Basis::DecidedByData => "decided_by_data",
            Basis::Assumption => "assumption",
            Basis::NotAssessable => "not_assessable",
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of `reviews_audit.csv`: a review held; a review never held, that fell due before
/// its clock stopped (the child left care, or the review regime ended) inside the data; or (with
/// an as-at date) a review overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// The child.
    pub child: Arc<str>,
    /// The collection year of the return the review came from (for an overdue row, the year of
    /// the as-at date).
    pub collection_year: i32,
    /// Start of the period of care the review belongs to; `None` when it began before the data.
    pub period_start: Option<NaiveDate>,
    /// The review regime whose deadline binds (the earliest when one meeting served several).
    pub regime: Option<Regime>,
    /// The review's number within its regime and period, when known.
    pub review_number: Option<u32>,
    /// The date the review was held; `None` for an overdue row or a review never held.
    pub review: Option<NaiveDate>,
    /// The deadline it is judged against (see [`Basis`]); `None` when not assessable.
    pub deadline: Option<NaiveDate>,
    /// The last working day on or before the deadline.
    pub latest_working_day: Option<NaiveDate>,
    /// Held on or before the deadline; `None` when not assessable.
    pub on_time: Option<bool>,
    /// Working days after the deadline (0 when on time); for an overdue row, to the as-at date;
    /// for a review never held, to the day its clock stopped.
    pub working_days_late: Option<i64>,
    /// Calendar days after the deadline (0 when on time), counted as `working_days_late`.
    pub calendar_days_late: Option<i64>,
    /// On what the deadline stands.
    pub basis: Basis,
    /// For a late or overdue row, whose standard it misses: `statutory` when statute's deadline
    /// passed, else `local:<profile>` (only a local profile's earlier deadline was missed).
    pub missed: Option<crate::profile::Basis>,
    /// Anything worth knowing: the basis explained, other clocks served, inferred episode ends.
    pub note: String,
    /// Line of the review in its file (0 for an overdue row or a review never held).
    pub line: u64,
    /// For a review never held: the day its clock stopped, after the review fell due (the day
    /// the child left care, or the day its review regime ended), or, when the child's end of
    /// care is not in the data (not in a later return), the last day the returns show the child
    /// looked after; `None` otherwise. Not a column of `reviews_audit.csv`: there the note says
    /// it ("never held: the child left care on ...", "not held by ...").
    pub ended: Option<NaiveDate>,
}

/// Appends bytes written by a `write_csv_bytes` (valid UTF-8 by construction: ASCII and whole
/// `&str` fields) to a `String`.
fn push_bytes(out: &mut String, b: Vec<u8>) {
    match String::from_utf8(b) {
        Ok(s) => out.push_str(&s),
        Err(e) => out.push_str(&String::from_utf8_lossy(e.as_bytes())),
    }
}

/// Whether a CSV field must be quoted: it holds a comma, a quote or a line end.
fn needs_quotes(b: &[u8]) -> bool {
    if b.len() < 16 {
        b.iter().any(|&c| matches!(c, b',' | b'"' | b'\r' | b'\n'))
    } else {
        // Long fields (notes): two vectorised passes rather than four.
        memchr::memchr3(b',', b'"', b'\n', b).is_some() || memchr::memchr(b'\r', b).is_some()
    }
}

/// Appends one CSV field, quoted when it holds a comma, a quote or a line end (as
/// `crate::export::csv_field`).
fn field_b(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if needs_quotes(b) {
        out.reserve(b.len() + 2);
        out.push(b'"');
        // Copied a run at a time, each quote doubled.
        let mut rest = b;
        while let Some(i) = memchr::memchr(b'"', rest) {
            out.extend_from_slice(&rest[..=i]);
            out.push(b'"');
            rest = &rest[i + 1..];
        }
        out.extend_from_slice(rest);
        out.push(b'"');
    } else {
        out.extend_from_slice(b);
    }
}

/// Text pieces for dates and numbers: `YYYY` for each year 0 to 9999, `-MM-DD` for each day of
/// the year (by `ordinal0`) in a common and in a leap year, and `00` to `99`.
struct Pieces {
    years: Vec<[u8; 4]>,
    month_days: [[[u8; 6]; 366]; 2],
    pairs: [[u8; 2]; 100],
}

fn pieces() -> &'static Pieces {
    static TABLE: std::sync::OnceLock<Pieces> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        use chrono::Datelike;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let years = (0..10_000u32).map(|y| [digit(y / 1000), digit(y / 100), digit(y / 10), digit(y)]).collect();
        let mut month_days = [[[0; 6]; 366]; 2];
        for (leap, year) in [(0, 2001), (1, 2000)] {
            for (o, slot) in month_days[leap].iter_mut().enumerate() {
                if let Some(d) = NaiveDate::from_yo_opt(year, o as u32 + 1) {
                    let (m, day) = (d.month(), d.day());
                    *slot = [b'-', digit(m / 10), digit(m), b'-', digit(day / 10), digit(day)];
                }
            }
        }
        let mut pairs = [[0; 2]; 100];
        for (n, p) in pairs.iter_mut().enumerate() {
            *p = [digit(n as u32 / 10), digit(n as u32)];
        }
        Pieces { years, month_days, pairs }
    })
}

/// A date chrono writes with a sign or five digits, or a number without a fast path: kept out of
/// line so that the common paths inline without its frame.
#[cold]
#[inline(never)]
fn display_b(out: &mut Vec<u8>, v: &dyn fmt::Display) {
    out.extend_from_slice(v.to_string().as_bytes());
}

/// Appends a date as ISO `YYYY-MM-DD` (chrono's `Display`), from [`Pieces`].
#[inline(always)]
fn date_b(out: &mut Vec<u8>, d: Option<NaiveDate>) {
    use chrono::Datelike;
    let Some(d) = d else { return };
    let t = pieces();
    match t.years.get(d.year() as usize).filter(|_| d.year() >= 0) {
        Some(y) => {
            let md = &t.month_days[usize::from(d.leap_year())][d.ordinal0() as usize];
            let mut b = [0u8; 10];
            b[..4].copy_from_slice(y);
            b[4..].copy_from_slice(md);
            out.extend_from_slice(&b);
        }
        None => display_b(out, &d),
    }
}

/// `2024-25` for 2025, as [`window::year_label`], without allocating.
#[inline]
fn year_b(out: &mut Vec<u8>, year: i32) {
    let t = pieces();
    match year.checked_sub(1).filter(|y| *y >= 1000).and_then(|y| t.years.get(y as usize)) {
        Some(y) => {
            let yy = t.pairs[year.rem_euclid(100) as usize];
            out.extend_from_slice(&[y[0], y[1], y[2], y[3], b'-', yy[0], yy[1]]);
        }
        None => display_b(out, &format_args!("{}-{:02}", i64::from(year) - 1, year.rem_euclid(100))),
    }
}

/// Appends an unsigned number, if any, in decimal.
fn num_b(out: &mut Vec<u8>, n: Option<u64>) {
    if let Some(n) = n {
        uint_b(out, n);
    }
}

#[inline]
fn uint_b(out: &mut Vec<u8>, v: u64) {
    if v < 10 {
        out.push(b'0' + v as u8);
    } else {
        uint_long_b(out, v);
    }
}

fn uint_long_b(out: &mut Vec<u8>, v: u64) {
    let pairs = &pieces().pairs;
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut v = v;
    while v >= 100 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&pairs[(v % 100) as usize]);
        v /= 100;
    }
    if v >= 10 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&pairs[v as usize]);
    } else {
        i -= 1;
        buf[i] = b'0' + v as u8;
    }
    out.extend_from_slice(&buf[i..]);
}

fn int_b(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    uint_b(out, n.unsigned_abs());
}

/// Whether recent `Arc<str>` fields (a child's rows, a few files' rows) need quoting, so that a
/// run of rows sharing them is checked once. Holds at most `slots` of them, each in the slot
/// its address picks (a field whose slot another took is checked again).
pub(crate) struct FieldCache {
    seen: Vec<Option<(Arc<str>, bool)>>,
}

impl FieldCache {
    /// `slots`: a power of two (else rounded up to one).
    fn new(slots: usize) -> FieldCache {
        FieldCache { seen: vec![None; slots.max(1).next_power_of_two()] }
    }

    fn put(&mut self, out: &mut Vec<u8>, v: &Arc<str>) {
        // Shared fields are separate allocations: their addresses differ above the low bits.
        let slot = (Arc::as_ptr(v).cast::<u8>() as usize >> 4) & (self.seen.len() - 1);
        let plain = match &self.seen[slot] {
            Some((a, plain)) if Arc::ptr_eq(a, v) => *plain,
            _ => {
                let plain = !needs_quotes(v.as_bytes());
                self.seen[slot] = Some((v.clone(), plain));
                plain
            }
        };
        if plain {
            out.extend_from_slice(v.as_bytes());
        } else {
            field_b(out, v);
        }
    }
}

/// `rows` as lines of `reviews_audit.csv`, as [`AuditRow::write_csv_bytes`] writes them.
pub(crate) fn audit_lines(rows: &[AuditRow], out: &mut Vec<u8>) {
    let mut child = FieldCache::new(1);
    for r in rows {
        r.write_with(out, &mut child);
    }
}

/// `rows` as lines of `superseded.csv`, as [`Superseded::write_csv_bytes`] writes them.
pub(crate) fn superseded_lines(rows: &[Superseded], out: &mut Vec<u8>) {
    let (mut file, mut kept) = (FieldCache::new(64), FieldCache::new(64));
    for r in rows {
        r.write_with(out, &mut file, &mut kept);
    }
}

impl AuditRow {
    /// The header of `reviews_audit.csv`.
    pub const CSV_HEADER: &'static str = "CHILD,collection_year,period_start,regime,review_number,REVIEW,deadline,\
latest_working_day,on_time,working_days_late,calendar_days_late,basis,missed,note";

    /// True for an overdue row (a review not held by the as-at date, its clock still running).
    pub fn is_overdue(&self) -> bool {
        self.review.is_none() && self.ended.is_none()
    }

    /// True for a review never held: it fell due before its clock stopped (the child left care,
    /// or the review regime ended), and no review was held in between; or it fell due before the
    /// last day the returns show the child looked after, when the end of care is not in the
    /// data, and was not held by then.
    pub fn is_never_held(&self) -> bool {
        self.review.is_none() && self.ended.is_some()
    }

    /// Appends this row as one CSV line (dates ISO `YYYY-MM-DD`).
    pub fn write_csv(&self, out: &mut String) {
        let mut b = Vec::with_capacity(128 + self.note.len());
        self.write_csv_bytes(&mut b);
        push_bytes(out, b);
    }

    /// Appends this row as one CSV line, as bytes (UTF-8): what [`AuditRow::write_csv`] writes,
    /// without the check that a `String` needs on each line.
    pub fn write_csv_bytes(&self, out: &mut Vec<u8>) {
        self.write_with(out, &mut FieldCache::new(1));
    }

    fn write_with(&self, out: &mut Vec<u8>, child: &mut FieldCache) {
        child.put(out, &self.child);
        out.push(b',');
        year_b(out, self.collection_year);
        out.push(b',');
        date_b(out, self.period_start);
        out.push(b',');
        out.extend_from_slice(self.regime.map(|r| r.as_str()).unwrap_or("").as_bytes());
        out.push(b',');
        num_b(out, self.review_number.map(u64::from));
        out.push(b',');
        date_b(out, self.review);
        out.push(b',');
        date_b(out, self.deadline);
        out.push(b',');
        date_b(out, self.latest_working_day);
        out.extend_from_slice(match self.on_time {
            Some(true) => b",true,",
            Some(false) => b",false,",
            None => b",,",
        });
        if let Some(n) = self.working_days_late {
            int_b(out, n);
        }
        out.push(b',');
        if let Some(n) = self.calendar_days_late {
            int_b(out, n);
        }
        out.push(b',');
        out.extend_from_slice(self.basis.as_str().as_bytes());
        out.push(b',');
        match &self.missed {
            Some(crate::profile::Basis::Statutory) => out.extend_from_slice(b"statutory"),
            Some(crate::profile::Basis::Local(id)) => {
                out.extend_from_slice(b"local:");
                out.extend_from_slice(id.as_bytes());
            }
            None => {}
        }
        out.push(b',');
        field_b(out, &self.note);
        out.push(b'\n');
    }
}

/// Receives the audit's output, in order (children in `CHILD` byte order; when the rows were
/// partitioned, in that order within each partition, one partition after another).
pub trait Sink {
    /// One audit row (a review held, a review never held, or an overdue review).
    fn row(&mut self, row: &AuditRow) -> io::Result<()>;
    /// One rejected row.
    fn reject(&mut self, reject: &Reject) -> io::Result<()>;
    /// One superseded episode copy. By default ignored.
    fn superseded(&mut self, s: &Superseded) -> io::Result<()> {
        let _ = s;
        Ok(())
    }
    /// Whether the audit should also format each [`Chunk`] as CSV lines (on its worker threads)
    /// for [`Sink::chunk`]. By default no.
    fn wants_csv(&self) -> bool {
        false
    }
    /// Work to do on each [`Chunk`] on the audit's worker threads (after the CSV lines of
    /// [`Sink::wants_csv`]) before the chunk reaches [`Sink::chunk`] on the calling thread: a
    /// sink that turns rows into its own form (columns for a DataFrame, say) does it here, in
    /// parallel, and leaves the result in [`Chunk::prepared`]. By default none.
    ///
    /// A sink must still accept a chunk with `prepared` left `None` (rows given one by one, or an
    /// audit run that does not call it), doing the same work itself.
    fn prepare(&self) -> Option<Prepare> {
        None
    }
    /// The output of a run of children, in order. By default its rows, rejects and superseded
    /// copies are passed one by one to [`Sink::row`], [`Sink::reject`] and [`Sink::superseded`]
    /// (in that order).
    fn chunk(&mut self, c: &Chunk) -> io::Result<()> {
        for r in &c.rows {
            self.row(r)?;
        }
        for r in &c.rejects {
            self.reject(r)?;
        }
        for s in &c.superseded {
            self.superseded(s)?;
        }
        Ok(())
    }
}

/// The output of a run of children (see [`Sink::chunk`]).
#[derive(Debug, Default, Clone)]
pub struct Chunk {
    /// The audit rows.
    pub rows: Vec<AuditRow>,
    /// The rejected rows.
    pub rejects: Vec<Reject>,
    /// The superseded episode copies.
    pub superseded: Vec<Superseded>,
    /// When [`Sink::wants_csv`]: `rows` as lines of `reviews_audit.csv` ([`AuditRow::write_csv`]),
    /// else empty.
    pub rows_csv: String,
    /// Likewise `rejects` ([`Reject::write_csv`]).
    pub rejects_csv: String,
    /// Likewise `superseded` ([`Superseded::write_csv`]).
    pub superseded_csv: String,
    /// What the sink's [`Sink::prepare`] made of this chunk on a worker thread, if it ran (the
    /// sink downcasts it to its own type).
    pub prepared: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

/// A [`Sink::prepare`] function: it runs on a worker thread on each [`Chunk`] as it is made, and
/// may fill [`Chunk::prepared`] (or the chunk's other fields).
pub type Prepare = fn(&mut Chunk);

/// A sink that keeps everything in memory (for tests, small files and language bindings).
#[derive(Debug, Default, Clone)]
pub struct Collect {
    /// The audit rows.
    pub rows: Vec<AuditRow>,
    /// The rejects.
    pub rejects: Vec<Reject>,
    /// The superseded episode copies.
    pub superseded: Vec<Superseded>,
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
    fn superseded(&mut self, s: &Superseded) -> io::Result<()> {
        self.superseded.push(s.clone());
        Ok(())
    }
}

/// What to audit and how.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// The profile (only its `hold_review` rules on the review clocks are used).
    pub profile: Profile,
    /// Report reviews overdue on this date. It must not be before the data's last date nor after
    /// the window's last day.
    pub as_at: Option<NaiveDate>,
    /// Worker threads (at least 1).
    pub threads: usize,
    /// Bytes of input held in memory; above it rows are partitioned into temporary files.
    pub memory_budget: u64,
    /// Where temporary partition files go (a directory `.audit_903_tmp_PID` is made in it and
    /// removed afterwards). Default: the system's temporary directory.
    pub tmp_dir: PathBuf,
}

impl AuditOptions {
    /// Options for `profile`: no as-at date, one worker per core, a 512 MB budget.
    pub fn new(profile: &Profile) -> AuditOptions {
        AuditOptions {
            profile: profile.clone(),
            as_at: None,
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            memory_budget: 512 << 20,
            tmp_dir: std::env::temp_dir(),
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

/// Where a table comes from.
pub enum Input<'a> {
    /// A file. It is opened once and read once (a pipe or FIFO works too).
    Path(PathBuf),
    /// Text in memory, with a name for the rejects.
    Text {
        /// The name shown in rejects.
        name: String,
        /// The table.
        text: &'a str,
    },
    /// Any reader, with a name.
    Reader {
        /// The name shown in rejects.
        name: String,
        /// The reader.
        reader: Box<dyn Read + 'a>,
    },
}

impl Input<'_> {
    /// The name shown in rejects and messages.
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Text { name, .. } | Input::Reader { name, .. } => name.clone(),
        }
    }
}

impl fmt::Debug for Input<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Input({})", self.name())
    }
}

/// One return: its two CSV tables, or its XML file; and its collection year if known (else it
/// comes from the file names, else from the data).
#[derive(Debug)]
pub enum ReturnInput<'a> {
    /// The episodes and reviews tables as CSV.
    Csv {
        /// The episodes table.
        episodes: Input<'a>,
        /// The reviews table.
        reviews: Input<'a>,
        /// The collection year (the year it ends), if given.
        year: Option<i32>,
    },
    /// The DfE XML (`EXPSSDA903`).
    Xml {
        /// The file.
        file: Input<'a>,
        /// The collection year, if given.
        year: Option<i32>,
    },
}

/// How a return's collection year was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearFrom {
    /// Given by the caller (`--year`).
    Given,
    /// From `YYYY` in the file name.
    FileName,
    /// From the dates in the data (the year most of its review dates fall in).
    Data,
}

/// Counts for one table: rows in = used + rejected + superseded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceTotals {
    /// The file.
    pub file: Arc<str>,
    /// The table.
    pub table: FileKind,
    /// The collection year of its return.
    pub year: i32,
    /// How the year was found.
    pub year_from: YearFrom,
    /// Data rows read (a bad header counts as one rejected row; blank lines are not rows).
    pub rows_in: u64,
    /// Rows used: episodes in a period of care, reviews written to the audit.
    pub used: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// Episode rows superseded by a later year's copy.
    pub superseded: u64,
    /// Blank lines skipped.
    pub blank_lines: u64,
    /// Rejected rows by kind of reason (the reason without its values), most common first.
    pub reasons: Vec<(String, u64)>,
    /// Why the table's header could not be used, when it could not.
    pub header_error: Option<String>,
}

impl SourceTotals {
    /// Whether every row is accounted for.
    pub fn balanced(&self) -> bool {
        self.rows_in == self.used + self.rejected + self.superseded
    }

    /// Why the whole table failed, when no row of it could be used: the likely cause.
    pub fn whole_file_failure(&self) -> Option<String> {
        if self.used > 0 || self.superseded > 0 {
            return None;
        }
        let what = format!("{} ({} table)", self.file, self.table.as_str());
        let xml = self.file.to_ascii_lowercase().ends_with(".xml");
        Some(if self.rows_in == 0 && xml {
            let element = if self.table == FileKind::Reviews { "AREVIEW" } else { "EPISODE" };
            format!("{what}: no {element} elements in any CHILD")
        } else if self.rows_in == 0 {
            format!("{what}: no data rows (an empty file, only a header, or line ends the reader could not split)")
        } else if let Some(h) = &self.header_error {
            format!("{what}: all {} rows were rejected: {h}; see rejects.csv", self.rows_in)
        } else {
            // The most common reasons name the cause (unreadable dates, reviews outside the
            // return's year, children with no usable episodes, ...).
            let top: Vec<String> = self.reasons.iter().take(3).map(|(k, n)| format!("{n} {k}")).collect();
            format!("{what}: all {} rows were rejected ({}); see rejects.csv", self.rows_in, top.join(", "))
        })
    }
}

/// Counts for the whole audit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Totals {
    /// Each table, returns in collection-year order.
    pub sources: Vec<SourceTotals>,
    /// Rows written to the audit for reviews held.
    pub reviews_audited: u64,
    /// Of these, assessed (on time or not known).
    pub reviews_assessed: u64,
    /// Of the assessed, on the stated assumption.
    pub on_assumption: u64,
    /// Overdue rows written (with an as-at date): for each child whose review is overdue, the
    /// review due first, then each later one that fell due before the as-at date, counted from
    /// the last working day by which the one before was due, as if held then.
    pub overdue: u64,
    /// Children with an overdue review at the as-at date (each has one or more overdue rows).
    pub overdue_children: u64,
    /// Rows written for reviews never held: each fell due before its clock stopped (the child
    /// left care, or the review regime ended) inside the data, or before the last day the returns
    /// show the child looked after when the end of care is not in the data.
    pub never_held: u64,
    /// Children open at the as-at date whose overdue status the data cannot decide.
    pub overdue_not_assessable: u64,
    /// Children audited.
    pub children: u64,
    /// Periods of care built.
    pub periods: u64,
    /// Periods that began before the data: before the window's first day, whether their start
    /// is in the data (an `RNE` = `S` episode) or not.
    pub periods_before_data: u64,
    /// Of these, periods whose start is not in the data (their first episode in the data is not
    /// `RNE` = `S`): `period_start` is empty on their rows.
    pub periods_start_unknown: u64,
    /// Superseded copies that differ in more than what a later year fills in.
    pub conflicts: u64,
    /// The latest date in the rows used.
    pub last_date: Option<NaiveDate>,
}

impl Totals {
    /// Whether every row of every table is accounted for.
    pub fn balanced(&self) -> bool {
        self.sources.iter().all(SourceTotals::balanced)
    }

    /// Rows read from tables of this kind.
    pub fn rows_in(&self, t: FileKind) -> u64 {
        self.sources.iter().filter(|s| s.table == t).map(|s| s.rows_in).sum()
    }

    /// Rows rejected from tables of this kind.
    pub fn rejected(&self, t: FileKind) -> u64 {
        self.sources.iter().filter(|s| s.table == t).map(|s| s.rejected).sum()
    }

    /// Rows used from tables of this kind.
    pub fn used(&self, t: FileKind) -> u64 {
        self.sources.iter().filter(|s| s.table == t).map(|s| s.used).sum()
    }

    /// Episode rows superseded.
    pub fn superseded(&self) -> u64 {
        self.sources.iter().map(|s| s.superseded).sum()
    }

    /// The tables no row of which could be used, with the likely cause.
    pub fn whole_file_failures(&self) -> Vec<String> {
        self.sources.iter().filter_map(SourceTotals::whole_file_failure).collect()
    }
}

/// How the rows were held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// In memory.
    InMemory,
    /// Hash-partitioned by `CHILD` into this many temporary files.
    Partitioned(usize),
}

/// The result of an audit (the rows went to the sink).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Counts.
    pub totals: Totals,
    /// The collection years audited.
    pub window: Window,
    /// How the rows were held.
    pub strategy: Strategy,
}

/// Audits several returns. Rows, rejects and superseded copies go to `sink`, children in `CHILD`
/// byte order; the result does not depend on the order of `returns`.
///
/// # Errors
/// [`crate::Error::Io`] when a file cannot be read or the sink fails; [`crate::Error::InvalidInput`]
/// for two returns of the same collection year, a year that cannot be found, or an as-at date
/// before the data's last date or after the window. Bad rows are rejected, never errors. On an
/// error the sink may have received part of the output.
///
/// # Example
/// ```
/// use lac_timescales::{profile::Profile, ssda903::{audit, AuditOptions, Collect, Input, ReturnInput, Basis}};
/// let episodes = "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n7,05/01/2025,S,C2,U1,,\n";
/// let reviews = "CHILD,REVIEW\n7,2025-01-30\n";
/// let r = ReturnInput::Csv {
///     episodes: Input::Text { name: "episodes.csv".into(), text: episodes },
///     reviews: Input::Text { name: "reviews.csv".into(), text: reviews },
///     year: Some(2025),
/// };
/// let mut out = Collect::default();
/// let outcome = audit(vec![r], &AuditOptions::new(&Profile::builtin("england")?), &mut out)?;
/// assert!(outcome.totals.balanced());
/// // Looked after Sun 5 Jan 2025: the first review is due within 20 working days (6-10, 13-17,
/// // 20-24, 27-31 January): Fri 31 Jan. Held Thu 30 Jan: on time.
/// let row = &out.rows[0];
/// assert_eq!((row.review_number, row.on_time, row.basis), (Some(1), Some(true), Basis::KnownReviewNumber));
/// assert_eq!(row.deadline, chrono::NaiveDate::from_ymd_opt(2025, 1, 31));
/// # Ok::<(), lac_timescales::Error>(())
/// ```
pub fn audit(returns: Vec<ReturnInput<'_>>, opts: &AuditOptions, sink: &mut dyn Sink) -> Result<Outcome> {
    audit::run(returns, opts, sink)
}

/// Audits one return given as two CSV texts, in memory, its year from `year` or the data.
///
/// # Errors
/// As [`audit()`].
pub fn audit_str(
    episodes: &str,
    reviews: &str,
    year: Option<i32>,
    opts: &AuditOptions,
    sink: &mut dyn Sink,
) -> Result<Outcome> {
    let r = ReturnInput::Csv {
        episodes: Input::Text { name: "episodes".into(), text: episodes },
        reviews: Input::Text { name: "reviews".into(), text: reviews },
        year,
    };
    audit(vec![r], opts, sink)
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn row() -> AuditRow {
        AuditRow {
            child: Arc::from("C1"),
            collection_year: 2025,
            period_start: Some(d(2024, 2, 29)),
            regime: Some(Regime::LookedAfter),
            review_number: Some(12),
            review: Some(d(2024, 12, 31)),
            deadline: Some(d(2024, 1, 1)),
            latest_working_day: Some(d(2023, 12, 29)),
            on_time: Some(false),
            working_days_late: Some(250),
            calendar_days_late: Some(1_234_567),
            basis: Basis::DecidedByData,
            missed: Some(crate::profile::Basis::Statutory),
            note: String::new(),
            line: 7,
            ended: None,
        }
    }

    fn line(r: &AuditRow) -> String {
        let mut s = String::new();
        r.write_csv(&mut s);
        s
    }

    #[test]
    fn an_audit_row_is_written_field_by_field() {
        assert_eq!(
            line(&row()),
            "C1,2024-25,2024-02-29,looked_after,12,2024-12-31,2024-01-01,2023-12-29,false,250,1234567,decided_by_data,statutory,\n"
        );
        let mut r = row();
        r.child = Arc::from("a,b\"c");
        r.collection_year = 2000;
        r.period_start = None;
        r.regime = None;
        r.review_number = None;
        r.review = None;
        r.deadline = Some(d(999, 3, 1));
        r.latest_working_day = Some(d(10_000, 1, 2));
        r.on_time = None;
        r.working_days_late = Some(-3);
        r.calendar_days_late = None;
        r.basis = Basis::NotAssessable;
        r.missed = Some(crate::profile::Basis::Local(Arc::from("lpool")));
        r.note = "two\nlines".into();
        // Chrono writes years outside 0-9999 with a sign; 999 with four digits.
        assert_eq!(
            line(&r),
            "\"a,b\"\"c\",1999-00,,,,,0999-03-01,+10000-01-02,,-3,,not_assessable,local:lpool,\"two\nlines\"\n"
        );
        r.on_time = Some(true);
        r.collection_year = 5;
        r.note = "x".repeat(20) + ",";
        assert!(line(&r).starts_with("\"a,b\"\"c\",4-05,"));
        assert!(line(&r).ends_with(",true,-3,,not_assessable,local:lpool,\"xxxxxxxxxxxxxxxxxxxx,\"\n"));
    }

    #[test]
    fn the_bytes_and_the_batch_writers_write_what_write_csv_writes() {
        let mut rows = vec![row(), row(), row()];
        rows[1].child = Arc::from("x\"y");
        rows[2].child = rows[1].child.clone();
        rows[2].note = "n".into();
        let mut batch = Vec::new();
        audit_lines(&rows, &mut batch);
        let one_by_one: String = rows.iter().map(line).collect();
        assert_eq!(String::from_utf8(batch).unwrap(), one_by_one);
        assert_eq!(one_by_one.lines().nth(2).unwrap().split(',').next(), Some("\"x\"\"y\""));

        let (f1, f2): (Arc<str>, Arc<str>) = (Arc::from("SSDA903_2024_episodes.csv"), Arc::from("odd,name.csv"));
        let s = |file: &Arc<str>, kept: &Arc<str>, line: u64| Superseded {
            child: "C1".into(),
            decom: d(2023, 4, 1),
            file: file.clone(),
            line,
            year: 2024,
            kept_file: kept.clone(),
            kept_line: 100_200_300,
            kept_year: 2025,
            conflict: String::new(),
        };
        let rows = [s(&f1, &f2, 2), s(&f2, &f1, 10), s(&f1, &f2, 99_999)];
        let mut batch = Vec::new();
        superseded_lines(&rows, &mut batch);
        let mut one_by_one = String::new();
        rows.iter().for_each(|r| r.write_csv(&mut one_by_one));
        assert_eq!(String::from_utf8(batch).unwrap(), one_by_one);
        assert_eq!(
            one_by_one.lines().next(),
            Some("C1,2023-04-01,SSDA903_2024_episodes.csv,2,2023-24,\"odd,name.csv\",100200300,2024-25,")
        );
        assert_eq!(
            one_by_one.lines().nth(1),
            Some("C1,2023-04-01,\"odd,name.csv\",10,2023-24,SSDA903_2024_episodes.csv,100200300,2024-25,")
        );

        let r =
            Reject { file: f2, table: FileKind::Reviews, line: 0, child: String::new(), reason: "why \"so\"".into() };
        let mut t = String::new();
        r.write_csv(&mut t);
        assert_eq!(t, "\"odd,name.csv\",reviews,0,,\"why \"\"so\"\"\"\n");
    }

    #[test]
    fn a_field_is_quoted_with_its_quotes_doubled_short_or_long() {
        let f = |s: &str| {
            let mut b = Vec::new();
            field_b(&mut b, s);
            String::from_utf8(b).unwrap()
        };
        assert_eq!(f(""), "");
        assert_eq!(f("plain"), "plain");
        assert_eq!(f("a,b"), "\"a,b\"");
        assert_eq!(f("\""), "\"\"\"\"");
        assert_eq!(f("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(f("line\r"), "\"line\r\"");
        // Sixteen bytes and more (the long path), each reason to quote alone, and none.
        let long = "late whatever the earlier reviews";
        assert_eq!(f(long), long);
        assert_eq!(f(&format!("{long},")), format!("\"{long},\""));
        assert_eq!(f(&format!("{long}\n")), format!("\"{long}\n\""));
        assert_eq!(f(&format!("\r{long}")), format!("\"\r{long}\""));
        assert_eq!(f(&format!("\"{long}\"\"é")), format!("\"\"\"{long}\"\"\"\"é\""));
        assert_eq!(f("0123456789abcdéf"), "0123456789abcdéf");
    }

    #[test]
    fn every_day_of_a_leap_and_a_common_year_is_written_as_chrono_writes_it() {
        let mut day = d(2023, 1, 1);
        while day < d(2025, 1, 1) {
            let mut b = Vec::new();
            date_b(&mut b, Some(day));
            assert_eq!(String::from_utf8(b).unwrap(), day.to_string());
            day = day.succ_opt().unwrap();
        }
    }
}

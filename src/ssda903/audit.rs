//! The audit: returns read, years resolved, children grouped and each child's periods judged
//! under the possible histories (see the module docs of [`super`] for the rule).

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Days, NaiveDate};

use super::periods::{fmt_d, CarePeriod, Episode, EpisodeReject, PeriodBuffers};
use super::read::csv::{shown, trim, with_fields, Columns, DateCache, EpisodeColumns, ReviewColumns};
use super::read::parallel::{Job, Source, Step};
use super::read::{self, io_err, Finished, Ingest, RowRef, SourceMeta, Store, MAX_CHILD_ROWS};
use super::window::{year_end, year_from_name, year_label, year_of, year_start, Window};
use super::{
    review_profile, AuditOptions, AuditRow, Basis, Chunk, FileKind, Input, Outcome, Reject, ReturnInput, Sink,
    SourceTotals, Strategy, Superseded, Totals, YearFrom,
};
use crate::calendar::Calendar;
use crate::error::{Error, Result};
use crate::model::{CaseHistory, Duty, Regime};
use crate::period::{within_after, Period};
use crate::profile::Profile;
use crate::schedule::{schedule, Breach, Obligation, Schedule, ScheduleOptions};

/// Parses one data row of an episodes table, and says whether the row is plain (holds no quote).
/// Errors name the field and value.
fn parse_episode(
    line: u64,
    text: &str,
    c: &EpisodeColumns,
    year: i32,
    dates: &mut DateCache,
) -> std::result::Result<(Episode, bool), String> {
    let need = [c.child, c.decom, c.rne, c.ls, c.place, c.dec, c.rec].into_iter().max().unwrap_or(0);
    // The usual row (no quotes, enough fields): cut at the commas up to the last column used.
    let mut ends = [0usize; PLAIN_FIELDS];
    if plain_ends(text.as_bytes(), need, &mut ends) {
        return episode_from(|k| plain_field(text, &ends, k).map(trim).unwrap_or(""), line, c, year, dates)
            .map(|e| (e, true));
    }
    with_fields(text, |f| {
        if f.len() <= need {
            return Err(format!("too few fields: {} (the header has at least {})", f.len(), need + 1));
        }
        episode_from(|i: usize| f.get(i).map(|s| trim(s)).unwrap_or(""), line, c, year, dates).map(|e| (e, false))
    })?
}

/// How many leading fields [`plain_ends`] can cut a row into.
const PLAIN_FIELDS: usize = 24;

/// The usual row, with no quotes and fields `0..=need` (`need` < [`PLAIN_FIELDS`]): puts where
/// each of those fields ends in `ends` (field `k` is `[end of k - 1 plus one, ends[k])`) and
/// returns true. False for a row with a quote, too few fields, or `need` too large: the caller
/// splits it the general way.
///
/// One pass over the row, eight bytes at a time, finds both the commas and any quote. (The ends
/// are written in place: returning the array would copy it.)
fn plain_ends(b: &[u8], need: usize, ends: &mut [usize; PLAIN_FIELDS]) -> bool {
    const COMMA: u64 = 0x2c2c_2c2c_2c2c_2c2c;
    const QUOTE: u64 = 0x2222_2222_2222_2222;
    if need >= PLAIN_FIELDS {
        return false;
    }
    let mut n = 0;
    let words = b.chunks_exact(8);
    let tail = words.remainder();
    for (w, word) in words.enumerate() {
        let mut a = [0u8; 8];
        a.copy_from_slice(word);
        let v = u64::from_le_bytes(a);
        if zero_bytes(v ^ QUOTE) != 0 {
            return false;
        }
        let mut m = zero_bytes(v ^ COMMA);
        while m != 0 && n <= need {
            ends[n] = w * 8 + (m.trailing_zeros() / 8) as usize;
            n += 1;
            m &= m - 1;
        }
    }
    let base = b.len() - tail.len();
    for (i, &ch) in tail.iter().enumerate() {
        if ch == b'"' {
            return false;
        }
        if ch == b',' && n <= need {
            ends[n] = base + i;
            n += 1;
        }
    }
    if n <= need {
        ends[n] = b.len();
        n += 1;
    }
    n > need
}

/// The top bit of each byte of `x` that is zero, and no other bit (no carry crosses a byte: each
/// byte of `x & LOW7` plus 0x7f is at most 0xfe).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Field `k` of a row cut by [`plain_ends`] (untrimmed).
fn plain_field<'t>(text: &'t str, ends: &[usize; PLAIN_FIELDS], k: usize) -> Option<&'t str> {
    let a = if k == 0 { 0 } else { ends[k - 1] + 1 };
    text.get(a..ends[k])
}

/// An episode from its fields (`get`: the trimmed field in a column).
fn episode_from<'t>(
    get: impl Fn(usize) -> &'t str,
    line: u64,
    c: &EpisodeColumns,
    year: i32,
    dates: &mut DateCache,
) -> std::result::Result<Episode, String> {
    let code = |i: usize| get(i).as_bytes();
    let decom = dates.field("DECOM", get(c.decom))?;
    let dec_text = get(c.dec);
    let dec = if dec_text.is_empty() { None } else { Some(dates.field("DEC", dec_text)?) };
    if let Some(e) = dec {
        if e < decom {
            return Err(format!("DEC {dec_text:?} is before DECOM {:?}", get(c.decom)));
        }
    }
    let (rne, ls, place, rec) = (code(c.rne), code(c.ls), code(c.place), code(c.rec));
    let two = |v: &[u8], a: u8| v.len() == 2 && v[0].eq_ignore_ascii_case(&a);
    Ok(Episode {
        line,
        decom,
        dec,
        starts_period: rne.eq_ignore_ascii_case(b"S"),
        short_breaks: two(ls, b'V') && matches!(ls[1], b'3' | b'4'),
        authorised: ls.eq_ignore_ascii_case(b"E1"),
        placed_for_adoption: two(place, b'A') && matches!(place[1], b'3'..=b'6'),
        adopted: rec.eq_ignore_ascii_case(b"E11") || rec.eq_ignore_ascii_case(b"E12"),
        year,
    })
}

fn parse_review(text: &str, c: &ReviewColumns, dates: &mut DateCache) -> std::result::Result<NaiveDate, String> {
    // The usual row (no quotes, enough fields): find the REVIEW field without splitting the rest.
    let b = text.as_bytes();
    let need = c.child.max(c.review);
    if need < PLAIN_FIELDS {
        let mut ends = [0usize; PLAIN_FIELDS];
        if let Some(v) = plain_ends(b, need, &mut ends).then(|| plain_field(text, &ends, c.review)).flatten() {
            return dates.field("REVIEW", v);
        }
    } else if memchr::memchr(b'"', b).is_none() {
        let (mut n, mut start, mut field) = (0, 0, None);
        let ends = b.iter().enumerate().filter(|(_, &c)| c == b',').map(|(i, _)| i);
        for i in ends.chain(std::iter::once(b.len())) {
            if n == c.review {
                field = text.get(start..i);
            }
            n += 1;
            if n > need {
                break;
            }
            start = i + 1;
        }
        if let (true, Some(v)) = (n > need, field) {
            return dates.field("REVIEW", v);
        }
    }
    with_fields(text, |f| {
        let need = c.child.max(c.review);
        if f.len() <= need {
            return Err(format!("too few fields: {} (the header has at least {})", f.len(), need + 1));
        }
        dates.field("REVIEW", f[c.review])
    })?
}

/// Everything a worker needs.
pub(crate) struct Ctx<'a> {
    profile: Profile,
    calendar: Calendar,
    as_at: Option<NaiveDate>,
    window: Window,
    metas: &'a [SourceMeta],
    years: Vec<i32>,
    /// Per source: the first source with the same episode columns (two sources have the same
    /// columns exactly when these are equal).
    header_class: Vec<usize>,
}

/// A worker's buffers for one child at a time, kept from child to child (emptied at the start of
/// each) so that a child's audit does not allocate them again.
#[derive(Default)]
pub(crate) struct Scratch<'s> {
    /// The child's episodes, parsed, with their rows; then the copies kept, at the front.
    eps: Vec<(Episode, &'s RowRef, bool)>,
    /// The child's reviews, parsed, with their rows; then the reviews used, by period.
    revs: Vec<(NaiveDate, &'s RowRef)>,
    /// The reviews used, each with its period.
    used: Vec<(usize, NaiveDate, &'s RowRef)>,
    /// The episodes kept.
    episodes: Vec<Episode>,
    /// The child's periods of care.
    periods: PeriodBuffers,
    /// The episodes its periods could not use.
    ep_rejects: Vec<EpisodeReject>,
}

/// One batch's output.
#[derive(Default)]
struct Out {
    /// The rows, rejects and superseded copies (and their CSV lines, when the sink wants them).
    chunk: Chunk,
    /// Per source: used, rejected, superseded.
    per_src: Vec<[u64; 3]>,
    /// Per source: rejects by kind of reason.
    reasons: Vec<BTreeMap<String, u64>>,
    t: Totals,
    /// Dates read, kept from chunk to chunk (this is the worker's own buffer).
    dates: DateCache,
    /// A period's review dates (see `audit_period`), kept from period to period.
    dates_buf: Vec<NaiveDate>,
    /// The case history each schedule is made from, rebuilt for each (its buffers kept).
    case: Option<CaseHistory>,
}

impl Out {
    fn new(n: usize) -> Out {
        Out { per_src: vec![[0; 3]; n], reasons: vec![BTreeMap::new(); n], ..Out::default() }
    }
    fn reject(&mut self, ctx: &Ctx<'_>, r: &RowRef, child: &str, reason: String) {
        let m = &ctx.metas[r.src as usize];
        self.per_src[r.src as usize][1] += 1;
        *self.reasons[r.src as usize].entry(super::report::reason_kind(&reason)).or_default() += 1;
        self.chunk.rejects.push(Reject {
            file: m.name.clone(),
            table: m.kind,
            line: r.line,
            child: child.into(),
            reason,
        });
    }
    /// Empties it for the next chunk, keeping its buffers.
    fn clear(&mut self) {
        // Any other field (what a sink's `prepare` left) goes back to its default.
        let Chunk { mut rows, mut rejects, mut superseded, mut rows_csv, mut rejects_csv, mut superseded_csv, .. } =
            std::mem::take(&mut self.chunk);
        rows.clear();
        rejects.clear();
        superseded.clear();
        rows_csv.clear();
        rejects_csv.clear();
        superseded_csv.clear();
        self.chunk = Chunk { rows, rejects, superseded, rows_csv, rejects_csv, superseded_csv, ..Chunk::default() };
        self.per_src.iter_mut().for_each(|p| *p = [0; 3]);
        self.reasons.iter_mut().for_each(BTreeMap::clear);
        self.t = Totals::default();
    }
    fn date(&mut self, d: NaiveDate) {
        if self.t.last_date.is_none_or(|l| l < d) {
            self.t.last_date = Some(d);
        }
    }
}

/// What differs between an earlier copy (`old`, with its columns) and the kept copy, other than
/// what a later year fills in (`DEC`, `REC`, `REASON_PLACE_CHANGE` blank in the earlier copy).
/// Dates are compared as dates.
/// `same_header`: whether the two tables have the same columns (as `old.1 == new.1`, known from
/// the sources without comparing the names again). `plain`: both rows are known to hold no quote.
fn conflict(
    old: (&str, &[String]),
    new: (&str, &[String]),
    old_year: i32,
    new_year: i32,
    same_header: bool,
    plain: bool,
) -> String {
    if old.0 == new.0 || (same_header && same_copy(old.0.as_bytes(), new.0.as_bytes(), old.1, plain)) {
        return String::new();
    }
    let r = with_fields(old.0, |fo| {
        with_fields(new.0, |fnew| {
            let mut diffs = Vec::new();
            for (i, n) in old.1.iter().enumerate() {
                if n == "CHILD" {
                    continue;
                }
                let j = if same_header { Some(i) } else { new.1.iter().position(|m| m == n) };
                let (Some(v), Some(w)) = (fo.get(i).map(|x| trim(x)), j.and_then(|j| fnew.get(j)).map(|x| trim(x)))
                else {
                    continue;
                };
                // Codes are read without regard to case (`c2` is `C2`), so case alone is no conflict.
                if v.eq_ignore_ascii_case(w) {
                    continue;
                }
                let same_date = matches!(n.as_str(), "DECOM" | "DEC")
                    && super::read::csv::parse_date(v).is_some()
                    && super::read::csv::parse_date(v) == super::read::csv::parse_date(w);
                let filled_later = filled_in_later(n) && v.is_empty();
                if !same_date && !filled_later {
                    let (v, w) = (shown(v), shown(w));
                    diffs.push(format!("{n}: {v} ({}) vs {w} ({})", year_label(old_year), year_label(new_year)));
                }
            }
            diffs.join("; ")
        })
    });
    match r {
        Ok(Ok(s)) => s,
        _ => String::new(),
    }
}

/// Whether episode column `name` is one a later collection year fills in (the episode ended:
/// `DEC`, `REC`, `REASON_PLACE_CHANGE`), so an earlier copy blank there is no conflict.
fn filled_in_later(name: &str) -> bool {
    matches!(name, "DEC" | "REC" | "REASON_PLACE_CHANGE")
}

/// Whether two copies of an episode (`a` the earlier, `b` the kept) in tables with the same
/// columns `names`, neither quoted, agree in every column but `CHILD` once case is ignored, or
/// differ only where the earlier copy is blank in a column a later year fills in: then
/// [`conflict`] finds nothing, and this says so from the raw bytes without building a message.
/// `false` means "not sure": [`conflict`] decides. `plain`: both are known to hold no quote (they
/// are not searched for one again).
fn same_copy(a: &[u8], b: &[u8], names: &[String], plain: bool) -> bool {
    if !plain && (memchr::memchr(b'"', a).is_some() || memchr::memchr(b'"', b).is_some()) {
        return false;
    }
    // The fields wholly inside the common prefix are the same: compare from the first that is not.
    let p = common_prefix(a, b);
    let k = count_commas(&a[..p]);
    let s = memchr::memrchr(b',', &a[..p]).map_or(0, |i| i + 1);
    let (mut fa, mut fb) = (a[s..].split(|&c| c == b','), b[s..].split(|&c| c == b','));
    for n in names.iter().skip(k) {
        let (Some(v), Some(w)) = (fa.next(), fb.next()) else {
            // A copy with fewer fields: no more columns to compare (as in `conflict`).
            return true;
        };
        if v == w || v.eq_ignore_ascii_case(w) || n == "CHILD" {
            continue;
        }
        if filled_in_later(n) && v.iter().all(|c| *c == b' ' || *c == b'\t') {
            continue;
        }
        return false;
    }
    true
}

/// How many commas `b` holds, eight bytes at a time (short rows: quicker than a vectorised
/// count's set-up).
fn count_commas(b: &[u8]) -> usize {
    const COMMA: u64 = 0x2c2c_2c2c_2c2c_2c2c;
    let words = b.chunks_exact(8);
    let tail = words.remainder();
    let mut k = 0;
    for w in words {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        k += zero_bytes(u64::from_le_bytes(a) ^ COMMA).count_ones() as usize;
    }
    k + tail.iter().filter(|&&c| c == b',').count()
}

/// The length of the longest common prefix of `a` and `b` (eight bytes at a time, then byte by byte).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.chunks_exact(8).zip(b.chunks_exact(8)).take_while(|(x, y)| x == y).count() * 8;
    n + a[n..].iter().zip(&b[n..]).take_while(|(x, y)| x == y).count()
}

/// The binding review obligation met on a day, under one history.
#[derive(Debug, Clone)]
struct Bind {
    regime: Option<Regime>,
    number: Option<u32>,
    latest: NaiveDate,
    lwd: NaiveDate,
    wd: i64,
    cd: i64,
    missed: Option<crate::profile::Basis>,
    others: Vec<String>,
}

fn bind(s: &Schedule, d: NaiveDate) -> Option<Bind> {
    bind_among(s.obligations.iter().filter(|o| o.duty == Duty::HoldReview && o.done == Some(d) && !o.early))
}

/// The binding obligation among `candidates` (review obligations met on one day, in the
/// schedule's order): the one with the earliest deadline (the first of equals); the others are
/// named in the row's note.
fn bind_among<'o>(candidates: impl Iterator<Item = &'o Obligation>) -> Option<Bind> {
    let mut best: Option<&Obligation> = None;
    let mut others = Vec::new();
    for o in candidates {
        match best {
            Some(b) if b.latest <= o.latest || o.latest.is_none() => others.push(o),
            Some(b) => {
                others.push(b);
                best = Some(o);
            }
            None => best = Some(o),
        }
    }
    let b = best?;
    let (latest, lwd) = (b.latest?, b.latest_working_day?);
    let (wd, cd, missed) = match &b.breach {
        Some(Breach::LateReview { working_days_late, calendar_days_late, basis, .. }) => {
            (*working_days_late, *calendar_days_late, Some(basis.clone()))
        }
        _ => (0, 0, None),
    };
    Some(Bind {
        regime: b.regime,
        number: b.review_number,
        latest,
        lwd,
        wd,
        cd,
        missed,
        others: if others.is_empty() {
            Vec::new()
        } else {
            others
                .iter()
                .map(|o| {
                    format!(
                        "also {} review {} due {}",
                        o.regime.map(|r| r.as_str()).unwrap_or("?"),
                        o.review_number.map(|n| n.to_string()).unwrap_or_else(|| "?".into()),
                        o.latest.map(|l| l.to_string()).unwrap_or_else(|| "-".into())
                    )
                })
                .collect()
        },
    })
}

/// A review that fell due and was never held before its clock stopped, under one history.
#[derive(Debug, Clone)]
struct Miss {
    regime: Option<Regime>,
    number: Option<u32>,
    latest: NaiveDate,
    lwd: NaiveDate,
    /// The day its clock stopped.
    stopped: NaiveDate,
    missed: crate::profile::Basis,
    /// The day the previous review (never held either) is assumed held, when it follows one.
    after: Option<NaiveDate>,
    /// The step that found it (0: the engine's own; n: counted from the n-th day assumed).
    step: usize,
    /// Its clock was still running on `stopped`, the as-at date: an overdue review, not a
    /// review never held.
    open: bool,
}

/// Adds to a row's note the other reviews due at the same meeting (their numbers only when
/// `known`) and, for a review counted from one missed before it (`after`), the day it was counted
/// from, that previous review being `previous` ("not held", "never held").
fn note_others<'m>(
    n: &mut String,
    others: impl IntoIterator<Item = &'m Miss>,
    known: bool,
    after: Option<NaiveDate>,
    previous: &str,
) {
    for o in others {
        let number = match (known, o.number) {
            (true, Some(k)) => k.to_string(),
            _ => "?".into(),
        };
        n.push_str(&format!("; also {} review {number} due {}", o.regime.map(|r| r.as_str()).unwrap_or("?"), o.latest));
    }
    if let Some(a) = after {
        n.push_str(&format!(
            "; counted from {a}, the last working day by which the previous review ({previous}) was due, as if held then"
        ));
    }
}

/// At most this many steps of reviews never held in a row, per period and history (a period of
/// care of 30 years, one review every 6 months).
const MAX_MISSED: usize = 64;

/// The next review due at the as-at date: regime, number, deadline, last working day, and whose
/// standard it misses if overdue.
type Next = (Option<Regime>, Option<u32>, NaiveDate, NaiveDate, crate::profile::Basis);

/// A part of a period of care the data does not cover: reviews may have been held in it.
#[derive(Debug, Clone, Copy)]
struct Gap {
    /// Its first day, when known (the period's `S` start, or the day after an earlier window).
    lo: Option<NaiveDate>,
    /// The first day covered again.
    hi: NaiveDate,
}

fn gaps_of(p: &CarePeriod, w: &Window) -> Vec<Gap> {
    let end = p.end.unwrap_or(NaiveDate::MAX);
    let mut gaps = Vec::new();
    let mut prev_end: Option<NaiveDate> = None;
    for &(a, b) in w.run_slice() {
        if b < p.start {
            prev_end = Some(b);
            continue;
        }
        if a > end {
            break;
        }
        if a > p.start {
            let lo = match prev_end {
                Some(pe) if pe >= p.start => pe.checked_add_days(Days::new(1)),
                _ if p.start_known => Some(p.start),
                _ => None,
            };
            gaps.push(Gap { lo, hi: a });
        }
        prev_end = Some(b);
    }
    gaps
}

impl Ctx<'_> {
    /// The schedule of period `p` with reviews held on `dates`, its case history built in `case`
    /// (made on first use, then rebuilt in place: [`CaseHistory::rebuild`]).
    fn sched(&self, p: &CarePeriod, dates: &[NaiveDate], case: &mut Option<CaseHistory>) -> Result<Schedule> {
        let case = match case {
            Some(c) => {
                p.case_history_into(self.profile.jurisdiction, dates, c)?;
                c
            }
            None => case.insert(p.case_history(self.profile.jurisdiction, dates)?),
        };
        let opts = ScheduleOptions { as_at: None, horizon_months: Some(0), local_calendar: None };
        schedule(case, &self.profile, &self.calendar, &opts)
    }

    /// Audits one child's rows. `arena` is the store's whole text when it is valid UTF-8 (checked
    /// once per store, so that each row's text is a slice of it rather than checked again).
    fn audit_child<'s>(
        &self,
        child: &str,
        rows: &'s [RowRef],
        store: &'s Store,
        arena: Option<&'s str>,
        out: &mut Out,
        scratch: &mut Scratch<'s>,
    ) {
        let Scratch { eps, revs, used, episodes, periods: period_buffers, ep_rejects } = scratch;
        eps.clear();
        revs.clear();
        used.clear();
        episodes.clear();
        let child_arc: Arc<str> = Arc::from(child);
        out.t.children += 1;
        let rows = if rows.len() > MAX_CHILD_ROWS {
            for r in &rows[MAX_CHILD_ROWS..] {
                out.reject(self, r, child, super::read::cap_reason());
            }
            &rows[..MAX_CHILD_ROWS]
        } else {
            rows
        };
        for r in rows {
            let meta = &self.metas[r.src as usize];
            let year = self.years[r.src as usize];
            let Some(text) = store.row_str(arena, r) else {
                out.reject(self, r, child, "the row is not valid UTF-8".into());
                continue;
            };
            match &meta.cols {
                Some(Columns::Episodes(c)) => match parse_episode(r.line, text, c, year, &mut out.dates) {
                    Ok((e, plain)) => eps.push((e, r, plain)),
                    Err(reason) => out.reject(self, r, child, reason),
                },
                Some(Columns::Reviews(c)) => match parse_review(text, c, &mut out.dates) {
                    Ok(d) => revs.push((d, r)),
                    Err(reason) => out.reject(self, r, child, reason),
                },
                None => out.reject(self, r, child, "unusable: the table's header is bad".into()),
            }
        }
        // One copy of each episode (same DECOM): the latest collection year's. Two copies in the
        // same return are a data error: keep the one with an end (DEC), then one that starts a
        // period (RNE = S), then the first by content, so that the answer never depends on the
        // order of the rows.
        // (The rows' texts are compared, and so found, only between copies alike in the rest.)
        eps.sort_by(|(e, r, _), (f, q, _)| {
            (e.decom, Reverse(e.year), e.dec.is_none(), !e.starts_period)
                .cmp(&(f.decom, Reverse(f.year), f.dec.is_none(), !f.starts_period))
                .then_with(|| (store.row_text(r), r.src, r.line).cmp(&(store.row_text(q), q.src, q.line)))
        });
        // The copies kept, in place at the front of `eps`.
        let mut n: usize = 0;
        for i in 0..eps.len() {
            match n.checked_sub(1).map(|l| (&eps[l], &eps[i])) {
                Some(((k, kr, k_plain), (e, r, e_plain))) if k.decom == e.decom => {
                    if k.year == e.year {
                        out.reject(self, r, child, format!("duplicate: same CHILD and DECOM as line {}", kr.line));
                    } else {
                        let (km, m) = (&self.metas[kr.src as usize], &self.metas[r.src as usize]);
                        fn names(m: &SourceMeta) -> &[String] {
                            match &m.cols {
                                Some(Columns::Episodes(c)) => &c.names,
                                _ => &[],
                            }
                        }
                        let text = |x: &RowRef| store.row_str(arena, x).unwrap_or("");
                        let same_header = self.header_class[r.src as usize] == self.header_class[kr.src as usize];
                        let plain = *k_plain && *e_plain;
                        let c =
                            conflict((text(r), names(m)), (text(kr), names(km)), e.year, k.year, same_header, plain);
                        if !c.is_empty() {
                            out.t.conflicts += 1;
                        }
                        out.per_src[r.src as usize][2] += 1;
                        out.chunk.superseded.push(Superseded {
                            child: child_arc.clone(),
                            decom: e.decom,
                            file: m.name.clone(),
                            line: r.line,
                            year: e.year,
                            kept_file: km.name.clone(),
                            kept_line: kr.line,
                            kept_year: k.year,
                            conflict: c,
                        });
                    }
                }
                _ => {
                    eps.swap(n, i);
                    n += 1;
                }
            }
        }
        eps.truncate(n);
        // An episode open (no DEC) at the end of its return, followed by a new period of care
        // (RNE = S) from a later return that began inside that return's year: the two returns
        // contradict each other (the earlier shows the child in the old period on its last day;
        // the later, in a new period since a day of that year, and not the old episode). The
        // later return is taken as the correction (a DECOM corrected after submission, say): the
        // earlier return's period, every episode of it, is rejected naming the later episode,
        // rather than built into a period of care that no return shows.
        let mut i = 1;
        while i < eps.len() {
            let (e, nx) = (&eps[i - 1].0, &eps[i].0);
            if e.dec.is_some() || !nx.starts_period || e.year == 0 || nx.year <= e.year || nx.decom > year_end(e.year) {
                i += 1;
                continue;
            }
            let j = (0..i).rev().find(|&k| eps[k].0.starts_period).unwrap_or(0);
            let reason = format!(
                "contradicted by a later return: the {y} return shows the period of care from DECOM {} open on its last day, \
                 but the {} return does not show it and begins a new period on DECOM {} (line {}), inside {y}: the later \
                 return is taken as the correction",
                fmt_d(eps[j].0.decom),
                year_label(nx.year),
                fmt_d(nx.decom),
                nx.line,
                y = year_label(e.year),
            );
            for (_, r, _) in &eps[j..i] {
                out.reject(self, r, child, reason.clone());
            }
            eps.drain(j..i);
            i = j.max(1);
        }
        let kept = &*eps;
        episodes.extend(kept.iter().map(|(e, _, _)| e.clone()));
        // An episode open (no DEC) at the end of its return and followed by a new period of care
        // (RNE = S) from a later return is not in the next return given: it ended before that
        // return's year began (in a year not given, or a data error), and before the new period
        // began. Without this, the stale open copy would make the later, authoritative period
        // "overlap" and be rejected, and the later reviews be judged in the old period.
        let mut ended_by: Vec<(usize, String)> = Vec::new();
        // Those episodes, each with the last day of its return's year (open then).
        let mut open_until: Vec<(usize, NaiveDate)> = Vec::new();
        for i in 1..episodes.len() {
            let (e, n) = (&episodes[i - 1], &episodes[i]);
            if e.dec.is_some() || !n.starts_period || e.year == 0 || n.year <= e.year {
                continue;
            }
            let next = self.window.years().iter().copied().find(|&y| y > e.year).unwrap_or(n.year);
            let by = year_end(next - 1).min(n.decom);
            if by >= e.decom {
                ended_by.push((
                    i - 1,
                    format!(
                        "episode line {} has no DEC in the {} return and is not in the {} return: taken to have ended by {} (its end is not in the data)",
                        e.line,
                        year_label(e.year),
                        year_label(next),
                        fmt_d(by)
                    ),
                ));
                open_until.push((i - 1, year_end(e.year)));
                episodes[i - 1].dec = Some(by);
            }
        }
        ep_rejects.clear();
        period_buffers.build(episodes, self.window.first_day(), ep_rejects);
        let periods = &mut period_buffers.periods;
        for (i, note) in ended_by {
            if let Some(p) = periods.iter_mut().find(|p| p.indexes.contains(&i)) {
                p.notes.push(note);
            }
        }
        for x in ep_rejects.drain(..) {
            out.reject(self, kept[x.index].1, child, x.reason);
        }
        out.t.periods += periods.len() as u64;
        for p in periods.iter() {
            // Before the data: its start is not in the data (it is before the window then), or
            // it is, before the window's first day (an `RNE` = `S` episode still open, as most
            // children already looked after are).
            let before = !p.start_known || self.window.first_day().is_some_and(|f| p.start < f);
            out.t.periods_before_data += u64::from(before);
            out.t.periods_start_unknown += u64::from(!p.start_known);
            for &i in &p.indexes {
                out.per_src[kept[i].1.src as usize][0] += 1;
                out.date(kept[i].0.decom);
                if let Some(d) = kept[i].0.dec {
                    out.date(d);
                }
            }
        }
        // Reviews: in their return's year, one per day, each in a period of care.
        revs.sort_by_key(|(d, r)| (*d, r.src, r.line));
        // The reviews used, each with its period; in date order, so (the periods being in date
        // order and apart) in period order too.
        let mut last: Option<(NaiveDate, u64)> = None;
        for &(d, r) in revs.iter() {
            let year = self.years[r.src as usize];
            if year_of(d) != year {
                out.reject(
                    self,
                    r,
                    child,
                    format!(
                        "REVIEW {} is outside this return's collection year {} ({} to {}): a data error in a 903",
                        fmt_d(d),
                        year_label(year),
                        fmt_d(year_start(year)),
                        fmt_d(year_end(year))
                    ),
                );
                continue;
            }
            if let Some((ld, ll)) = last {
                if ld == d {
                    out.reject(self, r, child, format!("duplicate: same CHILD and REVIEW date as line {ll}"));
                    continue;
                }
            }
            last = Some((d, r.line));
            match periods.iter().position(|p| p.contains(d)) {
                Some(i) => used.push((i, d, r)),
                None => {
                    let reason = if kept.is_empty()
                        && !rows.iter().any(|x| self.metas[x.src as usize].kind == FileKind::Episodes)
                    {
                        "unknown child: no episodes for this CHILD".to_string()
                    } else if periods.is_empty() {
                        "no usable period of care for this CHILD (its episodes were rejected)".to_string()
                    } else {
                        let list: Vec<String> = periods
                            .iter()
                            .map(|p| {
                                format!(
                                    "{}{} to {}",
                                    if p.start_known { "" } else { "before " },
                                    fmt_d(p.first_decom),
                                    p.end.map(fmt_d).unwrap_or_else(|| "open".into())
                                )
                            })
                            .collect();
                        format!("REVIEW {} is outside every period of care ({})", fmt_d(d), list.join("; "))
                    };
                    out.reject(self, r, child, reason);
                }
            }
        }
        // Stable: each period's reviews stay in date order (a no-op unless periods touch oddly).
        if !used.is_sorted_by_key(|u| u.0) {
            used.sort_by_key(|u| u.0);
        }
        // The reviews used, in `revs`' own space (no longer needed as it was).
        revs.clear();
        revs.extend(used.iter().map(|u| (u.1, u.2)));
        let mut at = 0;
        for (i, p) in periods.iter().enumerate() {
            let n = used[at..].iter().take_while(|u| u.0 == i).count();
            let these = &revs[at..at + n];
            at += n;
            let open_at_as_at = self.as_at.is_some_and(|a| p.start <= a && p.end.is_none_or(|e| e > a));
            // A review clock that stopped (the period ended, or a regime within it) may have
            // missed a review.
            let may_miss = p.end.is_some() || p.events.len() > 1;
            // A period open at the end of its last return whose child is not in a later return
            // (nor at the as-at date): looked after on that return's last day, and not known to be
            // after it. Its reviews missed by then are decided by the data.
            let seen_until = self
                .window
                .years()
                .iter()
                .copied()
                .find(|&y| y > p.last_year)
                .filter(|_| p.end.is_none() && p.last_year != 0)
                .filter(|_| self.as_at.is_none_or(|a| p.last_year < year_of(a)))
                .map(|next| Seen { last: year_end(p.last_year), next });
            if these.is_empty() && !open_at_as_at && !may_miss && seen_until.is_none() {
                continue;
            }
            // An end taken from the returns (`ended_by`): the child was still looked after at
            // the end of that episode's return, and not known to be after it.
            let known_until = open_until.iter().find(|(e, _)| p.indexes.contains(e)).map(|(_, d)| *d);
            self.audit_period(&child_arc, p, these, open_at_as_at, known_until, seen_until, out);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn audit_period(
        &self,
        child: &Arc<str>,
        p: &CarePeriod,
        revs: &[(NaiveDate, &RowRef)],
        open_at_as_at: bool,
        known_until: Option<NaiveDate>,
        seen_until: Option<Seen>,
        out: &mut Out,
    ) {
        // The review dates, in a buffer kept from period to period (given back below).
        let mut dates = std::mem::take(&mut out.dates_buf);
        dates.clear();
        dates.extend(revs.iter().map(|r| r.0));
        let gaps = gaps_of(p, &self.window);
        // The worker's case history, rebuilt for each schedule of the period (given back below).
        let mut case = out.case.take();
        let s0 = match self.sched(p, &dates, &mut case) {
            Ok(s) => s,
            Err(e) => {
                for (_, r) in revs {
                    out.reject(self, r, child, format!("cannot compute the deadline: {e}"));
                }
                out.dates_buf = dates;
                out.case = case;
                return;
            }
        };
        // H-late: two reviews on the last two days of each gap (not before the period's start).
        let mut with = |extra: Vec<NaiveDate>| -> Option<Schedule> {
            let mut all: Vec<NaiveDate> = dates.iter().copied().chain(extra).collect();
            all.sort_unstable();
            all.dedup();
            self.sched(p, &all, &mut case).ok()
        };
        let late_syn = |g: &Gap| -> Vec<NaiveDate> {
            [2u64, 1]
                .iter()
                .filter_map(|&k| g.hi.checked_sub_days(Days::new(k)))
                .filter(|d| *d >= p.start && g.lo.is_none_or(|lo| *d >= lo))
                .collect()
        };
        let s2 = if gaps.is_empty() { None } else { with(gaps.iter().flat_map(late_syn).collect()) };
        let mut s1e: Option<Option<Schedule>> = None;
        let base_note = p.notes.join("; ");
        let h0_start_is_latest = p.start_known || p.start == p.first_decom;
        for (i, &(d, r)) in revs.iter().enumerate() {
            out.date(d);
            let gap = gaps.iter().rev().find(|g| g.hi <= d).copied();
            let b0 = bind(&s0, d);
            let (row_bind, basis, note) = match (gap, &s2) {
                (None, _) => (b0, Basis::KnownReviewNumber, String::new()),
                (Some(g), None) => (None, Basis::NotAssessable, missing_note(g, None, None)),
                (Some(g), Some(s2)) => {
                    let first_in_run = i == 0 || revs[i - 1].0 < g.hi;
                    let b2 = bind(s2, d);
                    let mut hs: Vec<Option<Bind>> = vec![b0.clone(), b2.clone()];
                    let lower_known = !first_in_run || g.lo.is_some();
                    if first_in_run && g.lo.is_some() {
                        let s = s1e.get_or_insert_with(|| {
                            with(gaps.iter().filter_map(|g| g.lo).filter(|d| *d >= p.start).collect())
                        });
                        hs.push(s.as_ref().and_then(|s| bind(s, d)));
                    }
                    self.decide(d, &hs, lower_known, first_in_run, g, i, revs, &s0, h0_start_is_latest)
                }
            };
            out.t.reviews_audited += 1;
            out.per_src[r.src as usize][0] += 1;
            // The note's parts, joined by "; ".
            let mut n = note;
            let mut add = |part: &str| {
                if !n.is_empty() {
                    n.push_str("; ");
                }
                n.push_str(part);
            };
            if let Some(b) = &row_bind {
                b.others.iter().for_each(|o| add(o));
            }
            if !base_note.is_empty() {
                add(&base_note);
            }
            let on_time = if basis == Basis::NotAssessable { None } else { row_bind.as_ref().map(|b| d <= b.latest) };
            if on_time.is_some() {
                out.t.reviews_assessed += 1;
                if basis == Basis::Assumption {
                    out.t.on_assumption += 1;
                }
            }
            let known = basis == Basis::KnownReviewNumber;
            let shown = if basis == Basis::NotAssessable { None } else { row_bind.as_ref() };
            out.chunk.rows.push(AuditRow {
                child: child.clone(),
                collection_year: self.years[r.src as usize],
                period_start: p.start_known.then_some(p.start),
                regime: row_bind.as_ref().and_then(|b| b.regime),
                review_number: if known { row_bind.as_ref().and_then(|b| b.number) } else { None },
                review: Some(d),
                deadline: shown.map(|b| b.latest),
                latest_working_day: shown.map(|b| b.lwd),
                on_time,
                working_days_late: shown.map(|b| if d <= b.latest { 0 } else { b.wd }),
                calendar_days_late: shown.map(|b| if d <= b.latest { 0 } else { b.cd }),
                missed: shown.filter(|b| d > b.latest).and_then(|b| b.missed.clone()),
                basis,
                note: n,
                line: r.line,
                ended: None,
            });
        }
        let first = match (open_at_as_at, self.as_at) {
            (true, Some(as_at)) => self.overdue(child, p, revs, &gaps, &s0, s2.as_ref(), as_at, &base_note, out),
            _ => None,
        };
        let late_dates: Vec<NaiveDate> = if s2.is_some() {
            let mut v: Vec<NaiveDate> = dates.iter().copied().chain(gaps.iter().flat_map(late_syn)).collect();
            v.sort_unstable();
            v.dedup();
            v
        } else {
            Vec::new()
        };
        // Reviews owed on clocks still running count up to the last day the returns show the
        // child looked after when nothing later is known, else up to the as-at date.
        let until = seen_until.map(|s| s.last).or(if open_at_as_at { self.as_at } else { None });
        let m0 = self.misses(p, &dates, &s0, until, &mut case);
        let ml = match (seen_until, s2.as_ref()) {
            // Nothing after the last day the returns show the child looked after is known: a gap
            // after it (a return not given) holds no review that could have been held by then.
            (Some(seen), Some(_)) if gaps.iter().any(|g| g.hi > seen.last) => {
                let before: Vec<NaiveDate> = late_dates.iter().copied().filter(|d| *d <= seen.last).collect();
                if before.len() == dates.len() {
                    None
                } else {
                    self.sched(p, &before, &mut case).ok().map(|s| self.misses(p, &before, &s, until, &mut case))
                }
            }
            (_, s2) => s2.map(|s2| self.misses(p, &late_dates, s2, until, &mut case)),
        };
        if let (Some(first), Some(as_at)) = (&first, self.as_at) {
            self.overdue_steps(child, p, first, &m0, ml.as_deref(), as_at, &base_note, out);
        }
        self.never_held(child, p, &m0, ml.as_deref(), known_until, seen_until, &base_note, out);
        out.dates_buf = dates;
        out.case = case;
    }

    /// The reviews not held in period `p` under one history (reviews held on `base`, its
    /// schedule `first`), in the order found: those the engine finds missed when their clock
    /// stopped (a deadline before the day it stopped; one on that day was not yet missed) and,
    /// with `until` (the as-at date, for a period open then), the review each running clock owes
    /// whose deadline is before it (overdue); then, step by step, the next ones counted from the
    /// day the earliest review still owed is assumed held (its last working day, as the engine
    /// projects a review not held), while any is missed or overdue too.
    fn misses(
        &self,
        p: &CarePeriod,
        base: &[NaiveDate],
        first: &Schedule,
        until: Option<NaiveDate>,
        case: &mut Option<CaseHistory>,
    ) -> Vec<Miss> {
        let mut found: Vec<Miss> = Vec::new();
        let mut assumed: Vec<NaiveDate> = Vec::new();
        let mut owned: Option<Schedule> = None;
        for _ in 0..MAX_MISSED {
            let s = owned.as_ref().unwrap_or(first);
            let before = found.len();
            let after = assumed.last().copied();
            // The earliest last working day among the reviews still owed after the last day
            // assumed: the next day assumed.
            let mut next: Option<NaiveDate> = None;
            for o in s.obligations.iter().filter(|o| o.duty == Duty::HoldReview && !o.early && o.done.is_none()) {
                let (Some(latest), Some(lwd)) = (o.latest, o.latest_working_day) else { continue };
                let (stopped, missed, open) = match (&o.breach, until) {
                    (Some(Breach::NotHeld { as_at, basis }), _) => (*as_at, basis.clone(), false),
                    (None, Some(u)) if latest < u => (u, overdue_basis(o, u), true),
                    _ => continue,
                };
                if after.is_none_or(|a| lwd > a) {
                    next = Some(next.map_or(lwd, |n| n.min(lwd)));
                }
                if found.iter().any(|m| (m.regime, m.number) == (o.regime, o.review_number)) {
                    continue;
                }
                found.push(Miss {
                    regime: o.regime,
                    number: o.review_number,
                    latest,
                    lwd,
                    stopped,
                    missed,
                    after,
                    step: assumed.len(),
                    open,
                });
            }
            found[before..].sort_by_key(|m| (m.stopped, m.latest, m.regime, m.number));
            let Some(day) = next.filter(|d| p.contains(*d) && !base.contains(d)) else {
                break;
            };
            assumed.push(day);
            let mut all: Vec<NaiveDate> = base.iter().copied().chain(assumed.iter().copied()).collect();
            all.sort_unstable();
            match self.sched(p, &all, case) {
                Ok(s) => owned = Some(s),
                Err(_) => break,
            }
        }
        found
    }

    /// Writes a row for each review never held that the data decides: its clock stopped on a
    /// day the window covers (and, for an end taken from the returns, its deadline is no later
    /// than `known_until`, the last day the child was known to be looked after); and, for a
    /// period open at the end of its last return whose child is not in a later one
    /// (`seen_until`), each review owed whose deadline is before that return's last day, not
    /// held by then (lateness counted to that day). With no gap in
    /// the data, `m0` (the reviews held) is the answer; with a gap, `ml` (the latest possible
    /// reviews before each gap ends) is: a review missed under it was missed under every history,
    /// due no later than the deadline it gives. Reviews of several regimes missed in one step
    /// whose clocks stopped on the same day are one meeting not held, as for a meeting held: one
    /// row, the earliest deadline binding, the others named in the note.
    #[allow(clippy::too_many_arguments)]
    fn never_held(
        &self,
        child: &Arc<str>,
        p: &CarePeriod,
        m0: &[Miss],
        ml: Option<&[Miss]>,
        known_until: Option<NaiveDate>,
        seen_until: Option<Seen>,
        base_note: &str,
        out: &mut Out,
    ) {
        let meetings = |ms: &[Miss]| -> Vec<(usize, usize)> {
            let mut v: Vec<(usize, usize)> = Vec::new();
            for (i, m) in ms.iter().enumerate() {
                match v.last_mut() {
                    Some(g) if (ms[g.0].step, ms[g.0].stopped, ms[g.0].open) == (m.step, m.stopped, m.open) => {
                        g.1 = i + 1
                    }
                    _ => v.push((i, i + 1)),
                }
            }
            v
        };
        let chosen = ml.unwrap_or(m0);
        let g0 = meetings(m0);
        let key = |ms: &[Miss], g: (usize, usize)| -> Vec<(Option<Regime>, Option<u32>, NaiveDate)> {
            ms[g.0..g.1].iter().map(|m| (m.regime, m.number, m.latest)).collect()
        };
        for (i, g) in meetings(chosen).into_iter().enumerate() {
            let m = &chosen[g.0];
            // A review owed on a clock still running is written here only when nothing after the
            // day it counts to is known (else it is an overdue row, or nothing yet).
            let seen = seen_until.filter(|s| m.open && s.last == m.stopped);
            if (m.open && seen.is_none()) || !self.window.covers(m.stopped) || known_until.is_some_and(|k| m.latest > k)
            {
                continue;
            }
            let known = ml.is_none() || g0.get(i).is_some_and(|&h| key(m0, h) == key(chosen, g));
            let mut n = if let Some(s) = seen {
                format!(
                    "not held by {}, the last day the returns show the child looked after (the child is not in the {} \
                     return, and when care ended is not in the data)",
                    s.last,
                    year_label(s.next)
                )
            } else if p.end == Some(m.stopped) {
                format!("never held: the child left care on {} after it fell due", m.stopped)
            } else {
                format!("never held: its review clock stopped on {} after it fell due", m.stopped)
            };
            let previous = if seen.is_some() { "not held" } else { "never held" };
            note_others(&mut n, &chosen[g.0 + 1..g.1], known, m.after, previous);
            if !known {
                n.push_str("; missed whatever the earlier reviews (latest possible deadline shown)");
            }
            if !base_note.is_empty() {
                n.push_str("; ");
                n.push_str(base_note);
            }
            out.chunk.rows.push(AuditRow {
                child: child.clone(),
                collection_year: year_of(m.latest),
                period_start: p.start_known.then_some(p.start),
                regime: m.regime,
                review_number: if known { m.number } else { None },
                review: None,
                deadline: Some(m.latest),
                latest_working_day: Some(m.lwd),
                on_time: Some(false),
                working_days_late: Some(self.calendar.working_days_between(m.latest, m.stopped).unwrap_or(0)),
                calendar_days_late: Some((m.stopped - m.latest).num_days()),
                basis: if known { Basis::KnownReviewNumber } else { Basis::DecidedByData },
                missed: Some(m.missed.clone()),
                note: n,
                line: 0,
                ended: Some(m.stopped),
            });
            out.t.never_held += 1;
        }
    }

    /// The row's binding deadline and basis from the deadlines under each history.
    #[allow(clippy::too_many_arguments)]
    fn decide(
        &self,
        d: NaiveDate,
        hs: &[Option<Bind>],
        lower_known: bool,
        first_in_run: bool,
        g: Gap,
        i: usize,
        revs: &[(NaiveDate, &RowRef)],
        s0: &Schedule,
        h0_start_is_latest: bool,
    ) -> (Option<Bind>, Basis, String) {
        let all: Option<Vec<&Bind>> = hs.iter().map(|h| h.as_ref()).collect();
        let Some(all) = all else {
            return (hs[0].clone(), Basis::NotAssessable, missing_note(g, None, None));
        };
        let min = all.iter().min_by_key(|b| b.latest).copied();
        let max = all.iter().max_by_key(|b| b.latest).copied();
        let (Some(min), Some(max)) = (min, max) else {
            return (None, Basis::NotAssessable, missing_note(g, None, None));
        };
        if all.iter().all(|b| (b.regime, b.number, b.latest) == (all[0].regime, all[0].number, all[0].latest)) {
            return (Some(all[0].clone()), Basis::KnownReviewNumber, String::new());
        }
        let on: Vec<bool> = all.iter().map(|b| d <= b.latest).collect();
        if on.iter().all(|x| *x) && lower_known {
            let note = if min.latest == max.latest {
                "review number not known (earlier reviews are before the data); the deadline is the same whatever they were".to_string()
            } else {
                format!(
                    "on time whatever the earlier reviews: deadline between {} and {} depending on them",
                    min.latest, max.latest
                )
            };
            return (Some(min.clone()), Basis::DecidedByData, note);
        }
        if on.iter().all(|x| !*x) {
            let note = if min.latest == max.latest {
                "review number not known (earlier reviews are before the data); the deadline is the same whatever they were".to_string()
            } else if first_in_run {
                format!(
                    "late whatever the earlier reviews: first review in the data, held after the latest deadline any earlier review could give ({}); lateness counted from it",
                    max.latest
                )
            } else {
                format!(
                    "late whatever the earlier reviews: deadline between {} and {}; lateness counted from the later",
                    min.latest, max.latest
                )
            };
            return (Some(max.clone()), Basis::DecidedByData, note);
        }
        // The assumption: the previous review (in the data, same run) was not a first review held
        // more than three months after it was due.
        if !first_in_run && h0_start_is_latest {
            let q = revs[i - 1].0;
            if let Some(bq) = bind(s0, q) {
                let three = within_after(bq.latest, Period::Months(3), &self.calendar).map(|x| x.date).ok();
                if bq.number == Some(1) && three.is_some_and(|t| q > t) {
                    let later: Vec<&Bind> = all[1..].to_vec();
                    let lon: Vec<bool> = later.iter().map(|b| d <= b.latest).collect();
                    if lon.iter().all(|x| *x == lon[0]) {
                        let b = if lon[0] {
                            later.iter().min_by_key(|b| b.latest)
                        } else {
                            later.iter().max_by_key(|b| b.latest)
                        };
                        if let Some(b) = b {
                            let note = format!(
                                "judged as a later review on the stated assumption: its previous review ({q}) would otherwise be the period's first review, held more than 3 months after it was due ({})",
                                bq.latest
                            );
                            return (Some((*b).clone()), Basis::Assumption, note);
                        }
                    }
                }
            }
        }
        let lo = if lower_known { Some(min.latest) } else { None };
        (Some(max.clone()), Basis::NotAssessable, missing_note(g, lo, Some(max.latest)))
    }

    #[allow(clippy::too_many_arguments)]
    fn overdue(
        &self,
        child: &Arc<str>,
        p: &CarePeriod,
        revs: &[(NaiveDate, &RowRef)],
        gaps: &[Gap],
        s0: &Schedule,
        s2: Option<&Schedule>,
        as_at: NaiveDate,
        base_note: &str,
        out: &mut Out,
    ) -> Option<FirstOverdue> {
        // A period open at the end of an earlier year whose child is not in a later return: its
        // end is not known.
        let last_year = self.window.years().last().copied().unwrap_or(0);
        if p.last_year != 0 && p.last_year < last_year && p.last_year < year_of(as_at) {
            out.t.overdue_not_assessable += 1;
            return None;
        }
        let next = |s: &Schedule| -> Option<Next> {
            // The review due next on a clock still running (as `Schedule::next_review_due`, but
            // not a review a stopped clock missed: that is a review never held).
            let o = s
                .obligations
                .iter()
                .filter(|o| o.duty == Duty::HoldReview && o.done.is_none_or(|d| d > as_at))
                .filter(|o| !matches!(o.breach, Some(Breach::NotHeld { .. })))
                .min_by_key(|o| (o.latest_working_day.is_none(), o.latest_working_day, o.latest))?;
            Some((o.regime, o.review_number, o.latest?, o.latest_working_day?, overdue_basis(o, as_at)))
        };
        let n0 = next(s0);
        let (chosen, from_late, basis, note) = if gaps.is_empty() {
            (n0, false, Basis::KnownReviewNumber, String::new())
        } else {
            let n2 = s2.and_then(next);
            match (n0, n2) {
                (Some(a), Some(b)) if (a.0, a.1, a.2) == (b.0, b.1, b.2) => {
                    (Some(a), true, Basis::KnownReviewNumber, String::new())
                }
                (Some(a), Some(b)) if a.2 < as_at && b.2 < as_at => {
                    let from_late = a.2 < b.2;
                    let m = if from_late { b } else { a };
                    (
                        Some(m),
                        from_late,
                        Basis::DecidedByData,
                        "overdue whatever the earlier reviews (latest possible deadline shown)".into(),
                    )
                }
                (Some(a), Some(b)) if a.2 >= as_at && b.2 >= as_at => return None,
                (Some(_), Some(b)) => {
                    // Disagree: the assumption, if the last review in the data (same run) would
                    // otherwise be a first review held more than 3 months late.
                    let last_gap = gaps.last().map(|g| g.hi);
                    let q = revs.iter().rev().map(|r| r.0).find(|q| *q <= as_at && last_gap.is_none_or(|h| *q >= h));
                    let assumed = q.and_then(|q| bind(s0, q).map(|bq| (q, bq))).filter(|(q, bq)| {
                        bq.number == Some(1)
                            && within_after(bq.latest, Period::Months(3), &self.calendar).is_ok_and(|t| *q > t.date)
                            && (p.start_known || p.start == p.first_decom)
                    });
                    match assumed {
                        Some((q, bq)) if b.2 < as_at => (
                            Some(b),
                            true,
                            Basis::Assumption,
                            format!(
                                "on the stated assumption: the last review ({q}) would otherwise be the period's first, held more than 3 months after it was due ({})",
                                bq.latest
                            ),
                        ),
                        Some(_) => return None,
                        None => {
                            out.t.overdue_not_assessable += 1;
                            return None;
                        }
                    }
                }
                _ => {
                    out.t.overdue_not_assessable += 1;
                    return None;
                }
            }
        };
        let (regime, number, l, w, missed) = chosen?;
        if l >= as_at {
            return None;
        }
        let wd = self.calendar.working_days_between(l, as_at).unwrap_or(0);
        let mut n = format!("overdue at {as_at}: not held");
        if !note.is_empty() {
            n = format!("{n}; {note}");
        }
        if !base_note.is_empty() {
            n = format!("{n}; {base_note}");
        }
        out.chunk.rows.push(AuditRow {
            child: child.clone(),
            collection_year: year_of(as_at),
            period_start: p.start_known.then_some(p.start),
            regime,
            review_number: if basis == Basis::KnownReviewNumber { number } else { None },
            review: None,
            deadline: Some(l),
            latest_working_day: Some(w),
            on_time: Some(false),
            working_days_late: Some(wd),
            calendar_days_late: Some((as_at - l).num_days()),
            missed: Some(missed),
            basis,
            note: n,
            line: 0,
            ended: None,
        });
        out.t.overdue += 1;
        out.t.overdue_children += 1;
        Some(FirstOverdue { deadline: l, from_late, basis, note })
    }

    /// Writes a row for each further review overdue at `as_at` after the period's first overdue
    /// review (`first`, its row written by [`Ctx::overdue`]): the next counted from the last
    /// working day by which the one before was due, as if held then, while its deadline is before
    /// the as-at date (as for reviews never held, [`Ctx::never_held`]). They come from the same
    /// history as the first row (`m0` the reviews held; `ml` the latest possible reviews before
    /// each gap) and rest on what it rests on: a known review number when the histories agree on
    /// each, else decided by the data (overdue whatever the earlier reviews, the latest deadline
    /// shown), or the same stated assumption.
    #[allow(clippy::too_many_arguments)]
    fn overdue_steps(
        &self,
        child: &Arc<str>,
        p: &CarePeriod,
        first: &FirstOverdue,
        m0: &[Miss],
        ml: Option<&[Miss]>,
        as_at: NaiveDate,
        base_note: &str,
        out: &mut Out,
    ) {
        // The overdue reviews, one meeting per step.
        let open = |ms: &[Miss]| -> Vec<Vec<Miss>> {
            let mut v: Vec<Vec<Miss>> = Vec::new();
            for m in ms.iter().filter(|m| m.open) {
                match v.last_mut() {
                    Some(g) if g[0].step == m.step => g.push(m.clone()),
                    _ => v.push(vec![m.clone()]),
                }
            }
            v
        };
        let chain = open(if first.from_late { ml.unwrap_or(m0) } else { m0 });
        // The first is the row already written (its deadline, the earliest of its meeting).
        if chain.first().and_then(|g| g.iter().map(|m| m.latest).min()) != Some(first.deadline) {
            return;
        }
        let held = open(m0);
        let key = |g: &[Miss]| -> Vec<(Option<Regime>, Option<u32>, NaiveDate)> {
            g.iter().map(|m| (m.regime, m.number, m.latest)).collect()
        };
        for (i, g) in chain.iter().enumerate().skip(1) {
            let known = first.basis == Basis::KnownReviewNumber
                && (ml.is_none() || held.get(i).is_some_and(|h| key(h) == key(g)));
            let basis = match first.basis {
                Basis::KnownReviewNumber if !known => Basis::DecidedByData,
                b => b,
            };
            let k = (0..g.len()).min_by_key(|&k| (g[k].latest, g[k].regime, g[k].number)).unwrap_or(0);
            let m = &g[k];
            let mut n = format!("overdue at {as_at}: not held");
            let others: Vec<&Miss> = g.iter().enumerate().filter(|(j, _)| *j != k).map(|(_, o)| o).collect();
            note_others(&mut n, others, known, m.after, "not held");
            match basis {
                Basis::DecidedByData => {
                    n.push_str("; overdue whatever the earlier reviews (latest possible deadline shown)")
                }
                Basis::Assumption => {
                    n.push_str("; ");
                    n.push_str(&first.note);
                }
                _ => {}
            }
            if !base_note.is_empty() {
                n.push_str("; ");
                n.push_str(base_note);
            }
            out.chunk.rows.push(AuditRow {
                child: child.clone(),
                collection_year: year_of(as_at),
                period_start: p.start_known.then_some(p.start),
                regime: m.regime,
                review_number: if known { m.number } else { None },
                review: None,
                deadline: Some(m.latest),
                latest_working_day: Some(m.lwd),
                on_time: Some(false),
                working_days_late: Some(self.calendar.working_days_between(m.latest, as_at).unwrap_or(0)),
                calendar_days_late: Some((as_at - m.latest).num_days()),
                basis,
                missed: Some(m.missed.clone()),
                note: n,
                line: 0,
                ended: None,
            });
            out.t.overdue += 1;
        }
    }
}

/// A period open at the end of its last return whose child is not in a later one.
#[derive(Debug, Clone, Copy)]
struct Seen {
    /// The last day the returns show the child looked after: the last return's 31 March.
    last: NaiveDate,
    /// The collection year of the next return given.
    next: i32,
}

/// What [`Ctx::overdue`] wrote: the period's first overdue review.
struct FirstOverdue {
    /// Its deadline.
    deadline: NaiveDate,
    /// Whether it comes from the latest possible reviews before each gap (else from the reviews
    /// held).
    from_late: bool,
    /// Its row's basis.
    basis: Basis,
    /// Its row's note on the basis (the stated assumption), if any.
    note: String,
}

/// Whose standard a review not held by `as_at` misses: statute's when statute's own deadline has
/// passed too, else the binding rule's.
fn overdue_basis(o: &Obligation, as_at: NaiveDate) -> crate::profile::Basis {
    let statutory = match o.binding() {
        Some(list) => {
            list.iter().filter(|c| c.basis == crate::profile::Basis::Statutory).filter_map(|c| c.latest).min()
        }
        None if o.basis == crate::profile::Basis::Statutory => o.latest,
        None => None,
    };
    if statutory.is_some_and(|l| l < as_at) {
        crate::profile::Basis::Statutory
    } else {
        o.basis.clone()
    }
}

fn missing_note(g: Gap, lo: Option<NaiveDate>, hi: Option<NaiveDate>) -> String {
    let before = g.hi.checked_sub_days(Days::new(1)).unwrap_or(g.hi);
    let mut s = format!("previous review before this return: add the {} return", year_label(year_of(before)));
    match (lo, hi) {
        (Some(a), Some(b)) => s.push_str(&format!(" (deadline between {a} and {b} depending on the earlier reviews)")),
        (None, Some(b)) => s.push_str(&format!(" (deadline no later than {b})")),
        _ => {}
    }
    s
}

/// Children per chunk of work: a worker audits a chunk, formats it and hands it to the thread
/// that writes the output.
const CHUNK: usize = 1024;

/// How many audited chunks a worker may hold ahead of the thread writing the output.
const AHEAD: usize = 2;

fn process_store(store: &mut Store, ctx: &Ctx<'_>, threads: usize, sink: &mut dyn Sink, acc: &mut Out) -> Result<()> {
    store.sort(threads)?;
    let store = &*store;
    // Each child's rows: a range of the sorted places.
    let order = store.order();
    let groups: Vec<(usize, usize)> = store.children().collect();
    // The store's text checked as UTF-8 once (usually it is), rather than row by row.
    let arena = std::str::from_utf8(&store.text).ok();
    let n = ctx.metas.len();
    let csv = sink.wants_csv();
    // Work the sink wants done per chunk (the Python package's columns) runs here, on the worker.
    let prepare = sink.prepare();
    let run = |gs: &[(usize, usize)], out: &mut Out| {
        // The chunk's rows, copied in order (the store keeps them in reading order).
        let first = gs.first().map_or(0, |g| g.0);
        let mut rows: Vec<RowRef> = Vec::with_capacity(gs.last().map_or(first, |g| g.1) - first);
        for &(a, b) in gs {
            capped_order(&order[a..b], |p| rows.push(store.rows[p as usize]));
        }
        let mut scratch = Scratch::default();
        for &(a, b) in gs {
            let rows = &rows[a - first..b - first];
            let child = String::from_utf8_lossy(store.key(&rows[0]));
            ctx.audit_child(&child, rows, store, arena, out, &mut scratch);
        }
        if csv {
            format(out);
        }
        if let Some(prepare) = prepare {
            prepare(&mut out.chunk);
        }
    };
    let chunks: Vec<&[(usize, usize)]> = groups.chunks(CHUNK).collect();
    let threads = threads.max(1);
    if threads == 1 {
        let mut out = Out::new(n);
        for chunk in chunks {
            out.clear();
            run(chunk, &mut out);
            emit(&out, sink, acc)?;
        }
        return Ok(());
    }
    // One worker per thread, each auditing every `threads`-th chunk, at most `AHEAD` chunks ahead
    // of this thread, which writes the chunks' output in order and hands each chunk's buffers
    // back to its worker to fill again.
    let worker_died =
        || Error::Io { path: "audit".into(), reason: "a worker thread stopped (a bug: please report it)".into() };
    std::thread::scope(|s| -> Result<()> {
        let (mut done, mut free, mut handles) = (Vec::new(), Vec::new(), Vec::new());
        for w in 0..threads.min(chunks.len()) {
            let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<Out>(AHEAD);
            let (free_tx, free_rx) = std::sync::mpsc::channel::<Out>();
            let (chunks, run) = (&chunks, &run);
            handles.push(s.spawn(move || {
                for chunk in chunks.iter().skip(w).step_by(threads) {
                    let mut out = free_rx.try_recv().unwrap_or_else(|_| Out::new(n));
                    out.clear();
                    run(chunk, &mut out);
                    if done_tx.send(out).is_err() {
                        // This thread stopped on an error: stop too.
                        return;
                    }
                }
            }));
            done.push(done_rx);
            free.push(free_tx);
        }
        let written = (|| -> Result<()> {
            for i in 0..chunks.len() {
                let w = i % done.len();
                let out = done[w].recv().map_err(|_| worker_died())?;
                emit(&out, sink, acc)?;
                // A worker that has finished no longer takes buffers back: they are dropped.
                let _ = free[w].send(out);
            }
            Ok(())
        })();
        // Workers blocked on a full channel see it closed and stop; then all are joined (a
        // worker's panic becomes an error, not a panic here).
        drop(done);
        drop(free);
        let died = handles.into_iter().map(|h| h.join().is_err()).fold(false, |a, b| a | b);
        written?;
        if died {
            return Err(worker_died());
        }
        Ok(())
    })
}

/// A child's places in order, except that past [`MAX_CHILD_ROWS`] the rows read last come last,
/// in the order they were read: the audit keeps the first `MAX_CHILD_ROWS` rows it is given and
/// rejects the rest, and the rows to reject are the ones read after the cap was reached (as when
/// they are rejected while being read; in an XML return a child's two tables interleave, so
/// reading order is not table-then-line order). A row's place is its reading order.
fn capped_order(places: &[u32], mut put: impl FnMut(u32)) {
    if places.len() <= MAX_CHILD_ROWS {
        places.iter().for_each(|&p| put(p));
        return;
    }
    let mut read = places.to_vec();
    read.select_nth_unstable(MAX_CHILD_ROWS);
    let cut = read[MAX_CHILD_ROWS];
    places.iter().filter(|&&p| p < cut).for_each(|&p| put(p));
    let mut late: Vec<u32> = read.into_iter().filter(|&p| p >= cut).collect();
    late.sort_unstable();
    late.into_iter().for_each(put);
}

/// Formats a batch's output as CSV lines (on the worker that audited it), as bytes, checked as
/// UTF-8 once per batch rather than once per line.
fn format(o: &mut Out) {
    fn lines<T>(rows: &[T], text: &mut String, per_row: usize, write: impl Fn(&[T], &mut Vec<u8>)) {
        if rows.is_empty() {
            return;
        }
        let mut b = std::mem::take(text).into_bytes();
        b.reserve(rows.len() * per_row);
        write(rows, &mut b);
        *text = match String::from_utf8(b) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
    }
    let c = &mut o.chunk;
    lines(&c.rows, &mut c.rows_csv, 120, super::audit_lines);
    lines(&c.rejects, &mut c.rejects_csv, 80, |rows, b| rows.iter().for_each(|r| r.write_csv_bytes(b)));
    lines(&c.superseded, &mut c.superseded_csv, 100, super::superseded_lines);
}

fn emit(o: &Out, sink: &mut dyn Sink, acc: &mut Out) -> Result<()> {
    let e = |e: std::io::Error| Error::Io { path: "output".into(), reason: e.to_string() };
    sink.chunk(&o.chunk).map_err(e)?;
    for (a, b) in acc.per_src.iter_mut().zip(&o.per_src) {
        for k in 0..3 {
            a[k] += b[k];
        }
    }
    for (a, b) in acc.reasons.iter_mut().zip(&o.reasons) {
        for (k, n) in b {
            match a.get_mut(k) {
                Some(m) => *m += n,
                None => {
                    a.insert(k.clone(), *n);
                }
            }
        }
    }
    let (t, u) = (&mut acc.t, &o.t);
    t.reviews_audited += u.reviews_audited;
    t.reviews_assessed += u.reviews_assessed;
    t.on_assumption += u.on_assumption;
    t.overdue += u.overdue;
    t.overdue_children += u.overdue_children;
    t.never_held += u.never_held;
    t.overdue_not_assessable += u.overdue_not_assessable;
    t.children += u.children;
    t.periods += u.periods;
    t.periods_before_data += u.periods_before_data;
    t.periods_start_unknown += u.periods_start_unknown;
    t.conflicts += u.conflicts;
    if let Some(d) = u.last_date {
        acc.date(d);
    }
    Ok(())
}

/// Per source, the first source whose episode columns are the same (a source without episode
/// columns is its own class).
fn header_classes(metas: &[SourceMeta]) -> Vec<usize> {
    fn names(m: &SourceMeta) -> Option<&[String]> {
        match &m.cols {
            Some(Columns::Episodes(c)) => Some(&c.names),
            _ => None,
        }
    }
    (0..metas.len())
        .map(|i| match names(&metas[i]) {
            Some(n) => (0..i).find(|&j| names(&metas[j]) == Some(n)).unwrap_or(i),
            None => i,
        })
        .collect()
}

struct Ret<'a> {
    input: ReturnInput<'a>,
    name_year: Option<i32>,
    given: Option<i32>,
    names: Vec<String>,
}

fn names_year(names: &[String]) -> std::result::Result<Option<i32>, String> {
    let ys: Vec<i32> = names.iter().filter_map(|n| year_from_name(n)).collect();
    match ys.as_slice() {
        [] => Ok(None),
        [y, rest @ ..] if rest.iter().all(|r| r == y) => Ok(Some(*y)),
        _ => Err(format!(
            "the file names give different collection years ({}): the files of one return are for one year; give each \
             return's episodes file followed by its reviews file (SSDA903_2024_episodes.csv SSDA903_2024_reviews.csv \
             SSDA903_2025_episodes.csv SSDA903_2025_reviews.csv ...), as `SSDA903_20*.csv` lists them",
            ys.iter().map(i32::to_string).collect::<Vec<_>>().join(" and ")
        )),
    }
}

fn open_input<'a>(input: Input<'a>) -> Result<(String, Box<dyn std::io::Read + 'a>)> {
    match input {
        Input::Path(p) => {
            let name = p.display().to_string();
            let f = std::fs::File::open(&p).map_err(|e| io_err(&name, e))?;
            if f.metadata().map(|m| m.is_dir()).unwrap_or(false) {
                return Err(Error::Io { path: name, reason: "is a directory".into() });
            }
            Ok((name, Box::new(f)))
        }
        Input::Text { name, text } => Ok((name, Box::new(text.as_bytes()))),
        Input::Reader { name, reader } => Ok((name, reader)),
    }
}

pub(crate) fn run(returns: Vec<ReturnInput<'_>>, opts: &AuditOptions, sink: &mut dyn Sink) -> Result<Outcome> {
    let mut rets: Vec<Ret<'_>> = Vec::new();
    let mut expected: Option<u64> = Some(0);
    for r in returns {
        let (names, given): (Vec<String>, Option<i32>) = match &r {
            ReturnInput::Csv { episodes, reviews, year } => (vec![episodes.name(), reviews.name()], *year),
            ReturnInput::Xml { file, year } => (vec![file.name()], *year),
        };
        let inputs: Vec<&Input<'_>> = match &r {
            ReturnInput::Csv { episodes, reviews, .. } => vec![episodes, reviews],
            ReturnInput::Xml { file, .. } => vec![file],
        };
        for i in inputs {
            let size = match i {
                Input::Path(p) => std::fs::metadata(p).ok().filter(|m| m.is_file()).map(|m| m.len()),
                Input::Text { text, .. } => Some(text.len() as u64),
                Input::Reader { .. } => None,
            };
            expected = expected.zip(size).map(|(a, b)| a + b);
        }
        let name_year = names_year(&names).map_err(|e| Error::input("file names", names.join(", "), e))?;
        rets.push(Ret { input: r, name_year, given, names });
    }
    // Canonical order: by year (given or named), then names. Returns without either year come
    // after, by name; their years come from the data.
    rets.sort_by(|a, b| {
        let ka = (a.given.or(a.name_year).unwrap_or(i32::MAX), &a.names);
        let kb = (b.given.or(b.name_year).unwrap_or(i32::MAX), &b.names);
        ka.cmp(&kb)
    });
    let nrets = rets.len();
    let mut year_info: Vec<(Option<i32>, YearFrom)> = Vec::with_capacity(nrets);
    let mut ing = Ingest::new(opts.memory_budget, opts.tmp_dir.clone(), expected, sink);
    let mut steps: Vec<Step<'_>> = Vec::new();
    for (ri, r) in rets.into_iter().enumerate() {
        year_info.push(match (r.given, r.name_year) {
            (Some(y), _) => (Some(y), YearFrom::Given),
            (None, Some(y)) => (Some(y), YearFrom::FileName),
            _ => (None, YearFrom::Data),
        });
        let track = year_info[ri].0.is_none();
        match r.input {
            ReturnInput::Csv { episodes, reviews, .. } => {
                for (input, kind) in [(episodes, FileKind::Episodes), (reviews, FileKind::Reviews)] {
                    let name = input.name();
                    let src = ing.add_source(Arc::from(name.as_str()), kind, ri, track);
                    // Regular files and text are read ahead by reader threads; a pipe, a FIFO or a
                    // reader is read here at its turn.
                    let source = match input {
                        Input::Path(p) if std::fs::metadata(&p).is_ok_and(|m| m.is_file()) => Ok(Source::Path(p)),
                        Input::Text { text, .. } => Ok(Source::Text(text)),
                        other => Err(other),
                    };
                    steps.push(match source {
                        Ok(source) => Step::Parallel(Job { src, name, kind, track_years: track, source }),
                        Err(input) => Step::Here(Box::new(move |ing: &mut Ingest<'_>| {
                            let (_, reader) = open_input(input)?;
                            read::read_csv(ing, src, reader)
                        })),
                    });
                }
            }
            ReturnInput::Xml { file, .. } => {
                let name: Arc<str> = Arc::from(file.name().as_str());
                let e = ing.add_source(name.clone(), FileKind::Episodes, ri, track);
                let v = ing.add_source(name, FileKind::Reviews, ri, track);
                steps.push(Step::Here(Box::new(move |ing: &mut Ingest<'_>| {
                    let (_, reader) = open_input(file)?;
                    read::xml::read_xml(ing, e, v, reader)
                })));
            }
        }
    }
    let readers = if opts.threads > 1 { opts.threads } else { 0 };
    read::parallel::run(&mut ing, steps, readers)?;
    let partitions = ing.partitions();
    let (metas, finished, sink) = ing.finish()?;
    // Years from the data: the collection year most of the return's review dates (else episode
    // start dates) fall in.
    for (ri, info) in year_info.iter_mut().enumerate() {
        if info.0.is_some() {
            continue;
        }
        let mode = |kind: FileKind| {
            metas
                .iter()
                .filter(|m| m.ret == ri && m.kind == kind)
                .flat_map(|m| m.years.iter())
                .max_by_key(|(y, n)| (**n, **y))
                .map(|(y, _)| *y)
        };
        info.0 = mode(FileKind::Reviews).or_else(|| mode(FileKind::Episodes));
        if info.0.is_none() {
            let names: Vec<String> = metas.iter().filter(|m| m.ret == ri).map(|m| m.name.to_string()).collect();
            return Err(Error::input(
                "collection year",
                names.join(", "),
                "no year in the file name and no readable date in the data: name the file SSDA903_YYYY_... or give the year",
            ));
        }
    }
    let years_of_ret: Vec<i32> = year_info.iter().map(|y| y.0.unwrap_or(0)).collect();
    for (i, y) in years_of_ret.iter().enumerate() {
        if let Some(j) = years_of_ret[..i].iter().position(|x| x == y) {
            let names = |k: usize| {
                metas.iter().filter(|m| m.ret == k).map(|m| m.name.to_string()).collect::<Vec<_>>().join(" + ")
            };
            return Err(Error::input(
                "returns",
                format!("{} and {}", names(j), names(i)),
                format!("two returns for the same collection year {}", year_label(*y)),
            ));
        }
    }
    let window = Window::new(years_of_ret.iter().copied());
    if let (Some(a), Some(last)) = (opts.as_at, window.last_day()) {
        if a > last {
            return Err(Error::input(
                "as-at date",
                a.to_string(),
                format!("it is after the last collection year ({} ends {last}): reviews held after that are not in the data", year_label(year_of(last))),
            ));
        }
    }
    let ctx = Ctx {
        profile: review_profile(&opts.profile),
        calendar: Calendar::england_and_wales(),
        as_at: opts.as_at,
        window: window.clone(),
        metas: &metas,
        years: metas.iter().map(|m| years_of_ret[m.ret]).collect(),
        header_class: header_classes(&metas),
    };
    let mut acc = Out::new(metas.len());
    let strategy = match finished {
        Finished::Memory(mut store) => {
            process_store(&mut store, &ctx, opts.threads, sink, &mut acc)?;
            Strategy::InMemory
        }
        Finished::Parts { dir, paths } => {
            for p in &paths {
                let mut store = read::load_part(p, &metas)?;
                process_store(&mut store, &ctx, opts.threads, sink, &mut acc)?;
            }
            drop(dir);
            Strategy::Partitioned(partitions.unwrap_or(paths.len()))
        }
    };
    let mut totals = acc.t;
    totals.sources = metas
        .iter()
        .enumerate()
        .map(|(i, m)| SourceTotals {
            file: m.name.clone(),
            table: m.kind,
            year: years_of_ret[m.ret],
            year_from: year_info[m.ret].1,
            rows_in: m.rows,
            used: acc.per_src[i][0],
            rejected: acc.per_src[i][1] + m.early_rejects,
            superseded: acc.per_src[i][2],
            blank_lines: m.blank,
            reasons: {
                let mut all = m.early_reasons.clone();
                for (k, n) in &acc.reasons[i] {
                    *all.entry(k.clone()).or_default() += n;
                }
                let mut v: Vec<(String, u64)> = all.into_iter().collect();
                v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                v
            },
            header_error: m.header_error.clone(),
        })
        .collect();
    totals.sources.sort_by(|a, b| (a.year, a.table, &a.file).cmp(&(b.year, b.table, &b.file)));
    if let (Some(a), Some(l)) = (opts.as_at, totals.last_date) {
        if a < l {
            return Err(Error::input(
                "as-at date",
                a.to_string(),
                format!("it is before the data's last date {l}: an as-at date must not be before the last event"),
            ));
        }
    }
    Ok(Outcome { totals, window, strategy })
}

#[cfg(test)]
mod tests {
    use super::{common_prefix, count_commas, plain_ends, same_copy, PLAIN_FIELDS};
    use crate::ssda903::read::xml::EP_COLUMNS as NAMES;

    const OPEN: &str = "1000002,28/05/2016,L,J2,N1,U5,PR1,,,,A1 1AA,B2 2BB,9619658";
    const ENDED: &str = "1000002,28/05/2016,L,J2,N1,U5,PR1,14/01/2020,E2,,A1 1AA,B2 2BB,9619658";

    fn same(a: &str, b: &str) -> bool {
        let names: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
        same_copy(a.as_bytes(), b.as_bytes(), &names, false)
    }

    /// `plain_ends` on `row` for fields `0..=need`: the ends, or `None` when it declines.
    fn ends(row: &[u8], need: usize) -> Option<Vec<usize>> {
        let mut e = [usize::MAX; PLAIN_FIELDS];
        plain_ends(row, need, &mut e).then(|| e[..=need].to_vec())
    }

    #[test]
    fn plain_ends_finds_where_the_first_fields_end() {
        // Commas in the first word, across the word boundary, and in the tail after the words.
        let row = b"1000001,20/05/2018,S,C1,N1,R1,PR1,,,,A1 1AA";
        assert_eq!(ends(row, 9), Some(vec![7, 18, 20, 23, 26, 29, 33, 34, 35, 36]));
        assert_eq!(ends(row, 2), Some(vec![7, 18, 20]));
        assert_eq!(ends(row, 0), Some(vec![7]));
        // The last field ends at the end of the row; one field more is too few fields.
        assert_eq!(ends(row, 10), Some(vec![7, 18, 20, 23, 26, 29, 33, 34, 35, 36, 43]));
        assert_eq!(ends(row, 11), None);
        // Bytes next to a comma's code (0x2b '+', 0x2d '-', 0xac) are not commas.
        assert_eq!(ends(b"+-\xac,+-\xac,", 2), Some(vec![3, 7, 8]));
        assert_eq!(ends(b",,,,,,,,,", 9), Some(vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
        assert_eq!(ends(b"no commas here at all", 0), Some(vec![21]));
        assert_eq!(ends(b"no commas here at all", 1), None);
        assert_eq!(ends(b"", 0), Some(vec![0]));
        assert_eq!(ends(b"a,b", PLAIN_FIELDS), None);
    }

    #[test]
    fn plain_ends_declines_a_row_with_a_quote_anywhere() {
        // In the first word, in a later word after the fields wanted, in the tail.
        assert_eq!(ends(b"\"1000001\",20/05/2018,S", 1), None);
        assert_eq!(ends(b"1000001,20/05/2018,S,C1,N1,\"R,1\",PR1,A", 1), None);
        assert_eq!(ends(b"1000001,20/05/2018,S,C1\"", 1), None);
        assert_eq!(ends(b"1000001,20/05/2018,S,C1!", 1), Some(vec![7, 18]));
    }

    #[test]
    fn count_commas_counts_every_comma() {
        assert_eq!(count_commas(b""), 0);
        assert_eq!(count_commas(b"abc"), 0);
        assert_eq!(count_commas(b","), 1);
        // In the first word, across a word boundary, in the tail.
        assert_eq!(count_commas(b"1000002,28/05/2016,L"), 2);
        assert_eq!(count_commas(b",,,,,,,,,"), 9);
        assert_eq!(count_commas(b"abcdefgh,ijklmnop,qr,"), 3);
        // Bytes next to a comma's code are not commas.
        assert_eq!(count_commas(b"+-\xac+-\xac+-\xac+-\xac"), 0);
    }

    #[test]
    fn common_prefix_counts_equal_leading_bytes() {
        assert_eq!(common_prefix(b"abcdefghij", b"abcdefghiX"), 9);
        assert_eq!(common_prefix(b"abcdefgh", b"abcdefgh"), 8);
        assert_eq!(common_prefix(b"abcdefghijklmnopq", b"abcdefghijklmnop"), 16);
        assert_eq!(common_prefix(b"abc", b"Xbc"), 0);
        assert_eq!(common_prefix(b"", b"x"), 0);
    }

    #[test]
    fn a_later_year_filling_in_dec_and_rec_is_the_same_copy() {
        assert!(same(OPEN, ENDED));
        // The other way round, the kept copy has lost its end: not sure.
        assert!(!same(ENDED, OPEN));
    }

    #[test]
    fn case_and_child_alone_make_no_difference() {
        assert!(same(OPEN, &OPEN.replace("U5", "u5")));
        assert!(same(OPEN, &OPEN.replacen("1000002", "1000003", 1)));
    }

    #[test]
    fn a_different_value_anywhere_else_is_not_the_same_copy() {
        assert!(!same(OPEN, &OPEN.replace("28/05/2016", "29/05/2016")));
        assert!(!same(OPEN, &OPEN.replace("U5", "U6")));
        assert!(!same(OPEN, &OPEN.replace("9619658", "9619659")));
        // The difference starts right after a comma (the common prefix ends on one).
        assert!(!same(OPEN, &OPEN.replace(",L,", ",S,")));
    }

    #[test]
    fn a_copy_with_fewer_fields_is_compared_as_far_as_it_goes() {
        assert!(same("1000002,28/05/2016", OPEN));
        assert!(!same("1000002,28/05/2016,S", OPEN));
    }

    #[test]
    fn a_quoted_copy_is_left_to_conflict() {
        assert!(!same(OPEN, &OPEN.replace("A1 1AA", "\"A1 1AA\"")));
    }
}

//! The console summary and the self-contained HTML report, coverage first.
//!
//! Both lead with what was assessed: "N of M reviews assessed (X%); K on the stated assumption;
//! the rest need the previous year's return", then the on-time percentage **of the assessed
//! reviews**, by collection year and by review number. A percentage of nothing is shown as
//! "n/a", never as 0.0%.
//!
//! Headline colours ([`Colour::for_on_time`], [`Colour::for_coverage`]):
//! - on time: green at 90% or more, amber from 75% to under 90%, red under 75%;
//! - assessed (coverage): green at 90% or more, amber from 50% to under 90%, red under 50%;
//! - grey when there is nothing to measure. Never green at 0%.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use super::window::year_label;
use super::{AuditRow, Basis, Chunk, FileKind, Outcome, Reject, Strategy, Superseded};

/// A headline colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Good.
    Green,
    /// Needs attention.
    Amber,
    /// Poor.
    Red,
    /// Nothing to measure.
    Grey,
}

impl Colour {
    /// For an on-time share `part` of `all`: green >= 90%, amber >= 75%, red below, grey for none.
    ///
    /// ```
    /// use lac_timescales::ssda903::report::Colour;
    /// assert_eq!(Colour::for_on_time(0, 0), Colour::Grey);
    /// assert_eq!(Colour::for_on_time(0, 10), Colour::Red);
    /// assert_eq!(Colour::for_on_time(9, 10), Colour::Green);
    /// assert_eq!(Colour::for_on_time(8, 10), Colour::Amber);
    /// ```
    pub fn for_on_time(part: u64, all: u64) -> Colour {
        Self::grade(part, all, 90, 75)
    }

    /// For an assessed share `part` of `all`: green >= 90%, amber >= 50%, red below, grey for none.
    pub fn for_coverage(part: u64, all: u64) -> Colour {
        Self::grade(part, all, 90, 50)
    }

    fn grade(part: u64, all: u64, green: u64, amber: u64) -> Colour {
        if all == 0 {
            Colour::Grey
        } else if part * 100 >= green * all {
            Colour::Green
        } else if part * 100 >= amber * all {
            Colour::Amber
        } else {
            Colour::Red
        }
    }

    /// The CSS colour.
    pub fn css(self) -> &'static str {
        match self {
            Colour::Green => "#2e7d32",
            Colour::Amber => "#b26a00",
            Colour::Red => "#c62828",
            Colour::Grey => "#666",
        }
    }
}

/// `part` of `all` as a percentage with one decimal, or "n/a" when `all` is 0.
///
/// ```
/// use lac_timescales::ssda903::report::pct;
/// assert_eq!(pct(1, 3), "33.3%");
/// assert_eq!(pct(0, 0), "n/a");
/// ```
pub fn pct(part: u64, all: u64) -> String {
    if all == 0 {
        "n/a".into()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / all as f64)
    }
}

/// One row of the summary's coverage tables: the label, then assessed of all and on time of
/// assessed, each with its percentage.
fn coverage_line(label: &str, c: &Count) -> String {
    format!(
        "  {label}  {:>9} of {:>9} {:>7}   {:>9} of {:>9} {:>7}\n",
        c.assessed,
        c.all,
        pct(c.assessed, c.all),
        c.on_time,
        c.assessed,
        pct(c.on_time, c.assessed)
    )
}

/// Reviews in one bucket.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    /// Rows (reviews held).
    pub all: u64,
    /// Of which assessed (on time or late).
    pub assessed: u64,
    /// Of the assessed, on time.
    pub on_time: u64,
    /// Of the assessed, on the stated assumption.
    pub assumption: u64,
}

impl Count {
    fn merge(&mut self, c: &Count) {
        self.all += c.all;
        self.assessed += c.assessed;
        self.on_time += c.on_time;
        self.assumption += c.assumption;
    }

    fn add(&mut self, r: &AuditRow) {
        self.all += 1;
        if let Some(on) = r.on_time {
            self.assessed += 1;
            self.on_time += u64::from(on);
            self.assumption += u64::from(r.basis == Basis::Assumption);
        }
    }
}

/// How many late rows the report lists.
pub const REPORT_ROWS: usize = 500;

/// The figures of the summary and the report, gathered row by row.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// All reviews held.
    pub all: Count,
    /// By collection year (the year it ends).
    pub by_year: BTreeMap<i32, Count>,
    /// By review number: 1, 2, 3 or more, and not known (index 3).
    pub by_number: [Count; 4],
    /// By basis.
    pub by_basis: BTreeMap<Basis, u64>,
    /// By month held (year, month).
    pub monthly: BTreeMap<(i32, u32), Count>,
    /// Overdue rows, and how many rest on the assumption.
    pub overdue: u64,
    /// Overdue rows on the assumption.
    pub overdue_assumption: u64,
    /// Rows for reviews never held: each fell due before its clock stopped (the child left care,
    /// or the review regime ended), or before the last day the returns show the child looked
    /// after when the end of care is not in the data ([`AuditRow::is_never_held`]).
    pub never_held: u64,
    /// Late and overdue rows kept for the report (overdue first, then the most late).
    pub late: Vec<AuditRow>,
    /// Late and overdue rows in all.
    pub late_total: u64,
    /// Rejects by table and reason (without values).
    pub reasons: BTreeMap<(FileKind, String), u64>,
    /// Late and overdue rows missing statute's deadline.
    pub missed_statutory: u64,
    /// Late and overdue rows missing only a local profile's earlier deadline.
    pub missed_local_only: u64,
    /// Superseded copies, and those that conflict.
    pub superseded: u64,
    /// Superseded copies that differ in more than what a later year fills in.
    pub conflicts: u64,
    /// The key of the last row [`Summary::keep_late`] kept when the list was full: a late row
    /// whose key is not below it cannot make the list (500 rows counted before it come first).
    /// Dropped when the list is found shorter than [`REPORT_ROWS`] (taken or cut by a caller).
    cut: Option<LateKey>,
}

/// [`late_key`] with its own child.
type LateKey = (bool, std::cmp::Reverse<Option<i64>>, Arc<str>, Option<NaiveDate>);

/// "1 child", "2 children".
fn children(n: u64) -> String {
    format!("{n} {}", if n == 1 { "child" } else { "children" })
}

/// "1 review", "2 reviews".
fn reviews(n: u64) -> String {
    format!("{n} {}", if n == 1 { "review" } else { "reviews" })
}

/// Overdue first, then the most late, then by child and date.
fn late_key(r: &AuditRow) -> (bool, std::cmp::Reverse<Option<i64>>, &str, Option<NaiveDate>) {
    (r.review.is_some(), std::cmp::Reverse(r.working_days_late), &r.child, r.review)
}

/// A reject's reason without its values, for counting reasons (e.g. "REVIEW outside every period
/// of care", "bad date in DECOM").
///
/// ```
/// use lac_timescales::ssda903::report::reason_kind;
/// assert_eq!(reason_kind("bad date in DECOM: \"notadate\" (expected DD/MM/YYYY)"), "bad date in DECOM");
/// assert_eq!(reason_kind("REVIEW 01/02/2024 is outside every period of care (x)"), "REVIEW outside every period of care");
/// ```
pub fn reason_kind(r: &str) -> String {
    for k in [
        "outside every period of care",
        "outside this return's collection year",
        "overlaps the previous period",
        "contains a non-breaking space",
        "is not valid UTF-8",
        "more than",
    ] {
        if r.contains(k) {
            let head = r.split_whitespace().next().unwrap_or("");
            let head = if head.chars().all(|c| c.is_ascii_uppercase() || c == '_') { head } else { "row" };
            return format!("{head} {k}");
        }
    }
    r.split([':', '(', '"']).next().unwrap_or("").trim().to_string()
}

impl Summary {
    /// Counts one audit row.
    pub fn add_row(&mut self, r: &AuditRow) {
        *self.by_basis.entry(r.basis).or_default() += u64::from(r.review.is_some());
        if let Some(d) = r.review {
            self.all.add(r);
            self.by_year.entry(r.collection_year).or_default().add(r);
            let k = match (r.review_number, r.basis) {
                (Some(n), Basis::KnownReviewNumber) => (n.clamp(1, 3) - 1) as usize,
                _ => 3,
            };
            self.by_number[k].add(r);
            self.monthly.entry((d.year(), d.month())).or_default().add(r);
        } else if r.ended.is_some() {
            self.never_held += 1;
        } else {
            self.overdue += 1;
            self.overdue_assumption += u64::from(r.basis == Basis::Assumption);
        }
        self.add_missed(r);
    }

    /// Counts a row's missed standard, and keeps it for the report's list if it is late.
    fn add_missed(&mut self, r: &AuditRow) {
        match &r.missed {
            Some(crate::profile::Basis::Statutory) => self.missed_statutory += 1,
            Some(crate::profile::Basis::Local(_)) => self.missed_local_only += 1,
            None => {}
        }
        if r.on_time == Some(false) {
            self.late_total += 1;
            // Once the list has been full, a row that would not make the cut is not copied. The
            // cut holds only while the list still has the rows it was taken from (a caller may
            // take or shorten the public `late` and count on: then every late row is kept again).
            if self.late.len() < REPORT_ROWS {
                self.cut = None;
            }
            if let Some((a, b, c, d)) = &self.cut {
                if late_key(r) >= (*a, *b, &**c, *d) {
                    return;
                }
            }
            self.late.push(r.clone());
            if self.late.len() >= 4 * REPORT_ROWS {
                self.keep_late();
            }
        }
    }

    /// Counts a run of audit rows: the same figures as [`Summary::add_row`] on each row in turn,
    /// with the counts by year, month and basis gathered in arrays and added to the maps once
    /// per run rather than looked up once per row.
    pub fn add_rows(&mut self, rows: &[AuditRow]) {
        // Months (year * 12 + month - 1) and collection years within 50 years of the first
        // review's are counted in arrays; any other row (never in a real return) row by row.
        const MONTHS: i64 = 12 * 50;
        const YEARS: i64 = 50;
        let month_of = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
        let first = rows.iter().find_map(|r| r.review.map(|d| (month_of(d), i64::from(r.collection_year))));
        let Some((m0, y0)) = first.filter(|_| rows.len() >= 64) else {
            rows.iter().for_each(|r| self.add_row(r));
            return;
        };
        let (m_lo, y_lo) = (m0 - MONTHS, y0 - YEARS);
        let mut monthly = vec![Count::default(); 2 * MONTHS as usize + 1];
        let mut by_year = vec![Count::default(); 2 * YEARS as usize + 1];
        let mut by_basis = [(false, 0u64); Basis::ALL.len()];
        for r in rows {
            if let Some(d) = r.review {
                let (m, y) = (month_of(d) - m_lo, i64::from(r.collection_year) - y_lo);
                let (Some(mc), Some(yc)) = (
                    usize::try_from(m).ok().and_then(|m| monthly.get_mut(m)),
                    usize::try_from(y).ok().and_then(|y| by_year.get_mut(y)),
                ) else {
                    self.add_row(r);
                    continue;
                };
                mc.add(r);
                yc.add(r);
                self.all.add(r);
                let k = match (r.review_number, r.basis) {
                    (Some(n), Basis::KnownReviewNumber) => (n.clamp(1, 3) - 1) as usize,
                    _ => 3,
                };
                self.by_number[k].add(r);
                by_basis[r.basis as usize] = (true, by_basis[r.basis as usize].1 + 1);
            } else {
                by_basis[r.basis as usize].0 = true;
                if r.ended.is_some() {
                    self.never_held += 1;
                } else {
                    self.overdue += 1;
                    self.overdue_assumption += u64::from(r.basis == Basis::Assumption);
                }
            }
            self.add_missed(r);
        }
        for (b, (touched, n)) in Basis::ALL.into_iter().zip(by_basis) {
            if touched {
                *self.by_basis.entry(b).or_default() += n;
            }
        }
        for (i, c) in by_year.iter().enumerate().filter(|(_, c)| c.all > 0) {
            // Within 50 years of a collection year: it fits.
            let y = i32::try_from(y_lo + i as i64).unwrap_or(0);
            self.by_year.entry(y).or_default().merge(c);
        }
        for (i, c) in monthly.iter().enumerate().filter(|(_, c)| c.all > 0) {
            let m = m_lo + i as i64;
            // `m` is within 50 years of a date's year and month, so both fit.
            let (y, m) = (i32::try_from(m.div_euclid(12)).unwrap_or(0), m.rem_euclid(12) as u32 + 1);
            self.monthly.entry((y, m)).or_default().merge(c);
        }
    }

    /// Counts a chunk of the audit's output ([`Chunk`], as a [`super::Sink`] receives it): its
    /// rows ([`Summary::add_rows`]), rejects and superseded copies.
    pub fn add_chunk(&mut self, c: &Chunk) {
        self.add_rows(&c.rows);
        for r in &c.rejects {
            self.add_reject(r);
        }
        for s in &c.superseded {
            self.add_superseded(s);
        }
    }

    /// Counts one reject.
    pub fn add_reject(&mut self, r: &Reject) {
        *self.reasons.entry((r.table, reason_kind(&r.reason))).or_default() += 1;
    }

    /// Counts one superseded copy.
    pub fn add_superseded(&mut self, s: &Superseded) {
        self.superseded += 1;
        self.conflicts += u64::from(!s.conflict.is_empty());
    }

    /// Keeps the [`REPORT_ROWS`] most important late rows (overdue first, then the most late).
    pub fn keep_late(&mut self) {
        self.late.sort_by(|a, b| late_key(a).cmp(&late_key(b)));
        self.late.truncate(REPORT_ROWS);
        self.cut = match self.late.last() {
            Some(w) if self.late.len() >= REPORT_ROWS => {
                Some((w.review.is_some(), std::cmp::Reverse(w.working_days_late), w.child.clone(), w.review))
            }
            _ => None,
        };
    }

    /// The coverage sentence that leads the summary and the report.
    pub fn coverage_line(&self) -> String {
        let a = &self.all;
        let rejected: u64 = self.reasons.iter().filter(|((k, _), _)| *k == FileKind::Reviews).map(|(_, n)| *n).sum();
        if a.all == 0 && rejected > 0 {
            // Not "0 of 0 reviews assessed": review rows were read, and every one was rejected.
            let (top, n) = self
                .reasons
                .iter()
                .filter(|((k, _), _)| *k == FileKind::Reviews)
                .max_by_key(|((_, r), n)| (**n, std::cmp::Reverse(r.clone())))
                .map(|((_, r), n)| (r.as_str(), *n))
                .unwrap_or(("", 0));
            return format!(
                "no review assessed: every review row read was rejected ({rejected}; most often {top}: {n}); see rejects.csv"
            );
        }
        format!(
            "{} of {} reviews assessed ({}); {} on the stated assumption; the rest ({}) need the previous year's return",
            a.assessed,
            a.all,
            pct(a.assessed, a.all),
            a.assumption,
            a.all - a.assessed
        )
    }

    /// The console summary.
    pub fn text(&self, o: &Outcome, profile: &str, as_at: Option<NaiveDate>) -> String {
        let t = &o.totals;
        let mut s = String::new();
        let years: Vec<String> = o.window.years().iter().map(|y| year_label(*y)).collect();
        s += &format!("audit_903: collection year(s) {}; profile {profile}\n", years.join(", "));
        for st in &t.sources {
            let from = match st.year_from {
                super::YearFrom::Given => "given",
                super::YearFrom::FileName => "from the file name",
                super::YearFrom::Data => "from the data: check it",
            };
            s += &format!("  {} ({}): {} ({from})\n", st.file, st.table.as_str(), year_label(st.year));
        }
        s += &format!("{}\n", self.coverage_line());
        let a = &self.all;
        s += &format!("On time: {} of {} assessed reviews ({})\n", a.on_time, a.assessed, pct(a.on_time, a.assessed));
        s += &format!(
            "Late or overdue: {} missing statute's deadline, {} missing only a local profile's earlier deadline\n",
            self.missed_statutory, self.missed_local_only
        );
        if let Some(d) = as_at {
            s += &format!(
                "Overdue at {d}: {} due and not held, of {} ({} on the stated assumption); {} more open {} the data cannot decide\n",
                reviews(self.overdue),
                children(t.overdue_children),
                self.overdue_assumption,
                t.overdue_not_assessable,
                if t.overdue_not_assessable == 1 { "child" } else { "children" }
            );
        }
        s += &format!(
            "Never held before care ended (or the review regime ended) after falling due: {} {}\n",
            self.never_held,
            if self.never_held == 1 { "review" } else { "reviews" }
        );
        s += "By collection year (1 April to 31 March):      assessed            on time of assessed\n";
        for (y, c) in &self.by_year {
            s += &coverage_line(&year_label(*y), c);
        }
        s += "By review number:\n";
        for (name, c) in ["first  ", "second ", "later  ", "unknown"].iter().zip(&self.by_number) {
            s += &coverage_line(name, c);
        }
        s += "By basis of the deadline:\n";
        for b in Basis::ALL {
            s += &format!("  {:>9}  {}\n", self.by_basis.get(&b).copied().unwrap_or(0), b.as_str());
        }
        s += &format!(
            "Periods of care: {} ({} began before the data, {} of them with no start in the data); children: {}\n",
            t.periods, t.periods_before_data, t.periods_start_unknown, t.children
        );
        for (kind, used_name) in [(FileKind::Episodes, "used in periods of care"), (FileKind::Reviews, "audited")] {
            let sup = if kind == FileKind::Episodes {
                format!(" + {} superseded by a later year ({} conflicting)", t.superseded(), t.conflicts)
            } else {
                String::new()
            };
            s += &format!(
                "{:<9} {} rows read = {} {used_name} + {} rejected{sup}\n",
                format!("{}:", kind.as_str()),
                t.rows_in(kind),
                t.used(kind),
                t.rejected(kind)
            );
        }
        let ok = if t.balanced() { "yes" } else { "NO (a bug: please report it)" };
        s += &format!("rows in = rows out + rejects + superseded, for every file: {ok}\n");
        for kind in [FileKind::Episodes, FileKind::Reviews] {
            let mut v: Vec<_> = self.reasons.iter().filter(|((k, _), _)| *k == kind).collect();
            if v.is_empty() {
                continue;
            }
            v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            s += &format!("Rejected {} rows by reason:\n", kind.as_str());
            for ((_, k), n) in v {
                s += &format!("  {n:>9}  {k}\n");
            }
        }
        let how = match o.strategy {
            Strategy::InMemory => "in memory".to_string(),
            Strategy::Partitioned(n) => format!("partitioned by CHILD into {n} temporary files"),
        };
        s += &format!("Read: each file once; rows held {how}\n");
        s
    }

    fn chart(&self) -> String {
        let months: Vec<_> = self.monthly.iter().collect();
        if months.is_empty() {
            return "<p>No reviews audited.</p>".into();
        }
        let max = months.iter().map(|(_, c)| c.all).max().unwrap_or(1).max(1);
        let n = months.len();
        let (w, h, left, bottom, top) = (900.0f64, 260.0f64, 50.0f64, 40.0f64, 10.0f64);
        let bw = (w - left - 10.0) / n as f64;
        let scale = (h - bottom - top) / max as f64;
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" \
aria-label=\"Reviews per month: on time, late and not assessed\">"
        );
        s += &format!(
            "<line x1=\"{left}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"#555\"/>",
            y = h - bottom,
            x2 = w - 10.0
        );
        for k in 0..=4 {
            let v = max as f64 * k as f64 / 4.0;
            let y = h - bottom - v * scale;
            s += &format!(
                "<text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">{:.0}</text>\
<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#ddd\"/>",
                left - 4.0,
                y + 4.0,
                v,
                w - 10.0
            );
        }
        let every = n.div_ceil(10).max(1);
        for (i, ((y, m), c)) in months.iter().enumerate() {
            let x = left + i as f64 * bw + bw * 0.1;
            let bwi = bw * 0.8;
            let late = c.assessed - c.on_time;
            let na = c.all - c.assessed;
            let (on_h, late_h, na_h) = (c.on_time as f64 * scale, late as f64 * scale, na as f64 * scale);
            let base = h - bottom;
            s += &format!(
                "<g><title>{m:02}/{y}: {} on time, {late} late, {na} not assessed</title>\
<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bwi:.1}\" height=\"{on_h:.1}\" fill=\"#2e7d32\"/>\
<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bwi:.1}\" height=\"{late_h:.1}\" fill=\"#c62828\"/>\
<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{bwi:.1}\" height=\"{na_h:.1}\" fill=\"#bbb\"/></g>",
                c.on_time,
                base - on_h,
                base - on_h - late_h,
                base - on_h - late_h - na_h
            );
            if i % every == 0 {
                s += &format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">{}</text>",
                    x + bwi / 2.0,
                    h - bottom + 15.0,
                    NaiveDate::from_ymd_opt(*y, *m, 1).map(|d| d.format("%b %Y").to_string()).unwrap_or_default()
                );
            }
        }
        s += "</svg>";
        s
    }

    /// The self-contained HTML report (no external assets).
    pub fn html(&self, o: &Outcome, files: &[String], profile: &str, as_at: Option<NaiveDate>) -> String {
        let t = &o.totals;
        let a = &self.all;
        let years: Vec<String> = o.window.years().iter().map(|y| year_label(*y)).collect();
        let mut s = String::from(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Review timeliness audit</title>\
<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1000px}\
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ccc;border-radius:8px;padding:.8em 1.2em;min-width:150px}\
.card b{display:block;font-size:2em}\
table{border-collapse:collapse;width:100%;font-size:.9em}td,th{border-bottom:1px solid #ddd;padding:4px 6px;text-align:left}\
th{background:#f3f3f3}.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}\
small{color:#666}</style></head><body>",
        );
        s += &format!("<h1>Review timeliness audit: {}</h1>", esc(&years.join(", ")));
        s += &format!(
            "<p>{} &middot; profile <b>{}</b>{}</p>",
            esc(&files.join(" · ")),
            esc(profile),
            as_at.map(|d| format!(" &middot; as at {d}")).unwrap_or_default()
        );
        s += &format!("<p><b>{}</b></p>", esc(&self.coverage_line()));
        s += "<div class=\"cards\">";
        s += &format!(
            "<div class=\"card\"><b style=\"color:{}\">{}</b>of reviews assessed ({} of {})</div>",
            Colour::for_coverage(a.assessed, a.all).css(),
            pct(a.assessed, a.all),
            a.assessed,
            a.all
        );
        s += &format!(
            "<div class=\"card\"><b style=\"color:{}\">{}</b>of assessed reviews on time ({} of {})</div>",
            Colour::for_on_time(a.on_time, a.assessed).css(),
            pct(a.on_time, a.assessed),
            a.on_time,
            a.assessed
        );
        s += &format!("<div class=\"card\"><b>{}</b>on the stated assumption</div>", a.assumption);
        s += &format!(
            "<div class=\"card\"><b>{}</b>late or overdue against statute ({} more only against the local profile)</div>",
            self.missed_statutory, self.missed_local_only
        );
        s += &format!(
            "<div class=\"card\"><b>{}</b>never held: fell due before care (or the review regime) ended</div>",
            self.never_held
        );
        if as_at.is_some() {
            let who = if t.overdue_children == 1 { "child" } else { "children" };
            s += &format!(
                "<div class=\"card\"><b>{}</b>{who} overdue now ({} due and not held)</div>",
                t.overdue_children,
                reviews(self.overdue)
            );
        }
        s += &format!(
            "<div class=\"card\"><b>{}</b>rows rejected ({} episodes, {} reviews)</div>",
            t.rejected(FileKind::Episodes) + t.rejected(FileKind::Reviews),
            t.rejected(FileKind::Episodes),
            t.rejected(FileKind::Reviews)
        );
        s += "</div><p><small>Colours: on time green at 90% or more, amber 75-90%, red under 75%; assessed green at 90% \
or more, amber 50-90%, red under 50%; grey when there is nothing to measure.</small></p>";
        let table = |title: &str, rows: Vec<(String, Count)>| -> String {
            let mut s = format!(
                "<h2>{title}</h2><table><tr><th></th><th>Reviews</th><th>Assessed</th><th>%</th><th>On time</th>\
<th>% of assessed</th><th>On the assumption</th></tr>"
            );
            for (name, c) in rows {
                s += &format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&name),
                    c.all,
                    c.assessed,
                    pct(c.assessed, c.all),
                    c.on_time,
                    pct(c.on_time, c.assessed),
                    c.assumption
                );
            }
            s + "</table>"
        };
        s += &table("By collection year", self.by_year.iter().map(|(y, c)| (year_label(*y), *c)).collect());
        s += &table(
            "By review number",
            ["First", "Second", "Third or later", "Number not known"]
                .iter()
                .map(|x| x.to_string())
                .zip(self.by_number.iter().copied())
                .collect(),
        );
        s += "<h2>Reviews per month</h2><p class=\"key\"><span style=\"background:#2e7d32\"></span>on time\
<span style=\"background:#c62828\"></span>late<span style=\"background:#bbb\"></span>not assessed</p>";
        s += &self.chart();
        s += "<h2>Rejected rows</h2><table><tr><th>Table</th><th>Reason</th><th>Rows</th></tr>";
        let mut v: Vec<_> = self.reasons.iter().collect();
        v.sort_by(|a, b| (a.0 .0, std::cmp::Reverse(a.1)).cmp(&(b.0 .0, std::cmp::Reverse(b.1))));
        for ((k, r), n) in v {
            s += &format!("<tr><td>{}</td><td>{}</td><td>{n}</td></tr>", k.as_str(), esc(r));
        }
        s += "</table>";
        s += &format!(
            "<h2>Late and overdue reviews</h2><p><small>{} in all{}; overdue first, then the most late. \
The full list is in reviews_audit.csv.</small></p>",
            self.late_total,
            if self.late_total as usize > self.late.len() {
                format!(", showing {}", self.late.len())
            } else {
                String::new()
            }
        );
        s += "<table><tr><th>Child</th><th>Period from</th><th>Review</th><th>Held</th><th>Deadline</th>\
<th>Working days late</th><th>Basis</th><th>Missed</th><th>Note</th></tr>";
        for r in &self.late {
            s += &format!(
                "<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.child),
                r.period_start.map(|d| d.format("%d %b %Y").to_string()).unwrap_or_else(|| "before the data".into()),
                r.regime.map(|x| x.describe()).unwrap_or(""),
                r.review_number.map(|n| n.to_string()).unwrap_or_default(),
                r.review.map(|d| d.format("%d %b %Y").to_string()).unwrap_or_else(|| "<b>not held</b>".into()),
                r.deadline.map(|d| d.format("%d %b %Y").to_string()).unwrap_or_default(),
                r.working_days_late.map(|n| n.to_string()).unwrap_or_default(),
                r.basis.as_str(),
                r.missed.as_ref().map(|m| m.to_string()).unwrap_or_default(),
                esc(&r.note)
            );
        }
        s += "</table>";
        s += &format!(
            "<p><small>Episodes: {} rows = {} used + {} rejected + {} superseded by a later year ({} conflicting). \
Reviews: {} rows = {} audited + {} rejected. Deadlines by lac-timescales {}.</small></p></body></html>\n",
            t.rows_in(FileKind::Episodes),
            t.used(FileKind::Episodes),
            t.rejected(FileKind::Episodes),
            t.superseded(),
            t.conflicts,
            t.rows_in(FileKind::Reviews),
            t.used(FileKind::Reviews),
            t.rejected(FileKind::Reviews),
            env!("CARGO_PKG_VERSION")
        );
        s
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(child: &str, year: i32, review: Option<NaiveDate>, wd: i64, basis: Basis) -> AuditRow {
        AuditRow {
            child: Arc::from(child),
            collection_year: year,
            period_start: None,
            regime: None,
            review_number: Some(1 + (wd % 4) as u32),
            review,
            deadline: None,
            latest_working_day: None,
            on_time: if basis == Basis::NotAssessable { None } else { Some(wd == 0) },
            working_days_late: Some(wd),
            calendar_days_late: Some(wd),
            basis,
            missed: (wd > 0).then_some(crate::profile::Basis::Statutory),
            note: String::new(),
            line: 0,
            ended: None,
        }
    }

    #[test]
    fn add_chunk_counts_rows_rejects_and_superseded_copies() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let file: Arc<str> = Arc::from("SSDA903_2025_reviews.csv");
        let copy = |conflict: &str| Superseded {
            child: "a".into(),
            decom: NaiveDate::from_ymd_opt(2023, 5, 2).unwrap(),
            file: file.clone(),
            line: 2,
            year: 2024,
            kept_file: file.clone(),
            kept_line: 2,
            kept_year: 2025,
            conflict: conflict.into(),
        };
        let c = Chunk {
            rows: vec![
                row("a", 2025, d(2024, 6, 3), 0, Basis::KnownReviewNumber),
                row("b", 2025, d(2024, 7, 1), 4, Basis::Assumption),
            ],
            rejects: vec![Reject {
                file: file.clone(),
                table: FileKind::Reviews,
                line: 9,
                child: "c".into(),
                reason: "bad date in REVIEW: \"x\"".into(),
            }],
            superseded: vec![copy(""), copy("LS: \"C1\" (2023-24) vs \"C2\" (2024-25)")],
            ..Chunk::default()
        };
        let mut s = Summary::default();
        s.add_chunk(&c);
        // Two rows, both assessed, one on time, one late on the assumption.
        assert_eq!(s.all, Count { all: 2, assessed: 2, on_time: 1, assumption: 1 });
        assert_eq!((s.late_total, s.late.len()), (1, 1));
        assert_eq!(s.reasons.get(&(FileKind::Reviews, "bad date in REVIEW".to_string())), Some(&1));
        assert_eq!((s.superseded, s.conflicts), (2, 1));
    }

    #[test]
    fn add_rows_counts_what_add_row_counts() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        // Two months, two years, an overdue row (no review) and a row not assessed.
        let rows = [
            row("a", 2024, d(2024, 3, 5), 0, Basis::KnownReviewNumber),
            row("a", 2025, d(2024, 4, 1), 3, Basis::Assumption),
            row("b", 2025, d(2024, 4, 30), 0, Basis::NotAssessable),
            row("b", 2025, None, 9, Basis::DecidedByData),
        ];
        // 16 copies: 64 rows, enough for the arrays (fewer go row by row).
        let rows: Vec<AuditRow> = rows.iter().cycle().take(64).cloned().collect();
        let mut s = Summary::default();
        s.add_rows(&rows);
        assert_eq!(s.all, Count { all: 48, assessed: 32, on_time: 16, assumption: 16 });
        assert_eq!(s.by_year.get(&2024), Some(&Count { all: 16, assessed: 16, on_time: 16, assumption: 0 }));
        assert_eq!(s.by_year.get(&2025), Some(&Count { all: 32, assessed: 16, on_time: 0, assumption: 16 }));
        assert_eq!(s.monthly.keys().copied().collect::<Vec<_>>(), vec![(2024, 3), (2024, 4)]);
        assert_eq!(s.monthly[&(2024, 4)].all, 32);
        // The overdue row's basis is a key with no review counted, as add_row leaves it.
        let basis: Vec<(Basis, u64)> = s.by_basis.iter().map(|(b, n)| (*b, *n)).collect();
        assert_eq!(
            basis,
            vec![
                (Basis::KnownReviewNumber, 16),
                (Basis::DecidedByData, 0),
                (Basis::Assumption, 16),
                (Basis::NotAssessable, 16)
            ]
        );
        assert_eq!((s.overdue, s.missed_statutory, s.late_total), (16, 32, 32));

        // Many late rows in child order (so the cut matters): the same figures and the same list
        // as row by row.
        let many: Vec<AuditRow> = (0..5000)
            .map(|i| {
                let wd = (i * 7919 % 1000) as i64 + 1;
                let review = if i % 97 == 0 { None } else { d(2020 + i % 5, 1 + (i % 12) as u32, 1 + (i % 28) as u32) };
                // Now and then a date or a year far from the rest (counted row by row).
                let (review, year) = match i % 1001 {
                    500 => (d(1900, 1, 1), 1900),
                    900 => (review, 1800),
                    _ => (review, 2021 + i % 5),
                };
                row(&format!("c{:05}", i / 3), year, review, wd, Basis::KnownReviewNumber)
            })
            .collect();
        let (mut one, mut batch) = (Summary::default(), Summary::default());
        many.iter().for_each(|r| one.add_row(r));
        for part in many.chunks(777) {
            batch.add_rows(part);
        }
        one.keep_late();
        batch.keep_late();
        assert_eq!(format!("{:?}", one.by_year), format!("{:?}", batch.by_year));
        assert_eq!(format!("{:?}", one.monthly), format!("{:?}", batch.monthly));
        assert_eq!(one.by_basis, batch.by_basis);
        assert_eq!((one.all, one.by_number, one.late_total), (batch.all, batch.by_number, batch.late_total));
        assert_eq!(one.late, batch.late);
        // The list holds the most late rows: overdue (no review) first, then by working days late.
        let all_sorted = {
            let mut v = many.clone();
            v.sort_by(|a, b| late_key(a).cmp(&late_key(b)));
            v.truncate(REPORT_ROWS);
            v
        };
        assert_eq!(one.late, all_sorted);
        assert!(one.late[0].review.is_none() && one.late[REPORT_ROWS - 1].review.is_some());
    }
}

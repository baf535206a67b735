//! Exports of a schedule: CSV (RFC 4180) and iCalendar (RFC 5545).
//!
//! **CSV**: one row per obligation under a header ([`SCHEDULE_CSV_HEADER`]), CRLF line ends; a
//! field is quoted when it holds a comma, a double quote, CR or LF, and quotes inside are doubled.
//!
//! **iCalendar**: one `VTODO` per obligation. `DUE` is a `DATE` value, the last working day on or
//! before the legal deadline (the day to plan for); `SUMMARY` is the action; `DESCRIPTION` gives
//! the role, the legal deadline, the citation and the basis; `CATEGORIES` is the duty id; `STATUS`
//! is `COMPLETED` when the schedule (or a `duty_done` event via the audit) records it as done.
//! Lines end with CRLF and are folded at 75 octets (never inside a UTF-8 character); TEXT values
//! escape `\`, `;`, `,` and newlines.
//!
//! **UIDs** are stable: re-exporting the same case, or the case with later events added, gives
//! the same UID to the same obligation. A UID is a 128-bit FNV-1a hash (so that no case id or
//! child's detail appears in calendars) of: the case id, the duty, the role, the regime, the
//! review number, and the start date of the period of care; for an obligation that is not part
//! of a regular review (early reviews, rearrangement authorisations, duties counted from events)
//! also the name and date of its first triggering event. Obligations that would still share a
//! key are numbered in schedule order (`#2`, `#3`, ...) before hashing.
//!
//! ```
//! use chrono::NaiveDate;
//! use lac_timescales::export::{schedule_csv, schedule_ics, IcsOptions};
//! use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
//! use lac_timescales::schedule::{schedule, ScheduleOptions};
//! use lac_timescales::{calendar::Calendar, profile::Profile};
//!
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let case = CaseHistory::new(Jurisdiction::England, Child::default(),
//!     vec![Event::new(d(2026, 1, 1), EventKind::BecameLookedAfter)])?;
//! let s = schedule(&case, &Profile::builtin("england")?, &Calendar::england_and_wales(),
//!     &ScheduleOptions::default())?;
//! assert!(schedule_csv(&s).starts_with("index,duty,role,action,"));
//! let ics = schedule_ics(&s, &case, &IcsOptions { case_id: "case-1".into(), dtstamp: None });
//! assert!(ics.contains("DUE;VALUE=DATE:20260129\r\n"));
//! # Ok::<(), lac_timescales::Error>(())
//! ```

use std::fmt::Write as _;

use chrono::{NaiveDate, NaiveDateTime};

use crate::model::{CaseHistory, Duty, Regime};
use crate::schedule::{Breach, Obligation, Schedule};

pub use crate::csv::{csv_field, csv_row};

/// The columns of [`schedule_csv`]. Dates are `YYYY-MM-DD`, empty when absent; flags are `true`
/// or `false`; `breach` is the breach kind (e.g. `late_review`); `index` is the obligation's
/// number (as for `--explain N`).
pub const SCHEDULE_CSV_HEADER: [&str; 19] = [
    "index",
    "duty",
    "role",
    "action",
    "regime",
    "review_number",
    "earliest",
    "latest",
    "latest_working_day",
    "basis",
    "instrument",
    "provision",
    "citation_status",
    "done",
    "breach",
    "projected",
    "provisional",
    "early",
    "triggered_by",
];

/// The snake_case kind of a breach, as in its JSON `kind`.
pub fn breach_kind(b: &Breach) -> &'static str {
    b.kind()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// A schedule's obligations as CSV: the header [`SCHEDULE_CSV_HEADER`], then one row each, in
/// the schedule's order. `triggered_by` lists event indices separated by spaces.
pub fn schedule_csv(schedule: &Schedule) -> String {
    let mut out = String::new();
    csv_row(&mut out, SCHEDULE_CSV_HEADER);
    for (i, o) in schedule.obligations.iter().enumerate() {
        let triggers: Vec<String> = o.triggered_by.iter().map(|e| e.to_string()).collect();
        csv_row(
            &mut out,
            [
                i.to_string(),
                o.duty.as_str().to_string(),
                o.role.as_str().to_string(),
                o.action.to_string(),
                o.regime.map(|r| r.as_str().to_string()).unwrap_or_default(),
                o.review_number.map(|n| n.to_string()).unwrap_or_default(),
                date(o.earliest),
                date(o.latest),
                date(o.latest_working_day),
                o.basis.to_string(),
                o.citation.instrument.clone(),
                o.citation.provision.clone(),
                format!("{:?}", o.citation.status),
                date(o.done),
                o.breach.as_ref().map(breach_kind).unwrap_or_default().to_string(),
                o.projected.to_string(),
                o.provisional.to_string(),
                o.early.to_string(),
                triggers.join(" "),
            ],
        );
    }
    out
}

/// Options for [`schedule_ics`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IcsOptions {
    /// The case's identity in the caller's system (hashed into the UIDs, never written out).
    pub case_id: String,
    /// The `DTSTAMP` of every item (UTC). Default: midnight UTC at the start of the schedule's
    /// as-at date, so that the same schedule always gives the same file.
    pub dtstamp: Option<NaiveDateTime>,
}

/// 128-bit FNV-1a of `text`, as 32 hex digits.
fn fnv1a_128(text: &str) -> String {
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013B;
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in text.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(PRIME);
    }
    format!("{h:032x}")
}

/// The stable UID of every obligation of `schedule` (see the module docs), in schedule order.
pub fn obligation_uids(schedule: &Schedule, case: &CaseHistory, case_id: &str) -> Vec<String> {
    let events = case.events();
    let periods = &case.walk().periods;
    let mut keys: Vec<String> = Vec::with_capacity(schedule.obligations.len());
    let mut out = Vec::with_capacity(schedule.obligations.len());
    for o in &schedule.obligations {
        let first_trigger = o.triggered_by.first().and_then(|&e| events.get(e));
        let reference = first_trigger.map(|e| e.date).or(o.earliest).or(o.latest);
        let care_start = reference
            .and_then(|r| periods.iter().filter(|p| p.start <= r).map(|p| p.start).max())
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into());
        let mut key = format!(
            "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{care_start}",
            case_id.len(),
            case_id,
            o.duty,
            o.role,
            o.regime.map_or("-", Regime::as_str),
        );
        let _ = write!(key, "\u{1f}{}", o.review_number.map(|n| n.to_string()).unwrap_or_else(|| "-".into()));
        if !is_regular(o) {
            let t = first_trigger.map(|e| format!("{}@{}", e.kind.name(), e.date)).unwrap_or_else(|| "-".into());
            let _ = write!(key, "\u{1f}{t}");
        }
        let n = keys.iter().filter(|k| **k == key).count();
        keys.push(key.clone());
        if n > 0 {
            let _ = write!(key, "#{}", n + 1);
        }
        out.push(format!("{}@lac-timescales", fnv1a_128(&key)));
    }
    out
}

/// Part of a regular review (its number and regime identify it within a period of care).
fn is_regular(o: &Obligation) -> bool {
    o.regime.is_some() && o.review_number.is_some() && !o.early && o.duty != Duty::AuthoriseRearrangement
}

/// Escapes a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines; other
/// control characters (not allowed in TEXT) become spaces.
pub fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no line exceeds 75 octets (continuation lines start
/// with a space, which counts), never splitting a UTF-8 character; ends with CRLF.
pub fn ics_line(out: &mut String, line: &str) {
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

fn ics_date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn long_date(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// The schedule as an iCalendar file (see the module docs).
pub fn schedule_ics(schedule: &Schedule, case: &CaseHistory, options: &IcsOptions) -> String {
    let stamp = options
        .dtstamp
        .or_else(|| schedule.metadata.as_at.and_then(|d| d.and_hms_opt(0, 0, 0)))
        .map(|t| t.format("%Y%m%dT%H%M%SZ").to_string())
        .unwrap_or_else(|| "19710101T000000Z".into());
    let uids = obligation_uids(schedule, case, &options.case_id);
    let mut out = String::new();
    ics_line(&mut out, "BEGIN:VCALENDAR");
    ics_line(&mut out, "VERSION:2.0");
    ics_line(&mut out, &format!("PRODID:-//lac-timescales//lac-timescales {}//EN", env!("CARGO_PKG_VERSION")));
    ics_line(&mut out, "CALSCALE:GREGORIAN");
    for (o, uid) in schedule.obligations.iter().zip(&uids) {
        ics_line(&mut out, "BEGIN:VTODO");
        ics_line(&mut out, &format!("UID:{uid}"));
        ics_line(&mut out, &format!("DTSTAMP:{stamp}"));
        if let Some(w) = o.latest_working_day {
            ics_line(&mut out, &format!("DUE;VALUE=DATE:{}", ics_date(w)));
        }
        ics_line(&mut out, &format!("SUMMARY:{}", ics_text(&o.action)));
        ics_line(&mut out, &format!("DESCRIPTION:{}", ics_text(&description(o))));
        ics_line(&mut out, &format!("CATEGORIES:{}", ics_text(o.duty.as_str())));
        ics_line(&mut out, if o.done.is_some() { "STATUS:COMPLETED" } else { "STATUS:NEEDS-ACTION" });
        ics_line(&mut out, "END:VTODO");
    }
    ics_line(&mut out, "END:VCALENDAR");
    out
}

fn description(o: &Obligation) -> String {
    let mut lines = vec![format!("Who: {}", o.role.describe())];
    match (o.review_number, o.regime) {
        (Some(n), Some(r)) => {
            lines.push(format!("Review: {n} ({}){}", r.describe(), if o.early { ", early review" } else { "" }))
        }
        // A repeating duty (a visit): which one in its run.
        (Some(n), None) => lines.push(format!("Number: {n}")),
        _ => {}
    }
    match (o.latest, o.latest_working_day) {
        (Some(l), Some(w)) if l != w => {
            lines.push(format!("Legal deadline: {} (not a working day; plan to act by {})", long_date(l), long_date(w)))
        }
        (Some(l), _) => lines.push(format!("Legal deadline: {}", long_date(l))),
        _ => lines.push("Legal deadline: no day fixed".into()),
    }
    let c = &o.citation;
    lines.push(format!("Authority: {}, {} [{:?}]", c.instrument, c.provision, c.status));
    if let Some(n) = &c.note {
        lines.push(format!("Note: {n}"));
    }
    lines.push(format!("Basis: {}", o.basis));
    if let Some(d) = o.done {
        lines.push(format!("Done: {}", long_date(d)));
    }
    if let Some(b) = &o.breach {
        lines.push(format!("Breach: {}", breach_kind(b)));
    }
    if o.projected {
        lines.push("Projected: rests on an assumed review date".into());
    }
    if o.provisional {
        lines.push("Provisional: relies on bank holidays not yet announced".into());
    }
    lines.join("\n")
}

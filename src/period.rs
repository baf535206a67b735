//! Periods and the two ways of counting them. **The only place counting rules live.**
//!
//! | Phrase in the rule | Function | Meaning |
//! |---|---|---|
//! | "within P of/after X" | [`within_after`] | X is day 0 and never counts; the deadline is the last day of P after X |
//! | "at least P before X" | [`at_least_before`] | the latest date that still leaves P before X |
//!
//! Counting for each kind of period:
//! - **working days**: the n-th working day after (or before) X. X may itself be a non-working day.
//!   20 working days after Thu 1 Jan 2026 is Thu 29 Jan 2026.
//! - **days / weeks**: X plus (or minus) n (or 7n) calendar days. 4 weeks after 3 Feb is 3 Mar.
//! - **months**: the corresponding date n months later; if that month is too short, its last day
//!   (*Dodds v Walker* \[1981\] 1 WLR 1027). Always counted from X itself, never from an earlier
//!   deadline: 31 Aug + 3 months = 30 Nov; 30 Nov 2027 + 3 months = 29 Feb 2028;
//!   28 Feb 2023 + 6 months = 28 Aug 2023. Before X: the latest date D with D + n months <= X
//!   (so 1 month before 28 Feb 2023 is 31 Jan 2023, because 31 Jan + 1 month = 28 Feb).
//! - **hours**: events carry dates, not times, so n hours resolve to whole calendar days: the
//!   deadline is the day on which n hours after the event can end at the latest, X + ceil(n/24)
//!   days ("24 hours" = the next day, "48 hours" = two days later); before X: X - ceil(n/24) days.
//!
//! Calendar-day, week, month and hour deadlines are **not** moved off weekends or bank holidays
//! by law: each [`Deadline`] reports the legal date and, beside it, the last working day on or
//! before it (the day to plan for).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::calendar::Calendar;
use crate::error::{Error, Result};

/// A length of time in a rule: "20 working days", "28 days", "4 weeks", "3 months", "24 hours".
///
/// Parsed from and printed as that short text (singular for 1: "1 month"), and serialised as it.
///
/// # Example
/// ```
/// use lac_timescales::period::Period;
/// let p: Period = "20 working days".parse()?;
/// assert_eq!(p, Period::WorkingDays(20));
/// assert_eq!(Period::Months(1).to_string(), "1 month");
/// assert!("three months".parse::<Period>().is_err());
/// # Ok::<(), lac_timescales::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Working days in England and Wales.
    WorkingDays(u32),
    /// Calendar days.
    Days(u32),
    /// Weeks of seven calendar days.
    Weeks(u32),
    /// Calendar months, by the corresponding-date rule.
    Months(u32),
    /// Hours, resolved to whole calendar days (see the module docs).
    Hours(u32),
}

/// The largest count a period may have: keeps every computation inside the calendar range.
pub const MAX_COUNT: u32 = 100_000;

impl Period {
    /// The number in the period.
    pub fn count(self) -> u32 {
        match self {
            Period::WorkingDays(n) | Period::Days(n) | Period::Weeks(n) | Period::Months(n) | Period::Hours(n) => n,
        }
    }

    fn unit(self) -> (&'static str, &'static str) {
        match self {
            Period::WorkingDays(_) => ("working day", "working days"),
            Period::Days(_) => ("day", "days"),
            Period::Weeks(_) => ("week", "weeks"),
            Period::Months(_) => ("month", "months"),
            Period::Hours(_) => ("hour", "hours"),
        }
    }

    /// Calendar days that an hours period resolves to: ceil(n / 24).
    fn hours_as_days(n: u32) -> u64 {
        u64::from(n).div_ceil(24)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (one, many) = self.unit();
        let n = self.count();
        write!(f, "{n} {}", if n == 1 { one } else { many })
    }
}

impl FromStr for Period {
    type Err = Error;

    fn from_str(text: &str) -> Result<Period> {
        let bad = |reason: &str| Error::InvalidPeriod { text: text.to_string(), reason: reason.to_string() };
        let words: Vec<&str> = text.split_whitespace().collect();
        let (number, unit) = match words.as_slice() {
            [n, u] => (*n, u.to_ascii_lowercase()),
            [n, w, u] => (*n, format!("{} {}", w.to_ascii_lowercase(), u.to_ascii_lowercase())),
            _ => return Err(bad("expected a number and a unit, e.g. \"20 working days\", \"3 months\"")),
        };
        let n: u32 = number.parse().map_err(|_| bad("the number must be a whole number written in digits"))?;
        if n > MAX_COUNT {
            return Err(bad("the number is too large (at most 100000)"));
        }
        let p = match unit.as_str() {
            "working day" | "working days" => Period::WorkingDays(n),
            "day" | "days" => Period::Days(n),
            "week" | "weeks" => Period::Weeks(n),
            "month" | "months" => Period::Months(n),
            "hour" | "hours" => Period::Hours(n),
            _ => return Err(bad("unknown unit (expected working days, days, weeks, months or hours)")),
        };
        Ok(p)
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Period, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Which way a period is counted from its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// "within P after the anchor": see [`within_after`].
    After,
    /// "at least P before the anchor": see [`at_least_before`].
    Before,
}

/// A computed deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The legal deadline.
    pub date: NaiveDate,
    /// The last working day on or before the legal deadline: the day to plan for. Equal to
    /// `date` for periods of one or more working days (a period of 0 working days from a
    /// non-working day keeps that day as `date` and plans for the working day before it).
    pub latest_working_day: NaiveDate,
    /// True when the count relied on bank holidays projected for a year not yet announced.
    pub provisional: bool,
}

/// Counts `period` from `anchor` in `direction`: [`within_after`] or [`at_least_before`].
///
/// # Errors
/// As [`within_after`].
pub fn count(anchor: NaiveDate, period: Period, direction: Direction, calendar: &Calendar) -> Result<Deadline> {
    match direction {
        Direction::After => within_after(anchor, period, calendar),
        Direction::Before => at_least_before(anchor, period, calendar),
    }
}

/// [`count`] for the engine's hot path: the same deadline, or `None` where [`count`] gives an
/// error (then ask [`count`] for it). Working days are counted here, inline; the legal deadline
/// of the other periods by [`date_after_opt`] and [`date_before_opt`], out of line, and its day
/// to plan for here again. Those two return only a date, which comes back in a register: a whole
/// `Deadline` returned through memory and read back at once stalled the engine's loops on a
/// store forwarded to a wider load (`perf annotate`). The same counting as the public functions,
/// which are built on these (a unit test compares them with the plain versions).
#[inline(always)]
pub(crate) fn count_opt(
    anchor: NaiveDate,
    period: Period,
    direction: Direction,
    calendar: &Calendar,
) -> Option<Deadline> {
    // The n-th working day after or before (n > 0) is itself a working day in range.
    let date = match (period, direction) {
        (Period::WorkingDays(n @ 1..), Direction::After) => calendar.add_working_days_opt(anchor, n)?,
        (Period::WorkingDays(n @ 1..), Direction::Before) => calendar.sub_working_days_opt(anchor, n)?,
        (_, Direction::After) => return finish_opt(anchor, date_after_opt(anchor, period, calendar)?, calendar),
        (_, Direction::Before) => return finish_opt(anchor, date_before_opt(anchor, period, calendar)?, calendar),
    };
    Some(Deadline { date, latest_working_day: date, provisional: calendar.is_provisional(anchor, date) })
}

/// [`within_after`], or `None` where it gives an error.
fn within_after_opt(anchor: NaiveDate, period: Period, calendar: &Calendar) -> Option<Deadline> {
    if let Period::WorkingDays(n @ 1..) = period {
        let date = calendar.add_working_days_opt(anchor, n)?;
        return Some(Deadline { date, latest_working_day: date, provisional: calendar.is_provisional(anchor, date) });
    }
    finish_opt(anchor, date_after_opt(anchor, period, calendar)?, calendar)
}

/// The legal deadline of `period` (not a positive number of working days) after `anchor`, its
/// range not yet checked: `None` when `anchor` lies outside the calendar or the date overflows.
#[inline(never)]
fn date_after_opt(anchor: NaiveDate, period: Period, calendar: &Calendar) -> Option<NaiveDate> {
    if !calendar.in_range(anchor) {
        return None;
    }
    match period {
        Period::WorkingDays(_) => Some(anchor),
        Period::Days(n) => anchor.checked_add_days(Days::new(n.into())),
        Period::Weeks(n) => anchor.checked_add_days(Days::new(u64::from(n) * 7)),
        Period::Months(n) => add_months(anchor, n),
        Period::Hours(n) => anchor.checked_add_days(Days::new(Period::hours_as_days(n))),
    }
}

/// [`at_least_before`], or `None` where it gives an error.
fn at_least_before_opt(anchor: NaiveDate, period: Period, calendar: &Calendar) -> Option<Deadline> {
    if let Period::WorkingDays(n @ 1..) = period {
        let date = calendar.sub_working_days_opt(anchor, n)?;
        return Some(Deadline { date, latest_working_day: date, provisional: calendar.is_provisional(anchor, date) });
    }
    finish_opt(anchor, date_before_opt(anchor, period, calendar)?, calendar)
}

/// The legal deadline of `period` (not a positive number of working days) before `anchor`, its
/// range not yet checked: `None` when the date overflows, or when `anchor` lies outside the
/// calendar and the period is not one of nothing ("0 days before the review": the anchor itself,
/// whose range [`finish_opt`] checks; counted after an anchor, such periods are too rare to test
/// for).
#[inline(never)]
fn date_before_opt(anchor: NaiveDate, period: Period, calendar: &Calendar) -> Option<NaiveDate> {
    if period.count() == 0 {
        return Some(anchor);
    }
    if !calendar.in_range(anchor) {
        return None;
    }
    match period {
        Period::WorkingDays(_) => Some(anchor),
        Period::Days(n) => anchor.checked_sub_days(Days::new(n.into())),
        Period::Weeks(n) => anchor.checked_sub_days(Days::new(u64::from(n) * 7)),
        Period::Months(n) => months_before(anchor, n),
        Period::Hours(n) => anchor.checked_sub_days(Days::new(Period::hours_as_days(n))),
    }
}

/// The deadline on `date`: `None` when `date` is outside the range or no working day precedes it.
#[inline(always)]
fn finish_opt(anchor: NaiveDate, date: NaiveDate, calendar: &Calendar) -> Option<Deadline> {
    let latest_working_day = calendar.plan_day(date)??;
    Some(Deadline { date, latest_working_day, provisional: calendar.is_provisional(anchor, date) })
}

/// The deadline for something that must happen "within `period` after `anchor`".
///
/// # Errors
/// [`Error::DateOutOfRange`] when the anchor or the deadline lies outside the calendar's range.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use lac_timescales::{calendar::Calendar, period::{within_after, Period}};
/// let cal = Calendar::england_and_wales();
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// // 3 months after 31 August is 30 November (the month is too short for the 31st).
/// let dl = within_after(d(2026, 8, 31), Period::Months(3), &cal)?;
/// assert_eq!(dl.date, d(2026, 11, 30));
/// // 28 days after Fri 4 Dec 2026 is Fri 1 Jan 2027, a bank holiday: plan for Thu 31 Dec.
/// let dl = within_after(d(2026, 12, 4), Period::Days(28), &cal)?;
/// assert_eq!((dl.date, dl.latest_working_day), (d(2027, 1, 1), d(2026, 12, 31)));
/// # Ok::<(), lac_timescales::Error>(())
/// ```
pub fn within_after(anchor: NaiveDate, period: Period, calendar: &Calendar) -> Result<Deadline> {
    match within_after_opt(anchor, period, calendar) {
        Some(d) => Ok(d),
        None => within_after_checked(anchor, period, calendar),
    }
}

/// [`within_after`] step by step, with its errors (the plain version of [`within_after_opt`]).
#[cold]
fn within_after_checked(anchor: NaiveDate, period: Period, calendar: &Calendar) -> Result<Deadline> {
    // The n-th working day after (n > 0) is itself a working day in range: no look-ups left (the
    // count checks the anchor's range, with the same error as `check_in_range`).
    if let Period::WorkingDays(n @ 1..) = period {
        let date = calendar.add_working_days(anchor, n)?;
        return Ok(Deadline { date, latest_working_day: date, provisional: calendar.is_provisional(anchor, date) });
    }
    calendar.check_in_range(anchor)?;
    let overflow = || out_of_range(anchor, period, "after");
    let date = match period {
        Period::WorkingDays(n) => calendar.add_working_days(anchor, n)?,
        Period::Days(n) => anchor.checked_add_days(Days::new(n.into())).ok_or_else(overflow)?,
        Period::Weeks(n) => anchor.checked_add_days(Days::new(u64::from(n) * 7)).ok_or_else(overflow)?,
        Period::Months(n) => add_months(anchor, n).ok_or_else(overflow)?,
        Period::Hours(n) => anchor.checked_add_days(Days::new(Period::hours_as_days(n))).ok_or_else(overflow)?,
    };
    finish(anchor, date, period, calendar, "after")
}

/// The latest date on which something that must happen "at least `period` before `anchor`" can
/// still be done.
///
/// # Errors
/// [`Error::DateOutOfRange`] when the anchor or the result lies outside the calendar's range.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use lac_timescales::{calendar::Calendar, period::{at_least_before, Period}};
/// let cal = Calendar::england_and_wales();
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// // 10 working days before Tue 5 Jan 2027 skips Christmas (Fri 25, Mon 28) and New Year (Fri 1).
/// assert_eq!(at_least_before(d(2027, 1, 5), Period::WorkingDays(10), &cal)?.date, d(2026, 12, 17));
/// // 5 days before Thu 7 May 2026 is Sat 2 May: plan for Fri 1 May.
/// let dl = at_least_before(d(2026, 5, 7), Period::Days(5), &cal)?;
/// assert_eq!((dl.date, dl.latest_working_day), (d(2026, 5, 2), d(2026, 5, 1)));
/// # Ok::<(), lac_timescales::Error>(())
/// ```
pub fn at_least_before(anchor: NaiveDate, period: Period, calendar: &Calendar) -> Result<Deadline> {
    match at_least_before_opt(anchor, period, calendar) {
        Some(d) => Ok(d),
        None => at_least_before_checked(anchor, period, calendar),
    }
}

/// [`at_least_before`] step by step, with its errors (the plain version of [`at_least_before_opt`]).
#[cold]
fn at_least_before_checked(anchor: NaiveDate, period: Period, calendar: &Calendar) -> Result<Deadline> {
    // As `within_after`: the n-th working day before is a working day in range.
    if let Period::WorkingDays(n @ 1..) = period {
        let date = calendar.sub_working_days(anchor, n)?;
        return Ok(Deadline { date, latest_working_day: date, provisional: calendar.is_provisional(anchor, date) });
    }
    calendar.check_in_range(anchor)?;
    let overflow = || out_of_range(anchor, period, "before");
    let date = match period {
        Period::WorkingDays(n) => calendar.sub_working_days(anchor, n)?,
        Period::Days(n) => anchor.checked_sub_days(Days::new(n.into())).ok_or_else(overflow)?,
        Period::Weeks(n) => anchor.checked_sub_days(Days::new(u64::from(n) * 7)).ok_or_else(overflow)?,
        Period::Months(n) => months_before(anchor, n).ok_or_else(overflow)?,
        Period::Hours(n) => anchor.checked_sub_days(Days::new(Period::hours_as_days(n))).ok_or_else(overflow)?,
    };
    finish(anchor, date, period, calendar, "before")
}

/// `anchor` plus `n` months by the corresponding-date rule: the same day of the month `n` months
/// later, or that month's last day when the month is too short. The result of chrono's
/// `checked_add_months` (a unit test compares the two), worked out on the year and month numbers
/// in about half the instructions.
fn add_months(anchor: NaiveDate, n: u32) -> Option<NaiveDate> {
    let months = i64::from(anchor.year()) * 12 + i64::from(anchor.month0()) + i64::from(n);
    let year = i32::try_from(months.div_euclid(12)).ok()?;
    let month = (months.rem_euclid(12) + 1) as u32;
    let last = match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    };
    NaiveDate::from_ymd_opt(year, month, anchor.day().min(last))
}

/// The latest date D with D + n months <= anchor (corresponding-date rule, month-end fall-back).
fn months_before(anchor: NaiveDate, n: u32) -> Option<NaiveDate> {
    let back = anchor.checked_sub_months(Months::new(n))?;
    let anchor_is_month_end = anchor.succ_opt().is_none_or(|next| next.month() != anchor.month());
    if anchor_is_month_end {
        // Every day of `back`'s month lands on or before the anchor: take the month's last day.
        let first_of_next =
            NaiveDate::from_ymd_opt(back.year(), back.month(), 1)?.checked_add_months(Months::new(1))?;
        first_of_next.pred_opt()
    } else {
        Some(back)
    }
}

fn finish(anchor: NaiveDate, date: NaiveDate, period: Period, calendar: &Calendar, dir: &str) -> Result<Deadline> {
    // The range check and the day to plan for in one look-up.
    let latest_working_day = match calendar.plan_day(date) {
        None => return Err(out_of_range(anchor, period, dir)),
        Some(Some(d)) => d,
        // No working day before it in the range: the calendar's own error.
        Some(None) => calendar.last_working_day_on_or_before(date)?,
    };
    Ok(Deadline { date, latest_working_day, provisional: calendar.is_provisional(anchor, date) })
}

#[cold]
fn out_of_range(anchor: NaiveDate, period: Period, dir: &str) -> Error {
    Error::ResultOutOfRange {
        date: anchor,
        what: format!("{period} {dir}"),
        first: crate::calendar::FIRST_DATE,
        last: crate::calendar::LAST_DATE,
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A period as short text: \"20 working days\", \"28 days\", \"4 weeks\", \"3 months\", \"24 hours\".",
            "pattern": "^\\s*[0-9]+\\s+(working\\s+)?(day|days|week|weeks|month|months|hour|hours)\\s*$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `add_months` gives chrono's `checked_add_months` for every third day of 1970-2200 (each
    /// day of the month in turn) and at the edges of chrono's range, for month counts from 0 to well
    /// past a century (leap years, month ends, the end of chrono's range).
    #[test]
    fn add_months_is_chronos_checked_add_months() {
        let mut n_checked = 0;
        let ns: Vec<u32> =
            (0..=50).chain([59, 60, 61, 119, 120, 121, 1_199, 1_200, 1_201, 4_800, 99_999, 100_000]).collect();
        let start = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for d in start.iter_days().take_while(|d| d.year() <= 2200).step_by(3) {
            for &n in &ns {
                assert_eq!(add_months(d, n), d.checked_add_months(Months::new(n)), "{d} + {n} months");
                n_checked += 1;
            }
        }
        for d in [NaiveDate::MAX, NaiveDate::MIN, NaiveDate::from_ymd_opt(262_000, 2, 29).unwrap()] {
            for n in [0, 1, 11, 12, 13, 100_000] {
                assert_eq!(add_months(d, n), d.checked_add_months(Months::new(n)), "{d} + {n} months");
            }
        }
        // Worked by hand: 31 Aug + 3 months = 30 Nov; 30 Nov 2027 + 3 = 29 Feb 2028;
        // 29 Feb 2028 + 12 = 28 Feb 2029; 31 Jan 2100 + 1 = 28 Feb 2100 (not a leap year).
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(add_months(d(2026, 8, 31), 3), Some(d(2026, 11, 30)));
        assert_eq!(add_months(d(2027, 11, 30), 3), Some(d(2028, 2, 29)));
        assert_eq!(add_months(d(2028, 2, 29), 12), Some(d(2029, 2, 28)));
        assert_eq!(add_months(d(2100, 1, 31), 1), Some(d(2100, 2, 28)));
        assert_eq!(add_months(d(2000, 1, 31), 1), Some(d(2000, 2, 29)));
        assert!(n_checked > 1_000_000, "{n_checked}");
    }

    /// The fast counts (`count_opt`, and so `within_after` and `at_least_before`) give the step
    /// by step versions' deadlines, and `None` exactly where those give an error, for anchors
    /// across the whole calendar and outside it, every kind of period and counts up to the most
    /// allowed. The errors themselves come from the step by step versions.
    #[test]
    fn fast_counts_are_the_step_by_step_counts() {
        let cal = Calendar::england_and_wales();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let first = crate::calendar::FIRST_DATE;
        let last = crate::calendar::LAST_DATE;
        let mut anchors: Vec<NaiveDate> = first.iter_days().take_while(|x| *x <= last).step_by(11).collect();
        for edge in [first, last] {
            for k in -40i64..=40 {
                anchors.extend(edge.checked_add_signed(chrono::TimeDelta::days(k)));
            }
        }
        anchors.extend([
            NaiveDate::MIN,
            NaiveDate::MAX,
            d(2026, 12, 25),
            d(2026, 12, 28),
            d(2024, 2, 29),
            d(2023, 1, 31),
        ]);
        let counts = [0, 1, 2, 3, 5, 7, 10, 15, 20, 24, 25, 28, 31, 48, 59, 60, 100, 365, 1_000, 40_000, MAX_COUNT];
        let (mut ok, mut err) = (0, 0);
        for &a in &anchors {
            for &n in &counts {
                for p in
                    [Period::WorkingDays(n), Period::Days(n), Period::Weeks(n), Period::Months(n), Period::Hours(n)]
                {
                    let after = within_after_checked(a, p, &cal);
                    let before = at_least_before_checked(a, p, &cal);
                    for (dir, plain) in [(Direction::After, after), (Direction::Before, before)] {
                        let fast = count_opt(a, p, dir, &cal);
                        let public = count(a, p, dir, &cal);
                        match &plain {
                            Ok(dl) => {
                                assert_eq!(fast, Some(*dl), "{a} {p} {dir:?}");
                                ok += 1;
                            }
                            Err(e) => {
                                assert_eq!(fast, None, "{a} {p} {dir:?}: {e}");
                                err += 1;
                            }
                        }
                        assert_eq!(public.as_ref().ok(), plain.as_ref().ok(), "{a} {p} {dir:?}");
                        assert_eq!(
                            public.as_ref().err().map(ToString::to_string),
                            plain.as_ref().err().map(ToString::to_string),
                            "{a} {p} {dir:?}"
                        );
                    }
                }
            }
        }
        assert!(ok > 500_000 && err > 10_000, "{ok} {err}");
        // Worked by hand: 20 working days after Thu 1 Jan 2026 is Thu 29 Jan 2026; 1 month before
        // 28 Feb 2023 is 31 Jan 2023; 28 days after Fri 4 Dec 2026 is Fri 1 Jan 2027 (plan for
        // Thu 31 Dec 2026).
        assert_eq!(
            count_opt(d(2026, 1, 1), Period::WorkingDays(20), Direction::After, &cal).map(|x| x.date),
            Some(d(2026, 1, 29))
        );
        assert_eq!(
            count_opt(d(2023, 2, 28), Period::Months(1), Direction::Before, &cal).map(|x| x.date),
            Some(d(2023, 1, 31))
        );
        let dl = count_opt(d(2026, 12, 4), Period::Days(28), Direction::After, &cal).unwrap();
        assert_eq!((dl.date, dl.latest_working_day), (d(2027, 1, 1), d(2026, 12, 31)));
    }
}

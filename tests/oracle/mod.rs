//! A second, deliberately naive reading of the law, for differential tests of the engine
//! (`tests/oracle_*.rs`).
//!
//! Nothing here uses the library: not its `Calendar`, not its `period` module, not its profiles.
//! The calendar is built from the rules written in `../shared/reference/statutory-timescales.md`
//! section 5 (the 1971 Act's Schedule 1, the common-law days, the annual proclamations and the
//! one-off changes table), typed out below; Easter is the anonymous Gregorian computus. Days are
//! counted one at a time. The counting conventions are those of the same reference, section 4:
//!
//! - "within N working days of X": X is day 0 and never counts; the deadline is the N-th working
//!   day after X ([`working_days_after`]);
//! - "at least N working days before R": the N-th working day before R
//!   ([`working_days_before`]);
//! - "within N days / weeks of X": X + N (or 7N) calendar days ([`days_after`]);
//! - "within N months of X": the same day N months later, or the last day of that month when
//!   it is too short ([`months_after`]), no month-end stickiness;
//! - calendar and month deadlines are not moved off non-working days; the day to plan for is the
//!   last working day on or before the deadline ([`last_working_day_on_or_before`]).
//!
//! It is slow on purpose (a day at a time): it is the thing the engine is checked against.
#![allow(dead_code)]

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::HashSet;
use std::sync::OnceLock;

/// A date, panicking on a bad one (test code only).
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Easter Sunday (Gregorian), the "anonymous" algorithm (Meeus/Jones/Butcher).
pub fn easter_sunday(y: i32) -> NaiveDate {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let dd = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - dd - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    d(y, month as u32, day as u32)
}

fn is_weekend(x: NaiveDate) -> bool {
    matches!(x.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The first `wd` on or after `from`.
fn first_on_or_after(from: NaiveDate, wd: Weekday) -> NaiveDate {
    let mut x = from;
    while x.weekday() != wd {
        x = x.succ_opt().unwrap();
    }
    x
}

/// The last `wd` on or before `from`.
fn last_on_or_before(from: NaiveDate, wd: Weekday) -> NaiveDate {
    let mut x = from;
    while x.weekday() != wd {
        x = x.pred_opt().unwrap();
    }
    x
}

/// The bank holidays (and common-law holidays) of England and Wales in year `y`, as the
/// reference's section 5 states them. Only weekdays matter for counting, but weekend days that
/// are holidays (Christmas Day on a Saturday) are listed too.
pub fn holidays_of_year(y: i32) -> Vec<NaiveDate> {
    let mut v = Vec::new();
    let easter = easter_sunday(y);
    // Common law: Good Friday, Christmas Day.
    v.push(easter - Days::new(2));
    v.push(d(y, 12, 25));
    // Schedule 1 of the 1971 Act: Easter Monday, last Monday in May, last Monday in August,
    // 26 December if not a Sunday, 27 December when 25 or 26 December is a Sunday.
    v.push(easter + Days::new(1));
    let spring = last_on_or_before(d(y, 5, 31), Weekday::Mon);
    let summer = last_on_or_before(d(y, 8, 31), Weekday::Mon);
    v.push(summer);
    // Proclamations: the substitute days when Christmas Day or Boxing Day falls at a weekend.
    //   25 Dec Sat -> Mon 27 and Tue 28; 25 Dec Sun -> Mon 26 and Tue 27; 26 Dec Sat -> Mon 28.
    match d(y, 12, 25).weekday() {
        Weekday::Sat => {
            v.push(d(y, 12, 26)); // a Sunday: listed for completeness
            v.push(d(y, 12, 27));
            v.push(d(y, 12, 28));
        }
        Weekday::Sun => {
            v.push(d(y, 12, 26));
            v.push(d(y, 12, 27));
        }
        Weekday::Fri => {
            v.push(d(y, 12, 26)); // a Saturday
            v.push(d(y, 12, 28));
        }
        _ => v.push(d(y, 12, 26)),
    }
    // New Year's Day from 1974; at a weekend, the next Monday.
    if y >= 1974 {
        let ny = d(y, 1, 1);
        v.push(if is_weekend(ny) { first_on_or_after(ny, Weekday::Mon) } else { ny });
    }
    // First Monday in May from 1978.
    let early_may = (y >= 1978).then(|| first_on_or_after(d(y, 5, 1), Weekday::Mon));
    // One-off changes: the reference's table, typed out.
    let (spring, early_may) = match y {
        1977 => (d(1977, 6, 6), early_may),
        1995 => (spring, Some(d(1995, 5, 8))),
        2002 => (d(2002, 6, 4), early_may),
        2012 => (d(2012, 6, 4), early_may),
        2020 => (spring, Some(d(2020, 5, 8))),
        2022 => (d(2022, 6, 2), early_may),
        _ => (spring, early_may),
    };
    v.push(spring);
    v.extend(early_may);
    v.extend(match y {
        1977 => vec![d(1977, 6, 7)],
        1981 => vec![d(1981, 7, 29)],
        1999 => vec![d(1999, 12, 31)],
        2002 => vec![d(2002, 6, 3)],
        2011 => vec![d(2011, 4, 29)],
        2012 => vec![d(2012, 6, 5)],
        2022 => vec![d(2022, 6, 3), d(2022, 9, 19)],
        2023 => vec![d(2023, 5, 8)],
        _ => vec![],
    });
    v
}

fn holidays() -> &'static HashSet<NaiveDate> {
    static H: OnceLock<HashSet<NaiveDate>> = OnceLock::new();
    H.get_or_init(|| (1971..=2199).flat_map(holidays_of_year).collect())
}

/// Whether `x` is a bank holiday (or Good Friday / Christmas Day) in England and Wales.
pub fn is_holiday(x: NaiveDate) -> bool {
    holidays().contains(&x)
}

/// CPPCR reg 2(1): not a Saturday or Sunday, Christmas Day, Good Friday or a bank holiday.
pub fn is_working_day(x: NaiveDate) -> bool {
    !is_weekend(x) && !is_holiday(x)
}

/// "within N working days of X": step one day at a time, count working days after X.
pub fn working_days_after(x: NaiveDate, n: u32) -> NaiveDate {
    let mut day = x;
    let mut counted = 0;
    while counted < n {
        day = day.succ_opt().unwrap();
        if is_working_day(day) {
            counted += 1;
        }
    }
    day
}

/// "at least N working days before R": the N-th working day before R.
pub fn working_days_before(r: NaiveDate, n: u32) -> NaiveDate {
    let mut day = r;
    let mut counted = 0;
    while counted < n {
        day = day.pred_opt().unwrap();
        if is_working_day(day) {
            counted += 1;
        }
    }
    day
}

/// "within N days of X": X + N calendar days.
pub fn days_after(x: NaiveDate, n: u64) -> NaiveDate {
    x + Days::new(n)
}

/// The number of days in a month.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => unreachable!(),
    }
}

/// "within N months of X": the same day N months later, or that month's last day (Dodds v
/// Walker).
pub fn months_after(x: NaiveDate, n: u32) -> NaiveDate {
    let total = x.year() * 12 + (x.month() as i32 - 1) + n as i32;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    d(y, m, x.day().min(days_in_month(y, m)))
}

/// The last working day on or before `x` (the day to plan for).
pub fn last_working_day_on_or_before(x: NaiveDate) -> NaiveDate {
    let mut day = x;
    while !is_working_day(day) {
        day = day.pred_opt().unwrap();
    }
    day
}

/// Dates a generator should hit often: month ends, 29 February, Christmas and New Year, Easter,
/// the 2022 and 2023 one-off days, and the 1 Apr 2011 and 6 Apr 2016 boundaries. Each is a
/// centre; generators add a small offset.
pub fn edge_centres() -> Vec<NaiveDate> {
    let mut v = vec![
        d(2011, 4, 1),
        d(2011, 3, 31),
        d(2011, 3, 4), // 20 working days (4 weeks) before 1 Apr 2011
        d(2016, 4, 6),
        d(2016, 3, 9),
        d(2012, 2, 29),
        d(2016, 2, 29),
        d(2020, 2, 29),
        d(2024, 2, 29),
        d(2028, 2, 29),
        d(2022, 6, 2),
        d(2022, 9, 19),
        d(2023, 5, 8),
        d(2020, 5, 8),
        d(2011, 4, 29),
        d(2012, 6, 4),
    ];
    for y in 2005..=2029 {
        v.push(d(y, 12, 24));
        v.push(d(y, 1, 1));
        v.push(easter_sunday(y));
        v.push(d(y, 8, 31));
        v.push(d(y, 5, 31));
        v.push(d(y, 11, 30));
        v.push(d(y, 10, 31));
    }
    v
}

/// The days where a rule changes (in force from, or the last day of an old one), hit exactly
/// (with a few days either side) by the generators: the CPPCR (1 Apr 2011), the Welsh 2015
/// Regulations (6 Apr 2016), the 2020 coronavirus amendment (24 Apr - 25 Sep 2020), CPPCR reg 39
/// (1 Apr 2015, and 20 working days before it), the Welsh 2007 Regulations (1 Jul 2007).
pub fn rule_boundaries() -> Vec<NaiveDate> {
    // 4 Mar 2015: 20 working days before 1 Apr 2015 (a first review due, or a cessation, on it).
    vec![d(2011, 4, 1), d(2016, 4, 6), d(2020, 4, 24), d(2020, 9, 26), d(2015, 4, 1), d(2015, 3, 4), d(2007, 7, 1)]
}

/// The working days after `a` up to and including `b` (how late something done on `b` was,
/// when due on `a`): counted one by one.
pub fn working_days_late(a: NaiveDate, b: NaiveDate) -> i64 {
    let mut n = 0;
    let mut x = a;
    while x < b {
        x = x.succ_opt().unwrap();
        if is_working_day(x) {
            n += 1;
        }
    }
    n
}

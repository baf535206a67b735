//! A period of nothing ("0 days", "0 working days", "0 weeks", "0 months", "0 hours") counted
//! before or after an anchor is the anchor itself, planned for on the last working day on or
//! before it: at the calendar's first and last dates, just outside them, and with council closures
//! that leave no working day before the anchor in range. The errors are those of the plain
//! counting (`period::count` falls back to it when the fast path, which answers "0 ... before"
//! without a range look-up of its own, gives nothing). Every value is worked out by hand: 1 Jan
//! 1971 was a Friday and a working day (New Year's Day became a bank holiday in 1974); 2 Jan 1971
//! was a Saturday; 28 Dec 2199 is a Saturday after Christmas (Wed 25) and Boxing Day (Thu 26);
//! 31 Dec 2199 is a Tuesday. The same table was checked against the code before session 7's
//! zero-period fast path (e81c362): identical.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::period::{at_least_before, count, within_after, Direction, Period};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

const ZERO: [Period; 5] =
    [Period::Days(0), Period::WorkingDays(0), Period::Weeks(0), Period::Months(0), Period::Hours(0)];
const RANGE: &str = "the supported range 1971-01-01 to 2199-12-31";

/// Every zero period, both ways (and through `count`), from `anchor` on `cal`: `want` is the
/// deadline's (date, latest working day, provisional), or the error's text.
fn check(cal: &Calendar, anchor: &str, want: std::result::Result<(&str, &str, bool), String>) {
    let want = want.map(|(a, b, p)| (d(a), d(b), p));
    for p in ZERO {
        for (way, got) in [
            ("before", at_least_before(d(anchor), p, cal)),
            ("after", within_after(d(anchor), p, cal)),
            ("count before", count(d(anchor), p, Direction::Before, cal)),
            ("count after", count(d(anchor), p, Direction::After, cal)),
        ] {
            let got = got.map(|x| (x.date, x.latest_working_day, x.provisional)).map_err(|e| e.to_string());
            assert_eq!(got, want, "{p} {way} {anchor}");
        }
    }
}

#[test]
fn zero_periods_at_the_ends_of_the_calendar() {
    let cal = Calendar::england_and_wales();
    check(&cal, "1970-12-31", Err(format!("date 1970-12-31 is outside {RANGE}")));
    check(&cal, "1971-01-01", Ok(("1971-01-01", "1971-01-01", false)));
    check(&cal, "1971-01-02", Ok(("1971-01-02", "1971-01-01", false)));
    check(&cal, "1971-01-04", Ok(("1971-01-04", "1971-01-04", false)));
    check(&cal, "2199-12-28", Ok(("2199-12-28", "2199-12-27", true)));
    check(&cal, "2199-12-31", Ok(("2199-12-31", "2199-12-31", true)));
    check(&cal, "2200-01-01", Err(format!("date 2200-01-01 is outside {RANGE}")));
}

#[test]
fn zero_periods_with_no_working_day_before_the_anchor() {
    let closure = |s| (d(s), "Council closure".to_string());
    let cal = Calendar::england_and_wales()
        .with_closure_days([closure("1971-01-01"), closure("1971-01-04"), closure("2199-12-31")])
        .unwrap();
    for anchor in ["1971-01-01", "1971-01-02", "1971-01-04"] {
        check(&cal, anchor, Err(format!("the last working day on or before {anchor} falls outside {RANGE}")));
    }
    check(&cal, "1971-01-05", Ok(("1971-01-05", "1971-01-05", false)));
    check(&cal, "2199-12-31", Ok(("2199-12-31", "2199-12-30", true)));
    check(&cal, "1970-12-31", Err(format!("date 1970-12-31 is outside {RANGE}")));
}

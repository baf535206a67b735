//! The counting conventions, with hand-worked values at month ends, leap years, Christmas and
//! Easter. Expected dates were worked out by hand from a printed calendar.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::period::{at_least_before, count, within_after, Direction, Period};
use lac_timescales::ErrorKind;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn after(anchor: &str, p: &str) -> (NaiveDate, NaiveDate) {
    let dl = within_after(d(anchor), p.parse().unwrap(), &Calendar::england_and_wales()).unwrap();
    (dl.date, dl.latest_working_day)
}

fn before(anchor: &str, p: &str) -> (NaiveDate, NaiveDate) {
    let dl = at_least_before(d(anchor), p.parse().unwrap(), &Calendar::england_and_wales()).unwrap();
    (dl.date, dl.latest_working_day)
}

#[test]
fn months_after_use_the_corresponding_date_and_fall_back_to_the_month_end() {
    // (anchor, period, legal deadline, last working day on or before it, why)
    let cases = [
        ("2026-08-31", "3 months", "2026-11-30", "2026-11-30", "Nov has no 31st; Mon 30 Nov"),
        ("2027-11-30", "3 months", "2028-02-29", "2028-02-29", "leap year: Tue 29 Feb 2028"),
        (
            "2023-02-28",
            "6 months",
            "2023-08-28",
            "2023-08-25",
            "no month-end stickiness; 28 Aug 2023 is the Summer bank holiday",
        ),
        ("2024-01-31", "1 month", "2024-02-29", "2024-02-29", "leap February"),
        ("2023-01-31", "1 month", "2023-02-28", "2023-02-28", "common February"),
        ("2024-02-29", "12 months", "2025-02-28", "2025-02-28", "29 Feb + 1 year falls back to 28 Feb"),
        ("2026-03-31", "6 months", "2026-09-30", "2026-09-30", "Sep has 30 days"),
        ("2026-12-31", "2 months", "2027-02-28", "2027-02-26", "Sun 28 Feb 2027: plan for Fri 26"),
        ("2027-08-30", "6 months", "2028-02-29", "2028-02-29", "30 Aug -> 29 Feb in a leap year"),
        ("2026-01-15", "3 months", "2026-04-15", "2026-04-15", "plain corresponding date"),
        ("2025-12-25", "3 months", "2026-03-25", "2026-03-25", "anchor on Christmas Day counts as day 0"),
        (
            "2026-01-05",
            "3 months",
            "2026-04-05",
            "2026-04-02",
            "Easter Sunday 5 Apr 2026; Good Friday 3 Apr: plan for Thu 2 Apr",
        ),
        ("2026-06-25", "6 months", "2026-12-25", "2026-12-24", "Christmas Day: plan for Christmas Eve"),
    ];
    for (anchor, p, want, want_wd, why) in cases {
        assert_eq!(after(anchor, p), (d(want), d(want_wd)), "{p} after {anchor}: {why}");
    }
}

#[test]
fn days_weeks_and_hours_after() {
    let cases = [
        ("2026-12-24", "4 weeks", "2027-01-21", "2027-01-21", "28 days, Thu to Thu"),
        ("2028-02-01", "4 weeks", "2028-02-29", "2028-02-29", "leap day"),
        ("2026-01-31", "90 days", "2026-05-01", "2026-05-01", "Feb 28 + Mar 31 + Apr 30 = 89, so 1 May"),
        ("2028-01-31", "90 days", "2028-04-30", "2028-04-28", "leap year: Sun 30 Apr; plan for Fri 28 Apr"),
        ("2026-12-04", "28 days", "2027-01-01", "2026-12-31", "New Year's Day: plan for New Year's Eve"),
        ("2026-01-02", "24 hours", "2026-01-03", "2026-01-02", "24 hours resolve to the next day; Sat -> Fri"),
        ("2026-12-24", "48 hours", "2026-12-26", "2026-12-24", "48 hours -> two days; Sat 26 Dec -> Thu 24 Dec"),
        ("2026-05-01", "36 hours", "2026-05-03", "2026-05-01", "ceil(36/24) = 2 days"),
        ("2026-03-01", "0 days", "2026-03-01", "2026-02-27", "zero period: the anchor itself"),
    ];
    for (anchor, p, want, want_wd, why) in cases {
        assert_eq!(after(anchor, p), (d(want), d(want_wd)), "{p} after {anchor}: {why}");
    }
}

#[test]
fn working_days_after_the_reference_examples() {
    assert_eq!(after("2026-01-01", "20 working days"), (d("2026-01-29"), d("2026-01-29")));
    assert_eq!(after("2022-09-09", "20 working days"), (d("2022-10-10"), d("2022-10-10")));
    assert_eq!(after("2026-12-24", "20 working days"), (d("2027-01-26"), d("2027-01-26")));
    // Anchor on Good Friday 2026: day 0; Easter Monday skipped; first working day Tue 7 Apr.
    assert_eq!(after("2026-04-03", "1 working day"), (d("2026-04-07"), d("2026-04-07")));
    // 5 working days after Wed 1 Apr 2026: Thu 2, Tue 7, Wed 8, Thu 9, Fri 10.
    assert_eq!(after("2026-04-01", "5 working days"), (d("2026-04-10"), d("2026-04-10")));
}

#[test]
fn at_least_before_is_the_latest_date_that_still_leaves_the_period() {
    let cases = [
        ("2027-01-05", "10 working days", "2026-12-17", "2026-12-17", "skips 1 Jan, 28 Dec, 25 Dec"),
        ("2026-04-07", "3 working days", "2026-03-31", "2026-03-31", "skips Easter Monday and Good Friday"),
        ("2026-05-07", "5 days", "2026-05-02", "2026-05-01", "Sat 2 May -> Fri 1 May"),
        ("2026-01-05", "4 weeks", "2025-12-08", "2025-12-08", "28 calendar days"),
        ("2023-02-28", "1 month", "2023-01-31", "2023-01-31", "31 Jan + 1 month = 28 Feb: still leaves a month"),
        ("2026-05-31", "3 months", "2026-02-28", "2026-02-27", "month-end anchor: last day of Feb (Sat) -> Fri 27"),
        ("2026-05-30", "3 months", "2026-02-28", "2026-02-27", "no 30 Feb: 28 Feb + 3 months = 28 May <= 30 May"),
        ("2024-05-29", "3 months", "2024-02-29", "2024-02-29", "leap year"),
        ("2024-04-30", "2 months", "2024-02-29", "2024-02-29", "month-end anchor in a leap year"),
        ("2026-03-15", "1 month", "2026-02-15", "2026-02-13", "Sun 15 Feb -> Fri 13"),
        ("2026-12-26", "24 hours", "2026-12-25", "2026-12-24", "hours before resolve to whole days"),
    ];
    for (anchor, p, want, want_wd, why) in cases {
        assert_eq!(before(anchor, p), (d(want), d(want_wd)), "{p} before {anchor}: {why}");
    }
}

#[test]
fn count_dispatches_on_direction() {
    let cal = Calendar::england_and_wales();
    let p = Period::WorkingDays(20);
    assert_eq!(count(d("2026-01-01"), p, Direction::After, &cal).unwrap().date, d("2026-01-29"));
    // Back from Thu 29 Jan 2026: 19 working days reach Fri 2 Jan; New Year's Day is skipped, so
    // the 20th is Wed 31 Dec 2025.
    assert_eq!(count(d("2026-01-29"), p, Direction::Before, &cal).unwrap().date, d("2025-12-31"));
}

#[test]
fn provisional_when_the_count_reaches_a_projected_year() {
    let cal = Calendar::england_and_wales();
    assert!(!within_after(d("2028-06-01"), Period::Months(6), &cal).unwrap().provisional);
    assert!(within_after(d("2028-12-01"), Period::WorkingDays(20), &cal).unwrap().provisional);
}

#[test]
fn periods_parse_and_print_as_short_text() {
    let cases = [
        ("20 working days", Period::WorkingDays(20), "20 working days"),
        ("1 working day", Period::WorkingDays(1), "1 working day"),
        ("4 weeks", Period::Weeks(4), "4 weeks"),
        ("3 Months", Period::Months(3), "3 months"),
        ("1 month", Period::Months(1), "1 month"),
        ("  90   days ", Period::Days(90), "90 days"),
        ("24 hours", Period::Hours(24), "24 hours"),
        ("0 days", Period::Days(0), "0 days"),
    ];
    for (text, want, printed) in cases {
        let p: Period = text.parse().unwrap();
        assert_eq!(p, want, "{text}");
        assert_eq!(p.to_string(), printed);
        assert_eq!(printed.parse::<Period>().unwrap(), p);
    }
    for bad in ["", "20", "twenty days", "3 fortnights", "-3 days", "3.5 days", "100001 days", "3 working", "1 2 3 4"] {
        let e = bad.parse::<Period>().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidPeriod, "{bad}");
        assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
    }
    // Serde uses the same text.
    assert_eq!(serde_json::to_string(&Period::Weeks(4)).unwrap(), "\"4 weeks\"");
    assert_eq!(serde_json::from_str::<Period>("\"3 months\"").unwrap(), Period::Months(3));
    assert!(serde_json::from_str::<Period>("\"3 moons\"").is_err());
}

#[test]
fn counts_that_leave_the_range_are_errors() {
    let cal = Calendar::england_and_wales();
    let e = within_after(d("2199-12-01"), Period::Months(3), &cal).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DateOutOfRange);
    assert!(e.to_string().contains("3 months after") && e.to_string().contains("2199-12-01"), "{e}");
    assert!(at_least_before(d("1971-01-10"), Period::Months(1), &cal).is_err());
    assert!(within_after(d("2199-12-30"), Period::WorkingDays(5), &cal).is_err());
    assert!(within_after(d("1970-06-01"), Period::Days(1), &cal).is_err());
    assert!(within_after(d("2199-12-31"), Period::Days(100_000), &cal).is_err());
}

//! The oracle's own calendar and counting (tests/oracle/mod.rs), checked by hand and against the
//! library's data file read by a small parser of its own, before any schedule is compared with it.
//! Then, once, the library's calendar against the oracle's for every day of 1971-2199.

mod oracle;

use chrono::{Datelike, NaiveDate, Weekday};
use oracle::*;

#[test]
fn easter_sundays_known_by_hand() {
    // From published tables.
    for (y, m, day) in [
        (1981, 4, 19),
        (2000, 4, 23),
        (2011, 4, 24),
        (2016, 3, 27),
        (2019, 4, 21),
        (2024, 3, 31),
        (2038, 4, 25),
        (2285, 3, 22),
    ] {
        assert_eq!(easter_sunday(y), d(y, m, day), "{y}");
    }
}

#[test]
fn holidays_known_by_hand() {
    let holidays = [
        // Easter Mondays and Good Fridays.
        d(2011, 4, 25),
        d(2011, 4, 22),
        d(2016, 3, 28),
        d(2016, 3, 25),
        d(2019, 4, 22),
        d(2024, 4, 1),
        d(2024, 3, 29),
        // The 2022 and 2023 one-off days; 2011's royal wedding; 2020's moved early May day.
        d(2022, 6, 2),
        d(2022, 6, 3),
        d(2022, 9, 19),
        d(2023, 5, 8),
        d(2011, 4, 29),
        d(2020, 5, 8),
        // Christmas and Boxing Day substitutes: 2010 (25 Sat: Mon 27, Tue 28), 2011 (25 Sun: Mon
        // 26, Tue 27), 2015 (26 Sat: Mon 28), 2020 (26 Sat: Mon 28), 2021 (25 Sat), 2022 (25 Sun).
        d(2010, 12, 27),
        d(2010, 12, 28),
        d(2011, 12, 26),
        d(2011, 12, 27),
        d(2015, 12, 28),
        d(2020, 12, 28),
        d(2021, 12, 27),
        d(2021, 12, 28),
        d(2022, 12, 26),
        d(2022, 12, 27),
        // New Year's Day substitutes: 2011 (Sat: Mon 3), 2012 (Sun: Mon 2), 2022 (Sat: Mon 3).
        d(2011, 1, 3),
        d(2012, 1, 2),
        d(2022, 1, 3),
    ];
    for h in holidays {
        assert!(!is_working_day(h), "{h} should be a holiday");
    }
    let working = [
        d(2022, 5, 30), // spring holiday moved to 2 June
        d(2020, 5, 4),  // early May moved to 8 May
        d(2012, 5, 28),
        d(2015, 12, 29),
        d(2026, 12, 24), // Christmas Eve
        d(2026, 12, 31), // New Year's Eve
        d(1973, 11, 14), // disputed: a working day
        d(1974, 5, 6),   // no early May holiday before 1978
        d(1973, 1, 1),   // no New Year's Day holiday before 1974
    ];
    for w in working {
        assert!(is_working_day(w), "{w} should be a working day");
    }
}

#[test]
fn counting_conventions_worked_by_hand() {
    // Reference s.4's worked examples: 20 working days after becoming looked after.
    assert_eq!(working_days_after(d(2026, 1, 1), 20), d(2026, 1, 29));
    assert_eq!(working_days_after(d(2022, 9, 9), 20), d(2022, 10, 10));
    assert_eq!(working_days_after(d(2026, 12, 24), 20), d(2027, 1, 26));
    // Months: 31 Aug + 3 = 30 Nov; 30 Nov 2027 + 3 = 29 Feb 2028; 28 Feb 2023 + 6 = 28 Aug 2023.
    assert_eq!(months_after(d(2026, 8, 31), 3), d(2026, 11, 30));
    assert_eq!(months_after(d(2027, 11, 30), 3), d(2028, 2, 29));
    assert_eq!(months_after(d(2023, 2, 28), 6), d(2023, 8, 28));
    assert_eq!(months_after(d(2012, 2, 29), 12), d(2013, 2, 28));
    assert_eq!(months_after(d(2011, 10, 31), 6), d(2012, 4, 30));
    // From a Saturday, day 0 does not count: Sat 4 Apr 2026 + 1 working day is Tue 7 Apr (Easter
    // Monday 6 Apr).
    assert_eq!(working_days_after(d(2026, 4, 4), 1), d(2026, 4, 7));
    // At least 5 working days before Tue 7 Apr 2026: Thu 2, Wed 1, Tue 31, Mon 30, Fri 27 Mar.
    assert_eq!(working_days_before(d(2026, 4, 7), 5), d(2026, 3, 27));
    assert_eq!(last_working_day_on_or_before(d(2026, 12, 28)), d(2026, 12, 24));
    // How late (README "Audit"): due Sat 2 May 2026, done Tue 5 May: 1 working day (Mon 4 May
    // is a bank holiday); done Sun 3 May: 0.
    assert_eq!(working_days_late(d(2026, 5, 2), d(2026, 5, 5)), 1);
    assert_eq!(working_days_late(d(2026, 5, 2), d(2026, 5, 3)), 0);
    // Due Thu 24 Dec 2026, done Mon 4 Jan 2027: 29, 30, 31 Dec and 4 Jan.
    assert_eq!(working_days_late(d(2026, 12, 24), d(2027, 1, 4)), 4);
}

/// The library's data file, read by this file's own parser: every `one_off` is a holiday of the
/// oracle's, every `removed` and `disputed` day a working day, and each announced year's weekday
/// holidays are exactly the oracle's.
#[test]
fn the_oracle_calendar_agrees_with_the_data_file() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/bank-holidays/england-and-wales.tsv"))
            .unwrap();
    let mut announced: std::collections::BTreeMap<i32, Vec<NaiveDate>> = Default::default();
    let mut rows = 0;
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.starts_with('@') && !l.trim().is_empty()) {
        let mut cols = line.split('\t');
        let date = cols.next().unwrap();
        let kind = cols.next().unwrap();
        let p = |i: std::ops::Range<usize>| date[i].parse::<u32>().unwrap();
        let day = d(p(0..4) as i32, p(5..7), p(8..10));
        rows += 1;
        match kind {
            "one_off" => assert!(!is_working_day(day), "{day} one_off"),
            "removed" | "disputed" => assert!(is_working_day(day), "{day} {kind}"),
            "announced" => announced.entry(day.year()).or_default().push(day),
            other => panic!("unknown kind {other}"),
        }
    }
    assert!(rows >= 40, "{rows}");
    assert_eq!(announced.keys().copied().collect::<Vec<_>>(), vec![2026, 2027, 2028]);
    for (y, mut days) in announced {
        days.retain(|x| !matches!(x.weekday(), Weekday::Sat | Weekday::Sun));
        days.sort();
        let mut mine: Vec<NaiveDate> =
            holidays_of_year(y).into_iter().filter(|x| !matches!(x.weekday(), Weekday::Sat | Weekday::Sun)).collect();
        mine.sort();
        mine.dedup();
        assert_eq!(mine, days, "{y}");
    }
}

/// The library's working days are the oracle's on every day of 1971-2199 (a differential check
/// of the calendar itself, before the schedules).
#[test]
fn the_library_calendar_is_the_oracle_calendar() {
    let cal = lac_timescales::calendar::Calendar::england_and_wales();
    let mut x = d(1971, 1, 1);
    let mut differ = Vec::new();
    while x <= d(2199, 12, 31) {
        if cal.is_working_day(x).unwrap() != is_working_day(x) {
            differ.push(x);
        }
        x = x.succ_opt().unwrap();
    }
    assert!(differ.is_empty(), "{} days differ, first {:?}", differ.len(), &differ[..differ.len().min(10)]);
}

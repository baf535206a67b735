//! The calendar table (`Calendar::table`, `table_csv`, `table_sql`) and the epoch-day arithmetic
//! used by bindings. Expected values are worked out by hand from the calendar in the comments;
//! the row-by-row check against the hand-written holiday list is in `holidays_1971_2030.rs`.

use chrono::{Datelike, NaiveDate};
use lac_timescales::calendar::{table_csv, table_sql, Calendar, TableRow, FIRST_EPOCH_DAY, LAST_EPOCH_DAY};
use lac_timescales::ErrorKind;
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn row(rows: &[TableRow], date: NaiveDate) -> &TableRow {
    rows.iter().find(|r| r.date == date).unwrap_or_else(|| panic!("no row for {date}"))
}

/// The join the README shows: the working-day row numbered `number(d) + n`.
fn join_after(rows: &[TableRow], from: NaiveDate, n: u32) -> Option<NaiveDate> {
    let k = row(rows, from).working_day_number + n;
    rows.iter().find(|r| r.working_day && r.working_day_number == k).map(|r| r.date)
}

/// The "before" join: `number(d) - n + 1 - working_day(d)`.
fn join_before(rows: &[TableRow], from: NaiveDate, n: u32) -> Option<NaiveDate> {
    let r = row(rows, from);
    let k = r.working_day_number + 1 - u32::from(r.working_day) - n;
    rows.iter().find(|x| x.working_day && x.working_day_number == k).map(|x| x.date)
}

#[test]
fn the_2022_state_funeral_rows_and_join() {
    let cal = Calendar::england_and_wales();
    let rows = cal.table(2022, 2022).unwrap();
    assert_eq!(rows.len(), 365);
    // Fri 16 Sep 2022 is working day 13,080 since 1 Jan 1971 (counted by hand from the list of
    // holidays in holidays_1971_2030.rs); Sat 17, Sun 18 and Mon 19 (the State Funeral) carry
    // the same number; Tue 20 is 13,081.
    for (date, working, number, holiday) in [
        (d(2022, 9, 16), true, 13_080, None),
        (d(2022, 9, 17), false, 13_080, None),
        (d(2022, 9, 18), false, 13_080, None),
        (d(2022, 9, 19), false, 13_080, Some("State Funeral of Queen Elizabeth II")),
        (d(2022, 9, 20), true, 13_081, None),
    ] {
        let r = row(&rows, date);
        assert_eq!((r.working_day, r.working_day_number, r.holiday.as_deref()), (working, number, holiday), "{date}");
        assert!(!r.provisional);
    }
    // 20 working days after Fri 9 Sep 2022: 12-16, 20-23, 26-30 Sep, 3-7 Oct (19 Sep skipped)
    // is Fri 7 Oct with 19 days, so the 20th is Mon 10 Oct.
    assert_eq!(join_after(&rows, d(2022, 9, 9), 20), Some(d(2022, 10, 10)));
    // From the funeral itself (a non-working day, day 0): 20, 21, 22, 23 Sep, ... the 20th
    // working day after Mon 19 Sep is Mon 17 Oct (20-23 Sep: 4, 26-30: 9, 3-7 Oct: 14,
    // 10-14: 19, 17 Oct: 20).
    assert_eq!(join_after(&rows, d(2022, 9, 19), 20), Some(d(2022, 10, 17)));
    // 1 working day before Tue 20 Sep is Fri 16 Sep; 1 before the funeral is also Fri 16.
    assert_eq!(join_before(&rows, d(2022, 9, 20), 1), Some(d(2022, 9, 16)));
    assert_eq!(join_before(&rows, d(2022, 9, 19), 1), Some(d(2022, 9, 16)));
    // Past the table's end the join finds no row (the SQL LEFT JOIN gives NULL).
    assert_eq!(join_after(&rows, d(2022, 12, 30), 5), None);
}

#[test]
fn the_2020_moved_may_day() {
    let cal = Calendar::england_and_wales();
    let rows = cal.table(2020, 2020).unwrap();
    // In 2020 the early May bank holiday moved from Mon 4 May to Fri 8 May (VE Day 75):
    // Mon 4 May is a working day, Fri 8 May is not.
    let mon = row(&rows, d(2020, 5, 4));
    let fri = row(&rows, d(2020, 5, 8));
    assert!(mon.working_day && mon.holiday.is_none());
    assert!(!fri.working_day);
    assert_eq!(fri.holiday.as_deref(), Some("Early May bank holiday (VE Day 75th anniversary)"));
    // Mon 4 May is number 12,481 (hand count); Tue 5, Wed 6, Thu 7 are 12,482-12,484 and Fri 8
    // carries Thursday's 12,484.
    assert_eq!((mon.working_day_number, fri.working_day_number), (12_481, 12_484));
    // 5 working days after Fri 1 May 2020: 4, 5, 6, 7, 11 May (8 May skipped) = Mon 11 May.
    assert_eq!(join_after(&rows, d(2020, 5, 1), 5), Some(d(2020, 5, 11)));
}

#[test]
fn the_joins_agree_with_the_calendar_arithmetic_over_several_years() {
    let cal = Calendar::england_and_wales();
    let rows = cal.table(2019, 2024).unwrap();
    for r in rows.iter().filter(|r| [2020, 2022].contains(&r.date.year())) {
        for n in [1, 2, 5, 10, 15, 20, 60] {
            assert_eq!(join_after(&rows, r.date, n), cal.add_working_days(r.date, n).ok(), "{} + {n}", r.date);
            assert_eq!(join_before(&rows, r.date, n), cal.sub_working_days(r.date, n).ok(), "{} - {n}", r.date);
        }
        let b = r.date + chrono::Days::new(45);
        let diff = i64::from(row(&rows, b).working_day_number) - i64::from(r.working_day_number);
        assert_eq!(Some(diff), cal.working_days_between(r.date, b).ok());
    }
}

#[test]
fn provisional_rows_start_after_the_last_announced_year() {
    let cal = Calendar::england_and_wales();
    let rows = cal.table(2028, 2029).unwrap();
    assert!(!row(&rows, d(2028, 12, 31)).provisional);
    assert!(row(&rows, d(2029, 1, 1)).provisional);
    // Projected holidays still appear: Good Friday 2029 is 30 March (Easter Sunday 1 April).
    assert_eq!(row(&rows, d(2029, 3, 30)).holiday.as_deref(), Some("Good Friday"));
}

#[test]
fn bad_year_ranges_are_errors_naming_the_value() {
    let cal = Calendar::england_and_wales();
    let e = cal.table(2030, 2029).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("2029") && e.to_string().contains("2030"), "{e}");
    let e = cal.table(1970, 1990).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DateOutOfRange);
    assert!(e.to_string().contains("1970-01-01"), "{e}");
    assert_eq!(cal.table(2199, 2200).unwrap_err().kind(), ErrorKind::DateOutOfRange);
    assert_eq!(cal.table(i32::MAX, i32::MAX).unwrap_err().kind(), ErrorKind::InvalidInput);
    assert_eq!(cal.table(i32::MIN, 2000).unwrap_err().kind(), ErrorKind::InvalidInput);
    // The whole range works: 1971-2199 is 229 years, 83,641 days (56 leap years: 1972 ... 2196,
    // 2100 is not one).
    assert_eq!(cal.table(1971, 2199).unwrap().len(), 229 * 365 + 56);
}

#[test]
fn a_closure_calendar_names_its_closure_days() {
    let cal = Calendar::england_and_wales().with_closure_days([(d(2026, 12, 29), "Council closure".into())]).unwrap();
    let rows = cal.table(2026, 2026).unwrap();
    let r = row(&rows, d(2026, 12, 29));
    assert!(!r.working_day);
    assert_eq!(r.holiday.as_deref(), Some("Council closure"));
}

#[test]
fn csv_has_a_header_crlf_lines_and_one_row_per_day() {
    let rows = Calendar::england_and_wales().table(2026, 2026).unwrap();
    let csv = table_csv(&rows);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines.len(), 367); // header + 365 rows + the empty string after the last CRLF
    assert_eq!(lines[0], "date,working_day,working_day_number,holiday,provisional");
    // 2026-01-01 (Thu, New Year's Day) carries Wed 31 Dec 2025's number, 13,910 by hand.
    assert_eq!(lines[1], "2026-01-01,0,13910,New Year's Day,0");
    assert_eq!(lines[2], "2026-01-02,1,13911,,0");
    assert_eq!(lines[366], "");
}

#[test]
fn sql_batches_inserts_of_at_most_1000_rows_and_escapes_quotes() {
    let rows = Calendar::england_and_wales().table(1990, 2035).unwrap();
    // 1990-2035: 46 years, 16,801 days (11 leap years 1992 ... 2032) -> 17 INSERT statements.
    assert_eq!(rows.len(), 46 * 365 + 11);
    let sql = table_sql(&rows, "lac_calendar").unwrap();
    assert_eq!(sql.matches("INSERT INTO lac_calendar ").count(), 17);
    assert_eq!(sql.matches("CREATE TABLE lac_calendar (").count(), 1);
    // Mon 1 Jan 1990 (New Year's Day) carries Fri 29 Dec 1989's number, 4,812 by hand.
    assert!(sql.contains("('1990-01-01', 0, 4812, 'New Year''s Day', 0),\n"));
    assert!(sql.contains("('2035-12-31', 1, "), "{}", &sql[sql.len() - 300..]);
    for bad in ["", "1abc", "a-b", "x; DROP TABLE y", "ta ble", &"x".repeat(65)] {
        let e = table_sql(&rows, bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{bad:?}");
    }
}

#[test]
fn epoch_day_arithmetic_by_hand() {
    let cal = Calendar::england_and_wales();
    // Epoch days: 1 Jan 1971 is 365 (1970 has 365 days); 31 Dec 2199 is 84,005.
    assert_eq!((FIRST_EPOCH_DAY, LAST_EPOCH_DAY), (365, 84_005));
    assert!(cal.is_working_epoch_day(365).unwrap()); // Fri 1 Jan 1971
    assert!(!cal.is_working_epoch_day(367).unwrap()); // Sun 3 Jan 1971
                                                      // 19,254 = Mon 19 Sep 2022 (the State Funeral); 19,244 = Fri 9 Sep; 19,275 = Mon 10 Oct.
    assert!(!cal.is_working_epoch_day(19_254).unwrap());
    assert_eq!(cal.offset_epoch_day(19_244, 20).unwrap(), 19_275);
    assert_eq!(cal.offset_epoch_day(19_275, -20).unwrap(), 19_244);
    assert_eq!(cal.offset_epoch_day(19_254, 0).unwrap(), 19_254);
    assert_eq!(cal.working_days_between_epoch_days(19_244, 19_275).unwrap(), 20);
    assert_eq!(cal.working_days_between_epoch_days(19_275, 19_244).unwrap(), -20);
    // Out of range: the message names the date; a day chrono cannot hold names the number.
    let e = cal.is_working_epoch_day(364).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DateOutOfRange);
    assert!(e.to_string().contains("1970-12-31"), "{e}");
    let e = cal.offset_epoch_day(i64::MAX, 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains(&i64::MAX.to_string()), "{e}");
    let e = cal.offset_epoch_day(LAST_EPOCH_DAY, 1).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DateOutOfRange);
    assert!(e.to_string().contains("1 working day after 2199-12-31"), "{e}");
    let e = cal.offset_epoch_day(FIRST_EPOCH_DAY, -1).unwrap_err();
    assert!(e.to_string().contains("1 working day before 1971-01-01"), "{e}");
    assert!(cal.offset_epoch_day(20_000, i64::MIN).is_err());
    assert!(cal.offset_epoch_day(20_000, i64::from(u32::MAX) + 1).is_err());
}

proptest! {
    #[test]
    fn epoch_days_agree_with_dates(day in FIRST_EPOCH_DAY - 5..=LAST_EPOCH_DAY + 5, other in FIRST_EPOCH_DAY..=LAST_EPOCH_DAY, n in -300i64..=300) {
        let cal = Calendar::england_and_wales();
        let unix = d(1970, 1, 1);
        let date = unix + chrono::TimeDelta::days(day);
        let to_epoch = |x: NaiveDate| (x - unix).num_days();
        prop_assert_eq!(cal.is_working_epoch_day(day).ok(), cal.is_working_day(date).ok());
        let want = if n >= 0 { cal.add_working_days(date, n as u32) } else { cal.sub_working_days(date, n.unsigned_abs() as u32) };
        prop_assert_eq!(cal.offset_epoch_day(day, n).ok(), want.ok().map(to_epoch));
        let o = unix + chrono::TimeDelta::days(other);
        prop_assert_eq!(cal.working_days_between_epoch_days(day, other).ok(), cal.working_days_between(date, o).ok());
        if let Ok(number) = cal.working_day_number(date) {
            // Fri 1 Jan 1971 is working day 1.
            prop_assert_eq!(i64::from(number), cal.working_days_between(d(1971, 1, 1), date).unwrap() + 1);
        }
    }
}

#[test]
fn the_first_row_with_a_number_is_that_working_day_so_excel_lookups_work() {
    // The README's XLOOKUP/MATCH take the first row with a number. Every number first appears
    // on its working day, except the number the table opens with when its first day is not a
    // working day (Mon 1 Jan 1990, New Year's Day, carries Fri 29 Dec 1989's 4,812).
    let rows = Calendar::england_and_wales().table(1990, 2035).unwrap();
    let mut seen = std::collections::HashSet::new();
    for r in &rows {
        if seen.insert(r.working_day_number) {
            assert!(r.working_day || r.working_day_number == 4_812, "{}: first row of its number", r.date);
        }
    }
    assert!(!rows[0].working_day);
}

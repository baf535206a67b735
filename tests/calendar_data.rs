//! The built-in bank-holiday table: announced years agree with the rules, one-offs and removals
//! take effect, provisional marking, the GOV.UK feed and closure days, and range errors.

use chrono::{Datelike, NaiveDate, Weekday};
use lac_timescales::calendar::{Calendar, HolidayKind};
use lac_timescales::ErrorKind;

const DATA: &str = include_str!("../data/bank-holidays/england-and-wales.tsv");

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Rows of the data file of one kind, read here with a parser of the test's own.
fn rows(kind: &str) -> Vec<(NaiveDate, String)> {
    DATA.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with('@') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c[1] == kind)
        .map(|c| (d(c[0]), c[2].to_string()))
        .collect()
}

fn weekday_non_working(cal: &Calendar, year: i32) -> Vec<NaiveDate> {
    d(&format!("{year}-01-01"))
        .iter_days()
        .take_while(|x| x.year() == year)
        .filter(|x| !matches!(x.weekday(), Weekday::Sat | Weekday::Sun))
        .filter(|x| !cal.is_working_day(*x).unwrap())
        .collect()
}

#[test]
fn every_announced_year_is_exactly_what_the_calendar_gives() {
    let cal = Calendar::england_and_wales();
    let announced = rows("announced");
    let years: std::collections::BTreeSet<i32> = announced.iter().map(|(x, _)| x.year()).collect();
    assert_eq!(years.into_iter().collect::<Vec<_>>(), vec![2026, 2027, 2028]);
    for year in 2026..=2028 {
        let mut expected: Vec<NaiveDate> = announced
            .iter()
            .map(|(x, _)| *x)
            .filter(|x| x.year() == year && !matches!(x.weekday(), Weekday::Sat | Weekday::Sun))
            .collect();
        expected.sort();
        assert_eq!(weekday_non_working(&cal, year), expected, "announced year {year}");
    }
}

#[test]
fn one_offs_are_holidays_removed_days_and_disputed_days_are_working_days() {
    let cal = Calendar::england_and_wales();
    let one_offs = rows("one_off");
    assert_eq!(one_offs.len(), 15, "one-off rows in the data file");
    for (date, name) in &one_offs {
        assert!(!cal.is_working_day(*date).unwrap(), "{date} {name} should be a holiday");
        let h = cal.bank_holiday(*date).unwrap().unwrap();
        assert_eq!(h.kind, HolidayKind::OneOff, "{date}");
        assert_eq!(&h.name, name);
        assert!(!h.source.is_empty());
    }
    for (date, _) in rows("removed") {
        assert!(cal.is_working_day(date).unwrap(), "{date} was moved and is a working day");
        assert!(cal.bank_holiday(date).unwrap().is_none(), "{date}");
    }
    let disputed = cal.disputed_days();
    assert_eq!(disputed.len(), 1);
    assert_eq!(disputed[0].date, d("1973-11-14"));
    assert!(disputed[0].disputed);
    assert!(cal.is_working_day(d("1973-11-14")).unwrap());
}

#[test]
fn data_version_is_exposed() {
    let v = Calendar::england_and_wales().version().clone();
    assert_eq!(v.last_announced_year, 2028);
    assert_eq!(v.verified_through, d("2028-12-31"));
    assert_eq!(v.first, d("1971-01-01"));
    assert_eq!(v.last, d("2199-12-31"));
    assert!(!v.table_version.is_empty());
    assert!(v.govuk_feed_years.is_empty());
    assert_eq!(v.closure_days, 0);
}

#[test]
fn projected_years_are_provisional_and_announced_ones_are_not() {
    let cal = Calendar::england_and_wales();
    for h in cal.bank_holidays(d("2028-01-01"), d("2028-12-31")).unwrap() {
        assert!(!h.provisional, "{}", h.date);
    }
    let far = cal.bank_holidays(d("2199-01-01"), d("2199-12-31")).unwrap();
    assert!(far.len() >= 8);
    assert!(far.iter().all(|h| h.provisional));
    // Christmas 2199 is a Wednesday.
    assert!(!cal.is_working_day(d("2199-12-25")).unwrap());
    assert!(!cal.is_working_day(d("2199-12-26")).unwrap());
}

#[test]
fn dates_outside_the_range_are_errors_naming_date_and_range() {
    let cal = Calendar::england_and_wales();
    for bad in ["1970-12-31", "2200-01-01", "1900-06-01"] {
        let e = cal.is_working_day(d(bad)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::DateOutOfRange);
        let msg = e.to_string();
        assert!(msg.contains(bad) && msg.contains("1971-01-01") && msg.contains("2199-12-31"), "{msg}");
    }
    assert!(cal.bank_holidays(d("2026-01-01"), d("2200-01-01")).is_err());
    assert!(cal.bank_holiday(d("1970-01-01")).is_err());
    // A range read backwards is empty, not an error.
    assert!(cal.bank_holidays(d("2026-12-31"), d("2026-01-01")).unwrap().is_empty());
}

// ---- GOV.UK feed ----

const FEED: &str = r#"{
  "scotland": {"division": "scotland", "events": [{"title": "St Andrew's Day", "date": "2029-11-30"}]},
  "england-and-wales": {"division": "england-and-wales", "events": [
    {"title": "New Year’s Day", "date": "2029-01-01", "notes": "", "bunting": true},
    {"title": "Good Friday", "date": "2029-03-30", "notes": "", "bunting": false},
    {"title": "Easter Monday", "date": "2029-04-02", "notes": "", "bunting": true},
    {"title": "Early May bank holiday", "date": "2029-05-07", "notes": "", "bunting": true},
    {"title": "Spring bank holiday", "date": "2029-05-28", "notes": "", "bunting": true},
    {"title": "Extra bank holiday for a royal occasion", "date": "2029-06-15", "notes": "", "bunting": true},
    {"title": "Summer bank holiday", "date": "2029-08-27", "notes": "", "bunting": true},
    {"title": "Christmas Day", "date": "2029-12-25", "notes": "", "bunting": true},
    {"title": "Boxing Day", "date": "2029-12-26", "notes": "", "bunting": true}
  ]}
}"#;

#[test]
fn govuk_feed_adds_announced_days_and_ends_provisional_marking_for_its_years() {
    let base = Calendar::england_and_wales();
    let cal = base.with_govuk_json(FEED).unwrap();
    // The one-off from the feed is a holiday; the built-in calendar is unchanged.
    assert!(!cal.is_working_day(d("2029-06-15")).unwrap());
    assert!(base.is_working_day(d("2029-06-15")).unwrap());
    let h = cal.bank_holiday(d("2029-06-15")).unwrap().unwrap();
    assert_eq!(h.name, "Extra bank holiday for a royal occasion");
    assert!(!h.provisional);
    // Rule-generated days the feed confirms keep their legal basis and lose the provisional flag.
    let gf = cal.bank_holiday(d("2029-03-30")).unwrap().unwrap();
    assert_eq!(gf.kind, HolidayKind::CommonLaw);
    assert!(!gf.provisional);
    assert_eq!(cal.version().last_announced_year, 2029);
    assert_eq!(cal.version().verified_through, d("2029-12-31"));
    assert_eq!(cal.version().govuk_feed_years, vec![2029]);
    // 2030 is still projected.
    assert!(cal.bank_holiday(d("2030-01-01")).unwrap().unwrap().provisional);
    // Scotland's day is ignored.
    assert!(cal.is_working_day(d("2029-11-30")).unwrap());
    // The whole of 2029 now has exactly the feed's nine weekday dates.
    assert_eq!(weekday_non_working(&cal, 2029).len(), 9);
}

#[test]
fn govuk_feed_replaces_the_weekday_dates_of_the_years_it_covers() {
    // A feed for 2027 that (hypothetically) moved the early May holiday to Friday 7 May.
    let feed = r#"{"england-and-wales": {"division": "england-and-wales", "events": [
        {"title": "New Year's Day", "date": "2027-01-01"},
        {"title": "Good Friday", "date": "2027-03-26"},
        {"title": "Easter Monday", "date": "2027-03-29"},
        {"title": "Early May bank holiday (moved)", "date": "2027-05-07"},
        {"title": "Spring bank holiday", "date": "2027-05-31"},
        {"title": "Summer bank holiday", "date": "2027-08-30"},
        {"title": "Christmas Day (substitute day)", "date": "2027-12-27"},
        {"title": "Boxing Day (substitute day)", "date": "2027-12-28"}]}}"#;
    let cal = Calendar::england_and_wales().with_govuk_json(feed).unwrap();
    assert!(cal.is_working_day(d("2027-05-03")).unwrap(), "built-in 3 May replaced");
    assert!(!cal.is_working_day(d("2027-05-07")).unwrap());
    // Other years untouched.
    assert!(!cal.is_working_day(d("2026-05-04")).unwrap());
    assert_eq!(cal.version().last_announced_year, 2028);
}

#[test]
fn malformed_feeds_are_errors_that_say_what_and_where() {
    let cal = Calendar::england_and_wales();
    let e = cal.with_govuk_json("{\"england-and-wales\": {\"events\": [}").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidData);
    assert!(e.to_string().contains("line 1 column"), "{e}");

    let e = cal.with_govuk_json(r#"{"scotland": {"events": []}}"#).unwrap_err();
    assert!(e.to_string().contains("no \"england-and-wales\" division (found: scotland)"), "{e}");

    let e = cal
        .with_govuk_json(r#"{"england-and-wales": {"events": [{"title": "A", "date": "2029-01-01"}, {"title": "B", "date": "2029-02-30"}]}}"#)
        .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("england-and-wales.events[1].date") && msg.contains("2029-02-30"), "{msg}");

    let e = cal.with_govuk_json(r#"{"england-and-wales": {"events": [{"date": "2029-01-01"}]}}"#).unwrap_err();
    assert!(e.to_string().contains("events[0].title"), "{e}");

    let e = cal.with_govuk_json(r#"{"england-and-wales": {"division": "x"}}"#).unwrap_err();
    assert!(e.to_string().contains("england-and-wales.events"), "{e}");

    let e = cal
        .with_govuk_json(r#"{"england-and-wales": {"events": [{"title": "A", "date": "2250-01-01"}]}}"#)
        .unwrap_err();
    assert!(e.to_string().contains("events[0].date") && e.to_string().contains("2250-01-01"), "{e}");

    let e = cal.with_govuk_json("[1, 2]").unwrap_err();
    assert!(e.to_string().contains("top level"), "{e}");
}

// ---- closure days ----

#[test]
fn closure_days_make_a_new_calendar_for_local_duties() {
    let base = Calendar::england_and_wales();
    let days = Calendar::parse_closure_days(
        "# Council Christmas closure 2026\n2026-12-29 Council closure\n2026-12-30\t Council closure\n\n2026-12-25 already Christmas\n",
    )
    .unwrap();
    assert_eq!(days.len(), 3);
    let council = base.with_closure_days(days).unwrap();
    assert_eq!(council.version().closure_days, 3);
    // 20 working days after Thu 24 Dec 2026 is Tue 26 Jan 2027 by statute; with 29 and 30 Dec
    // closed it is two working days later: Thu 28 Jan 2027.
    assert_eq!(base.add_working_days(d("2026-12-24"), 20).unwrap(), d("2027-01-26"));
    assert_eq!(council.add_working_days(d("2026-12-24"), 20).unwrap(), d("2027-01-28"));
    // Christmas Day keeps its legal basis rather than becoming a closure day.
    assert_eq!(council.bank_holiday(d("2026-12-25")).unwrap().unwrap().kind, HolidayKind::CommonLaw);
    assert_eq!(council.bank_holiday(d("2026-12-30")).unwrap().unwrap().name, "Council closure");
}

#[test]
fn bad_closure_lists_name_the_line() {
    let e = Calendar::parse_closure_days("2026-12-29\n\n29/12/2026\n").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidData);
    assert!(e.to_string().contains("line 3") && e.to_string().contains("29/12/2026"), "{e}");
    let e = Calendar::england_and_wales().with_closure_days([(d("2201-01-01"), String::new())]).unwrap_err();
    assert!(e.to_string().contains("2201-01-01"), "{e}");
}

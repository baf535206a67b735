//! rev9 (session 9): e63b867 / 0ef64fd kept a projected obligation whose day to plan for is on or
//! before the horizon's end, its legal deadline after it. The same obligation reaches the CSV,
//! the iCalendar file and the JSON audit.
//!
//! Hand-worked (as tests/horizon.rs): looked after Mon 2 Mar 2026; review 1 held Fri 27 Mar;
//! review 2 within three months: Sat 27 Jun 2026 (plan Fri 26 Jun); review 3 within six months of
//! Fri 26 Jun: Sat 26 Dec 2026; Fri 25 Dec is Christmas Day, so it is planned for Thu 24 Dec. As
//! at Fri 24 Apr 2026 an 8-month horizon ends Thu 24 Dec 2026: review 3 is shown; as at Thu
//! 23 Apr (horizon to Wed 23 Dec) it is not.

use chrono::NaiveDate;
use lac_timescales::calendar::Calendar;
use lac_timescales::export::{schedule_csv, schedule_ics, IcsOptions};
use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
use lac_timescales::profile::Profile;
use lac_timescales::schedule::{schedule, ScheduleOptions};
use serde_json::Value;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn case() -> CaseHistory {
    CaseHistory::new(
        Jurisdiction::England,
        Child::default(),
        vec![
            Event::new(d(2026, 3, 2), EventKind::BecameLookedAfter),
            Event::new(d(2026, 3, 27), EventKind::ReviewHeld { meeting: true, regimes: None }),
        ],
    )
    .unwrap()
}

#[test]
fn a_review_planned_inside_the_horizon_reaches_the_csv_and_the_calendar() {
    let c = case();
    let run = |as_at: NaiveDate| {
        let opts = ScheduleOptions::as_at(as_at).with_horizon_months(8);
        schedule(&c, &Profile::builtin("england").unwrap(), &Calendar::england_and_wales(), &opts).unwrap()
    };
    let s = run(d(2026, 4, 24));
    let csv = schedule_csv(&s);
    let row = csv.lines().find(|l| l.contains(",hold_review,") && l.contains("2026-12-26"));
    assert!(row.is_some_and(|r| r.contains("2026-12-24")), "{csv}");
    // The calendar's to-do is due on the day to plan for, Thu 24 Dec 2026.
    let ics = schedule_ics(&s, &c, &IcsOptions::default()).replace("\r\n ", "");
    let todo = ics
        .split("BEGIN:VTODO")
        .find(|t| t.contains("Review: 3 (looked-after review)") && t.contains("CATEGORIES:hold_review"));
    assert!(todo.is_some_and(|t| t.contains("DUE;VALUE=DATE:20261224")), "{ics}");
    let s = run(d(2026, 4, 23));
    let csv = schedule_csv(&s);
    assert!(!csv.contains("2026-12-26"), "{csv}");
}

#[test]
fn the_audit_reads_the_same_schedule() {
    let req = |as_at: &str| {
        format!(
            r#"{{"jurisdiction":"england","as_at":"{as_at}","horizon_months":8,"events":[
            {{"event":"became_looked_after","date":"2026-03-02"}},{{"event":"review_held","date":"2026-03-27"}}]}}"#
        )
    };
    let review3 = |as_at: &str| {
        let v: Value = serde_json::from_str(&lac_timescales::json::audit_json(&req(as_at)).unwrap()).unwrap();
        v["obligations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["obligation"]["duty"] == "hold_review" && o["obligation"]["review_number"] == 3)
            .map(|o| {
                let ob = &o["obligation"];
                (ob["latest"].clone(), ob["latest_working_day"].clone(), o["status"]["kind"].clone())
            })
    };
    assert_eq!(
        review3("2026-04-24"),
        Some((Value::from("2026-12-26"), Value::from("2026-12-24"), Value::from("pending")))
    );
    assert_eq!(review3("2026-04-23"), None);
}

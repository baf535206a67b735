//! A duty repeating from an event lists at most 400 repetitions; when more fell due by the as-at
//! date, the earliest are left out (the first listed says so), never the next one due. Until
//! session 9 the first 400 were listed and the next one due was missing (found by rev9): a weekly
//! local duty from a care plan started more than about 7.7 years before showed nothing current.
//!
//! Dates worked out by hand: a weekly duty from Mon 4 Jan 2016 (care plan started). Mon 4 Jan 2026
//! is 3,653 days later (ten years, three of them with 29 February: 2016, 2020, 2024), so Mon 5 Jan
//! 2026, the as-at date, is 3,654 days = 522 weeks later: repetition 522 falls due on the as-at
//! date and repetition 523, Mon 12 Jan 2026, is the next. 400 listed: 124 to 523. Repetition 124 is
//! 868 days after the anchor: Wed 4 Jan 2017 is 366 days, Thu 4 Jan 2018 731, and 137 more (27 to
//! 31 Jan, 28 in February, 31, 30, then 21 May) give Mon 21 May 2018.

use serde_json::{json, Value};

const PROFILE: &str = r#"id = "weekly-probe"
name = "weekly probe"
kind = "local"
extends = "england"
version = "1"
source = "test"

[[rule]]
duty = "case_summary"
role = "social_worker"
anchor = "care_plan_started"
direction = "after"
period = "1 week"
repeat = true
action = "Record the weekly case note"
citation = { instrument = "weekly probe", provision = "p1", status = "V" }
"#;

#[test]
fn the_next_repetition_is_listed_after_more_than_400() {
    let req = json!({
        "jurisdiction": "england", "profile_toml": PROFILE, "as_at": "2026-01-05", "horizon_months": 0,
        "explain": true,
        "events": [{"event": "became_looked_after", "date": "2016-01-04"},
                   {"event": "care_plan_started", "date": "2016-01-04"}]});
    let v: Value = serde_json::from_str(&lac_timescales::json::schedule_json(&req.to_string()).unwrap()).unwrap();
    let reps: Vec<&Value> =
        v["obligations"].as_array().unwrap().iter().filter(|o| o["duty"] == "case_summary").collect();
    let listed: Vec<(u64, &str)> =
        reps.iter().map(|o| (o["review_number"].as_u64().unwrap(), o["latest"].as_str().unwrap())).collect();
    assert_eq!(listed.len(), 400);
    assert_eq!(listed[0], (124, "2018-05-21"));
    assert_eq!(listed[398], (522, "2026-01-05"));
    assert_eq!(listed[399], (523, "2026-01-12"));
    let first = reps[0]["explanation"].to_string();
    assert!(first.contains("Repetitions 1 to 123 fell due before it and are not listed"), "{first}");
    assert!(!reps[1]["explanation"].to_string().contains("not listed"));
}

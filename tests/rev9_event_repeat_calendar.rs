//! rev9 (session 9): 85112a4 counts each repetition of a duty repeating from an event under the
//! rule in force "on the date the previous one fell due" (src/engine/duties/event.rs). For a local
//! rule the engine shows each repetition's due date on the council's calendar (closure days are
//! not working days: `closure_days`, local rules only), but tests the rule's force on the date
//! counted on the national calendar (`previous = dl.date`, `dl` from `self.cal`, not from
//! `cal_for(rule)`). When the two differ across the rule's first or last day, a repetition is
//! owed (or not) against the date the schedule itself shows.

use serde_json::{json, Value};

const PROFILE: &str = r#"id = "rev9-local"
name = "rev9 probe"
kind = "local"
extends = "england"
version = "1"
source = "rev9 probe"

[[rule]]
duty = "case_summary"
role = "social_worker"
anchor = "care_plan_started"
direction = "after"
period = "10 working days"
repeat = true
action = "Write the case summary"
in_force_from = "2026-01-01"
in_force_to = "2026-03-16"
citation = { instrument = "rev9 probe", provision = "p1", status = "V" }
"#;

fn summaries(closure: bool) -> Vec<(u64, String)> {
    let mut req = json!({
        "jurisdiction": "england", "profile_toml": PROFILE, "as_at": "2026-04-30", "horizon_months": 0,
        "events": [{"event": "became_looked_after", "date": "2026-03-02"},
                   {"event": "care_plan_started", "date": "2026-03-02"}]});
    if closure {
        req["closure_days"] = json!(["2026-03-06"]);
    }
    let v: Value = serde_json::from_str(&lac_timescales::json::schedule_json(&req.to_string()).unwrap()).unwrap();
    v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["duty"] == "case_summary")
        .map(|o| (o["review_number"].as_u64().unwrap(), o["latest"].as_str().unwrap().to_string()))
        .collect()
}

/// Without closure days: repetition 1, 10 working days after Mon 2 Mar 2026: Tue 3 (1) ... Fri
/// 6 (4), Mon 9 - Fri 13 (5-9), Mon 16 Mar (10); the rule is in force on Mon 16 Mar (its last
/// day), so repetition 2 is owed: 20 working days, Mon 30 Mar 2026.
#[test]
fn repetitions_follow_the_rules_last_day() {
    assert_eq!(summaries(false), [(1, "2026-03-16".to_string()), (2, "2026-03-30".to_string())]);
}

/// The council closed on Fri 6 Mar 2026: repetition 1 falls due on Tue 17 Mar (the schedule shows
/// that day). The rule ended on Mon 16 Mar: it was not in force on the day repetition 1 fell
/// due, so repetition 2 is not owed. Got: repetition 2, due Tue 31 Mar, as if repetition 1 had
/// fallen due on Mon 16 Mar (the national calendar's day).
///
/// Reproduce: `schedule_json` with the profile above as `profile_toml`, `closure_days:
/// ["2026-03-06"]`, as at 2026-04-30, horizon 0, looked after and care plan started 2026-03-02.
#[test]
fn a_repetition_after_the_rule_ended_on_the_councils_calendar_is_not_owed() {
    assert_eq!(summaries(true), [(1, "2026-03-17".to_string())]);
}

//! rev9 (session 9): random requests through the JSON boundary (`schedule_json`, `audit_json`)
//! that reach this session's engine paths: placements with a parent or for adoption, visits,
//! first reviews held late or never, rearranged reviews, an adoption clock started after an
//! overdue review, secure accommodation, cessation, dates either side of 1 Apr 2011 (England)
//! and 6 Apr 2016 (Wales), local profiles with repeating duties, horizons 0 to 60 months. Never a
//! panic; a response, or a typed error. On a response: each review regime's numbers (one period
//! of care, each regime started at most once) are 1, 2, 3, ... with no gap or repeat, and every
//! projected obligation shown is planned for a day inside the horizon.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use serde_json::{json, Value};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// One event after the child became looked after: a kind and a gap in days from the previous.
fn event() -> impl Strategy<Value = (u8, u16, bool)> {
    (0u8..12, 0u16..120, any::<bool>())
}

/// Wales?, the profile (England), the day looked after, the events, the as-at date's distance
/// from the last event, the horizon.
type Request = (bool, u8, NaiveDate, Vec<(u8, u16, bool)>, u16, u32);

fn request() -> impl Strategy<Value = Request> {
    let start = prop_oneof![
        (0u64..900).prop_map(|n| d(2010, 1, 1) + Days::new(n)),
        (0u64..600).prop_map(|n| d(2015, 6, 1) + Days::new(n)),
        (0u64..3000).prop_map(|n| d(2017, 1, 1) + Days::new(n)),
    ];
    (
        any::<bool>(),
        0u8..4,
        start,
        prop::collection::vec(event(), 0..25),
        0u16..400,
        prop_oneof![Just(0u32), Just(1), Just(3), Just(12), Just(60)],
    )
}

fn build(wales: bool, profile: u8, start: NaiveDate, evs: &[(u8, u16, bool)], tail: u16, horizon: u32) -> Value {
    let mut date = start;
    let mut events = vec![json!({"event": "became_looked_after", "date": date.to_string()})];
    let (mut authority, mut adoption, mut secure, mut ceased) = (false, false, false, false);
    for &(kind, gap, flag) in evs {
        date = date + Days::new(u64::from(gap));
        let day = date.to_string();
        let e = match kind {
            0 | 1 => json!({"event": "review_held", "date": day}),
            2 | 3 => json!({"event": "social_worker_visit", "date": day}),
            4 => {
                json!({"event": "placement_started", "date": day, "with_parent": flag, "intended_to_last_until_18": !flag})
            }
            5 if !authority && !wales => {
                authority = true;
                json!({"event": "authority_to_place", "date": day})
            }
            6 if !adoption && !wales => {
                adoption = true;
                json!({"event": "placed_for_adoption", "date": day})
            }
            7 => {
                let to = date + Days::new(u64::from(gap % 40) + 1);
                let from = date + Days::new(u64::from(gap % 20) + 1);
                json!({"event": "review_rearranged", "date": day, "from": from.to_string(), "to": to.to_string()})
            }
            8 if !secure => {
                secure = true;
                json!({"event": "placed_in_secure_accommodation", "date": day})
            }
            9 => json!({"event": if flag { "significant_change" } else { "iro_requested_review" }, "date": day}),
            10 => json!({"event": "care_plan_started", "date": day}),
            11 if !ceased && flag => {
                ceased = true;
                json!({"event": "ceased_to_be_looked_after", "date": day})
            }
            _ => continue,
        };
        if ceased && kind != 11 {
            break;
        }
        events.push(e);
    }
    let as_at = date + Days::new(u64::from(tail));
    let mut req = json!({
        "jurisdiction": if wales { "wales" } else { "england" },
        "as_at": as_at.to_string(),
        "horizon_months": horizon,
        "events": events,
    });
    if !wales {
        let p = ["england", "dudley", "isu-procedure", "sars-checklist"][profile as usize];
        req["profile"] = json!(p);
    }
    req
}

fn check_response(text: &str, req: &Value) -> Result<(), TestCaseError> {
    let v: Value = serde_json::from_str(text).unwrap();
    let obs = v["obligations"].as_array().unwrap();
    for regime in ["looked_after", "adoption_authorised", "adoption_placed", "secure_accommodation"] {
        let mut numbers: Vec<u64> = obs
            .iter()
            .filter(|o| o["duty"] == "hold_review" && o["regime"] == regime && o["early"] != true)
            .filter_map(|o| o["review_number"].as_u64())
            .collect();
        numbers.sort_unstable();
        let want: Vec<u64> = (1..=numbers.len() as u64).collect();
        prop_assert_eq!(&numbers, &want, "{} numbers in {}", regime, req);
    }
    if let Some(h) = v["metadata"]["horizon_end"].as_str() {
        // A review held at a joint meeting inside the horizon is shown though its own day to plan
        // for is after it (the meeting, another clock's review, brought it forward): then another
        // regime's projected review is planned inside the horizon.
        let joint_inside = |regime: &Value| {
            obs.iter().any(|x| {
                x["duty"] == "hold_review"
                    && x["regime"] != *regime
                    && x["latest_working_day"].as_str().is_some_and(|w| w <= h)
            })
        };
        for o in obs.iter().filter(|o| o["projected"] == true) {
            if let Some(w) = o["latest_working_day"].as_str() {
                prop_assert!(
                    w <= h || (o["duty"] == "hold_review" && joint_inside(&o["regime"])),
                    "projected {} planned {} past the horizon {}: {}",
                    o["duty"],
                    w,
                    h,
                    req
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]
    #[test]
    fn random_requests_never_panic((wales, profile, start, evs, tail, horizon) in request()) {
        let req = build(wales, profile, start, &evs, tail, horizon);
        let text = req.to_string();
        match lac_timescales::json::schedule_json(&text) {
            Ok(out) => check_response(&out, &req)?,
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let mut explained = req.clone();
        explained["explain"] = json!(true);
        let _ = lac_timescales::json::schedule_json(&explained.to_string());
        if let Ok(out) = lac_timescales::json::audit_json(&text) {
            let _: Value = serde_json::from_str(&out).unwrap();
        }
    }
}

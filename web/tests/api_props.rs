//! Properties of the API on generated input: random case histories (valid or not) and random
//! bytes always get a 200 with a schedule or a 4xx with the library's error object, never a
//! server error, from every computing route.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use lac_timescales_web::{app, FieldType, EVENTS};
use proptest::prelude::*;
use serde_json::{json, Value};
use tower::ServiceExt;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().build().expect("runtime")
}

async fn post(uri: &str, body: Vec<u8>) -> (StatusCode, Vec<u8>) {
    let req = Request::builder().method(Method::POST).uri(uri).body(Body::from(body)).expect("request");
    let res = app().oneshot(req).await.expect("the router never fails");
    let status = res.status();
    (status, res.into_body().collect().await.expect("body").to_bytes().to_vec())
}

fn date() -> impl Strategy<Value = String> {
    // Plausible dates, and sometimes impossible or out-of-range ones.
    prop_oneof![
        8 => (2015i32..2030, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        1 => Just("2026-02-30".to_string()),
        1 => Just("1800-01-01".to_string()),
        1 => ".{0,12}",
    ]
}

fn event() -> impl Strategy<Value = Value> {
    (0..EVENTS.len(), date(), date(), date(), any::<bool>(), 0u32..4, ".{0,20}").prop_map(
        |(k, d, from, to, flag, n, note)| {
            let info = &EVENTS[k];
            let mut v = json!({"event": info.event, "date": d});
            for f in info.fields {
                if !f.required && flag {
                    continue;
                }
                v[f.name] = match f.field_type {
                    FieldType::Date if f.name == "from" => json!(from),
                    FieldType::Date => json!(to),
                    FieldType::Text => json!(note),
                    FieldType::Boolean => json!(flag),
                    FieldType::Regimes => json!(["looked_after"]),
                    FieldType::Duty => json!(if flag { "issue_decisions" } else { "hold_review" }),
                    FieldType::Number => json!(n),
                };
            }
            v
        },
    )
}

/// A plausible history: looked after on a day, then events at increasing dates, mostly the
/// common ones; sometimes shuffled or with a wild date (to reach the error paths too).
fn history() -> impl Strategy<Value = Vec<Value>> {
    let common = [
        "review_held",
        "review_adjourned",
        "significant_change",
        "iro_requested_review",
        "duty_done",
        "care_plan_started",
    ];
    (
        (2016i64..2029, 0i64..365),
        prop::collection::vec((0..EVENTS.len() + 2 * common.len(), 0i64..200, event()), 0..10),
        0u8..10,
    )
        .prop_map(move |((y, doy), rest, chaos)| {
            let start = chrono::NaiveDate::from_ymd_opt(y as i32, 1, 1).unwrap() + chrono::Duration::days(doy);
            let mut day = start;
            let mut events = vec![json!({"event": "became_looked_after", "date": start.to_string()})];
            for (k, gap, mut ev) in rest {
                day += chrono::Duration::days(gap);
                if k >= EVENTS.len() {
                    let name = common[(k - EVENTS.len()) % common.len()];
                    ev = json!({"event": name});
                    if name == "duty_done" {
                        ev["duty"] = json!("issue_decisions");
                    }
                }
                if chaos != 0 {
                    ev["date"] = json!(day.to_string());
                }
                events.push(ev);
            }
            if chaos == 1 {
                events.reverse();
            }
            events
        })
}

fn request() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["england", "england", "wales"]),
        prop::option::of(prop::sample::select(vec!["dudley", "sars-checklist", "isu-procedure", "nowhere", "x.toml"])),
        prop::option::of(0u32..30),
        history(),
        any::<bool>(),
    )
        .prop_map(|(j, profile, horizon, events, dob)| {
            let mut r = json!({"jurisdiction": j, "events": events});
            if let Some(p) = profile {
                r["profile"] = json!(p);
            }
            if let Some(h) = horizon {
                r["horizon_months"] = json!(h);
            }
            if dob {
                r["child"] = json!({"date_of_birth": "2010-06-15"});
            }
            r
        })
}

fn check(status: StatusCode, body: &[u8]) -> Result<(), TestCaseError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| TestCaseError::fail(format!("not JSON: {e}")))?;
    if status == StatusCode::OK {
        prop_assert!(v.is_object() && v.get("error").is_none());
    } else {
        prop_assert!(status == StatusCode::BAD_REQUEST || status == StatusCode::PAYLOAD_TOO_LARGE, "{status}: {v}");
        prop_assert!(v["error"]["kind"].is_string() && v["error"]["message"].is_string(), "{v}");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_histories_never_cause_a_server_error(req in request()) {
        let rt = runtime();
        let body = req.to_string().into_bytes();
        let (status, out) = rt.block_on(post("/api/schedule", body.clone()));
        check(status, &out)?;
        // The same answer, or the same first error, as the library's own JSON boundary (a
        // profile name that is not built in is refused first).
        if req["profile"] != json!("x.toml") && req["profile"] != json!("nowhere") {
            let ours: Value = serde_json::from_slice(&out).unwrap();
            match lac_timescales::json::schedule_json(&req.to_string()) {
                Ok(text) => {
                    prop_assert_eq!(status, StatusCode::OK);
                    prop_assert_eq!(&ours, &serde_json::from_str::<Value>(&text).unwrap());
                }
                Err(e) => {
                    prop_assert_eq!(&ours["error"]["kind"], e.kind().as_str());
                    prop_assert_eq!(&ours["error"]["message"], &e.to_string());
                }
            }
        }
        let (audit_status, audit) = rt.block_on(post("/api/audit", body.clone()));
        // An audit has no horizon default, so a valid schedule request may still be refused
        // only for the reasons an audit adds; either way the answer is well formed.
        let audit_ok = audit_status == StatusCode::OK || audit_status.is_client_error();
        prop_assert!(audit_ok, "{}", audit_status);
        if audit_status == StatusCode::OK {
            let v: Value = serde_json::from_slice(&audit).unwrap();
            prop_assert!(v["as_at"].is_string());
        }
        for route in ["/api/schedule.csv", "/api/schedule.ics"] {
            let (s, _) = rt.block_on(post(route, body.clone()));
            prop_assert_eq!(s == StatusCode::OK, status == StatusCode::OK, "{} against /api/schedule", route);
        }
        // An event error names a real event of the request.
        if status == StatusCode::BAD_REQUEST {
            let v: Value = serde_json::from_slice(&out).unwrap();
            if let Some(i) = v["error"]["event_index"].as_u64() {
                prop_assert!((i as usize) < req["events"].as_array().unwrap().len());
            }
        }
    }

    #[test]
    fn random_bytes_get_the_error_object(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let rt = runtime();
        let (status, out) = rt.block_on(post("/api/schedule", bytes));
        check(status, &out)?;
    }
}

//! Hardening of the JSON boundary (`json::schedule_json`, shared by `schedule --json` and the C
//! ABI): random bytes, random JSON values and random event sequences always give either a valid
//! response or a typed error object, never a panic; and the documented limits give clear errors.
//! The C entry points get the same treatment in `ffi/tests/ffi_props.rs`.

use lac_timescales::json::{error_json, ErrorResponse, ScheduleResponse, MAX_REQUEST_BYTES};
use lac_timescales::model::MAX_EVENTS;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// The boundary as `schedule --json` and the C ABI see it: the response text, or the error
/// object's text.
fn schedule_json(request: &str) -> Result<String, String> {
    lac_timescales::json::schedule_json(request).map_err(|e| error_json(&e))
}

/// The error kinds an error object may carry (`ErrorKind::as_str`).
const KINDS: &[&str] =
    &["date_out_of_range", "invalid_period", "invalid_data", "invalid_input", "invalid_event", "limit_exceeded"];

/// Checks the outcome of one call: a response that reads back as a `ScheduleResponse`, or an
/// error object with a known kind and a message. Returns the error kind, if any.
fn check(outcome: Result<String, String>) -> Result<Option<String>, TestCaseError> {
    match outcome {
        Ok(text) => {
            let resp: Result<ScheduleResponse, _> = serde_json::from_str(&text);
            prop_assert!(resp.is_ok(), "a response that is not a ScheduleResponse: {text}");
            let value: Value = serde_json::from_str(&text).unwrap();
            prop_assert!(value.get("error").is_none(), "a success that carries an error: {text}");
            Ok(None)
        }
        Err(text) => {
            let err: Result<ErrorResponse, _> = serde_json::from_str(&text);
            prop_assert!(err.is_ok(), "an error that is not an error object: {text}");
            let err = err.unwrap().error;
            prop_assert!(KINDS.contains(&err.kind.as_str()), "unknown kind in {text}");
            prop_assert!(!err.message.is_empty(), "an empty message in {text}");
            Ok(Some(err.kind))
        }
    }
}

const EVENT_NAMES: &[&str] = &[
    "became_looked_after",
    "ceased_to_be_looked_after",
    "review_held",
    "review_adjourned",
    "review_rearranged",
    "short_breaks_started",
    "short_breaks_ended",
    "authority_to_place",
    "authority_to_place_ended",
    "placed_for_adoption",
    "returned_to_agency",
    "adoption_order_made",
    "placed_in_secure_accommodation",
    "left_secure_accommodation",
    "secure_review_held",
    "placed_with_parent_before_assessment",
    "iro_requested_review",
    "significant_change",
    "accommodation_ending",
    "placement_not_safeguarding",
    "child_requested_review",
    "child_absent",
    "child_at_risk",
    "family_support_referral",
    "long_term_foster_placement",
    "care_plan_started",
    "dispute_started",
    "duty_done",
    "no_such_event",
];

/// Strings that matter to the request: field names, ids, dates (valid, impossible, out of
/// range, malformed) and odd text.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "england",
            "wales",
            "scotland",
            "dudley",
            "sars-checklist",
            "x.toml",
            "2026-01-05",
            "2026-02-29",
            "2024-02-29",
            "1970-12-31",
            "1971-01-01",
            "2199-12-31",
            "2200-01-01",
            "0000-01-01",
            "+99999-01-01",
            "2026-1-5",
            "",
            "looked_after",
            "short_breaks",
            "hold_review",
            "issue_decisions",
            "\u{0}",
            "é✓",
        ])
        .prop_map(String::from),
        prop::sample::select(EVENT_NAMES.to_vec()).prop_map(String::from),
        "[a-z_0-9 -]{0,12}",
    ]
}

/// Arbitrary JSON, biased towards the request's vocabulary.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![0i64, 1, -1, 12, 10_000, u32::MAX as i64, u32::MAX as i64 + 1]).prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        word().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((field_name(), inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "jurisdiction",
            "profile",
            "profile_toml",
            "as_at",
            "horizon_months",
            "child",
            "date_of_birth",
            "closure_days",
            "events",
            "event",
            "date",
            "meeting",
            "regimes",
            "from",
            "to",
            "note",
            "duty",
            "review_number",
        ])
        .prop_map(String::from),
        word(),
    ]
}

/// One event on `base_day` days after 1 Jan 2010: a name (mostly one possible in most states),
/// sometimes an extra field with a random value, rarely a random value as its date.
fn event(base_day: i64) -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            // Mostly events that are possible in most states, so that many cases reach the engine.
            15 => prop::sample::select(vec!["review_held", "significant_change", "iro_requested_review", "care_plan_started"]),
            1 => prop::sample::select(EVENT_NAMES.to_vec()),
        ],
        prop::option::weighted(
            0.03,
            (prop::sample::select(vec!["meeting", "regimes", "from", "to", "note", "duty", "review_number"]), json_value()),
        ),
        prop::option::weighted(0.01, json_value()),
    )
        .prop_map(move |(name, extra, wild_date)| {
            let date = chrono::NaiveDate::from_ymd_opt(2010, 1, 1).unwrap()
                + chrono::Days::new(u64::try_from(base_day).unwrap_or(0));
            let mut m = Map::new();
            m.insert("event".into(), json!(name));
            m.insert("date".into(), wild_date.unwrap_or_else(|| json!(date.to_string())));
            if let Some((k, v)) = extra {
                m.insert(k.into(), v);
            }
            Value::Object(m)
        })
}

/// A request with random events (roughly in date order, so that many pass validation) and random
/// optional fields.
fn request() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["england", "wales"]),
        0i64..4000,
        prop::collection::vec(0i64..200, 0..12),
        prop::option::weighted(0.3, prop::sample::select(vec!["2026-06-01", "2010-01-01", "2199-12-31", "2200-01-01"])),
        prop::option::of(prop_oneof![0u32..36, Just(u32::MAX)]),
        prop::option::of(prop_oneof![
            4 => prop::sample::select(vec!["2005-06-01", "2008-02-29"]),
            1 => prop::sample::select(vec!["1960-01-01", "2030-01-01"]),
        ]),
        prop::option::weighted(0.2, prop::sample::select(vec!["england", "wales", "dudley", "nope"])),
    )
        .prop_flat_map(|(j, start, gaps, as_at, horizon, dob, profile)| {
            let mut day = start;
            let events: Vec<_> = gaps
                .iter()
                .map(|g| {
                    day += g;
                    event(day).boxed()
                })
                .collect();
            events.prop_map(move |mut evs| {
                let first = json!({"event": "became_looked_after", "date": (chrono::NaiveDate::from_ymd_opt(2010, 1, 1).unwrap() + chrono::Days::new(start as u64)).to_string()});
                evs.insert(0, first);
                let mut r = json!({"jurisdiction": j, "events": evs});
                if let Some(a) = as_at {
                    r["as_at"] = json!(a);
                }
                if let Some(h) = horizon {
                    r["horizon_months"] = json!(h);
                }
                if let Some(d) = dob {
                    r["child"] = json!({"date_of_birth": d});
                }
                if let Some(p) = profile {
                    r["profile"] = json!(p);
                }
                r
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_give_a_response_or_an_error_object(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        let kind = check(schedule_json(&text))?;
        prop_assert!(kind.is_some(), "random bytes were accepted: {text:?}");
    }

    #[test]
    fn random_json_gives_a_response_or_an_error_object(v in json_value()) {
        check(schedule_json(&v.to_string()))?;
    }

    #[test]
    fn request_shaped_json_gives_a_response_or_an_error_object(
        fields in prop::collection::vec((field_name(), json_value()), 0..8),
    ) {
        let mut m: Map<String, Value> = fields.into_iter().collect();
        m.entry("jurisdiction").or_insert(json!("england"));
        check(schedule_json(&Value::Object(m).to_string()))?;
    }

    #[test]
    fn random_event_sequences_give_a_response_or_an_error_object(r in request()) {
        check(schedule_json(&r.to_string()))?;
    }
}

#[test]
fn a_request_one_byte_over_the_limit_is_refused_by_size() {
    // A JSON string of spaces, 8 MiB + 1 bytes long: the size is checked before parsing.
    let mut big = String::with_capacity(MAX_REQUEST_BYTES + 1);
    big.push('"');
    big.extend(std::iter::repeat_n(' ', MAX_REQUEST_BYTES - 1));
    big.push('"');
    assert_eq!(big.len(), MAX_REQUEST_BYTES + 1);
    let err = schedule_json(&big).unwrap_err();
    assert_eq!(
        err,
        r#"{"error":{"kind":"limit_exceeded","message":"request size in bytes is 8388609, above the limit of 8388608"}}"#
    );
}

#[test]
fn a_request_of_exactly_the_limit_is_parsed() {
    let core = r#"{"jurisdiction": "england", "events": [{"event": "became_looked_after", "date": "2026-12-24"}]}"#;
    let mut text = String::from(core);
    text.extend(std::iter::repeat_n(' ', MAX_REQUEST_BYTES - core.len()));
    assert_eq!(text.len(), MAX_REQUEST_BYTES);
    let out = schedule_json(&text).expect("a request of exactly 8 MiB is accepted");
    // 20 working days after Thu 24 Dec 2026 (Christmas, the Boxing Day substitute and New
    // Year's Day skipped): Tue 26 Jan 2027.
    let v: Value = serde_json::from_str(&out).unwrap();
    let next = &v["obligations"][v["next_review"].as_u64().unwrap() as usize];
    assert_eq!(next["latest"], "2027-01-26");
}

fn events_request(n: usize) -> String {
    let one = r#"{"event": "became_looked_after", "date": "2026-01-05"}"#;
    format!(r#"{{"jurisdiction": "england", "events": [{}]}}"#, vec![one; n].join(","))
}

#[test]
fn more_events_than_the_limit_are_refused_with_the_count() {
    assert_eq!(MAX_EVENTS, 10_000);
    let err = schedule_json(&events_request(MAX_EVENTS + 1)).unwrap_err();
    assert_eq!(
        err,
        r#"{"error":{"kind":"limit_exceeded","message":"number of events is 10001, above the limit of 10000"}}"#
    );
}

#[test]
fn exactly_the_limit_of_events_passes_the_count_check() {
    // 10,000 copies of the same event: within the limit, then rejected as impossible (the child
    // is already looked after at event 1), not for its size.
    let err = schedule_json(&events_request(MAX_EVENTS)).unwrap_err();
    assert!(err.contains(r#""kind":"invalid_event""#), "{err}");
    assert!(err.contains("event 1 (became_looked_after)"), "{err}");
}

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    for text in [
        "[".repeat(100_000),
        format!(r#"{{"jurisdiction": "england", "events": [{}{}]}}"#, "[".repeat(50_000), "]".repeat(50_000)),
        format!(r#"{{"jurisdiction": "england", "child": {}}}"#, r#"{"a":"#.repeat(50_000)),
    ] {
        let err = schedule_json(&text).unwrap_err();
        assert!(err.contains(r#""kind":"invalid_input""#), "{err}");
    }
}

//! The same early-review trigger sent twice on one day (a duplicated row) made two early-review
//! obligations (session 8's note, left alone). One IRO request is one early review (CPPCR reg
//! 33(3): "a review must be held before the normal date if the IRO asks"), as one meeting is one
//! review: the history is refused as `invalid_event` naming both events, as a review or an
//! adjournment sent twice already is (`src/clocks.rs`).

use lac_timescales::json::schedule_json;
use lac_timescales::ErrorKind;
use serde_json::Value;

fn request(extra: &str) -> String {
    format!(
        r#"{{"jurisdiction": "england", "as_at": "2026-02-02", "horizon_months": 0, "events": [
        {{"event": "became_looked_after", "date": "2026-01-05"}},
        {extra}]}}"#
    )
}

fn early_reviews(json: &str) -> usize {
    let v: Value = serde_json::from_str(json).unwrap();
    v["obligations"].as_array().unwrap().iter().filter(|o| o["duty"] == "hold_review" && o["early"] == true).count()
}

/// Looked after Mon 5 Jan 2026; the IRO asks for a review on Mon 2 Feb 2026, and the row is
/// sent twice (events 1 and 2). One request: refused, naming event 1 (the first) at event 2.
#[test]
fn the_same_iro_request_twice_on_a_day_is_refused_naming_both_events() {
    let req = request(
        r#"{"event": "iro_requested_review", "date": "2026-02-02"},
        {"event": "iro_requested_review", "date": "2026-02-02"}"#,
    );
    let e = schedule_json(&req).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidEvent, "{e}");
    let text = e.to_string();
    assert!(text.contains("event 2"), "{text}");
    assert!(text.contains("(event 1)"), "{text}");
    assert!(text.contains("the IRO's request for a review was already recorded on this day"), "{text}");
}

/// The request sent once makes one early review; on two days, two requests (two early reviews).
#[test]
fn one_request_is_one_early_review_and_two_days_are_two() {
    let once = schedule_json(&request(r#"{"event": "iro_requested_review", "date": "2026-02-02"}"#)).unwrap();
    assert_eq!(early_reviews(&once), 1);
    let two_days = schedule_json(&request(
        r#"{"event": "iro_requested_review", "date": "2026-01-30"},
        {"event": "iro_requested_review", "date": "2026-02-02"}"#,
    ))
    .unwrap();
    assert_eq!(early_reviews(&two_days), 2);
}

/// Two different significant changes proposed on one day are two changes (their notes differ):
/// kept. The same change sent twice (same note) is refused like the request.
#[test]
fn two_different_changes_on_a_day_stay_two_and_the_same_one_twice_is_refused() {
    let two = schedule_json(&request(
        r#"{"event": "significant_change", "date": "2026-02-02", "note": "move to kinship carers"},
        {"event": "significant_change", "date": "2026-02-02", "note": "change of school"}"#,
    ))
    .unwrap();
    assert_eq!(early_reviews(&two), 2);
    let e = schedule_json(&request(
        r#"{"event": "significant_change", "date": "2026-02-02", "note": "change of school"},
        {"event": "significant_change", "date": "2026-02-02", "note": "change of school"}"#,
    ))
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidEvent, "{e}");
    assert!(e.to_string().contains("(event 1)"), "{e}");
}

//! rev8: duplicated rows that session 8's same-day check (`src/clocks.rs`, `not_held_today`)
//! still let through, each changing the schedule: the review_held completing an adjourned review
//! sent twice (counted as a new review held that day), and a review_adjourned sent twice for one
//! day (a false second adjournment).

use lac_timescales::json::schedule_json;
use lac_timescales::ErrorKind;

fn refused(request: &str) -> String {
    match schedule_json(request) {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidEvent, "{e}");
            e.to_string()
        }
        Ok(json) => panic!("accepted: {json}"),
    }
}

/// Looked after Mon 5 Jan 2026, review 1 held Tue 20 Jan; review 2 (due Mon 20 Apr) met on Tue 14
/// Apr and adjourned, completed Tue 28 Apr. Review 3 is due within six months of the completion
/// (the default adjourned_review_date "original" counts from 14 Apr: Wed 14 Oct 2026). Sent twice,
/// the completion on 28 Apr was counted as review 3 held on 28 Apr, and review 4 due Wed 28 Oct.
#[test]
fn the_completion_of_an_adjourned_review_sent_twice_is_refused() {
    let request = r#"{"jurisdiction": "england", "horizon_months": 0, "as_at": "2026-06-01", "events": [
        {"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "review_held", "date": "2026-01-20"},
        {"event": "review_adjourned", "date": "2026-04-14"},
        {"event": "review_held", "date": "2026-04-28"},
        {"event": "review_held", "date": "2026-04-28"}]}"#;
    assert_eq!(
        refused(request),
        "event 4 (review_held): date \"2026-04-28\": a looked-after review was already held on this day (event 3): \
         one meeting is one review, so send it once"
    );
    // Sent once: review 3 due Wed 14 Oct 2026 and not held.
    let once = request.replace(",\n        {\"event\": \"review_held\", \"date\": \"2026-04-28\"}]", "]");
    assert_ne!(once, request);
    let v: serde_json::Value = serde_json::from_str(&schedule_json(&once).unwrap()).unwrap();
    let next = &v["obligations"][v["next_review"].as_u64().unwrap() as usize];
    assert_eq!((next["review_number"].as_u64(), next["latest"].as_str()), (Some(3), Some("2026-10-14")), "{next}");
    assert!(next.get("done").is_none(), "{next}");
}

/// The same review_adjourned sent twice for Tue 14 Apr 2026 was a second adjournment (breach
/// second_adjournment on the completion); one meeting is adjourned once a day.
#[test]
fn an_adjournment_sent_twice_for_one_day_is_refused() {
    let request = r#"{"jurisdiction": "england", "as_at": "2026-06-01", "events": [
        {"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "review_held", "date": "2026-01-20"},
        {"event": "review_adjourned", "date": "2026-04-14"},
        {"event": "review_adjourned", "date": "2026-04-14"},
        {"event": "review_held", "date": "2026-04-28"}]}"#;
    assert_eq!(
        refused(request),
        "event 3 (review_adjourned): date \"2026-04-14\": the review was already adjourned on this day (event 2): \
         send it once"
    );
    // Adjourned again on a later day (Tue 21 Apr): accepted, a second adjournment (a breach).
    let later = request.replacen(
        r#"{"event": "review_adjourned", "date": "2026-04-14"},
        {"event": "review_adjourned", "date": "2026-04-14"}"#,
        r#"{"event": "review_adjourned", "date": "2026-04-14"},
        {"event": "review_adjourned", "date": "2026-04-21"}"#,
        1,
    );
    assert_ne!(later, request);
    let json = schedule_json(&later).unwrap();
    assert!(json.contains(r#""kind":"second_adjournment""#), "{json}");
}

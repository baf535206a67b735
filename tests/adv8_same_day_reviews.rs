//! A review recorded twice on the same day (a duplicated row, as case-management exports often
//! hold) is counted as two reviews, which moves the next review three months later than the law
//! allows (adv8, session 8). The SSDA903 audit rejects such a row ("duplicate: same CHILD and
//! REVIEW date"); the JSON request, the C ABI, Python and the web page did not. Fixed in session 8:
//! the history is refused, naming both events (`src/clocks.rs`, `not_held_today`).

use lac_timescales::json::schedule_json;
use lac_timescales::ErrorKind;
use serde_json::Value;

/// Looked after Mon 5 Jan 2026; the first review held Tue 20 Jan 2026, and the same event sent
/// twice. One meeting is one review: the second review is due within 3 months of 20 Jan, Mon 20
/// Apr 2026 (reg 33(2)(a)), and is not yet held. Today the schedule says review 2 was held on 20
/// Jan and review 3 is due Mon 20 Jul 2026 (six months on): a social worker trusting it misses
/// the second review by three months. Either answer below is acceptable: the duplicate refused
/// as an impossible history naming event 2, or taken as the one review it is.
#[test]
fn the_same_review_twice_is_one_review_or_an_error() {
    let request = r#"{"jurisdiction": "england", "horizon_months": 12, "events": [
        {"event": "became_looked_after", "date": "2026-01-05"},
        {"event": "review_held", "date": "2026-01-20"},
        {"event": "review_held", "date": "2026-01-20"}]}"#;
    match schedule_json(request) {
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::InvalidEvent, "{e}");
            assert!(e.to_string().contains("event 2"), "{e}");
        }
        Ok(json) => {
            let v: Value = serde_json::from_str(&json).unwrap();
            let next = &v["obligations"][v["next_review"].as_u64().unwrap() as usize];
            assert_eq!(next["review_number"], 2, "{next}");
            assert_eq!(next["latest"], "2026-04-20", "{next}");
            assert!(next.get("done").is_none(), "{next}");
        }
    }
}

//! A date the engine computes past the calendar's end is a typed error, but it does not say which
//! input it came from (adv8, session 8). The brief: every bad input gives an error naming the
//! field and value. Fixed in session 8: `schedule` names every event giving the date counted from
//! (`engine::blame_event`).

use lac_timescales::json::schedule_json;
use lac_timescales::ErrorKind;

/// Looked after on Tue 31 Dec 2199, the calendar's last day, with no horizon: the first review's
/// 20 working days run past the calendar. The error is `date_out_of_range` (right) with the
/// message "20 working days after 2199-12-31 falls outside the supported range 1971-01-01 to
/// 2199-12-31", which names neither the event (0, `became_looked_after`) nor its field (`date`).
/// A request whose rearranged review is moved `to` 2199-12-31 gives "5 working days after
/// 2199-12-31 ..." in the same way. A vendor with 10,000 events cannot tell which one to fix.
#[test]
fn a_computed_date_out_of_range_names_its_event() {
    let cases = [
        (
            r#"{"jurisdiction": "england", "horizon_months": 0, "events": [{"event": "became_looked_after", "date": "2199-12-31"}]}"#,
            "event 0",
        ),
        (
            r#"{"jurisdiction": "england", "horizon_months": 0, "events": [{"event": "became_looked_after", "date": "2026-01-05"},
               {"event": "review_rearranged", "date": "2026-01-20", "from": "2026-01-25", "to": "2199-12-31"}]}"#,
            "event 1",
        ),
    ];
    for (request, names) in cases {
        let e = schedule_json(request).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::DateOutOfRange, "{e}");
        let message = e.to_string();
        assert!(message.contains("2199-12-31"), "{message}");
        assert!(message.contains(names), "the message does not name its event ({names}): {message}");
    }
}

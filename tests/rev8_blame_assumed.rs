//! rev8: a date counted past the calendar from a date the schedule assumed names no event, even
//! when an event falls on that day (7ef8480 named any event on the day).

use lac_timescales::json::schedule_json;
use lac_timescales::ErrorKind;

/// Looked after Mon 1 Dec 2199: the first review is due 20 working days later, assumed held on
/// Tue 31 Dec 2199 (the calendar's last day); the decisions are due 5 working days after it, past
/// the calendar. The care plan recorded done on 31 Dec does not give that date: the message named
/// it ("5 working days after event 1 (duty_done) on 2199-12-31"). It names the assumed date.
#[test]
fn an_assumed_date_past_the_calendar_names_no_event() {
    let request = r#"{"jurisdiction": "england", "horizon_months": 0, "events": [
        {"event": "became_looked_after", "date": "2199-12-01"},
        {"event": "duty_done", "duty": "prepare_care_plan", "date": "2199-12-31"}]}"#;
    let e = schedule_json(request).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DateOutOfRange, "{e}");
    assert_eq!(
        e.to_string(),
        "5 working days after the assumed date 2199-12-31 falls outside the supported range 1971-01-01 to 2199-12-31"
    );
    // Without the event the message is the same.
    let alone = r#"{"jurisdiction": "england", "horizon_months": 0, "events": [
        {"event": "became_looked_after", "date": "2199-12-01"}]}"#;
    assert_eq!(schedule_json(alone).unwrap_err().to_string(), e.to_string());
}

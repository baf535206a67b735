//! A request's dates are read strictly, and no error message repeats more than an excerpt of
//! what it was given (found by an adversarial run on 1 Dec 2026: `"2026-1-5"` and `"+2026-01-05"`
//! were accepted as dates; a 3 MB event name gave a 9 MB message; an unknown field's value, a
//! child's name say, was repeated whole).

use lac_timescales::json::schedule_json;
use lac_timescales::{Error, ErrorKind};

fn request(events: &str, extra: &str) -> String {
    format!(r#"{{"jurisdiction": "england"{extra}, "events": [{events}]}}"#)
}

fn event_error(date_json: &str) -> Error {
    let r = request(&format!(r#"{{"event": "became_looked_after", "date": {date_json}}}"#), "");
    schedule_json(&r).expect_err(date_json)
}

#[test]
fn event_dates_must_be_written_yyyy_mm_dd() {
    for text in ["2026-1-5", "2026-01-5", "+2026-01-05", " 2026-01-05", "2026-01-05 ", "\u{a0}2026-01-05", "05/01/2026"]
    {
        let e = event_error(&serde_json::to_string(text).unwrap());
        assert_eq!(e.kind(), ErrorKind::InvalidEvent, "{text:?}");
        let msg = e.to_string();
        assert!(msg.starts_with("event 0 (became_looked_after): date "), "{msg}");
        assert!(msg.contains("not a date written YYYY-MM-DD"), "{msg}");
    }
    // The right shape, a day that does not exist (2026 is not a leap year).
    let msg = event_error("\"2026-02-29\"").to_string();
    assert!(msg.contains("no such day"), "{msg}");
    // And the plain form is read.
    assert!(schedule_json(&request(r#"{"event": "became_looked_after", "date": "2026-01-05"}"#, "")).is_ok());
}

#[test]
fn as_at_must_be_written_yyyy_mm_dd_and_its_error_names_it() {
    let ev = r#"{"event": "became_looked_after", "date": "2026-01-05"}"#;
    for text in ["2026-1-5", "+2026-01-05", "2026-01-05 ", " 2026-01-05"] {
        let e = schedule_json(&request(ev, &format!(r#", "as_at": "{text}""#))).expect_err(text);
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{text:?}");
        let msg = e.to_string();
        assert!(msg.contains("as_at") && msg.contains("not a date written YYYY-MM-DD"), "{msg}");
    }
    assert!(schedule_json(&request(ev, r#", "as_at": "2026-02-02""#)).is_ok());
}

#[test]
fn a_long_value_gives_a_short_message() {
    let name = "K".repeat(3_000_000);
    let e = schedule_json(&request(&format!(r#"{{"event": "{name}", "date": "2026-01-05"}}"#), "")).unwrap_err();
    let msg = e.to_string();
    // The name as an excerpt, and the list of the kinds there are (about 800 bytes).
    assert!(msg.len() < 2_000, "{} bytes", msg.len());
    assert!(msg.contains("(3000000 bytes)"), "{msg}");
    assert!(msg.contains("unknown event, expected one of `became_looked_after`"), "{msg}");
    // The name twice (as the event and as the value), each an excerpt of 60 characters.
    assert_eq!(msg.matches(&format!("{}... (3000000 bytes)", "K".repeat(60))).count(), 2, "{msg}");
    assert_eq!(msg.matches('K').count(), 120, "{msg}");
    let date = "9".repeat(3_000_000);
    let msg = event_error(&format!("\"{date}\"")).to_string();
    assert!(msg.len() < 1_000, "{} bytes", msg.len());
}

#[test]
fn an_unknown_fields_value_is_not_repeated() {
    let r = request(
        r#"{"event": "became_looked_after", "date": "2026-01-05", "child_name": "Jane Doe NHS 943 476 5919"}"#,
        "",
    );
    let msg = schedule_json(&r).unwrap_err().to_string();
    assert!(msg.contains("child_name"), "{msg}");
    assert!(!msg.contains("Jane"), "{msg}");
    assert!(msg.contains("unknown field for this event"), "{msg}");
}

#[test]
fn date_of_birth_and_closure_days_are_read_strictly_and_named() {
    let ev = r#"{"event": "became_looked_after", "date": "2026-01-05"}"#;
    let e = schedule_json(&request(ev, r#", "child": {"date_of_birth": "2010-3-1"}"#)).unwrap_err();
    assert!(e.to_string().contains("date_of_birth \"2010-3-1\": not a date written YYYY-MM-DD"), "{e}");
    let e = schedule_json(&request(ev, r#", "closure_days": ["2026-12-29", "2026-12-30 "]"#)).unwrap_err();
    assert!(e.to_string().contains("closure_days \"2026-12-30 \": not a date written YYYY-MM-DD"), "{e}");
    let ok = r#", "child": {"date_of_birth": "2010-03-01"}, "closure_days": ["2026-12-29"]"#;
    assert!(schedule_json(&request(ev, ok)).is_ok());
}

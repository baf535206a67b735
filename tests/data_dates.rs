//! The dates of a local profile, a closure-days file and a GOV.UK bank-holidays feed are read as
//! strictly as a request's: exactly `YYYY-MM-DD` (chrono's `%Y-%m-%d`, used before 1 Dec 2026,
//! also took `2011-4-1`, `+2011-04-01` and leading spaces).

use lac_timescales::calendar::Calendar;
use lac_timescales::profile::Profile;

const LENIENT: [&str; 5] = ["2011-4-1", "2011-04-1", "+2011-04-01", " 2011-04-01", "2011-04-01 "];

fn profile_with(in_force_from: &str) -> String {
    format!(
        r#"id = "my-council"
name = "My council"
kind = "local"
extends = "england"
version = "1"
source = "Our procedure"
[[rule]]
duty = "submit_social_work_report"
role = "social_worker"
anchor = "review_date"
direction = "before"
period = "5 working days"
in_force_from = {}
action = "Send your report to the IRO"
citation = {{ instrument = "My council procedure", provision = "s.4", status = "V" }}
"#,
        toml_string(in_force_from)
    )
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn a_profile_date_must_be_written_yyyy_mm_dd() {
    assert!(Profile::from_toml("ok.toml", &profile_with("1991-10-14")).is_ok());
    for text in LENIENT {
        let e = Profile::from_toml("lenient.toml", &profile_with(text)).expect_err(text);
        let msg = e.to_string();
        assert!(msg.contains("in_force_from"), "{text:?}: {msg}");
        assert!(msg.contains("not a date written YYYY-MM-DD"), "{text:?}: {msg}");
    }
    let msg = Profile::from_toml("feb.toml", &profile_with("1991-02-29")).unwrap_err().to_string();
    assert!(msg.contains("no such day"), "{msg}");
}

#[test]
fn a_closure_day_must_be_written_yyyy_mm_dd() {
    assert_eq!(Calendar::parse_closure_days("2026-12-29 Closure\n").unwrap().len(), 1);
    // Leading and trailing spaces of a line are not part of the date (the line is trimmed).
    for text in ["2026-12-9", "2026-1-29", "+2026-12-29", "29/12/2026"] {
        let msg = Calendar::parse_closure_days(&format!("{text} Closure\n")).expect_err(text).to_string();
        assert!(msg.contains("line 1"), "{text:?}: {msg}");
        assert!(msg.contains("not a date written YYYY-MM-DD"), "{text:?}: {msg}");
    }
}

#[test]
fn a_govuk_feed_date_must_be_written_yyyy_mm_dd() {
    let feed = |date: &str| {
        format!(
            r#"{{"england-and-wales": {{"division": "england-and-wales", "events": [{{"title": "Extra day", "date": "{date}"}}]}}}}"#
        )
    };
    assert!(Calendar::england_and_wales().with_govuk_json(&feed("2029-06-01")).is_ok());
    for text in ["2029-6-1", "+2029-06-01", " 2029-06-01"] {
        let msg = Calendar::england_and_wales().with_govuk_json(&feed(text)).expect_err(text).to_string();
        assert!(msg.contains("events[0].date"), "{text:?}: {msg}");
        assert!(msg.contains("not a date written YYYY-MM-DD"), "{text:?}: {msg}");
    }
}

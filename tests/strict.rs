//! Strict and honest input: duplicate keys are errors, a profile rule that can never give an
//! obligation is refused when the profile is loaded (naming the rule's line), and an error names
//! the field that caused it.

use lac_timescales::json;
use lac_timescales::profile::Profile;
use lac_timescales::{Error, ErrorKind};
use proptest::prelude::*;

const HEAD: &str =
    "id = \"strict\"\nname = \"Strict\"\nkind = \"local\"\nextends = \"england\"\nversion = \"1\"\nsource = \"test\"\n";

/// A rule as TOML lines (9 lines with `regimes`, 8 without).
fn rule(duty: &str, anchor: &str, regimes: Option<&str>) -> String {
    let regimes = regimes.map(|r| format!("regimes = [{r}]\n")).unwrap_or_default();
    format!(
        "[[rule]]\nduty = \"{duty}\"\nrole = \"iro\"\nanchor = \"{anchor}\"\ndirection = \"after\"\n\
         period = \"3 months\"\n{regimes}action = \"Do it\"\ncitation = {{ instrument = \"P\", provision = \"s.1\", status = \"V\" }}\n"
    )
}

fn data_error(e: &Error) -> (String, String) {
    match e {
        Error::InvalidData { location, reason, .. } => (location.clone(), reason.clone()),
        other => panic!("expected invalid_data, got {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any event of a valid history with any of its keys given twice is refused, naming the key.
    #[test]
    fn a_duplicate_key_in_any_event_is_an_error(which in 0usize..3, key in 0usize..3, value in "[a-z0-9-]{0,12}") {
        let events = [
            vec![("event", "became_looked_after"), ("date", "2026-01-05")],
            vec![("event", "significant_change"), ("date", "2026-01-20"), ("note", "move")],
            vec![("event", "review_held"), ("date", "2026-01-29")],
        ];
        let mut texts = Vec::new();
        for (i, fields) in events.iter().enumerate() {
            let mut parts: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": \"{v}\"")).collect();
            if i == which {
                let k = fields[key % fields.len()].0;
                parts.push(format!("\"{k}\": \"{value}\""));
            }
            texts.push(format!("{{{}}}", parts.join(", ")));
        }
        let req = format!(r#"{{"jurisdiction": "england", "events": [{}]}}"#, texts.join(", "));
        let e = json::schedule_json(&req).unwrap_err();
        prop_assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let k = events[which][key % events[which].len()].0;
        prop_assert!(e.to_string().contains(&format!("duplicate key \"{k}\"")), "{}", e);
    }

    /// A review-interval rule (hold_review from regime_start or previous_review) without regimes
    /// would never apply: the profile is refused, naming the rule's line, wherever it stands.
    #[test]
    fn an_interval_rule_without_regimes_is_refused_naming_its_line(before in 0usize..4, previous in any::<bool>(), empty in any::<bool>()) {
        let mut text = String::from(HEAD);
        for _ in 0..before {
            text.push_str(&rule("submit_social_work_report", "review_date", None).replace("\"after\"", "\"before\""));
        }
        let anchor = if previous { "previous_review" } else { "regime_start" };
        text.push_str(&rule("hold_review", anchor, if empty { Some("") } else { None }));
        let e = Profile::from_toml("strict.toml", &text).unwrap_err();
        let (location, reason) = data_error(&e);
        // 6 header lines, 8 lines per earlier rule: this rule starts on line 7 + 8 * before.
        prop_assert_eq!(location, format!("line {}", 7 + 8 * before));
        prop_assert!(reason.contains("regimes"), "{}", reason);
        // With regimes it loads.
        let mut fixed = String::from(HEAD);
        for _ in 0..before {
            fixed.push_str(&rule("submit_social_work_report", "review_date", None).replace("\"after\"", "\"before\""));
        }
        fixed.push_str(&rule("hold_review", anchor, Some("\"looked_after\"")));
        prop_assert!(Profile::from_toml("strict.toml", &fixed).is_ok());
    }
}

#[test]
fn two_duties_counted_from_each_others_completion_are_refused() {
    // appoint_iro counts from the review service's notification, and the notification from the
    // IRO's appointment: neither is ever due.
    let text = format!(
        "{HEAD}{}{}",
        rule("appoint_iro", "review_service_notified", None),
        rule("notify_review_service", "iro_appointed", None)
    );
    let e = Profile::from_toml("cycle.toml", &text).unwrap_err();
    let (location, reason) = data_error(&e);
    assert_eq!(location, "line 7"); // the first rule, after the 6 header lines
    assert!(reason.contains("cycle") && reason.contains("appoint_iro"), "{reason}");
    // Break the cycle (the notification counts from the child becoming looked after): fine.
    let text = format!(
        "{HEAD}{}{}",
        rule("appoint_iro", "review_service_notified", None),
        rule("notify_review_service", "became_looked_after", None)
    );
    Profile::from_toml("chain.toml", &text).unwrap();
}

#[test]
fn a_horizon_past_the_calendar_names_horizon_months() {
    // Looked after Mon 2 Jan 2190; 200 months on is 2 Sep 2206, past 31 Dec 2199.
    let req = |h: &str| {
        format!(
            r#"{{"jurisdiction": "england", {h} "events": [{{"event": "became_looked_after", "date": "2190-01-02"}}]}}"#
        )
    };
    for (h, value) in [(r#""horizon_months": 200,"#, "200"), (r#""horizon_months": 2400,"#, "2400")] {
        let e = json::schedule_json(&req(h)).unwrap_err();
        match &e {
            Error::InvalidInput { field, value: v, .. } => {
                assert_eq!((field.as_str(), v.as_str()), ("horizon_months", value))
            }
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().contains("2199-12-31"), "{e}");
        let e = json::audit_json(&req(h)).unwrap_err();
        assert!(e.to_string().contains("horizon_months"), "{e}");
    }
    // Twelve months from 2190 are fine.
    json::schedule_json(&req(r#""horizon_months": 12,"#)).unwrap();
    // Looked after on 1 Dec 2199: even with no horizon the next review (due 20 working days on,
    // 31 Dec 2199) has duties after it past the calendar, so the horizon is not to blame and the
    // error stays a date-range one.
    let e = json::schedule_json(
        r#"{"jurisdiction": "england", "events": [{"event": "became_looked_after", "date": "2199-12-01"}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DateOutOfRange, "{e}");
}

/// Issue 12 point 4: the horizon is named also when Rust calls `schedule()` and `audit()`
/// directly, not only through the JSON layer.
#[test]
fn a_horizon_past_the_calendar_names_horizon_months_in_rust_too() {
    use lac_timescales::audit::{audit, AuditOptions};
    use lac_timescales::calendar::Calendar;
    use lac_timescales::model::{CaseHistory, Child, Event, EventKind, Jurisdiction};
    use lac_timescales::profile::Profile;
    use lac_timescales::schedule::{schedule, ScheduleOptions};
    let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let (p, cal) = (Profile::builtin("england").unwrap(), Calendar::england_and_wales());
    let named = |e: Error, want: &str| match &e {
        Error::InvalidInput { field, value, .. } => {
            assert_eq!((field.as_str(), value.as_str()), ("horizon_months", want));
            assert!(e.to_string().contains("2199-12-31"), "{e}");
        }
        other => panic!("{other:?}"),
    };
    // Looked after Mon 2 Jan 2190; 200 months on is 2 Sep 2206, past 31 Dec 2199.
    let c = CaseHistory::new(
        Jurisdiction::England,
        Child::default(),
        vec![Event::new(d(2190, 1, 2), EventKind::BecameLookedAfter)],
    )
    .unwrap();
    named(schedule(&c, &p, &cal, &ScheduleOptions::new().with_horizon_months(200)).unwrap_err(), "200");
    named(audit(&c, &p, &cal, &AuditOptions::new().with_horizon_months(200)).unwrap_err(), "200");
    schedule(&c, &p, &cal, &ScheduleOptions::new()).unwrap();
    // Looked after Mon 1 Jun 2199: the first review is due in June, the second within 3 months
    // (September) and the third within 6 months of that, in 2200: the default 12-month horizon
    // projects past the calendar and is named as the default; with 0 it succeeds.
    let c = CaseHistory::new(
        Jurisdiction::England,
        Child::default(),
        vec![Event::new(d(2199, 6, 1), EventKind::BecameLookedAfter)],
    )
    .unwrap();
    named(schedule(&c, &p, &cal, &ScheduleOptions::new()).unwrap_err(), "12 (the default)");
    schedule(&c, &p, &cal, &ScheduleOptions::new().with_horizon_months(0)).unwrap();
    audit(&c, &p, &cal, &AuditOptions::new()).unwrap();
}

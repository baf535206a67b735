//! The boundary is bounded and safe to expose: every input is bounded before it is read, total
//! work per request is bounded, a request never reads a file, and errors never echo what they
//! did not receive. Each test finishes in well under a second (the work is cut off early).

use std::path::{Path, PathBuf};

use lac_timescales::json::{self, error_json, MAX_REQUEST_BYTES};
use lac_timescales::profile::{Profile, ProfileRegistry, MAX_PROFILE_BYTES, MAX_RULES};
use lac_timescales::schedule::MAX_OBLIGATIONS;
use lac_timescales::{input, Error, ErrorKind};
use serde_json::{json, Value};

const LAC: &str = r#"{"event": "became_looked_after", "date": "2026-01-05"}"#;

/// A scratch directory of this test process, removed when dropped (when the test ends, passed or
/// failed).
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("lact-boundary-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn limit(e: &Error) -> (String, usize, usize) {
    match e {
        Error::LimitExceeded { what, actual, limit } => (what.clone(), *actual, *limit),
        other => panic!("expected limit_exceeded, got {other:?}"),
    }
}

/// One local rule, numbered so that each is distinct.
fn rule(n: usize) -> String {
    format!(
        "[[rule]]\nduty = \"submit_social_work_report\"\nrole = \"social_worker\"\nanchor = \"review_date\"\n\
         direction = \"before\"\nperiod = \"{} working days\"\naction = \"Send the report ({n})\"\n\
         citation = {{ instrument = \"Procedure\", provision = \"s.{n}\", status = \"V\" }}\n",
        1 + n % 20
    )
}

fn profile_with(rules: usize) -> String {
    let mut text = String::from(
        "id = \"many\"\nname = \"Many rules\"\nkind = \"local\"\nextends = \"england\"\nversion = \"1\"\nsource = \"test\"\n",
    );
    for n in 0..rules {
        text.push_str(&rule(n));
    }
    text
}

#[test]
fn an_inline_profile_over_the_size_limit_is_refused_before_parsing() {
    // 1 MiB + 1 bytes of comment lines: refused by size, naming profile_toml.
    let text = format!("#{}", "x".repeat(MAX_PROFILE_BYTES));
    assert_eq!(text.len(), MAX_PROFILE_BYTES + 1);
    let req = json!({"jurisdiction": "england", "profile_toml": text, "events": [serde_json::from_str::<Value>(LAC).unwrap()]});
    let e = json::schedule_json(&req.to_string()).unwrap_err();
    assert_eq!(limit(&e), ("profile_toml size in bytes".into(), MAX_PROFILE_BYTES + 1, MAX_PROFILE_BYTES));
    // The message does not carry the text back.
    assert!(error_json(&e).len() < 300, "{}", error_json(&e));
}

#[test]
fn a_profile_over_the_rule_limit_is_refused_and_loading_is_linear() {
    // MAX_RULES rules load (one pass over the text: line numbers by binary search).
    let p = Profile::from_toml("many.toml", &profile_with(MAX_RULES)).unwrap();
    assert_eq!(p.rules.len(), Profile::builtin("england").unwrap().rules.len() + MAX_RULES);
    // The last rule's line: 6 header lines, then 8 lines per rule ([[rule]], duty, role,
    // anchor, direction, period, action, citation); rule k (from 0) starts on line 7 + 8k.
    assert_eq!(p.rules.last().unwrap().line, 7 + 8 * (MAX_RULES - 1));
    let e = Profile::from_toml("many.toml", &profile_with(MAX_RULES + 1)).unwrap_err();
    assert_eq!(limit(&e), ("number of rules in many.toml".into(), MAX_RULES + 1, MAX_RULES));
}

#[test]
fn a_request_naming_a_path_never_reads_it_and_says_nothing_about_it() {
    let dir = scratch("paths");
    let existing = dir.join("council.toml");
    std::fs::write(&existing, profile_with(1)).unwrap();
    let secret = dir.join("secret.toml");
    std::fs::write(&secret, "password = \"hunter2\"\n").unwrap();
    let missing = dir.join("missing.toml");
    let mut messages = Vec::new();
    for path in [&existing, &secret, &missing, &PathBuf::from("/etc/passwd"), &PathBuf::from("/dev/zero")] {
        let p = path.display().to_string();
        let req =
            json!({"jurisdiction": "england", "profile": p, "events": [serde_json::from_str::<Value>(LAC).unwrap()]});
        let e = json::schedule_json(&req.to_string()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        let m = e.to_string();
        assert!(m.starts_with("invalid profile "), "{m}");
        assert!(!m.contains("hunter2") && !m.contains("password") && !m.contains("line 1"), "{m}");
        // Whether the file exists changes nothing but the echoed value.
        messages.push(m.replace(&p, "PATH"));
        // The audit entry point too.
        let e = json::audit_json(&req.to_string()).unwrap_err();
        assert_eq!(e.to_string().replace(&p, "PATH"), messages[0]);
    }
    assert!(messages.iter().all(|m| *m == messages[0]), "{messages:#?}");
}

#[test]
fn registered_profiles_are_named_by_id() {
    let registry = ProfileRegistry::new();
    let mut text = profile_with(1).replace("id = \"many\"", "id = \"my-council\"");
    registry.register(Profile::from_toml("my-council", &text).unwrap()).unwrap();
    let req = json!({"jurisdiction": "england", "profile": "my-council", "events": [serde_json::from_str::<Value>(LAC).unwrap(),
                     {"event": "review_held", "date": "2026-01-29"}]});
    let out: Value = serde_json::from_str(&json::schedule_json_with(&req.to_string(), &registry).unwrap()).unwrap();
    assert_eq!(out["metadata"]["profile"], "my-council");
    // Not in the global registry.
    assert!(json::schedule_json(&req.to_string()).is_err());
    // A built-in id cannot be taken over.
    text = text.replace("id = \"my-council\"", "id = \"dudley\"");
    let e = registry.register(Profile::from_toml("x", &text).unwrap()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(registry.unregister("my-council"));
    assert!(json::schedule_json_with(&req.to_string(), &registry).is_err());
}

#[test]
fn an_oversized_value_is_not_echoed_whole() {
    let id = "x".repeat(100_000);
    let req = json!({"jurisdiction": "england", "profile": id, "events": []});
    let e = json::schedule_json(&req.to_string()).unwrap_err();
    assert!(e.to_string().len() < 1_000, "{} bytes", e.to_string().len());
    assert!(e.to_string().contains("(100000 bytes)"), "{e}");
}

#[test]
fn an_amplifying_request_is_cut_off_with_a_clear_error() {
    // 1,000 care plans started on the same day under isu-procedure: each starts a six-monthly
    // case summary; over a 2,000-month horizon that would be 400 repetitions each (400,000
    // obligations). The request is 54 KB.
    let plan = r#"{"event": "care_plan_started", "date": "2026-01-05"}"#;
    let events = format!("{LAC},{}", vec![plan; 1000].join(","));
    let long = format!(
        r#"{{"jurisdiction": "england", "profile": "isu-procedure", "horizon_months": 2000, "events": [{events}]}}"#
    );
    let e = json::schedule_json(&long).unwrap_err();
    let (what, actual, max) = limit(&e);
    assert!(what.starts_with("number of obligations in one schedule"), "{what}");
    assert_eq!((actual, max), (MAX_OBLIGATIONS + 1, MAX_OBLIGATIONS));
    // The audit shares the engine, and so the bound.
    assert_eq!(json::audit_json(&long).unwrap_err().kind(), ErrorKind::LimitExceeded);
    // Over the default 12 months from 5 Jan 2026 each plan has summaries due 5 Jul 2026, 5 Jan
    // 2027 (the next after the as-at date is always shown; the horizon ends 5 Jan 2027): a
    // response, lean enough.
    let short = format!(r#"{{"jurisdiction": "england", "profile": "isu-procedure", "events": [{events}]}}"#);
    let out = json::schedule_json(&short).unwrap();
    assert!(out.len() < 2_000_000, "{} bytes", out.len());
}

#[test]
fn ten_thousand_events_with_a_long_horizon_are_bounded() {
    // The issue's case: 10,000 events, a long horizon. Alternate care plans and significant
    // changes on one day after the child is looked after. Each change has its own note: the
    // same change sent twice on one day is refused as one trigger sent twice (session 9).
    let mut events = vec![LAC.to_string()];
    for k in 0..9_999 {
        events.push(if k % 2 == 0 {
            r#"{"event": "care_plan_started", "date": "2026-01-05"}"#.to_string()
        } else {
            format!(r#"{{"event": "significant_change", "date": "2026-01-05", "note": "change {k}"}}"#)
        });
    }
    let req = format!(
        r#"{{"jurisdiction": "england", "profile": "isu-procedure", "horizon_months": 1200, "events": [{}]}}"#,
        events.join(",")
    );
    assert!(req.len() < MAX_REQUEST_BYTES);
    assert_eq!(json::schedule_json(&req).unwrap_err().kind(), ErrorKind::LimitExceeded);
}

#[cfg(unix)]
#[test]
fn a_fifo_a_device_and_a_symlink_to_one_are_refused_without_blocking() {
    let dir = scratch("fifo");
    let fifo = dir.join("request.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo is needed for this test");
    let link = dir.join("council.toml");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    for (path, kind) in [(fifo.as_path(), "a FIFO"), (Path::new("/dev/zero"), "a device"), (link.as_path(), "a device")]
    {
        let e = input::read_file(path, MAX_REQUEST_BYTES, "input").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        assert!(e.to_string().contains(kind), "{e}");
    }
    assert!(input::read_file(&dir, 10, "input").unwrap_err().to_string().contains("a directory"));
}

#[test]
fn streams_are_read_up_to_the_limit_only() {
    // /dev/zero as a stream (what `schedule --json < /dev/zero` reads): one byte past the limit.
    let e = input::read_bounded(std::io::repeat(0), MAX_REQUEST_BYTES, "stdin").unwrap_err();
    let (what, actual, max) = limit(&e);
    assert!(what.starts_with("stdin size in bytes"), "{what}");
    assert_eq!((actual, max), (MAX_REQUEST_BYTES + 1, MAX_REQUEST_BYTES));
    #[cfg(unix)]
    {
        let zero = std::fs::File::open("/dev/zero").unwrap();
        assert_eq!(input::read_bounded(zero, 1024, "stdin").unwrap_err().kind(), ErrorKind::LimitExceeded);
    }
    // Exactly the limit is fine.
    assert_eq!(input::read_bounded(&b"12345"[..], 5, "stdin").unwrap(), "12345");
    // A regular file larger than the limit is refused from its size.
    let dir = scratch("big");
    let big = dir.join("big.json");
    std::fs::write(&big, "x".repeat(11)).unwrap();
    assert_eq!(limit(&input::read_file(&big, 10, "input").unwrap_err()), ("input size in bytes".into(), 11, 10));
}

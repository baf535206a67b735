//! The JSON Schemas in `ffi/schema/` are exactly what schemars generates from the Rust request,
//! response and error types, and real requests and responses validate against them.
//!
//! Regenerate the schemas after changing those types with
//! `LACT_BLESS=1 cargo test -p lac-timescales-ffi --test schema`.

use std::path::{Path, PathBuf};

use lac_timescales::json::{
    audit_json, error_json, schedule_json, AuditResponse, ErrorResponse, ScheduleRequest, ScheduleResponse,
};
use serde_json::{json, Value};

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schema")
}

fn generated() -> Vec<(&'static str, Value)> {
    vec![
        ("schedule-request.schema.json", schemars::schema_for!(ScheduleRequest).to_value()),
        ("schedule-response.schema.json", schemars::schema_for!(ScheduleResponse).to_value()),
        ("error.schema.json", schemars::schema_for!(ErrorResponse).to_value()),
        // The audit request is the schedule request (`as_at` is the audit date).
        ("audit-response.schema.json", schemars::schema_for!(AuditResponse).to_value()),
    ]
}

fn committed(name: &str) -> Value {
    let path = schema_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn validator(name: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&committed(name))
        .unwrap_or_else(|e| panic!("{name} is not a valid JSON Schema: {e}"))
}

/// Every validation error, as "path: message" lines (empty when valid).
fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance).map(|e| format!("{}: {}", e.instance_path(), e)).collect()
}

#[test]
fn committed_schemas_match_the_rust_types() {
    let dir = schema_dir();
    let mut stale = Vec::new();
    for (name, schema) in generated() {
        let text = serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n";
        let path = dir.join(name);
        if std::env::var_os("LACT_BLESS").is_some() {
            std::fs::create_dir_all(&dir).expect("create ffi/schema");
            std::fs::write(&path, &text).expect("write a schema");
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "ffi/schema/{stale:?} out of date with the Rust types; \
         regenerate with LACT_BLESS=1 cargo test -p lac-timescales-ffi --test schema"
    );
}

/// Requests that succeed: the doc example's shape in Wales, and one using every optional field
/// and every event field the README lists.
fn succeeding_requests() -> Vec<Value> {
    vec![
        json!({"jurisdiction": "wales", "events": [{"event": "became_looked_after", "date": "2026-01-01"}]}),
        json!({"jurisdiction": "england", "as_at": "2026-06-01", "closure_days": ["2026-12-29"],
               "horizon_months": 0, "child": {"date_of_birth": "2011-02-14"},
               "events": [{"event": "became_looked_after", "date": "2026-01-05"},
                          {"event": "review_held", "date": "2026-01-29", "meeting": false, "regimes": ["looked_after"]},
                          {"event": "review_rearranged", "date": "2026-04-01", "from": "2026-04-20", "to": "2026-05-01"},
                          {"event": "significant_change", "date": "2026-05-02", "note": "new school"},
                          {"event": "duty_done", "date": "2026-05-03", "duty": "issue_decisions", "review_number": 2},
                          {"event": "ceased_to_be_looked_after", "date": "2026-06-01"}]}),
    ]
}

/// Requests of the right shape whether or not they succeed: the README's example (its local
/// profile may not be built in) and an inline profile.
fn own_requests() -> Vec<Value> {
    let mut all = succeeding_requests();
    all.push(json!({"jurisdiction": "england", "profile": "dudley", "as_at": "2026-06-01", "horizon_months": 12,
                    "child": {"date_of_birth": "2011-02-14"},
                    "events": [{"event": "became_looked_after", "date": "2026-01-05"},
                               {"event": "review_held", "date": "2026-01-29"}]}));
    all.push(json!({"jurisdiction": "england", "profile_toml": "id = \"x\"\n",
                    "events": [{"event": "became_looked_after", "date": "2026-01-05"}]}));
    all
}

#[test]
fn own_requests_validate_and_bad_ones_do_not() {
    let v = validator("schedule-request.schema.json");
    for r in own_requests() {
        assert_eq!(errors(&v, &r), Vec::<String>::new(), "{r}");
    }
    // Each of these breaks the request schema in one way, worked out from the README's field list.
    let bad = [
        json!({"events": []}),                                                            // no jurisdiction
        json!({"jurisdiction": "england"}),                                               // no events
        json!({"jurisdiction": "scotland", "events": []}),                                // unknown jurisdiction
        json!({"jurisdiction": "england", "events": [], "colour": "red"}),                // unknown field
        json!({"jurisdiction": "england", "events": [], "as_at": "2026-02-30"}),          // no such date
        json!({"jurisdiction": "england", "events": [], "horizon_months": -1}),           // negative horizon
        json!({"jurisdiction": "england", "events": [{"event": "became_looked_after"}]}), // no date
        json!({"jurisdiction": "england", "events": [{"event": "teleported", "date": "2026-01-01"}]}),
    ];
    for r in bad {
        assert!(!errors(&v, &r).is_empty(), "the request schema accepted {r}");
    }
}

/// Every object under a `request` key anywhere in `value`.
fn requests_in(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "request" && v.is_object() {
                    out.push(v.clone());
                } else {
                    requests_in(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| requests_in(v, out)),
        _ => {}
    }
}

#[test]
fn every_conformance_vector_request_validates() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/conformance");
    let v = validator("schedule-request.schema.json");
    let mut files = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| e.expect("a directory entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect::<Vec<_>>(),
        Err(_) => Vec::new(), // no vectors in this checkout yet: the own requests above stand in
    };
    files.sort();
    let mut checked = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // Error vectors send malformed requests on purpose (an unknown event, a bad date).
        if doc.get("expected").and_then(|e| e.get("error")).is_some() {
            continue;
        }
        checked += 1;
        let mut requests = Vec::new();
        requests_in(&doc, &mut requests);
        assert!(!requests.is_empty(), "{}: no `request` object found", path.display());
        for (i, r) in requests.iter().enumerate() {
            let errs = errors(&v, r);
            assert!(errs.is_empty(), "{} request {i} does not match the schema:\n{}", path.display(), errs.join("\n"));
        }
    }
    assert!(checked >= 40, "only {checked} conformance vectors with a valid request were found in {}", dir.display());
}

#[test]
fn responses_and_errors_validate_against_their_schemas() {
    let response = validator("schedule-response.schema.json");
    let error = validator("error.schema.json");
    for r in succeeding_requests() {
        let request = r.to_string();
        let text = schedule_json(&request).unwrap_or_else(|e| panic!("{request} failed: {e}"));
        let value: Value = serde_json::from_str(&text).expect("the response is JSON");
        assert_eq!(errors(&response, &value), Vec::<String>::new(), "response to {request}");
        assert!(!errors(&error, &value).is_empty(), "a response must not validate as an error");
    }
    for r in own_requests() {
        if let Err(e) = schedule_json(&r.to_string()) {
            let text = error_json(&e);
            let value: Value = serde_json::from_str(&text).expect("the error object is JSON");
            assert_eq!(errors(&error, &value), Vec::<String>::new(), "{text}");
        }
    }
    for bad in [
        "",
        "{",
        r#"{"events": []}"#,
        r#"{"jurisdiction": "england", "events": [{"event": "review_held", "date": "2026-01-01"}]}"#,
    ] {
        let text = error_json(&schedule_json(bad).expect_err("an invalid request fails"));
        let value: Value = serde_json::from_str(&text).expect("the error object is JSON");
        assert_eq!(errors(&error, &value), Vec::<String>::new(), "{text}");
        assert!(!errors(&response, &value).is_empty(), "an error object must not validate as a response");
    }
}

#[test]
fn audit_responses_validate_against_their_schema() {
    let v = validator("audit-response.schema.json");
    for request in [
        r#"{"jurisdiction": "england", "as_at": "2026-06-01",
            "events": [{"event": "became_looked_after", "date": "2026-01-05"},
                       {"event": "review_held", "date": "2026-02-05"},
                       {"event": "duty_done", "duty": "issue_decisions", "date": "2026-02-09"}]}"#,
        r#"{"jurisdiction": "wales", "profile": "wales",
            "events": [{"event": "became_looked_after", "date": "2026-01-05"}]}"#,
        r#"{"jurisdiction": "england", "profile": "dudley", "as_at": "2026-12-01",
            "events": [{"event": "became_looked_after", "date": "2026-01-05"},
                       {"event": "review_held", "date": "2026-01-29"},
                       {"event": "review_adjourned", "date": "2026-04-22"},
                       {"event": "review_held", "date": "2026-05-06"}]}"#,
    ] {
        let out: Value = serde_json::from_str(&audit_json(request).expect("a valid audit request")).unwrap();
        let errs = errors(&v, &out);
        assert!(errs.is_empty(), "audit response does not match its schema:\n{}", errs.join("\n"));
    }
    // And it is not a schema that accepts anything.
    assert!(!errors(&v, &json!({"obligations": "no"})).is_empty());
}

/// Every conformance vector (and pending vector) matches `data/conformance-vector.schema.json`,
/// and the schema is not one that accepts anything.
#[test]
fn every_conformance_vector_matches_the_vector_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/conformance");
    let text = std::fs::read_to_string(dir.join("../conformance-vector.schema.json"))
        .expect("data/conformance-vector.schema.json");
    let schema: Value = serde_json::from_str(&text).expect("the vector schema is JSON");
    let v = jsonschema::options().build(&schema).expect("a valid JSON Schema");
    let mut checked = 0;
    for d in [dir.clone(), dir.join("pending")] {
        for entry in std::fs::read_dir(&d).expect("the vector directory") {
            let path = entry.expect("an entry").path();
            let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let errs = errors(&v, &doc);
            assert!(errs.is_empty(), "{name} does not match conformance-vector.schema.json:\n{}", errs.join("\n"));
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} vectors");
    for bad in [
        json!({"id": "001-x", "description": "d", "source": "s", "request": {}, "expected": {}}),
        json!({"id": "001-x", "description": "d", "source": "s", "request": {}, "expected": {"obligations": [{"latest": "2026-01-01"}]}}),
        json!({"id": "001-x", "description": "d", "source": "s", "request": {}, "expected": {"error": {"kind": "oops"}}}),
        json!({"id": "x", "description": "d", "source": "s", "request": {}, "expected": {"error": {"kind": "invalid_input"}}}),
    ] {
        assert!(!errors(&v, &bad).is_empty(), "the vector schema accepted {bad}");
    }
    // The date assertions and this library's metadata are apart in the file itself: metadata
    // outside `metadata`, a breach's basis or a status's wording among the dates, metadata on an
    // absence, or an unknown field anywhere is rejected; the same assertions split are accepted.
    let vector = |expected: Value| {
        json!({"id": "001-x", "description": "d", "source": "s", "tags": ["jurisdiction:england", "feature:x"],
               "request": {}, "expected": expected})
    };
    let good = vector(json!({
        "obligations": [{"duty": "hold_review", "latest": "2026-05-31", "breach": {"kind": "late_review", "working_days_late": 1},
                         "status": {"kind": "not_applicable"},
                         "metadata": {"basis": "local:dudley", "breach": {"basis": "local:dudley"}, "status": {"reason": "r"},
                                      "citation": {"provision": "reg 33(1)", "status": "V"}, "role": "iro", "projected": false}}],
        "absent": [{"duty": "hold_review", "review_number": 2}],
        "next_review": {"duty": "hold_review", "latest": "2026-05-31", "metadata": {"projected": true}},
    }));
    assert_eq!(errors(&v, &good), Vec::<String>::new());
    for bad in [
        vector(json!({"obligations": [{"duty": "hold_review", "basis": "statutory"}]})),
        vector(json!({"obligations": [{"duty": "hold_review", "citation": {"provision": "reg 33(1)"}}]})),
        vector(
            json!({"obligations": [{"duty": "hold_review", "breach": {"kind": "late_review", "basis": "statutory"}}]}),
        ),
        vector(json!({"obligations": [{"duty": "hold_review", "status": {"kind": "not_applicable", "reason": "r"}}]})),
        vector(json!({"obligations": [{"duty": "hold_review", "metadata": {"latest": "2026-05-31"}}]})),
        vector(json!({"obligations": [{"duty": "hold_review", "metadata": {}}]})),
        vector(json!({"obligations": [{"duty": "hold_review", "lastest": "2026-05-31"}]})),
        vector(
            json!({"obligations": [{"duty": "hold_review"}], "absent": [{"duty": "x", "metadata": {"basis": "statutory"}}]}),
        ),
        vector(
            json!({"obligations": [{"duty": "hold_review"}], "next_review": {"duty": "hold_review", "projected": true}}),
        ),
    ] {
        assert!(!errors(&v, &bad).is_empty(), "the vector schema accepted {bad}");
    }
}

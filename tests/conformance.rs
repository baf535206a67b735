//! Runs every conformance vector in `data/conformance/*.json`.
//!
//! A vector is `{"id", "description", "source", "request", "expected"}` where `expected` is either
//! `{"obligations": [ ... ]}`, a list of partial obligations (each must match one obligation of
//! the response on every field it gives; `duty` is required), optionally with
//! `"absent": [ ... ]` (partial obligations that must match none), or `{"error": {"kind": ...}}`.
//! Expected values were worked out by hand; see docs/conformance.md.

use serde_json::Value;

fn matches(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().all(|(k, v)| a.get(k).is_some_and(|av| matches(v, av))),
        _ => expected == actual,
    }
}

#[test]
fn every_conformance_vector_holds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/conformance");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 25, "expected at least 25 vectors in {}, found {}", dir.display(), paths.len());
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for field in ["id", "description", "source", "request", "expected"] {
            assert!(v.get(field).is_some(), "{name}: missing {field}");
        }
        let request = serde_json::to_string(&v["request"]).unwrap();
        let result = lac_timescales::json::schedule_json(&request);
        let expected = &v["expected"];
        if let Some(err) = expected.get("error") {
            match result {
                Ok(_) => failures.push(format!("{name}: expected error {err}, got a schedule")),
                Err(text) => {
                    let got: Value = serde_json::from_str(&text).unwrap();
                    if !matches(err, &got["error"]) {
                        failures.push(format!("{name}: expected error {err}, got {}", got["error"]));
                    }
                }
            }
            continue;
        }
        let resp: Value = match result {
            Ok(text) => serde_json::from_str(&text).unwrap(),
            Err(e) => {
                failures.push(format!("{name}: unexpected error {e}"));
                continue;
            }
        };
        let obligations = resp["obligations"].as_array().unwrap();
        for want in expected["obligations"].as_array().unwrap_or(&Vec::new()) {
            assert!(want.get("duty").is_some(), "{name}: every expected obligation names its duty");
            if !obligations.iter().any(|o| matches(want, o)) {
                let same_duty: Vec<String> = obligations
                    .iter()
                    .filter(|o| o["duty"] == want["duty"])
                    .map(|o| {
                        format!(
                            "{{review {} {} latest {} lwd {}}}",
                            o["review_number"], o["regime"], o["latest"], o["latest_working_day"]
                        )
                    })
                    .collect();
                failures.push(format!(
                    "{name}: no obligation matches {want}; {} obligations with that duty: {}",
                    same_duty.len(),
                    same_duty.join(", ")
                ));
            }
        }
        for not in expected["absent"].as_array().unwrap_or(&Vec::new()) {
            if obligations.iter().any(|o| matches(not, o)) {
                failures.push(format!("{name}: an obligation matches {not}, which must be absent"));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} vectors failed:\n{}", failures.len(), paths.len(), failures.join("\n"));
    println!("{} conformance vectors checked", paths.len());
}

//! Runs every conformance vector in `data/conformance/*.json`. Vectors in `data/conformance/pending/`
//! (the engine disagrees with the hand-worked answer) are checked for form and run only with `--ignored`.
//!
//! A vector is `{"id", "description", "source", "request", "expected"}` where `expected` is either
//! `{"obligations": [ ... ]}`, a list of partial obligations (each must match one obligation of
//! the response on every field it gives; `duty` is required), optionally with
//! `"absent": [ ... ]` (partial obligations that must match none) and `"next_review"` (a partial
//! obligation the response's `next_review` must match, or `null`: no review is due), or
//! `{"error": {"kind": ...}}`. Each expected obligation (and `next_review`) keeps this library's own
//! metadata (citation wording, basis, roles, flags) apart in a nested `metadata` object, so that
//! another system can be checked on the dates alone (`scripts/conformance.py --dates-only` drops
//! it); here it is merged back in ([`expectation`]) and checked too.
//!
//! Matching: objects match when every key given matches (recursively); arrays and scalars must be
//! equal. A field the response leaves out matches an expected `null`, and a left-out `early`
//! matches `false` (the response omits optional fields that are empty and `early` when false).
//! Expected values were worked out by hand; see docs/conformance.md.

use std::collections::BTreeSet;

use serde_json::Value;

fn matches(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().all(|(k, v)| match a.get(k) {
            Some(av) => matches(v, av),
            None => v.is_null() || (k == "early" && *v == Value::Bool(false)),
        }),
        _ => expected == actual,
    }
}

/// An expected obligation as this library is checked on it: its date assertions with its
/// `metadata` object merged in, recursively (so `{"breach": {"kind": "late_review"}, "metadata":
/// {"breach": {"basis": "local:dudley"}}}` expects a local late-review breach).
fn expectation(want: &Value) -> Value {
    fn deep(into: &mut Value, from: &Value) {
        match (into, from) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in b {
                    match a.get_mut(k) {
                        Some(slot) if slot.is_object() && v.is_object() => deep(slot, v),
                        _ => {
                            a.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            (slot, v) => *slot = v.clone(),
        }
    }
    let mut out = want.clone();
    if let Some(meta) = out.as_object_mut().and_then(|o| o.remove("metadata")) {
        assert!(meta.is_object(), "`metadata` must be an object: {want}");
        deep(&mut out, &meta);
    }
    out
}

#[test]
fn metadata_merges_into_its_obligation() {
    let want = serde_json::json!({
        "duty": "hold_review", "latest": "2026-05-31",
        "breach": {"kind": "late_review", "working_days_late": 1},
        "metadata": {"basis": "local:dudley", "breach": {"basis": "local:dudley"}, "citation": {"provision": "3.1"}},
    });
    assert_eq!(
        expectation(&want),
        serde_json::json!({
            "duty": "hold_review", "latest": "2026-05-31",
            "breach": {"kind": "late_review", "working_days_late": 1, "basis": "local:dudley"},
            "basis": "local:dudley", "citation": {"provision": "3.1"},
        })
    );
    let plain = serde_json::json!({"duty": "hold_review", "latest": null});
    assert_eq!(expectation(&plain), plain);
    // A response with a statutory breach does not match an expected local one.
    let got = serde_json::json!({"duty": "hold_review", "latest": "2026-05-31", "basis": "local:dudley",
        "citation": {"provision": "3.1", "status": "V"},
        "breach": {"kind": "late_review", "working_days_late": 1, "basis": "statutory"}});
    assert!(!matches(&expectation(&want), &got));
    let mut fixed = got.clone();
    fixed["breach"]["basis"] = "local:dudley".into();
    assert!(matches(&expectation(&want), &fixed));
}

fn summary(o: &Value) -> String {
    format!(
        "{{{} review {} {} early {} latest {} lwd {} done {} projected {} breach {}}}",
        o["duty"],
        o["review_number"],
        o["regime"],
        o.get("early").unwrap_or(&Value::Bool(false)),
        o["latest"],
        o["latest_working_day"],
        o["done"],
        o["projected"],
        o["breach"]
    )
}

/// The response with its references resolved: each obligation's `citation` (and each `binding`
/// entry's) replaced by the entry of the `citations` table it points to, and `next_review` by the
/// obligation it points to. Vectors are written against obligations as a reader sees them.
fn inflate(mut resp: Value) -> Value {
    // An audit's obligations are {"index", "obligation": {...}, "status": {...}}: flattened to the
    // obligation's fields with its `status`, so audit vectors match like schedule vectors.
    if let Some(obligations) = resp["obligations"].as_array_mut() {
        for o in obligations.iter_mut() {
            if let Some(mut inner) = o.get("obligation").filter(|x| x.is_object()).cloned() {
                inner["status"] = o["status"].clone();
                *o = inner;
            }
        }
    }
    let citations = resp["citations"].as_array().cloned().unwrap_or_default();
    let resolve = |v: &mut Value| {
        if let Some(i) = v["citation"].as_u64() {
            v["citation"] = citations.get(i as usize).cloned().unwrap_or(Value::Null);
        }
    };
    if let Some(obligations) = resp["obligations"].as_array_mut() {
        for o in obligations.iter_mut() {
            resolve(o);
            if let Some(binding) = o.get_mut("binding").and_then(Value::as_array_mut) {
                binding.iter_mut().for_each(resolve);
            }
        }
    }
    if let Some(i) = resp["next_review"].as_u64() {
        resp["next_review"] = resp["obligations"][i as usize].clone();
    }
    resp
}

#[test]
fn inflating_resolves_the_tables() {
    let lean = serde_json::json!({
        "citations": [{"instrument": "A", "provision": "reg 1", "status": "V"}, {"instrument": "B", "provision": "s.2", "status": "U"}],
        "obligations": [{"duty": "x", "citation": 1, "binding": [{"basis": "statutory", "citation": 0}]}],
        "next_review": 0,
    });
    let full = inflate(lean);
    assert_eq!(full["obligations"][0]["citation"]["provision"], "s.2");
    assert_eq!(full["obligations"][0]["binding"][0]["citation"]["instrument"], "A");
    assert_eq!(full["next_review"]["duty"], "x");
    // An audit response, with its citations inline (as today) or in a table (as the schedule's):
    // either way each obligation is flattened with its status and its citation resolved.
    for audit in [
        serde_json::json!({"obligations": [{"index": 0, "obligation": {"duty": "x", "citation": {"provision": "reg 1"}},
                                             "status": {"kind": "met"}}]}),
        serde_json::json!({"citations": [{"provision": "reg 1"}],
                           "obligations": [{"index": 0, "obligation": {"duty": "x", "citation": 0}, "status": {"kind": "met"}}]}),
    ] {
        let full = inflate(audit);
        assert_eq!(full["obligations"][0]["citation"]["provision"], "reg 1");
        assert_eq!(full["obligations"][0]["status"]["kind"], "met");
    }
}

#[test]
fn the_matching_rule() {
    let actual: Value = serde_json::json!({"duty": "hold_review", "latest": "2026-02-02", "citation": {"provision": "reg 33(1)", "status": "V"}});
    assert!(matches(&serde_json::json!({"duty": "hold_review"}), &actual));
    assert!(matches(&serde_json::json!({"citation": {"provision": "reg 33(1)"}}), &actual));
    assert!(matches(&serde_json::json!({"breach": null, "done": null, "early": false}), &actual));
    assert!(!matches(&serde_json::json!({"latest": "2026-02-03"}), &actual));
    assert!(!matches(&serde_json::json!({"latest": null}), &actual));
    assert!(!matches(&serde_json::json!({"early": true}), &actual));
    assert!(!matches(&serde_json::json!({"projected": false}), &actual));
    assert!(!matches(&serde_json::json!({"citation": {"provision": "reg 33"}}), &actual));
}

/// Runs every `*.json` vector directly in `dir`; returns how many there were and the failures.
fn run_dir(dir: &std::path::Path) -> (usize, Vec<String>) {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut ids = BTreeSet::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for field in ["id", "description", "source", "request", "expected"] {
            assert!(v.get(field).is_some(), "{name}: missing {field}");
        }
        let id = v["id"].as_str().unwrap_or_else(|| panic!("{name}: id must be a string"));
        assert_eq!(format!("{id}.json"), name, "{name}: the id is the file name without .json");
        assert!(ids.insert(id.to_string()), "{name}: duplicate id");
        let expected = &v["expected"];
        let known = ["obligations", "absent", "next_review", "error"];
        for k in expected.as_object().unwrap_or_else(|| panic!("{name}: expected must be an object")).keys() {
            assert!(known.contains(&k.as_str()), "{name}: unknown key expected.{k}");
        }
        let request = serde_json::to_string(&v["request"]).unwrap();
        let result = match v.get("kind").map(|k| k.as_str()) {
            None | Some(Some("schedule")) => lac_timescales::json::schedule_json(&request),
            Some(Some("audit")) => lac_timescales::json::audit_json(&request),
            Some(k) => panic!("{name}: unknown kind {k:?}"),
        };
        if let Some(err) = expected.get("error") {
            assert!(err.get("kind").is_some(), "{name}: an expected error names its kind");
            match result {
                Ok(_) => failures.push(format!("{name}: expected error {err}, got a schedule")),
                Err(e) => {
                    let got: Value = serde_json::from_str(&lac_timescales::json::error_json(&e)).unwrap();
                    if !matches(err, &got["error"]) {
                        failures.push(format!("{name}: expected error {err}, got {}", got["error"]));
                    }
                }
            }
            continue;
        }
        let resp: Value = match result {
            Ok(text) => inflate(serde_json::from_str(&text).unwrap()),
            Err(e) => {
                failures.push(format!("{name}: unexpected error {e}"));
                continue;
            }
        };
        let obligations = resp["obligations"].as_array().unwrap();
        let wanted = expected["obligations"].as_array().unwrap_or_else(|| panic!("{name}: no expected obligations"));
        assert!(!wanted.is_empty(), "{name}: a vector without an error expects at least one obligation");
        for want in wanted {
            assert!(want.get("duty").is_some(), "{name}: every expected obligation names its duty");
            let want = &expectation(want);
            if !obligations.iter().any(|o| matches(want, o)) {
                let same_duty: Vec<String> =
                    obligations.iter().filter(|o| o["duty"] == want["duty"]).map(summary).collect();
                failures.push(format!(
                    "{name}: no obligation matches {want}; {} obligations with that duty: {}",
                    same_duty.len(),
                    same_duty.join(", ")
                ));
            }
        }
        for not in expected["absent"].as_array().unwrap_or(&Vec::new()) {
            assert!(not.get("metadata").is_none(), "{name}: absence is asserted on dates alone (no `metadata`)");
            if let Some(o) = obligations.iter().find(|o| matches(not, o)) {
                failures.push(format!("{name}: {} matches {not}, which must be absent", summary(o)));
            }
        }
        if let Some(want) = expected.get("next_review") {
            let want = &expectation(want);
            let got = &resp["next_review"];
            let ok = if want.is_null() { got.is_null() } else { !got.is_null() && matches(want, got) };
            if !ok {
                let got = if got.is_null() { "null".to_string() } else { summary(got) };
                failures.push(format!("{name}: next_review {got} does not match {want}"));
            }
        }
    }
    (paths.len(), failures)
}

fn conformance_dir() -> std::path::PathBuf {
    repo_root().join("data/conformance")
}

#[test]
fn every_conformance_vector_holds() {
    let (n, failures) = run_dir(&conformance_dir());
    assert!(n >= 30, "expected at least 30 vectors in data/conformance, found {n}");
    assert!(failures.is_empty(), "{} of {n} vectors failed:\n{}", failures.len(), failures.join("\n"));
    println!("{n} conformance vectors checked");
}

/// Vectors in `data/conformance/pending/` were worked by hand but the engine disagrees (each says
/// why in its `pending` field). They are well-formed and are run only on request:
/// `cargo test --test conformance -- --ignored` passes once the engine is fixed.
#[test]
#[ignore = "pending vectors: the engine disagrees with the hand-worked answer; see data/conformance/pending"]
fn pending_vectors_hold() {
    let (n, failures) = run_dir(&conformance_dir().join("pending"));
    assert!(failures.is_empty(), "{} of {n} pending vectors failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn pending_vectors_are_well_formed_and_say_why() {
    let dir = conformance_dir().join("pending");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let v: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for field in ["id", "description", "source", "request", "expected", "pending"] {
            assert!(v.get(field).is_some(), "{name}: missing {field}");
        }
        assert!(!conformance_dir().join(&name).exists(), "{name} is both pending and live");
    }
}

fn repo_root() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn conformance_docs() -> String {
    std::fs::read_to_string(repo_root().join("docs/conformance.md")).expect("docs/conformance.md")
}

/// The cells of a Markdown table row: split on `|` not escaped with a backslash (GitHub splits
/// on a `|` inside a code span too), without the empty edges outside the first and last `|`.
fn cells(row: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut escaped = false;
    for ch in row.trim().chars() {
        match ch {
            '|' if !escaped => out.push(String::new()),
            _ => out.last_mut().expect("a cell").push(ch),
        }
        escaped = ch == '\\' && !escaped;
    }
    out[1..out.len() - 1].to_vec()
}

/// The tables of a Markdown text, outside code fences: (first line number, rows).
fn tables(text: &str) -> Vec<(usize, Vec<&str>)> {
    let mut out: Vec<(usize, Vec<&str>)> = Vec::new();
    let (mut fenced, mut previous_row) = (false, false);
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let row = !fenced && line.trim_start().starts_with('|');
        match (row, previous_row) {
            (true, true) => out.last_mut().expect("a table").1.push(line),
            (true, false) => out.push((i + 1, vec![line])),
            _ => {}
        }
        previous_row = row;
    }
    out
}

/// Every table in docs/conformance.md is whole: a header, a separator row, and rows with as many
/// cells as the header, each closed with `|` (a stray `|` in a cell or a missing one shifts the
/// columns); and the table of vectors is one table (a blank or other line inside it would end it
/// there, and the rest would show as text).
#[test]
fn the_docs_tables_are_unbroken() {
    let docs = conformance_docs();
    let all = tables(&docs);
    assert!(!all.is_empty(), "docs/conformance.md has no table");
    for (first, rows) in &all {
        let width = cells(rows[0]).len();
        assert!(width >= 2, "line {first}: a table needs at least two columns: {:?}", rows[0]);
        let separator = rows.get(1).unwrap_or_else(|| panic!("line {first}: a table without its separator row"));
        assert!(
            cells(separator).iter().all(|c| !c.trim().is_empty() && c.trim().chars().all(|ch| ch == '-' || ch == ':')),
            "line {}: not a separator row: {separator:?}",
            first + 1
        );
        for (k, row) in rows.iter().enumerate() {
            assert!(row.trim_end().ends_with('|'), "line {}: the row is not closed with |: {row:?}", first + k);
            assert_eq!(
                cells(row).len(),
                width,
                "line {}: {} cells, the header has {width}: {row:?}",
                first + k,
                cells(row).len()
            );
        }
    }
    let section = &docs[docs.find("## The vectors").expect("a section `## The vectors`")..];
    let in_section = tables(section);
    assert_eq!(in_section.len(), 1, "the vectors are not one table: {} tables", in_section.len());
    let live = std::fs::read_dir(conformance_dir())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "json"));
    assert_eq!(in_section[0].1.len() - 2, live.count(), "the table of vectors has one row per vector");
}

#[test]
fn the_table_checks_can_fail() {
    assert_eq!(cells("| `a` | b \\| c |"), vec![" `a` ", " b \\| c "]);
    assert_eq!(cells("| a | b | c |").len(), 3);
    assert_eq!(tables("| a | b |\n|---|---|\n| 1 | 2 |\n\n| 3 | 4 |\n").len(), 2);
    assert_eq!(tables("```\n| not | a table |\n```\n").len(), 0);
}

/// docs/conformance.md refers to nothing outside the repository: no web address, no path that
/// climbs out of it, no issue number, no link to a file that does not exist; and every
/// repository path it names exists (a `*` is a pattern; `<...>` a placeholder).
#[test]
fn the_docs_refer_to_nothing_outside_the_repository() {
    let docs = conformance_docs();
    let problems = outside_references(&docs);
    assert!(problems.is_empty(), "docs/conformance.md:\n{}", problems.join("\n"));
}

fn outside_references(docs: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, line) in docs.lines().enumerate() {
        let n = i + 1;
        let lower = line.to_lowercase();
        for bad in
            ["http://", "https://", "www.", "mailto:", "ftp://", "../shared", "issue ", "issues/", "pull request"]
        {
            if lower.contains(bad) {
                problems.push(format!("line {n}: {bad:?} in {line:?}"));
            }
        }
        // Markdown links and images: [text](target) must be a file of the repository.
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let tail = &rest[at + 2..];
            let target = tail.split(')').next().unwrap_or("").split('#').next().unwrap_or("");
            let inside = std::fs::canonicalize(repo_root().join("docs").join(target))
                .is_ok_and(|p| p.starts_with(std::fs::canonicalize(repo_root()).expect("the repository")));
            if !target.is_empty() && !inside {
                problems.push(format!("line {n}: the link target {target:?} is not a file of the repository"));
            }
            rest = tail;
        }
        // Repository paths in code spans.
        for (k, span) in line.split('`').enumerate() {
            if k % 2 == 0 {
                continue;
            }
            for word in span.split_whitespace() {
                if word.starts_with("../") || word.starts_with('/') && word.len() > 1 {
                    problems.push(format!("line {n}: `{word}` is outside the repository"));
                    continue;
                }
                let top = word.split('/').next().unwrap_or("");
                let known = [
                    ".ci", "benches", "data", "docs", "examples", "ffi", "fuzz", "python", "scripts", "src", "tests",
                    "web",
                ];
                if !word.contains('/') || !known.contains(&top) || word.contains('<') {
                    continue;
                }
                let exists = if let Some((dir, pattern)) = word.rsplit_once("/*") {
                    std::fs::read_dir(repo_root().join(dir))
                        .map(|d| d.filter_map(|e| e.ok()).any(|e| e.file_name().to_string_lossy().ends_with(pattern)))
                        .unwrap_or(false)
                } else {
                    repo_root().join(word).exists()
                };
                if !exists {
                    problems.push(format!("line {n}: `{word}` is not in the repository"));
                }
            }
        }
    }
    problems
}

#[test]
fn the_reference_check_can_fail() {
    for bad in [
        "See https://example.org/x.",
        "See `../shared/reference/x.md`.",
        "Changed by issue 14.",
        "[the law](law.md)",
        "`data/conformance/999-no-such-vector.json`",
        "`scripts/nothing.py`",
        "[up](../../etc/passwd)",
        "`../other-repo/file.md`",
        "`/etc/hosts`",
    ] {
        assert!(!outside_references(bad).is_empty(), "accepted {bad:?}");
    }
    for good in [
        "`data/conformance/*.json`",
        "[the README](../README.md#top)",
        "`data/profiles/<jurisdiction>.toml`",
        "`scripts/conformance.py`",
    ] {
        let problems = outside_references(good);
        assert!(problems.is_empty(), "{good:?}: {problems:?}");
    }
}

#[test]
fn docs_list_every_vector() {
    let docs = conformance_docs();
    for dir in [conformance_dir(), conformance_dir().join("pending")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "json") {
                let id = path.file_stem().unwrap().to_string_lossy().to_string();
                assert!(docs.contains(&format!("| `{id}` |")), "docs/conformance.md does not list {id}");
            }
        }
    }
}

/// Every vector (live and pending) carries its tags: exactly one `jurisdiction:` tag, which is the
/// request's jurisdiction (or `none` when the request has none), `profile:<name>` when the
/// request names a profile, and at least one `feature:` tag (scripts/tag_vectors.py writes them).
#[test]
fn every_vector_is_tagged_with_its_jurisdiction_and_features() {
    for dir in [conformance_dir(), conformance_dir().join("pending")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let tags: Vec<&str> = v["tags"]
                .as_array()
                .unwrap_or_else(|| panic!("{name}: no tags"))
                .iter()
                .map(|t| t.as_str().unwrap_or_else(|| panic!("{name}: a tag is not a string")))
                .collect();
            let jurisdictions: Vec<&&str> = tags.iter().filter(|t| t.starts_with("jurisdiction:")).collect();
            let want = match v["request"]["jurisdiction"].as_str() {
                Some(j @ ("england" | "wales")) => format!("jurisdiction:{j}"),
                _ => "jurisdiction:none".to_string(),
            };
            assert_eq!(jurisdictions, vec![&want.as_str()], "{name}: jurisdiction tags");
            if let Some(p) = v["request"]["profile"].as_str() {
                assert!(tags.contains(&format!("profile:{p}").as_str()), "{name}: no profile:{p} tag");
            }
            assert!(tags.iter().any(|t| t.starts_with("feature:")), "{name}: no feature tag");
            if v["expected"].get("error").is_some() {
                assert!(tags.contains(&"feature:error"), "{name}: an error vector without feature:error");
            }
        }
    }
}

//! The crate's modules form one-way layers (ARCHITECTURE.md): a module may refer to
//! `crate::<module>` only for modules of a lower layer. This test reads every file under `src/`
//! and fails on an upward (or sideways) reference, and on a module missing from the table.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, lowest first. Modules in the same layer may not refer to each other.
const LAYERS: &[&[&str]] = &[
    &["error", "csv"],
    &["input"],
    &["calendar"],
    &["period"],
    &["model"],
    &["clocks", "profile"],
    &["engine"],
    &["schedule"],
    &["audit"],
    &["export"],
    &["json", "ssda903"],
];

/// Inside the engine: the rule groups (`rules`) come first; the speed machinery (`perf`) may
/// cache them but knows nothing of the clocks and duties; the one mechanism for a repeating duty
/// (`repeat`) knows no clock family; the clock and duty families do not refer to each other (they
/// share only what `engine/mod.rs` and `repeat` define).
const ENGINE_LAYERS: &[&[&str]] =
    &[&["rules"], &["perf"], &["obligation", "binding", "explain"], &["repeat"], &["clocks", "duties"]];

fn rank(layers: &[&[&str]], m: &str) -> Option<usize> {
    layers.iter().position(|l| l.contains(&m))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The `crate::<module>` (or `crate::engine::<module>`) names a source text refers to, outside
/// comments, with their line numbers.
fn references<'a>(text: &'a str, prefix: &str) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            // Not part of a longer identifier (`lac_timescales::crate::` cannot occur; `super::crate` cannot).
            let before = &rest[..at];
            let after = &rest[at + prefix.len()..];
            let name: &str = after.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("");
            if !before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') && !name.is_empty() {
                out.push((n + 1, name));
            }
            rest = after;
        }
        // `use crate::{a, b}` lists.
        if let Some(at) = code.find("crate::{") {
            let list = &code[at + "crate::{".len()..];
            for part in list.split(['}', ',']).map(str::trim) {
                let name = part.split("::").next().unwrap_or("").trim();
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    out.push((n + 1, name));
                }
            }
        }
    }
    out
}

/// Upward or sideways references: (file, line, from module, to module).
fn violations(
    sources: &BTreeMap<String, String>,
    layers: &[&[&str]],
    prefix: &str,
    module_of: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let mut bad = Vec::new();
    for (file, text) in sources {
        let Some(from) = module_of(file) else { continue };
        let Some(r_from) = rank(layers, &from) else {
            bad.push(format!("{file}: module {from} is in no layer of the table"));
            continue;
        };
        for (line, to) in references(text, prefix) {
            if to == from || to == "Error" || to == "Result" || to == "ErrorKind" {
                continue;
            }
            match rank(layers, to) {
                Some(r_to) if r_to < r_from => {}
                Some(_) => bad.push(format!("{file}:{line}: {from} refers to {prefix}{to} (not a lower layer)")),
                None => bad.push(format!("{file}:{line}: {prefix}{to} is in no layer of the table")),
            }
        }
    }
    bad
}

fn sources() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut list = Vec::new();
    files(&root, &mut list);
    list.into_iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// `model/walk.rs` -> `model`; `lib.rs` -> none (the crate root declares the layers).
fn top_module(file: &str) -> Option<String> {
    if file == "lib.rs" {
        return None;
    }
    Some(file.split('/').next().unwrap_or(file).trim_end_matches(".rs").to_string())
}

/// `engine/clocks/review.rs` -> `clocks`; `engine/mod.rs` -> none (it may use every part).
fn engine_module(file: &str) -> Option<String> {
    let rest = file.strip_prefix("engine/")?;
    if rest == "mod.rs" {
        return None;
    }
    Some(rest.split('/').next().unwrap_or(rest).trim_end_matches(".rs").to_string())
}

#[test]
fn no_module_refers_to_a_higher_layer() {
    let src = sources();
    assert!(src.len() > 15, "read {} files", src.len());
    let bad = violations(&src, LAYERS, "crate::", top_module);
    assert!(bad.is_empty(), "upward references:\n{}", bad.join("\n"));
}

#[test]
fn inside_the_engine_perf_knows_no_law_and_the_families_stay_apart() {
    let src = sources();
    let engine: BTreeMap<String, String> = src.into_iter().filter(|(f, _)| f.starts_with("engine/")).collect();
    if engine.is_empty() {
        return;
    }
    let mut bad = violations(&engine, ENGINE_LAYERS, "crate::engine::", engine_module);
    bad.extend(violations(&engine, ENGINE_LAYERS, "super::", engine_module).into_iter().filter(|v| {
        // `super::` from a family file names engine/mod.rs items (allowed); only sibling
        // modules by name are checked.
        ENGINE_LAYERS.iter().flat_map(|l| l.iter()).any(|m| v.contains(&format!("super::{m} ")))
    }));
    assert!(bad.is_empty(), "engine layering:\n{}", bad.join("\n"));
}

#[test]
fn the_checker_catches_an_upward_import() {
    let mut src = BTreeMap::new();
    src.insert("model/mod.rs".to_string(), "use crate::calendar::Calendar;\n".to_string());
    assert!(violations(&src, LAYERS, "crate::", top_module).is_empty());
    src.insert("model/walk.rs".to_string(), "use crate::clocks::validate; // the walk\n".to_string());
    src.insert("audit.rs".to_string(), "use crate::{export::csv_row, schedule};\n".to_string());
    src.insert("clocks.rs".to_string(), "fn f() { crate::profile::Profile::builtin(\"x\"); }\n".to_string());
    let bad = violations(&src, LAYERS, "crate::", top_module);
    assert_eq!(bad.len(), 3, "{bad:#?}");
    assert!(bad[0].contains("audit refers to crate::export"), "{bad:#?}");
    assert!(bad[1].contains("clocks refers to crate::profile"), "{bad:#?}");
    assert!(bad[2].contains("model refers to crate::clocks"), "{bad:#?}");
    // Comments do not count; a module missing from the table does.
    let mut src = BTreeMap::new();
    src.insert("period.rs".to_string(), "// see crate::schedule\n".to_string());
    assert!(violations(&src, LAYERS, "crate::", top_module).is_empty());
    src.insert("newthing.rs".to_string(), String::new());
    assert_eq!(violations(&src, LAYERS, "crate::", top_module).len(), 1);
    // Inside the engine: perf may use the rule groups, not a clock family.
    let mut eng = BTreeMap::new();
    eng.insert(
        "engine/perf/mod.rs".to_string(),
        "use super::rules::RuleSets;
"
        .to_string(),
    );
    assert!(violations(&eng, ENGINE_LAYERS, "super::", engine_module).is_empty());
    eng.insert(
        "engine/perf/cache.rs".to_string(),
        "use crate::engine::clocks::review;
"
        .to_string(),
    );
    assert_eq!(violations(&eng, ENGINE_LAYERS, "crate::engine::", engine_module).len(), 1);
}

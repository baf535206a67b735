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
/// cache them but knows nothing of the clocks and duties; the obligation types (`obligation`)
/// come before what reads them (`binding`: which rule binds; `explain`: the trail in English);
/// the one mechanism for a repeating duty (`repeat`) knows no clock family; the clock and duty
/// families do not refer to each other (they share only what `engine/mod.rs` and `repeat`
/// define).
const ENGINE_LAYERS: &[&[&str]] =
    &[&["rules"], &["perf"], &["obligation"], &["binding", "explain"], &["repeat"], &["clocks", "duties"]];

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

/// The text without `//` comments, line for line.
fn code_of(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The items of a `use` list's inside (`a::b, c::{d, e}, f as g`), split at its top-level commas.
fn list_items(inside: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in inside.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(inside[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(inside[start..].trim());
    out.into_iter().filter(|s| !s.is_empty()).collect()
}

/// The paths a `use` tree names, flattened: `a::{b, c::{d as e}}` -> `a::b`, `a::c::d as e`.
fn flatten(tree: &str, base: &str, out: &mut Vec<String>) {
    let t = tree.trim();
    match (t.find('{'), t.rfind('}')) {
        (Some(a), Some(z)) if a < z => {
            let head = format!("{base}{}", &t[..a]);
            for item in list_items(&t[a + 1..z]) {
                flatten(item, &head, out);
            }
        }
        _ if !t.is_empty() => out.push(format!("{base}{t}")),
        _ => {}
    }
}

/// What a module file's `use` declarations bring into its scope, by name: the name (or its
/// `as` alias) -> the first segment of its path, once `strip` (e.g. `crate::engine::`) and
/// `self::` are taken off its start (so for `use obligation::Trail;`: `Trail` -> `obligation`).
/// A glob (`use rules::*`) brings in names the test cannot list: it is left out (its module is
/// the lowest, so anything may use it).
fn imports(text: &str, strip: &str) -> BTreeMap<String, String> {
    let code = code_of(text);
    let mut out = BTreeMap::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("use ") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + 4..];
        if before.is_some_and(|c| !(c.is_whitespace() || c == ')' || c == ';' || c == '}')) {
            continue;
        }
        let Some(end) = rest.find(';') else { break };
        let mut paths = Vec::new();
        flatten(&rest[..end], "", &mut paths);
        for p in paths {
            let (path, alias) = match p.split_once(" as ") {
                Some((a, b)) => (a.trim().to_string(), Some(b.trim().to_string())),
                None => (p.trim().to_string(), None),
            };
            let path = path.strip_prefix(strip).unwrap_or(&path);
            let path = path.strip_prefix("self::").unwrap_or(path);
            let segs: Vec<&str> = path.split("::").map(str::trim).collect();
            let Some(&last) = segs.last() else { continue };
            if last == "*" {
                continue;
            }
            let name = match alias {
                Some(a) => a,
                None if last == "self" && segs.len() >= 2 => segs[segs.len() - 2].to_string(),
                None => last.to_string(),
            };
            out.insert(name, segs[0].to_string());
        }
        rest = &rest[end..];
    }
    out
}

/// The identifiers of a text's code (outside `//` comments), with their line numbers.
fn identifiers(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        out.extend(code.split(|c: char| !ident(c)).filter(|w| !w.is_empty()).map(|w| (n + 1, w)));
    }
    out
}

/// References to a higher (or the same) layer through what a parent module brings into scope:
/// a name that `parent` (its text) imports from its part `m` (`pub use m::X`, `use m::X`) and that
/// a file of another part uses reaches `m`, whether written `crate::engine::X`, `super::X` or, as
/// after `use crate::engine::*`, `X` alone. So every identifier of the file that is such a name
/// counts (a sound rule: a local item of the same name would count too, and is renamed).
fn reexport_violations(
    sources: &BTreeMap<String, String>,
    layers: &[&[&str]],
    parent: &str,
    strip: &str,
    module_of: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let Some(parent_text) = sources.get(parent) else { return Vec::new() };
    let names = imports(parent_text, strip);
    let mut bad = Vec::new();
    for (file, text) in sources {
        let Some(from) = module_of(file) else { continue };
        let Some(r_from) = rank(layers, &from) else { continue };
        let mut seen = std::collections::BTreeSet::new();
        for (line, word) in identifiers(text) {
            let Some(to) = names.get(word) else { continue };
            let Some(r_to) = rank(layers, to) else { continue };
            if *to != from && r_to >= r_from && seen.insert(word) {
                bad.push(format!(
                    "{file}:{line}: {from} uses {word}, which {parent} brings in from {to} (not a lower layer)"
                ));
            }
        }
    }
    bad
}

#[test]
fn no_module_refers_to_a_higher_layer() {
    let src = sources();
    assert!(src.len() > 15, "read {} files", src.len());
    let mut bad = violations(&src, LAYERS, "crate::", top_module);
    bad.extend(reexport_violations(&src, LAYERS, "lib.rs", "crate::", top_module));
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
    bad.extend(reexport_violations(&engine, ENGINE_LAYERS, "engine/mod.rs", "crate::engine::", engine_module));
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

#[test]
fn the_checker_catches_a_higher_layer_reached_through_a_reexport() {
    // engine/mod.rs brings in a clock family's type (`pub use`), a repeat type under another name
    // and, over several lines, an obligation type and a rule group.
    let mut eng = BTreeMap::new();
    eng.insert(
        "engine/mod.rs".to_string(),
        "mod clocks;\nmod perf;\npub use clocks::review::ReviewClock;\nuse self::repeat::{Prev, Running as Run};\n\
         use crate::engine::{\n    obligation::Trail,\n    rules::RuleSets,\n};\nuse rules::*;\n"
            .to_string(),
    );
    // perf naming the rule groups, and words in comments, are fine.
    eng.insert(
        "engine/perf/mod.rs".to_string(),
        "use super::RuleSets;\n// ReviewClock and Prev are named in this comment only\n".to_string(),
    );
    let check = |eng: &BTreeMap<String, String>| {
        reexport_violations(eng, ENGINE_LAYERS, "engine/mod.rs", "crate::engine::", engine_module)
    };
    assert_eq!(check(&eng), Vec::<String>::new());
    // Every way of writing the re-exported names: a path through the engine, `super::`, a bare
    // name after the engine's glob, an alias; each reaches a higher layer than perf.
    eng.insert(
        "engine/perf/cache.rs".to_string(),
        "use crate::engine::ReviewClock;\nfn f(x: super::super::Run) {}\nuse crate::engine::*;\nfn g(p: &Prev, t: Trail) {}\n"
            .to_string(),
    );
    let bad = check(&eng);
    assert_eq!(
        bad,
        vec![
            "engine/perf/cache.rs:1: perf uses ReviewClock, which engine/mod.rs brings in from clocks (not a lower layer)",
            "engine/perf/cache.rs:2: perf uses Run, which engine/mod.rs brings in from repeat (not a lower layer)",
            "engine/perf/cache.rs:4: perf uses Prev, which engine/mod.rs brings in from repeat (not a lower layer)",
            "engine/perf/cache.rs:4: perf uses Trail, which engine/mod.rs brings in from obligation (not a lower layer)",
        ]
    );
    // A family reaching another family's type: sideways. Reaching repeat's: fine.
    let mut eng2 = eng.clone();
    eng2.remove("engine/perf/cache.rs");
    eng2.insert(
        "engine/duties/meeting.rs".to_string(),
        "use crate::engine::*;\nfn h(r: Run, c: ReviewClock) {}\n".to_string(),
    );
    assert_eq!(
        check(&eng2),
        vec!["engine/duties/meeting.rs:2: duties uses ReviewClock, which engine/mod.rs brings in from clocks (not a lower layer)"]
    );
    // The crate root likewise: a model file naming the crate root's re-export of the schedule.
    let mut top = BTreeMap::new();
    top.insert(
        "lib.rs".to_string(),
        "pub use error::{Error, ErrorKind, Result};\npub use schedule::schedule as run;\npub use chrono;\n".to_string(),
    );
    top.insert("model/mod.rs".to_string(), "use crate::{Error, Result};\nfn f() { crate::run(); }\n".to_string());
    assert_eq!(
        reexport_violations(&top, LAYERS, "lib.rs", "crate::", top_module),
        vec!["model/mod.rs:2: model uses run, which lib.rs brings in from schedule (not a lower layer)"]
    );
}

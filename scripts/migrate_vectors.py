#!/usr/bin/env python3
"""Moves this library's own metadata out of the date assertions of the conformance vectors
(data/conformance/*.json and pending/): each expected obligation (and `next_review`) keeps what
any system is checked on (identity, dates, breach, audit status) and gets the rest, this
library's wording and bookkeeping, in its own nested `metadata` object (docs/conformance.md).

    python3 scripts/migrate_vectors.py                      # rewrite the vectors still in the old form
    python3 scripts/migrate_vectors.py --check              # exit 1 if any vector is still in the old form
    python3 scripts/migrate_vectors.py --compare-with REV   # prove no expected value changed since git REV

This is the one place that lists which fields are which; the runner (scripts/conformance.py)
needs no list: `--dates-only` drops each `metadata` object. The split is reversible: merging
`metadata` back into its obligation (recursively) gives the old assertion, and `--compare-with`
checks exactly that for every vector against the files at a git revision (the vectors' other
fields must be unchanged too). Idempotent: a migrated vector is left byte for byte as it is.
Only the `expected` block of a changed file is rewritten, in the file's own style (indented
like `json.dumps(indent=2)`, or one obligation per line). Standard library only.
"""
import json
import pathlib
import subprocess
import sys

from conformance import expectation  # scripts/conformance.py, beside this file

ROOT = pathlib.Path(__file__).resolve().parent.parent
VECTORS = ROOT / "data/conformance"

# What any system is checked on: what identifies an obligation, its dates, whether it was
# breached (and how: days late, the dates involved) and, in an audit, its status with its counts.
DATES = ("duty", "regime", "review_number", "early", "earliest", "latest", "latest_working_day", "done", "breach", "status")
# This library's own metadata: where a rule comes from and how it is cited, who acts, and its
# bookkeeping (projected/provisional flags, event indices, the rules considered, wording).
METADATA = ("basis", "citation", "role", "roles", "action", "projected", "provisional", "binding", "triggered_by",
            "not_applicable", "explanation")
# Metadata inside a date assertion: a breach's basis (statutory or local), a status's wording.
NESTED_METADATA = {"breach": ("basis",), "status": ("reason",)}


def split(o, where):
    """The obligation `o` with its metadata in `o["metadata"]` (already-split input is kept)."""
    if not isinstance(o, dict):
        return o
    dates, meta = {}, {}
    for k, v in o.items():
        if k == "metadata":
            for mk, mv in v.items():
                meta[mk] = mv
        elif k in METADATA:
            meta[k] = v
        elif k in NESTED_METADATA and isinstance(v, dict):
            dates[k] = {ik: iv for ik, iv in v.items() if ik not in NESTED_METADATA[k]}
            moved = {ik: iv for ik, iv in v.items() if ik in NESTED_METADATA[k]}
            if moved:
                meta.setdefault(k, {}).update(moved)
        elif k in DATES:
            dates[k] = v
        else:
            raise SystemExit(f"{where}: field {k!r} is neither a date assertion nor known metadata; classify it in {__file__}")
    if meta:
        dates["metadata"] = meta
    return dates


def merge(o):
    """The inverse of `split`: `metadata` merged back into its obligation, recursively (the
    runner's own merge, so that the proof uses the rule the vectors are run by)."""
    return expectation(o, only_dates=False)


def migrate_expected(expected, where):
    out = {}
    for k, v in expected.items():
        if k in ("obligations", "absent"):
            out[k] = [split(o, f"{where} {k}[{i}]") for i, o in enumerate(v)]
        elif k == "next_review":
            out[k] = split(v, f"{where} next_review")
        else:
            out[k] = v
    for a in out.get("absent", []):
        if "metadata" in a:
            raise SystemExit(f"{where}: an `absent` entry names metadata ({sorted(a['metadata'])}); absence is asserted on dates alone")
    return out


def render_lines(expected):
    """The expected block, one obligation per line."""
    parts = []
    for k, v in expected.items():
        if isinstance(v, list) and v and all(isinstance(o, dict) for o in v):
            rows = ",\n".join("      " + json.dumps(o, ensure_ascii=False) for o in v)
            parts.append(f'    "{k}": [\n{rows}\n    ]')
        else:
            parts.append(f'    "{k}": {json.dumps(v, ensure_ascii=False)}')
    return '  "expected": {\n' + ",\n".join(parts) + "\n  }"


def render_pretty(expected):
    text = json.dumps(expected, indent=2, ensure_ascii=False)
    return '  "expected": ' + "\n".join(("  " + l) if i else l for i, l in enumerate(text.split("\n")))


def rewrite(text, where):
    """The file's new text (unchanged when already migrated)."""
    v = json.loads(text)
    new_expected = migrate_expected(v["expected"], where)
    if new_expected == v["expected"] and list(_keys(new_expected)) == list(_keys(v["expected"])):
        return text
    at = text.index('\n  "expected": ') + 1
    end = text.rstrip().rindex("}")  # the file's closing brace; "expected" is its last key
    block = text[at:end].rstrip()
    pretty = block == render_pretty(v["expected"])
    new = text[:at] + (render_pretty if pretty else render_lines)(new_expected) + "\n" + text[end:]
    check_same(v, json.loads(new), where)
    return new


def _keys(x):
    """Every key path in x, in order (so a reordering counts as a change)."""
    if isinstance(x, dict):
        for k, v in x.items():
            yield k
            yield from _keys(v)
    elif isinstance(x, list):
        for v in x:
            yield from _keys(v)


def check_same(old, new, where):
    """Every assertion of `old` (either form) is the same assertion in `new`, and its id, tags and
    request are unchanged. The prose (`description`, `source`) may be reworded."""
    problems = []
    for k in set(old) | set(new):
        if k not in ("expected", "description", "source") and old.get(k) != new.get(k):
            problems.append(f"field {k} differs")
    oe, ne = old.get("expected", {}), new.get("expected", {})
    if set(oe) != set(ne):
        problems.append(f"expected has keys {sorted(oe)} before, {sorted(ne)} after")
    for k in oe:
        a, b = oe[k], ne.get(k)
        if k in ("obligations", "absent"):
            if len(a) != len(b) or any(merge(x) != merge(y) for x, y in zip(a, b)):
                problems.append(f"expected.{k} differs")
        elif k == "next_review":
            if merge(a) != merge(b):
                problems.append("expected.next_review differs")
        elif a != b:
            problems.append(f"expected.{k} differs")
    if problems:
        raise SystemExit(f"{where}: " + "; ".join(problems))


def paths():
    return sorted(VECTORS.glob("*.json")) + sorted((VECTORS / "pending").glob("*.json"))


def compare_with(rev):
    """Old (at git `rev`) against new (the working tree): same vectors, same assertions."""
    compared = 0
    for path in paths():
        rel = path.relative_to(ROOT).as_posix()
        old = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=ROOT, capture_output=True, text=True)
        if old.returncode != 0:
            print(f"new since {rev}: {rel}")
            continue
        check_same(json.loads(old.stdout), json.loads(path.read_text(encoding="utf-8")), rel)
        compared += 1
    listed = subprocess.run(["git", "ls-tree", "-r", "--name-only", rev, "data/conformance/"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    gone = [p for p in listed if p.endswith(".json") and not (ROOT / p).exists()]
    for p in gone:
        print(f"removed since {rev}: {p}")
    print(f"{compared} vectors compared with {rev}: every assertion is the same (metadata merged back)")
    return 1 if gone else 0


def main(argv):
    if argv[:1] == ["--compare-with"] and len(argv) == 2:
        return compare_with(argv[1])
    if argv not in ([], ["--check"]):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    bad = 0
    for path in paths():
        text = path.read_text(encoding="utf-8")
        new = rewrite(text, path.name)
        if new != text:
            if argv:
                print(f"not migrated: {path.name}")
                bad += 1
            else:
                path.write_text(new, encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Runs the conformance vectors (data/conformance/*.json) against any system under test.

    python3 scripts/conformance.py [--dates-only] [--vectors DIR] [--only ID] [--tag TAG]... [--audit-arg ARG]... -- COMMAND [ARGS...]

COMMAND is run once per vector with the vector's `request` (JSON) on stdin; it must print the
response JSON on stdout: this library's response (lean: `citations` table, indices), or the same
obligations with `citation` objects inline, or an error object `{"error": {"kind": ...}}`. Its
exit status is ignored. This library's own command line is, from the repository root:

    python3 scripts/conformance.py -- cargo run --quiet --example schedule -- --json

`--tag TAG` (repeatable) runs only the vectors carrying every tag given, e.g. `--tag
jurisdiction:wales --tag feature:early-review`; a vector's tags are `jurisdiction:`, `profile:`,
`regime:` and `feature:` labels (written by scripts/tag_vectors.py). `--tag jurisdiction:wales`
alone runs only the Welsh vectors.

Audit vectors (`"kind": "audit"`) expect each obligation's `status` as at the request's
`as_at` (`met`, `late`, `overdue`, `pending`, `not_applicable`, with their day counts). The
command is run for them with the arguments given by `--audit-arg ARG` (repeatable) appended, e.g.
`--audit-arg --audit` for this library's `schedule --json`; without it they are skipped, and the
summary says so. The response's obligations may be flat (the obligation's fields and `status`)
or this library's `{"obligation": {...}, "status": {...}}`, with citations inline or as indices
into a `citations` table (schedule and audit responses alike).

Each expected obligation holds its date assertions (what identifies it, its dates, its breach,
its audit status) and, apart in its own `metadata` object, this library's own metadata (citation
wording, `basis`, roles, flags). By default the two are merged and both checked. `--dates-only`
checks another system on dates alone: every `metadata` object is dropped, nothing else, so
neither citation wording nor basis nor roles are compared.

For every failure the runner prints a field-level diff: for each expected obligation with no
match, the obligations of the response with the same duty (and review), and for each of the
closest, the fields that differ (`field: expected X, got Y`). Exit status: 0 when every vector
holds, 1 otherwise, 2 for a usage error. Standard library only.
"""

import json
import pathlib
import subprocess
import sys


def matches(want, got):
    """The matching rule (docs/conformance.md): partial objects, equal arrays and scalars; a key
    the response leaves out matches an expected null (and a left-out `early` matches false)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return False
        for k, v in want.items():
            if k in got:
                if not matches(v, got[k]):
                    return False
            elif not (v is None or (k == "early" and v is False)):
                return False
        return True
    return want == got


def inflate(resp):
    """Resolves the lean response: `citation` indices into the `citations` table, and
    `next_review` into the obligation it points to. Inline responses pass unchanged."""
    if not isinstance(resp, dict) or "obligations" not in resp:
        return resp
    # An audit's obligations are {"index", "obligation": {...}, "status": {...}}: flattened to the
    # obligation's fields with its `status`, so audit vectors match like schedule vectors.
    resp["obligations"] = [
        dict(o["obligation"], status=o.get("status")) if isinstance(o, dict) and isinstance(o.get("obligation"), dict) else o
        for o in resp["obligations"]
    ]
    table = resp.get("citations")
    if isinstance(table, list):
        def resolve(o):
            c = o.get("citation")
            if isinstance(c, int) and 0 <= c < len(table):
                o["citation"] = table[c]
        for o in resp["obligations"]:
            resolve(o)
            for b in o.get("binding") or []:
                resolve(b)
    nr = resp.get("next_review")
    if isinstance(nr, int) and 0 <= nr < len(resp["obligations"]):
        resp["next_review"] = resp["obligations"][nr]
    return resp


def expectation(want, only_dates):
    """An expected obligation as compared: its date assertions alone (`only_dates`), or with its
    `metadata` object merged in, recursively (a breach's `basis` joins the breach)."""
    if not isinstance(want, dict) or "metadata" not in want:
        return want
    dates = {k: v for k, v in want.items() if k != "metadata"}
    if only_dates:
        return dates

    def deep(a, b):
        out = dict(a)
        for k, v in b.items():
            out[k] = deep(out[k], v) if isinstance(out.get(k), dict) and isinstance(v, dict) else v
        return out

    return deep(dates, want["metadata"])


def shown(o, want):
    """The response obligation `o`, cut to the fields `want` names (and its identity): short lines."""
    if not isinstance(o, dict):
        return o
    keys = ["duty", "regime", "review_number"] + [k for k in (want or {}) if k not in ("duty", "regime", "review_number")]
    return {k: o.get(k) for k in keys if k in o}


def diff(want, got, prefix=""):
    """The fields of `want` that `got` does not match, as lines."""
    out = []
    for k, v in want.items():
        g = got.get(k) if isinstance(got, dict) else None
        if isinstance(v, dict) and isinstance(g, dict):
            out += diff(v, g, prefix + k + ".")
        elif not matches({k: v}, got if isinstance(got, dict) else {}):
            out.append(f"{prefix}{k}: expected {json.dumps(v)}, got {json.dumps(g)}")
    return out


def explain_miss(want, obligations):
    same = [o for o in obligations if o.get("duty") == want.get("duty")]
    if "review_number" in want:
        same = [o for o in same if o.get("review_number") == want["review_number"]] or same
    if not same:
        return [f"    no obligation with duty {json.dumps(want.get('duty'))}"]
    ranked = sorted(same, key=lambda o: len(diff(want, o)))[:3]
    lines = []
    for o in ranked:
        label = " ".join(str(x) for x in (o.get("duty"), o.get("regime"), o.get("review_number") and f"review {o['review_number']}")
                         if x)
        lines.append(f"    closest: {label}")
        lines += ["      " + d for d in diff(want, o)]
    return lines


def check(vector, got, only_dates):
    exp = vector["expected"]
    if "error" in exp:
        if not isinstance(got, dict) or "error" not in got:
            return [f"  expected error {json.dumps(exp['error'])}, got a schedule"]
        if not matches(exp["error"], got["error"]):
            return [f"  expected error {json.dumps(exp['error'])}, got {json.dumps(got['error'])}"]
        return []
    if not isinstance(got, dict) or "obligations" not in got:
        return [f"  expected a schedule, got {json.dumps(got)[:300]}"]
    obligations = got["obligations"]
    def reduce(o):
        return expectation(o, only_dates)

    problems = []
    for want in exp.get("obligations", []):
        w = reduce(want)
        if not any(matches(w, o) for o in obligations):
            problems.append(f"  no obligation matches {json.dumps(w)}")
            problems += explain_miss(w, obligations)
    for absent in exp.get("absent", []):
        a = reduce(absent)
        for o in obligations:
            if matches(a, o):
                problems.append(f"  {json.dumps(shown(o, a))} matches {json.dumps(a)}, which must be absent")
    if "next_review" in exp:
        want, nr = reduce(exp["next_review"]), got.get("next_review")
        if want is None and nr is not None:
            problems.append(f"  next_review: expected none, got {json.dumps(shown(nr, None))}")
        elif want is not None and (nr is None or not matches(want, nr)):
            problems.append(f"  next_review: expected {json.dumps(want)}")
            problems += ["    " + d for d in diff(want, nr or {})]
    return problems


def main(argv):
    only_dates, vectors, only = False, pathlib.Path(__file__).resolve().parent.parent / "data/conformance", None
    want_tags, audit_args = [], None
    args = list(argv)
    if "--" not in args:
        print(__doc__.strip(), file=sys.stderr if args and args[0] not in ("-h", "--help") else sys.stdout)
        return 0 if args and args[0] in ("-h", "--help") else 2
    cut = args.index("--")
    opts, command = args[:cut], args[cut + 1:]
    i = 0
    while i < len(opts):
        if opts[i] == "--dates-only":
            only_dates = True
        elif opts[i] == "--vectors" and i + 1 < len(opts):
            vectors = pathlib.Path(opts[i + 1]); i += 1
        elif opts[i] == "--only" and i + 1 < len(opts):
            only = opts[i + 1]; i += 1
        elif opts[i] == "--audit-arg" and i + 1 < len(opts):
            audit_args = (audit_args or []) + [opts[i + 1]]; i += 1
        elif opts[i] == "--tag" and i + 1 < len(opts):
            want_tags.append(opts[i + 1]); i += 1
        else:
            print(f"error: unknown option {opts[i]}\n\n{__doc__.strip()}", file=sys.stderr)
            return 2
        i += 1
    if not command:
        print("error: no command given after --", file=sys.stderr)
        return 2
    failures = total = skipped = 0
    for path in sorted(vectors.glob("*.json")):
        vector = json.loads(path.read_text(encoding="utf-8"))
        if "request" not in vector or "expected" not in vector or (only and vector.get("id") != only):
            continue
        if any(t not in vector.get("tags", []) for t in want_tags):
            continue
        run = command
        if vector.get("kind") == "audit":
            if audit_args is None:
                print(f"skip {vector['id']} (an audit vector: give --audit-arg ARG to run it)")
                skipped += 1
                continue
            run = command + audit_args
        total += 1
        p = subprocess.run(run, input=json.dumps(vector["request"]), capture_output=True, text=True)
        try:
            got = inflate(json.loads(p.stdout))
        except json.JSONDecodeError:
            got = {"unreadable output": p.stdout[:300], "stderr": p.stderr[:300]}
        problems = check(vector, got, only_dates)
        print(("FAIL " if problems else "ok   ") + vector["id"])
        for line in problems:
            print(line)
        failures += bool(problems)
    print(f"{total - failures} of {total} vectors hold" + (" (dates only)" if only_dates else "")
          + (f" (tags: {', '.join(want_tags)})" if want_tags else "")
          + (f"; {skipped} audit vectors skipped" if skipped else ""))
    return 1 if failures or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Tests scripts/conformance.py (the conformance runner) against fake systems under test: a command
that prints a response written here by hand. Checks that the runner resolves citations inline
and by table reference, for schedule and audit responses; that --dates-only drops each
expected obligation's `metadata` and nothing else; the field-level diff; `absent`,
`next_review`, skipping audit vectors, and the exit statuses. Run by .ci/run; standard library
only:

    python3 tests/cli/conformance_runner.py
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
RUNNER = ROOT / "scripts/conformance.py"

# The fake system: the response in $FAKE (schedule) or $FAKE_AUDIT (when given --audit).
FAKE = [sys.executable, "-c",
        "import os, sys; sys.stdin.read(); "
        "print(open(os.environ['FAKE_AUDIT' if '--audit' in sys.argv else 'FAKE']).read())"]

SCHEDULE = {
    "id": "001-schedule", "description": "d", "source": "s", "tags": ["jurisdiction:england", "feature:x"],
    "request": {"jurisdiction": "england", "events": []},
    "expected": {
        "obligations": [
            {"duty": "hold_review", "review_number": 1, "latest": "2026-02-02", "breach": None,
             "metadata": {"basis": "statutory", "citation": {"provision": "reg 33(1)"}}},
            {"duty": "hold_review", "review_number": 2, "latest": "2026-05-31",
             "breach": {"kind": "late_review", "working_days_late": 1},
             "metadata": {"basis": "local:dudley", "breach": {"basis": "local:dudley"}}},
        ],
        "absent": [{"duty": "hold_review", "early": True}],
        "next_review": {"duty": "hold_review", "review_number": 1, "metadata": {"projected": False}},
    },
}
AUDIT = {
    "id": "002-audit", "kind": "audit", "description": "d", "source": "s", "tags": ["jurisdiction:england", "feature:audit"],
    "request": {"jurisdiction": "england", "events": []},
    "expected": {
        "obligations": [
            {"duty": "prepare_care_plan", "latest": "2026-01-19", "status": {"kind": "not_applicable"},
             "metadata": {"citation": {"provision": "reg 4(2)"}, "status": {"reason": "fell away"}}},
        ],
    },
}
CITES = [{"instrument": "CPPCR", "provision": "reg 33(1)", "status": "V"},
         {"instrument": "Dudley", "provision": "3.1", "status": "V"},
         {"instrument": "CPPCR", "provision": "reg 4(2)", "status": "V"}]


def schedule_response(table=True, **changes):
    """This library's response to SCHEDULE (citations in a table, or inline), with `changes`
    applied to obligation 1 (the second review): {"field": value}."""
    obligations = [
        {"duty": "hold_review", "review_number": 1, "latest": "2026-02-02", "basis": "statutory", "citation": 0,
         "projected": False},
        {"duty": "hold_review", "review_number": 2, "latest": "2026-05-31", "basis": "local:dudley", "citation": 1,
         "projected": True, "breach": {"kind": "late_review", "working_days_late": 1, "basis": "local:dudley"}},
    ]
    obligations[1].update(changes)
    if not table:
        for o in obligations:
            o["citation"] = CITES[o["citation"]]
        return {"obligations": obligations, "next_review": obligations[0]}
    return {"citations": CITES[:2], "obligations": obligations, "next_review": 0}


def audit_response(table, reason="fell away"):
    o = {"duty": "prepare_care_plan", "latest": "2026-01-19", "citation": 0 if table else CITES[2]}
    out = {"obligations": [{"index": 0, "obligation": o, "status": {"kind": "not_applicable", "reason": reason}}]}
    if table:
        out["citations"] = [CITES[2]]
    return out


class Runner(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.vectors = pathlib.Path(self.dir.name) / "vectors"
        self.vectors.mkdir()
        for v in (SCHEDULE, AUDIT):
            (self.vectors / f"{v['id']}.json").write_text(json.dumps(v))

    def tearDown(self):
        self.dir.cleanup()

    def run_with(self, schedule, audit=None, *options):
        env = dict(os.environ)
        for name, response in (("FAKE", schedule), ("FAKE_AUDIT", audit or {})):
            path = pathlib.Path(self.dir.name) / name
            path.write_text(json.dumps(response))
            env[name] = str(path)
        p = subprocess.run([sys.executable, str(RUNNER), "--vectors", str(self.vectors), *options, "--", *FAKE],
                           capture_output=True, text=True, env=env)
        return p.returncode, p.stdout

    def test_citations_inline_or_by_table_for_schedules_and_audits(self):
        for table in (True, False):
            code, out = self.run_with(schedule_response(table), audit_response(table), "--audit-arg", "--audit")
            self.assertEqual((code, out.splitlines()[-1]), (0, "2 of 2 vectors hold"), out)
        # Mixed: a schedule with a table, an audit inline.
        code, out = self.run_with(schedule_response(True), audit_response(False), "--audit-arg", "--audit")
        self.assertEqual(code, 0, out)

    def test_audit_vectors_are_skipped_without_audit_args(self):
        code, out = self.run_with(schedule_response())
        self.assertEqual(code, 0, out)
        self.assertIn("skip 002-audit", out)
        self.assertEqual(out.splitlines()[-1], "1 of 1 vectors hold; 1 audit vectors skipped")

    def test_metadata_is_checked_by_default_and_dropped_on_dates_only(self):
        worded = schedule_response()
        worded["citations"][0] = dict(CITES[0], provision="regulation 33(1)")  # other wording, by table
        code, out = self.run_with(worded, None, "--only", "001-schedule")
        self.assertEqual(code, 1, out)
        self.assertIn('      citation.provision: expected "reg 33(1)", got "regulation 33(1)"', out)
        code, out = self.run_with(worded, None, "--only", "001-schedule", "--dates-only")
        self.assertEqual((code, out.splitlines()[-1]), (0, "1 of 1 vectors hold (dates only)"), out)
        statute = schedule_response(basis="statutory")
        code, out = self.run_with(statute, None, "--only", "001-schedule")
        self.assertEqual(code, 1, out)
        self.assertIn('      basis: expected "local:dudley", got "statutory"', out)
        self.assertEqual(self.run_with(statute, None, "--only", "001-schedule", "--dates-only")[0], 0)
        # A breach's basis is metadata; its kind and counts are dates.
        statutory = schedule_response(breach={"kind": "late_review", "working_days_late": 1, "basis": "statutory"})
        self.assertEqual(self.run_with(statutory, None, "--only", "001-schedule")[0], 1)
        self.assertEqual(self.run_with(statutory, None, "--only", "001-schedule", "--dates-only")[0], 0)
        two_days = schedule_response(breach={"kind": "late_review", "working_days_late": 2, "basis": "local:dudley"})
        code, out = self.run_with(two_days, None, "--only", "001-schedule", "--dates-only")
        self.assertEqual(code, 1, out)
        self.assertIn("      breach.working_days_late: expected 1, got 2", out)
        # An audit status's reason is metadata; its kind is a date assertion.
        args = ("--only", "002-audit", "--audit-arg", "--audit")
        self.assertEqual(self.run_with({}, audit_response(True, reason="other words"), *args)[0], 1)
        self.assertEqual(self.run_with({}, audit_response(True, reason="other words"), *args, "--dates-only")[0], 0)

    def test_a_wrong_date_fails_with_a_field_level_diff(self):
        code, out = self.run_with(schedule_response(latest="2026-06-01"), None, "--only", "001-schedule", "--dates-only")
        self.assertEqual(code, 1, out)
        self.assertIn("FAIL 001-schedule", out)
        self.assertIn("    closest: hold_review review 2", out)
        self.assertIn('      latest: expected "2026-05-31", got "2026-06-01"', out)

    def test_absent_and_next_review(self):
        early = schedule_response()
        early["obligations"].append({"duty": "hold_review", "early": True, "latest": None, "citation": 0})
        code, out = self.run_with(early, None, "--only", "001-schedule", "--dates-only")
        self.assertEqual(code, 1, out)
        self.assertIn('which must be absent', out)
        none_due = schedule_response()
        none_due["next_review"] = None
        code, out = self.run_with(none_due, None, "--only", "001-schedule")
        self.assertEqual(code, 1, out)
        self.assertIn("next_review: expected", out)
        projected = schedule_response()
        projected["obligations"][0]["projected"] = True  # metadata of next_review
        self.assertEqual(self.run_with(projected, None, "--only", "001-schedule")[0], 1)
        self.assertEqual(self.run_with(projected, None, "--only", "001-schedule", "--dates-only")[0], 0)

    def test_errors_and_usage(self):
        code, out = self.run_with({"error": {"kind": "invalid_input", "message": "m"}}, None, "--only", "001-schedule")
        self.assertEqual(code, 1, out)
        self.assertIn("expected a schedule", out)
        p = subprocess.run([sys.executable, str(RUNNER), "--bogus", "--", "true"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        p = subprocess.run([sys.executable, str(RUNNER), "--help"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        self.assertIn("--dates-only", p.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=1)

"""schedule() and audit(): the JSON API's request and response, on the conformance vectors and
against the schedule example's --json output."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest

import lac_timescales as lt
from conftest import ROOT, example

VECTORS = sorted((ROOT / "data" / "conformance").glob("*.json"))

CLASSES = {
    "invalid_input": lt.InvalidInputError,
    "invalid_event": lt.InvalidEventError,
    "invalid_data": lt.InvalidDataError,
    "date_out_of_range": lt.DateOutOfRangeError,
    "invalid_period": lt.InvalidPeriodError,
    "limit_exceeded": lt.LimitExceededError,
}


# The vectors are matched by the repository's own runner's rules (scripts/conformance.py: the
# matching rule, a vector's metadata merged back into its dates, the lean response's references
# resolved), so this suite and the runner cannot drift apart.
sys.path.insert(0, str(ROOT / "scripts"))
from conformance import expectation as _expectation, inflate, matches  # noqa: E402


def expectation(want):
    """An expected obligation with its ``metadata`` merged back in (the full check, not dates alone)."""
    return _expectation(want, only_dates=False)


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_conformance_vectors(path):
    v = json.loads(path.read_text())
    want = v["expected"]
    if "error" in want:
        with pytest.raises(lt.LacTimescalesError) as e:
            lt.schedule(v["request"])
        assert e.value.kind == want["error"]["kind"]
        assert isinstance(e.value, CLASSES[want["error"]["kind"]])
        return
    if v.get("kind") == "audit":
        # An audit's obligations are {"index", "obligation", "status"}: flattened to the
        # obligation's fields with its status, as tests/conformance.rs does.
        # Citations inline or by index into a ``citations`` table: inflate resolves either.
        out = lt.audit(v["request"])
        out["obligations"] = [dict(a["obligation"], status=a["status"]) for a in out["obligations"]]
        out = inflate(out)
    else:
        out = inflate(lt.schedule(v["request"]))
    for o in want["obligations"]:
        o = expectation(o)
        assert any(matches(o, a) for a in out["obligations"]), (v["id"], o)
    for o in want.get("absent", []):
        assert "metadata" not in o, (v["id"], "absence is asserted on dates alone")
        assert not any(matches(o, a) for a in out["obligations"]), (v["id"], o)
    if "next_review" in want:
        if want["next_review"] is None:
            assert out["next_review"] is None
        else:
            assert matches(expectation(want["next_review"]), out["next_review"])


def test_same_response_as_the_json_example(tmp_path):
    req = {
        "jurisdiction": "england",
        "as_at": "2026-06-01",
        "events": [
            {"event": "became_looked_after", "date": "2026-01-05"},
            {"event": "review_held", "date": "2026-01-30"},
        ],
    }
    f = tmp_path / "req.json"
    f.write_text(json.dumps(req))
    assert lt.schedule(req) == json.loads(example("schedule", "--json", "--input", str(f)).stdout)
    assert lt.audit(req) == json.loads(example("schedule", "--json", "--audit", "--input", str(f)).stdout)


def test_dates_and_text_requests():
    req = {"jurisdiction": "england", "events": [{"event": "became_looked_after", "date": dt.date(2026, 1, 5)}]}
    out = inflate(lt.schedule(req))
    # Mon 5 Jan 2026 + 20 working days = Mon 2 Feb 2026 (vector 001).
    assert out["next_review"]["latest"] == "2026-02-02"
    assert inflate(lt.schedule(json.dumps(req, default=str))) == out
    a = lt.audit({**req, "as_at": "2026-02-03"})
    review = next(o for o in a["obligations"] if o["obligation"]["duty"] == "hold_review")
    assert review["status"]["kind"] == "overdue"


def test_errors_name_the_event_and_field():
    with pytest.raises(lt.InvalidEventError, match=r"event 0 \(became_looked_after\): date") as e:
        lt.schedule({"jurisdiction": "england", "events": [{"event": "became_looked_after", "date": "2026-02-30"}]})
    assert e.value.kind == "invalid_event" and "2026-02-30" in str(e.value)
    with pytest.raises(lt.InvalidInputError, match="jurisdiction"):
        lt.audit({"events": []})
    with pytest.raises(lt.InvalidInputError):
        lt.schedule("{not json")
    with pytest.raises(lt.InvalidTypeError):
        lt.schedule(["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(lt.InvalidTypeError):
        lt.schedule({"jurisdiction": "england", "events": [{"event": "x", "date": object()}]})

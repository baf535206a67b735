#!/usr/bin/env python3
"""Adds `tags` to every conformance vector (data/conformance/*.json and pending/), worked out
from its id and contents, keeping each file's hand formatting (one line inserted or replaced
after "source").

Tags are `jurisdiction:<england|wales|none>`, `profile:<name>` (when the request names one),
`regime:<regime>` for every regime an expected obligation names, and `feature:<name>` from the
id's words and the expected result (`feature:error` for error vectors, `feature:audit` and the expected
statuses, e.g. `feature:met`, for audit vectors). Run it again after adding a vector:

    python3 scripts/tag_vectors.py           # rewrite the files
    python3 scripts/tag_vectors.py --check   # exit 1 if any file's tags differ from what it would write
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "data/conformance"

# id word(s) -> feature
FEATURES = [
    ("first-review", "first-review"), ("second-review", "second-review"), ("later-review", "later-review"),
    ("early-review", "early-review"), ("adjourn", "adjournment"), ("rearranged", "rearrangement"),
    ("horizon", "horizon"), ("visit", "visits"), ("placement", "placement"), ("placed", "placement"),
    ("secure", "secure-accommodation"), ("short-breaks", "short-breaks"), ("adoption", "adoption"),
    ("needs-assessment", "needs-assessment"), ("christmas", "bank-holiday"), ("easter", "bank-holiday"),
    ("new-years-day", "bank-holiday"), ("one-off-holiday", "bank-holiday"), ("leap-day", "leap-day"),
    ("month-end", "month-end"), ("regulations", "commencement"), ("decisions", "post-review-duties"),
    ("post-review", "post-review-duties"), ("late", "late"), ("not-held", "overdue"), ("breach", "breach"),
    ("new-period", "period-of-care"), ("returned", "period-of-care"), ("care-and-support-plan", "care-plan"),
    ("placement-plan", "care-plan"), ("child-request", "early-review"), ("iro", "iro"),
]


def tags_for(v):
    req = v.get("request") if isinstance(v.get("request"), dict) else {}
    vid = v["id"]
    tags = []
    j = req.get("jurisdiction")
    tags.append(f"jurisdiction:{j}" if j in ("england", "wales") else "jurisdiction:none")
    if isinstance(req.get("profile"), str):
        tags.append(f"profile:{req['profile']}")
    exp = v.get("expected", {})
    regimes = []
    for part in ("obligations", "absent"):
        for o in exp.get(part, []) or []:
            r = o.get("regime")
            if isinstance(r, str) and r not in regimes:
                regimes.append(r)
    nr = exp.get("next_review")
    if isinstance(nr, dict) and isinstance(nr.get("regime"), str) and nr["regime"] not in regimes:
        regimes.append(nr["regime"])
    tags += [f"regime:{r}" for r in sorted(regimes)]
    feats = []
    if "error" in exp:
        feats.append("error")
    if v.get("kind") == "audit":
        feats.append("audit")
    for word, feat in FEATURES:
        if word in vid and feat not in feats:
            feats.append(feat)
    for o in exp.get("obligations", []) or []:
        st = o.get("status")
        f = st.get("kind") if isinstance(st, dict) else None
        if f and f.replace("_", "-") not in feats:
            feats.append(f.replace("_", "-"))
    if not feats:
        feats.append("schedule")
    tags += [f"feature:{f}" for f in feats]
    return tags


def rewrite(path):
    text = path.read_text(encoding="utf-8")
    v = json.loads(text)
    line = '  "tags": ' + json.dumps(tags_for(v)) + ","
    lines = text.split("\n")
    lines = [l for l in lines if not l.startswith('  "tags": ')]
    at = next(i for i, l in enumerate(lines) if l.startswith('  "source": '))
    lines.insert(at + 1, line)
    new = "\n".join(lines)
    json.loads(new)  # still JSON
    return text, new


def main(argv):
    check = "--check" in argv
    bad = 0
    for path in sorted(ROOT.glob("*.json")) + sorted((ROOT / "pending").glob("*.json")):
        old, new = rewrite(path)
        if old != new:
            if check:
                print(f"tags out of date: {path.name}")
                bad += 1
            else:
                path.write_text(new, encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

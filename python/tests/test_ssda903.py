"""audit_903 on DataFrames and files: the same answers as the audit_903 example on the same
files, rows traced back to the caller's index, every input kind, errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest

import lac_timescales as lt
from conftest import SSDA903, example, need_shared

FIELDS = [
    "CHILD", "collection_year", "period_start", "regime", "review_number", "REVIEW", "deadline",
    "latest_working_day", "on_time", "working_days_late", "calendar_days_late", "basis", "missed",
    "note",
]  # fmt: skip


def cell(v):
    """A value as reviews_audit.csv writes it."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat()
    if isinstance(v, (dt.date,)):
        return v.isoformat()
    return str(v)


def rows_of(result):
    """The reviews of a result as lists of CSV cells, whatever the DataFrame kind."""
    r = result.reviews
    if isinstance(r, pl.DataFrame):
        return [[cell(x) for x in row] for row in r.select(FIELDS).iter_rows()]
    if isinstance(r, pd.DataFrame):
        return [[cell(x) for x in row] for row in r[FIELDS].itertuples(index=False)]
    return [[cell(r[k][i]) for k in FIELDS] for i in range(len(r["CHILD"]))]


def cli(episodes, reviews, tmp_path, *extra):
    """The audit_903 example's reviews_audit.csv rows, rejects and summary on the same files."""
    out = tmp_path / "out"
    p = example("audit_903", str(episodes), str(reviews), "--output-dir", str(out), *extra, check=False)
    assert p.returncode in (0, 2), p.stderr
    with open(out / "reviews_audit.csv", newline="") as f:
        got = list(csv.reader(f))
    with open(out / "rejects.csv", newline="") as f:
        rejects = list(csv.reader(f))
    assert got[0] == FIELDS
    return got[1:], rejects[1:], p.stdout


def reject_keys(result):
    r = result.rejects
    if isinstance(r, pl.DataFrame):
        r = {k: r[k].to_list() for k in r.columns}
    elif isinstance(r, pd.DataFrame):
        r = {k: r[k].tolist() for k in r.columns}
    return sorted(zip(r["table"], map(int, r["line"]), r["CHILD"], r["reason"]))


# The sample return's four overdue rows at 31 Mar 2025, worked by hand in tests/cli/audit_903.sh.
SAMPLE_OVERDUE = [
    ["185686", "2024-25", "", "looked_after", "", "", "2024-09-30", "2024-09-30", "false", "127", "182", "decided_by_data"],
    ["186835", "2024-25", "2024-12-10", "looked_after", "1", "", "2025-01-10", "2025-01-10", "false", "56", "80", "known_review_number"],
    ["900323", "2024-25", "", "looked_after", "", "", "2024-09-30", "2024-09-30", "false", "127", "182", "decided_by_data"],
    ["900327", "2024-25", "", "short_breaks", "1", "", "2024-07-10", "2024-07-10", "false", "184", "264", "known_review_number"],
]  # fmt: skip


def sample_paths():
    need_shared()
    return SSDA903 / "SSDA903_2025_episodes.csv", SSDA903 / "SSDA903_2025_reviews.csv"


def test_sample_return_same_as_the_example_on_every_input_kind(tmp_path):
    e, r = sample_paths()
    want, want_rejects, stdout = cli(e, r, tmp_path, "--as-at", "2025-03-31")
    assert [w[:12] for w in want] == SAMPLE_OVERDUE
    pe = pd.read_csv(e, dtype=str, keep_default_na=False)
    pr = pd.read_csv(r, dtype=str, keep_default_na=False)
    inputs = {
        "paths": (e, r),
        "str paths": (str(e), str(r)),
        "pandas text": (pe, pr),
        "pandas as read by default": (pd.read_csv(e), pd.read_csv(r)),
        "polars": (pl.read_csv(e, infer_schema=False), pl.read_csv(r, infer_schema=False)),
    }
    for name, (ep, rv) in inputs.items():
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            a = lt.audit_903(ep, rv, as_at=dt.date(2025, 3, 31), year=2025)
        assert rows_of(a) == want, name
        assert reject_keys(a) == sorted((t, int(ln), c, why) for _, t, ln, c, why in want_rejects), name
        assert a.summary["balanced"] and a.summary["reviews_in"] == 24 and a.summary["episodes_in"] == 23
    # File input: the very summary the example prints.
    a = lt.audit_903(e, r, as_at="2025-03-31")
    assert stdout.startswith(a.summary_text)
    # The kinds: pandas for paths (pandas is installed), else as given.
    assert isinstance(a.reviews, pd.DataFrame) and "line" in a.reviews.columns
    assert isinstance(lt.audit_903(e, r, output="polars").reviews, pl.DataFrame)
    cols = lt.audit_903(e, r, as_at="2025-03-31", output="columns")
    assert isinstance(cols.reviews, dict) and rows_of(cols) == want


def test_a_dict_of_tables_and_a_list_of_returns(tmp_path):
    e, r = sample_paths()
    pe = pd.read_csv(e, dtype=str, keep_default_na=False)
    pr = pd.read_csv(r, dtype=str, keep_default_na=False)
    want = rows_of(lt.audit_903(pe, pr, year=2025, as_at="2025-03-31"))
    tables = {"Header": pd.DataFrame({"CHILD": []}), "Episodes": pe, "Reviews": pr}
    assert rows_of(lt.audit_903(tables, year=2025, as_at="2025-03-31")) == want
    assert rows_of(lt.audit_903([{"episodes": pe, "reviews": pr, "year": 2025}], as_at="2025-03-31")) == want
    with pytest.raises(lt.InvalidInputError, match="same collection year|2024-25"):
        lt.audit_903([(pe, pr, 2025), (pe, pr, 2025)])


def test_rows_trace_back_to_the_callers_index():
    e, r = sample_paths()
    pe = pd.read_csv(e, dtype=str, keep_default_na=False)
    pr = pd.read_csv(r, dtype=str, keep_default_na=False)
    pe.index = [f"e{i}" for i in range(len(pe))]
    pr.index = [f"r{i}" for i in range(len(pr))]
    a = lt.audit_903(pe, pr, year=2025)
    rj = a.rejects.set_index("row")
    # Episodes line 2 (the first data row) has no CHILD; line 3 has DECOM "notadate".
    assert rj.loc["e0", "reason"] == "missing CHILD"
    assert pe.loc["e1", "DECOM"] == "notadate" and "notadate" in rj.loc["e1", "reason"]
    # Reviews line 19 (row 17) is a child with no episodes.
    assert rj.loc["r17", "reason"] == "unknown child: no episodes for this CHILD"
    assert pr.loc["r17", "CHILD"] == "249901"


def small_return():
    # Looked after Sun 5 Jan 2025 (RNE S). First review within 20 working days: 6-10, 13-17,
    # 20-24, 27-31 Jan = Fri 31 Jan 2025. Held Thu 30 Jan: on time. The second review, Fri 2 May
    # 2025, is in the next collection year (2025-26): a 2024-25 return cannot hold it, so it is
    # rejected.
    episodes = pd.DataFrame(
        {"CHILD": ["7"], "DECOM": ["05/01/2025"], "RNE": ["S"], "LS": ["C2"], "PLACE": ["U1"], "DEC": [""], "REC": [""]},
        index=[100],
    )
    reviews = pd.DataFrame({"CHILD": ["7", "7"], "REVIEW": ["30/01/2025", "02/05/2025"]}, index=[200, 201])
    return episodes, reviews


def test_hand_worked_small_return_on_pandas_and_polars():
    episodes, reviews = small_return()
    a = lt.audit_903(episodes, reviews, year=2025)
    assert rows_of(a) == [
        ["7", "2024-25", "2025-01-05", "looked_after", "1", "2025-01-30", "2025-01-31", "2025-01-31", "true", "0", "0", "known_review_number", "", ""]
    ]  # fmt: skip
    assert a.reviews.loc[0, "row"] == 200
    assert a.rejects["row"].tolist() == [201] and "collection year" in a.rejects.loc[0, "reason"]
    # Parsed dates and numeric identifiers, as pandas reads them by default, give the same rows.
    parsed_e = episodes.assign(CHILD=[7], DECOM=pd.to_datetime(["2025-01-05"]), DEC=pd.to_datetime([None]))
    parsed_r = reviews.assign(CHILD=[7, 7], REVIEW=pd.to_datetime(["2025-01-30", "2025-05-02"]))
    assert rows_of(lt.audit_903(parsed_e, parsed_r, year=2025)) == rows_of(a)
    p = lt.audit_903(pl.from_dict({k: episodes[k].tolist() for k in episodes}),
                     pl.from_dict({k: reviews[k].tolist() for k in reviews}), year=2025)  # fmt: skip
    assert isinstance(p.reviews, pl.DataFrame) and rows_of(p) == rows_of(a)
    assert p.reviews["row"].to_list() == [0] and p.rejects["row"].to_list() == [1]
    assert p.reviews.schema["deadline"] == pl.Date and p.reviews.schema["on_time"] == pl.Boolean
    assert str(a.reviews["on_time"].dtype) == "boolean" and str(a.reviews["review_number"].dtype) == "Int64"


def test_validator_fake_set_same_as_the_example(tmp_path):
    need_shared()
    e, r = SSDA903 / "validator-fake" / "episodes.csv", SSDA903 / "validator-fake" / "reviews.csv"
    want, want_rejects, _ = cli(e, r, tmp_path)
    a = lt.audit_903(pd.read_csv(e), pd.read_csv(r))
    assert rows_of(a) == want
    assert reject_keys(a) == sorted((t, int(ln), c, why) for _, t, ln, c, why in want_rejects)
    b = lt.audit_903(pl.read_csv(e, infer_schema=False), pl.read_csv(r, infer_schema=False))
    assert rows_of(b) == want


def test_errors_and_warnings(tmp_path):
    episodes, reviews = small_return()
    with pytest.raises(lt.InvalidInputError, match="episodes: missing column DECOM"):
        lt.audit_903(episodes.drop(columns=["DECOM"]), reviews)
    with pytest.raises(lt.InvalidInputError, match="looks like the reviews table"):
        lt.audit_903(reviews, reviews)
    with pytest.raises(lt.FileError, match="nonexistent.csv"):
        lt.audit_903(tmp_path / "nonexistent.csv", tmp_path / "nonexistent2.csv")
    with pytest.raises(lt.InvalidInputError, match="nope"):
        lt.audit_903(episodes, reviews, profile="nope")
    with pytest.raises(lt.InvalidInputError, match="as_at"):
        lt.audit_903(episodes, reviews, as_at="31/03/2025")
    with pytest.raises(lt.InvalidTypeError):
        lt.audit_903(episodes, [1, 2])
    with pytest.raises(lt.InvalidTypeError):
        lt.audit_903(episodes, pl.DataFrame({"CHILD": ["7"], "REVIEW": ["30/01/2025"]}))
    with pytest.raises(lt.InvalidInputError, match="line break"):
        lt.audit_903(episodes, pd.DataFrame({"CHILD": ["7\n8"], "REVIEW": ["30/01/2025"]}))
    with pytest.raises(lt.InvalidInputError, match="reviews: missing"):
        lt.audit_903(episodes)
    # A table no row of which can be used is a warning (the example exits 2), not an exception.
    bad = pd.DataFrame({"CHILD": ["7"], "REVIEW": ["notadate"]})
    with pytest.warns(UserWarning, match="all 1 rows were rejected"):
        a = lt.audit_903(episodes, bad, year=2025)
    assert a.summary["whole_file_failures"]
    # Hostile text: quotes, commas and separators survive.
    odd = pd.DataFrame({"CHILD": ['7,"x"\x1f'], "REVIEW": ["30/01/2025"]})
    a = lt.audit_903(episodes, odd, year=2025)
    assert a.rejects["CHILD"].tolist() == ['7,"x"\x1f']


def test_empty_frames():
    episodes, reviews = small_return()
    with pytest.warns(UserWarning):
        a = lt.audit_903(episodes.iloc[:0], reviews.iloc[:0], year=2025)
    assert len(a.reviews) == 0 and a.summary["balanced"]
    assert isinstance(io.StringIO(a.summary_text).readline(), str)


def test_file_input_needs_no_numpy():
    """No runtime dependency: with numpy, pandas and polars unimportable, file input gives plain
    lists (the sample's four overdue rows, worked by hand in SAMPLE_OVERDUE)."""
    e, r = sample_paths()
    code = (
        "import sys\nfor m in ('numpy', 'pandas', 'polars'):\n    sys.modules[m] = None\n"
        "import warnings\nwarnings.simplefilter('ignore')\nimport lac_timescales as lt\n"
        f"a = lt.audit_903({str(e)!r}, {str(r)!r}, as_at='2025-03-31')\n"
        "print(type(a.reviews).__name__, a.reviews['CHILD'], [str(d) for d in a.reviews['deadline']],"
        " a.reviews['on_time'], type(a.superseded).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    want = [(row[0], row[6]) for row in SAMPLE_OVERDUE]
    assert out.split("\n")[0] == (
        f"dict {[c for c, _ in want]} {[d for _, d in want]} [False, False, False, False] list"
    )

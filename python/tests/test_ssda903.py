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


# The sample return's rows with no REVIEW at 31 Mar 2025: seven overdue (of four children: after
# each child's review due, the next ones that fell due before 31 Mar, counted from the last working
# day by which the one before was due) and five never held before the child left care, worked by
# hand in tests/cli/audit_903.sh.
SAMPLE_OVERDUE = [
    ["173118", "2024-25", "", "looked_after", "", "", "2024-09-30", "2024-09-30", "false", "8", "10", "decided_by_data"],
    ["185686", "2024-25", "", "looked_after", "", "", "2024-09-30", "2024-09-30", "false", "127", "182", "decided_by_data"],
    ["185686", "2024-25", "", "looked_after", "", "", "2025-03-30", "2025-03-28", "false", "1", "1", "decided_by_data"],
    ["186835", "2024-25", "2024-12-10", "looked_after", "1", "", "2025-01-10", "2025-01-10", "false", "56", "80", "known_review_number"],
    ["237247", "2024-25", "2023-07-21", "looked_after", "", "", "2024-09-30", "2024-09-30", "false", "35", "49", "decided_by_data"],
    ["310964", "2024-25", "", "looked_after", "", "", "2024-09-30", "2024-09-30", "false", "92", "133", "decided_by_data"],
    ["79630", "2024-25", "", "short_breaks", "", "", "2024-09-30", "2024-09-30", "false", "19", "25", "decided_by_data"],
    ["817282", "2024-25", "", "looked_after", "", "", "2024-09-30", "2024-09-30", "false", "4", "5", "decided_by_data"],
    ["900323", "2024-25", "", "looked_after", "", "", "2024-09-30", "2024-09-30", "false", "127", "182", "decided_by_data"],
    ["900323", "2024-25", "", "looked_after", "", "", "2025-03-30", "2025-03-28", "false", "1", "1", "decided_by_data"],
    ["900327", "2024-25", "", "short_breaks", "1", "", "2024-07-10", "2024-07-10", "false", "184", "264", "known_review_number"],
    ["900327", "2024-25", "", "short_breaks", "2", "", "2025-01-10", "2025-01-10", "false", "56", "80", "known_review_number"],
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
        assert (a.summary["overdue"], a.summary["overdue_children"], a.summary["never_held"]) == (7, 4, 5)
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
    lists (the sample's rows with no REVIEW, worked by hand in SAMPLE_OVERDUE)."""
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
        f"dict {[c for c, _ in want]} {[d for _, d in want]} {[False] * len(want)} list"
    )


# The documented dtypes of each output kind (pandas: text in the dtype pandas gives a column of
# str, object on pandas 2 and `str` on pandas 3; dates datetime64[s]; nullable Int64 and boolean).
PANDAS_TEXT = str(pd.Series(["x"]).dtype)
PANDAS_REVIEW_DTYPES = {
    "CHILD": PANDAS_TEXT, "collection_year": PANDAS_TEXT, "period_start": "datetime64[s]",
    "regime": PANDAS_TEXT, "review_number": "Int64", "REVIEW": "datetime64[s]",
    "deadline": "datetime64[s]", "latest_working_day": "datetime64[s]", "on_time": "boolean",
    "working_days_late": "Int64", "calendar_days_late": "Int64", "basis": PANDAS_TEXT,
    "missed": PANDAS_TEXT, "note": PANDAS_TEXT,
}  # fmt: skip
POLARS_REVIEW_DTYPES = {
    "CHILD": pl.String, "collection_year": pl.String, "period_start": pl.Date, "regime": pl.String,
    "review_number": pl.Int64, "REVIEW": pl.Date, "deadline": pl.Date, "latest_working_day": pl.Date,
    "on_time": pl.Boolean, "working_days_late": pl.Int64, "calendar_days_late": pl.Int64,
    "basis": pl.String, "missed": pl.String, "note": pl.String,
}  # fmt: skip


def check_dtypes(result, framed):
    r = result.reviews
    if isinstance(r, pd.DataFrame):
        assert {k: str(r[k].dtype) for k in FIELDS} == PANDAS_REVIEW_DTYPES
        assert str(r["row" if framed else "line"].dtype) == ("object" if framed else "int64")
        assert str(result.rejects["line"].dtype) == "int64"
        assert {str(result.rejects[k].dtype) for k in ("file", "table", "CHILD", "reason")} == {PANDAS_TEXT}
    elif isinstance(r, pl.DataFrame):
        assert {k: r.schema[k] for k in FIELDS} == POLARS_REVIEW_DTYPES
        assert r.schema["row" if framed else "line"] == pl.Int64
        assert result.rejects.schema["line"] == pl.Int64
        assert {result.rejects.schema[k] for k in ("file", "table", "CHILD", "reason")} == {pl.String}
    else:
        assert isinstance(r, dict) and list(r)[: len(FIELDS)] == FIELDS
        assert all(isinstance(v, list) for v in r.values())


def test_every_input_kind_with_every_output_kind(tmp_path):
    """Paths, pandas (text and as read by default), polars and dicts of tables, each to pandas,
    polars and plain columns: the example's rows (overdue rows too: missing dates, review numbers
    and outcomes are nulls) and rejects, in the documented dtypes."""
    e, r = sample_paths()
    want, want_rejects, _ = cli(e, r, tmp_path, "--as-at", "2025-03-31")
    want_rejects = sorted((t, int(ln), c, why) for _, t, ln, c, why in want_rejects)
    pe, pr = pd.read_csv(e, dtype=str, keep_default_na=False), pd.read_csv(r, dtype=str, keep_default_na=False)
    qe, qr = pl.read_csv(e, infer_schema=False), pl.read_csv(r, infer_schema=False)
    inputs = {
        "paths": ((e, r), False),
        "pandas text": ((pe, pr), True),
        "pandas as read by default": ((pd.read_csv(e), pd.read_csv(r)), True),
        "polars": ((qe, qr), True),
        "dict of pandas": (({"Episodes": pe, "Reviews": pr},), True),
        "dict of polars": (({"episodes": qe, "reviews": qr},), True),
    }
    for name, (args, framed) in inputs.items():
        for output in ("pandas", "polars", "columns"):
            with warnings.catch_warnings(record=True):
                warnings.simplefilter("always")
                a = lt.audit_903(*args, as_at="2025-03-31", year=2025, output=output)
            assert rows_of(a) == want, (name, output)
            assert reject_keys(a) == want_rejects, (name, output)
            check_dtypes(a, framed)
    # The overdue rows are the ones with no REVIEW: null in every kind.
    a = lt.audit_903(pe, pr, as_at="2025-03-31", year=2025)
    assert a.reviews["REVIEW"].isna().sum() == len(SAMPLE_OVERDUE)
    assert a.reviews.loc[a.reviews["REVIEW"].isna(), "row"].tolist() == [None] * len(SAMPLE_OVERDUE)
    p = lt.audit_903(qe, qr, as_at="2025-03-31", year=2025)
    assert p.reviews["REVIEW"].null_count() == len(SAMPLE_OVERDUE)
    assert p.reviews.filter(pl.col("REVIEW").is_null())["row"].null_count() == len(SAMPLE_OVERDUE)


def two_returns(tmp_path):
    """Two collection years holding the same two episodes; the 2024-25 copies supersede the
    2023-24 ones, and child 8's legal status differs between them (a conflict)."""
    files = {
        "SSDA903_2024_episodes.csv": "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n7,05/01/2024,S,C2,U1,,\n8,01/02/2024,S,C2,U1,,\n",
        "SSDA903_2024_reviews.csv": "CHILD,REVIEW\n7,30/01/2024\n8,28/02/2024\n",
        "SSDA903_2025_episodes.csv": "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n7,05/01/2024,S,C2,U1,,\n8,01/02/2024,S,J1,U1,,\n",
        "SSDA903_2025_reviews.csv": "CHILD,REVIEW\n7,02/05/2024\n8,20/05/2024\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return [(tmp_path / f"SSDA903_{y}_episodes.csv", tmp_path / f"SSDA903_{y}_reviews.csv") for y in (2024, 2025)]


# Worked by hand. Child 7, looked after Fri 5 Jan 2024: first review within 20 working days
# (8-12, 15-19, 22-26 Jan, 29 Jan-2 Feb) = Fri 2 Feb, held 30 Jan, on time; the second within
# 3 months of it = Tue 30 Apr, held Thu 2 May: 2 working and 2 calendar days late. Child 8, Thu
# 1 Feb 2024: 20 working days = Thu 29 Feb, held 28 Feb; 3 months on = Tue 28 May, held 20 May.
TWO_RETURNS_ROWS = [
    ["7", "2023-24", "2024-01-05", "looked_after", "1", "2024-01-30", "2024-02-02", "2024-02-02", "true", "0", "0", "known_review_number", "", ""],
    ["7", "2024-25", "2024-01-05", "looked_after", "2", "2024-05-02", "2024-04-30", "2024-04-30", "false", "2", "2", "known_review_number", "statutory", ""],
    ["8", "2023-24", "2024-02-01", "looked_after", "1", "2024-02-28", "2024-02-29", "2024-02-29", "true", "0", "0", "known_review_number", "", ""],
    ["8", "2024-25", "2024-02-01", "looked_after", "2", "2024-05-20", "2024-05-28", "2024-05-28", "true", "0", "0", "known_review_number", "", ""],
]  # fmt: skip


def superseded_rows(result):
    """The superseded copies as superseded.csv writes them, without the file names."""
    s = result.superseded
    if isinstance(s, pl.DataFrame):
        rows = [dict(zip(s.columns, row)) for row in s.iter_rows()]
    elif isinstance(s, pd.DataFrame):
        rows = s.to_dict("records")
    else:
        rows = s
    keys = ["CHILD", "DECOM", "line", "collection_year", "kept_line", "kept_collection_year", "conflict"]
    return [[cell(row[k]) for k in keys] for row in rows]


def input_kinds(pairs):
    """The 2024 and 2025 returns `pairs` (episodes and reviews paths) as each input kind
    `audit_903` takes: paths, pandas and polars frames read as text, with the collection year."""
    years = (2024, 2025)
    return {
        "paths": pairs,
        "pandas": [tuple(pd.read_csv(f, dtype=str, keep_default_na=False) for f in p) + (y,) for p, y in zip(pairs, years)],
        "polars": [tuple(pl.read_csv(f, infer_schema=False) for f in p) + (y,) for p, y in zip(pairs, years)],
    }  # fmt: skip


def test_superseded_copies_on_every_input_and_output_kind(tmp_path):
    pairs = two_returns(tmp_path)
    out = tmp_path / "out"
    example("audit_903", *(str(f) for pair in pairs for f in pair), "--output-dir", str(out))
    with open(out / "reviews_audit.csv", newline="") as f:
        assert list(csv.reader(f))[1:] == TWO_RETURNS_ROWS
    with open(out / "superseded.csv", newline="") as f:
        want = [[c, d, ln, y, kl, ky, why] for c, d, _, ln, y, _, kl, ky, why in list(csv.reader(f))[1:]]
    assert want == [
        ["7", "2024-01-05", "2", "2023-24", "2", "2024-25", ""],
        ["8", "2024-02-01", "3", "2023-24", "3", "2024-25", 'LS: "C2" (2023-24) vs "J1" (2024-25)'],
    ]
    inputs = input_kinds(pairs)
    for name, returns in inputs.items():
        for output in ("pandas", "polars", "columns"):
            a = lt.audit_903(returns, output=output)
            assert rows_of(a) == TWO_RETURNS_ROWS, (name, output)
            assert superseded_rows(a) == want, (name, output)
            assert a.summary["episodes_superseded"] == 2 and a.summary["conflicts"] == 1
    a = lt.audit_903(inputs["pandas"])
    assert a.superseded["file"].tolist() == ["episodes[0]"] * 2 and a.superseded["kept_file"].tolist() == ["episodes[1]"] * 2
    assert a.superseded["DECOM"].tolist() == [dt.date(2024, 1, 5), dt.date(2024, 2, 1)]
    assert lt.audit_903(inputs["polars"]).superseded.schema["DECOM"] == pl.Date


def test_superseded_runs_of_a_child_and_empty_values_between_others(tmp_path):
    """Rows of one child in a row (the CHILD code reused without comparing text) and empty text
    values before, between and after others (the empty value has its own code, compared without
    memcmp): every value comes back in its row, on every input and output kind."""
    files = {
        # Child 7 changes placement on 1 Mar 2024 (a second episode); the 2024-25 copy of that
        # episode has another PLACE, child 8's another LS (conflicts); child 9's copies agree.
        "SSDA903_2024_episodes.csv": "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n7,05/01/2024,S,C2,U1,01/03/2024,E4A\n"
        "7,01/03/2024,P,C2,U1,,\n8,01/02/2024,S,C2,U1,,\n9,10/02/2024,S,C2,U1,,\n",
        "SSDA903_2024_reviews.csv": "CHILD,REVIEW\n7,30/01/2024\n8,28/02/2024\n",
        "SSDA903_2025_episodes.csv": "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n7,05/01/2024,S,C2,U1,01/03/2024,E4A\n"
        "7,01/03/2024,P,C2,U2,,\n8,01/02/2024,S,J1,U1,,\n9,10/02/2024,S,C2,U1,,\n",
        "SSDA903_2025_reviews.csv": "CHILD,REVIEW\n7,02/05/2024\n8,20/05/2024\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    pairs = [(tmp_path / f"SSDA903_{y}_episodes.csv", tmp_path / f"SSDA903_{y}_reviews.csv") for y in (2024, 2025)]
    # Each 2023-24 copy is superseded by the 2024-25 copy on the same line; the change of
    # placement does not move child 7's review deadlines (the rows of two_returns).
    want = [
        ["7", "2024-01-05", "2", "2023-24", "2", "2024-25", ""],
        ["7", "2024-03-01", "3", "2023-24", "3", "2024-25", 'PLACE: "U1" (2023-24) vs "U2" (2024-25)'],
        ["8", "2024-02-01", "4", "2023-24", "4", "2024-25", 'LS: "C2" (2023-24) vs "J1" (2024-25)'],
        ["9", "2024-02-10", "5", "2023-24", "5", "2024-25", ""],
    ]
    inputs = input_kinds(pairs)
    for name, returns in inputs.items():
        for output in ("pandas", "polars", "columns"):
            for threads in (1, 2):
                a = lt.audit_903(returns, output=output, threads=threads)
                assert rows_of(a) == TWO_RETURNS_ROWS, (name, output, threads)
                assert superseded_rows(a) == want, (name, output, threads)
                notes = a.reviews["note"]
                assert list(notes) == [""] * 4, (name, output, threads)


def decoded(raw):
    """The native result's tables with each text column decoded (values[code] per row)."""
    out = {}
    for table in ("reviews", "rejects", "superseded"):
        for k, v in raw[table].items():
            if isinstance(v, tuple):
                values, codes = v
                out[table, k] = [values[c] for c in memoryview(codes).cast("I")]
            else:
                out[table, k] = bytes(v)
    return out


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_columns_made_by_the_workers_are_the_ones_made_by_the_calling_thread(tmp_path, threads):
    """The audit's workers turn each chunk into columns (Sink::prepare); the calling thread makes
    the very same columns when they did not."""
    e, r = sample_paths()
    specs = [("csv", ("path", str(e)), ("path", str(r)), None)]
    pairs = two_returns(tmp_path)
    specs2 = [("csv", ("path", str(a)), ("path", str(b)), None) for a, b in pairs]
    for spec, as_at in ((specs, dt.date(2025, 3, 31)), (specs2, None)):
        on_workers = lt._native.audit_903_native(spec, as_at, None, threads, None)
        here = lt._native.audit_903_native(spec, as_at, None, threads, None, prepare=False)
        assert decoded(on_workers) == decoded(here)
        assert on_workers["summary_text"] == here["summary_text"]
        assert len(decoded(here)["reviews", "CHILD"]) > 0


DATES = ("period_start", "REVIEW", "deadline", "latest_working_day")
NUMBER_DTYPES = {"on_time": np.int8, "table": np.uint8}  # the other number columns are int64
NAT = -(2**63)
NA_MARK = object()  # the missing mark sent as text_na in the tests


def plain(raw, layout):
    """The native result's tables as lists of plain values (dates as epoch days, None for a
    missing one), whatever the layout: dates are int64 days in bytearrays ("bytes"), int64
    seconds in numpy arrays ("pandas"), int32 days in numpy arrays ("polars")."""
    array = bytearray if layout == "bytes" else np.ndarray
    out = {}
    for table in ("reviews", "rejects", "superseded"):
        for k, v in raw[table].items():
            if isinstance(v, np.ndarray) and v.dtype == object:  # made as objects (text_na)
                assert layout == "pandas" and all(isinstance(x, str) or x is NA_MARK for x in v.tolist())
                out[table, k] = ["" if x is NA_MARK else x for x in v.tolist()]
                continue
            if isinstance(v, tuple) and len(v) == 3:  # looked up by value, and made as objects (text_na)
                values, codes, made = v
                assert layout == "pandas" and isinstance(made, np.ndarray) and made.dtype == object
                assert made.tolist() == [values[c] for c in np.frombuffer(codes, dtype=np.uint32).tolist()]
                v = (values, codes)
            if isinstance(v, tuple):
                values, codes = v
                assert isinstance(codes, array) and (k != "DECOM" or isinstance(values, array))
                if k == "DECOM":
                    values = np.frombuffer(values, dtype=np.int64).tolist()
                out[table, k] = [values[c] for c in np.frombuffer(codes, dtype=np.uint32).tolist()]
                continue
            assert isinstance(v, array)
            if k in DATES and layout == "polars":
                out[table, k] = [None if x == -(2**31) else x for x in np.frombuffer(v, dtype=np.int32).tolist()]
            elif k in DATES:
                days = np.frombuffer(v, dtype=np.int64).tolist()
                if layout == "pandas":
                    assert all(x == NAT or x % 86_400 == 0 for x in days)
                    days = [x if x == NAT else x // 86_400 for x in days]
                out[table, k] = [None if x == NAT else x for x in days]
            else:
                out[table, k] = np.frombuffer(v, dtype=NUMBER_DTYPES.get(k, np.int64)).tolist()
    return out


def test_every_layout_of_the_native_result_holds_the_same_values(tmp_path):
    """The columns sent for pandas (dates in seconds) and polars (dates as int32 days) as numpy
    arrays are those sent as bytes for plain lists, with and without the workers making them;
    with missing dates (overdue rows, periods that began before the data), superseded copies and
    rejects in the result."""
    e, r = sample_paths()
    seen_missing = 0
    for spec, as_at in (
        ([("csv", ("path", str(e)), ("path", str(r)), None)], dt.date(2025, 3, 31)),
        ([("csv", ("path", str(a)), ("path", str(b)), None) for a, b in two_returns(tmp_path)], None),
    ):
        want = plain(lt._native.audit_903_native(spec, as_at, None, 2, None), "bytes")
        assert want["reviews", "CHILD"]
        if as_at is None:
            assert want["superseded", "DECOM"]
        else:
            assert want["rejects", "reason"]
            assert None in want["reviews", "REVIEW"] and None in want["reviews", "period_start"]
        for layout in ("pandas", "polars"):
            for prepare in (True, False):
                got = lt._native.audit_903_native(spec, as_at, None, 2, None, prepare, layout)
                assert plain(got, layout) == want, (layout, prepare)
        # The pandas layout with the text columns made as object arrays while the audit goes.
        for prepare in (True, False):
            got = lt._native.audit_903_native(spec, as_at, None, 2, None, prepare, "pandas", (NA_MARK,))
            assert isinstance(got["reviews"]["CHILD"], np.ndarray) and got["reviews"]["CHILD"].dtype == object
            assert isinstance(got["reviews"]["collection_year"], tuple)  # looked up by value: encoded
            assert plain(got, "pandas") == want, prepare
        # A review on time misses nothing: its `missed` is the missing mark given.
        missed = got["reviews"]["missed"].tolist()
        assert missed.count(NA_MARK) == want["reviews", "missed"].count("")
        seen_missing += missed.count(NA_MARK)
    assert seen_missing > 0
    with pytest.raises(lt.InvalidInputError, match='unknown layout "arrow"'):
        lt._native.audit_903_native(spec, None, None, 2, None, True, "arrow")
    with pytest.raises(lt.InvalidInputError, match="text_na is for the pandas layout"):
        lt._native.audit_903_native(spec, None, None, 2, None, True, "polars", (None,))


def test_take_objects_gathers_like_numpy_take():
    """The native gather of a text column: values[codes], the very objects (a reference each),
    missing marks included; no codes, an empty array; a code past the values, an error."""
    values = np.array(["7", None, "looked_after", np.nan], dtype=object)
    codes = np.array([2, 2, 0, 1, 3, 0], dtype=np.uint32)
    got = lt._native.take_objects(values, codes)
    assert got.dtype == object and got.tolist()[:3] == ["looked_after", "looked_after", "7"]
    assert got[3] is None and got[4] is values[3] and got[5] is values[0] and got[0] is values[2]
    assert lt._native.take_objects(values, np.array([], dtype=np.uint32)).tolist() == []
    with pytest.raises(lt.InvalidInputError, match="code 4 out of range: 4 values"):
        lt._native.take_objects(values, np.array([0, 4], dtype=np.uint32))


@pytest.mark.parametrize("output", ["pandas", "polars", "columns"])
def test_an_empty_result_in_every_output_kind(output):
    episodes, reviews = small_return()
    polars = [pl.DataFrame({k: t[k].tolist() for k in t}).clear() for t in (episodes, reviews)]
    for e, r in ((episodes.iloc[:0], reviews.iloc[:0]), polars):
        with pytest.warns(UserWarning):
            a = lt.audit_903(e, r, year=2025, output=output)
        assert len(a.reviews["CHILD"]) == 0 and len(a.rejects["CHILD"]) == 0 and len(a.superseded) == 0
        assert list(getattr(a.reviews, "columns", a.reviews))[: len(FIELDS)] == FIELDS
        assert a.summary["balanced"] and a.summary["reviews_in"] == 0
        if output != "columns":
            check_dtypes(a, framed=True)


def test_datetime_columns_far_from_today_reach_the_reader_as_iso_text():
    """Dates handed over as numbers are written YYYY-MM-DD (years 0-9999, as chrono writes them;
    a sign and more digits beyond): the reader's reasons quote that text."""
    decoms = np.array(["0999-05-01", "12000-03-04", "-0044-03-15", "NaT"], dtype="datetime64[s]")
    n = len(decoms)
    episodes = pd.DataFrame({"CHILD": ["1", "2", "3", "4"], "DECOM": decoms, "RNE": ["S"] * n, "LS": ["C2"] * n,
                             "PLACE": ["U1"] * n, "DEC": [""] * n, "REC": [""] * n})  # fmt: skip
    reviews = pd.DataFrame({"CHILD": ["1"], "REVIEW": ["30/01/2024"]})
    with pytest.warns(UserWarning):
        a = lt.audit_903(episodes, reviews, year=2024, output="columns")
    assert [why for why in a.rejects["reason"] if "DECOM" in why] == [
        'DECOM "0999-05-01": date 0999-05-01 is outside the calendar',
        'bad date in DECOM: "+12000-03-04" (expected DD/MM/YYYY or YYYY-MM-DD)',
        'bad date in DECOM: "-0044-03-15" (expected DD/MM/YYYY or YYYY-MM-DD)',
        "DECOM is empty (expected a date DD/MM/YYYY or YYYY-MM-DD)",
    ]


def test_frames_with_text_to_quote_in_several_rows_and_columns_read_as_the_same_file(tmp_path):
    """A DataFrame is written out as CSV text for the reader: columns with values to quote (commas,
    quotes), UTF-8 text and ordinary columns, over several rows, give the same reviews and rejects
    as the same table written as a file by Python's csv module (which quotes the same values)."""
    episodes = pd.DataFrame({
        "CHILD": ["7", "8", "9,1", "10", 'é"11"', "12"],
        "DECOM": ["05/01/2025", "06/01/2025", "07/01/2025", "08/01/2025", "09/01/2025", "10/01/2025"],
        "RNE": ["S", "S", "S", "S", "S", "S"],
        "LS": ["C2", "C2", "C2", "C2", "C2", "C2"],
        "PLACE": ["U1", "U1,U2", "U1", 'U"1', "U1", "U1"],
        "DEC": ["", "", "", "", "", "31/01/2025"],
        "REC": ["", "", "", "", "", "E11"],
    })  # fmt: skip
    reviews = pd.DataFrame({
        "CHILD": ["7", "8", "9,1", "10", 'é"11"', "12", "ü13", "7"],
        "REVIEW": ["30/01/2025", "31/01/2025", "01/02/2025", "03/02/2025", "04/02/2025", "20/01/2025",
                   "05/02/2025", "01/03/2025"],
    })  # fmt: skip
    paths = []
    for name, frame in (("episodes", episodes), ("reviews", reviews)):
        p = tmp_path / f"{name}.csv"
        with open(p, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(frame.columns)
            w.writerows(frame.itertuples(index=False))
        paths.append(p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from_files = lt.audit_903(*paths, year=2025)
        from_pandas = lt.audit_903(episodes, reviews, year=2025)
        from_polars = lt.audit_903(pl.DataFrame(episodes.to_dict("list")), pl.DataFrame(reviews.to_dict("list")), year=2025)
    assert len(from_files.reviews) == 7
    for got in (from_pandas, from_polars):
        assert rows_of(got) == rows_of(from_files)
        assert reject_keys(got) == reject_keys(from_files)
    assert sorted(r[0] for r in rows_of(from_pandas)) == ["10", "12", "7", "7", "8", "9,1", 'é"11"']
    assert reject_keys(from_pandas) == [("reviews", 8, "ü13", "unknown child: no episodes for this CHILD")]


def test_frame_values_of_every_length_reach_the_reader_whole_and_in_their_rows():
    """Each value of a DataFrame column is cut from the column's joined text at its line break,
    eight bytes at a time: values of every length from 1 to 19 bytes, in every position against
    those eight-byte words, come back whole, each in its own row (every review here is of an
    unknown child, so each is a reject quoting its CHILD, at its line)."""
    rng = np.random.default_rng(903)
    letters = np.array(list("ABCDEFGHJKabcdefgh0123456789"))
    children: list = []  # distinct (a repeated CHILD and REVIEW is a duplicate), and not "7"
    while len(children) < 600:
        c = "".join(rng.choice(letters, size=int(rng.integers(1, 20))))
        if c != "7" and c not in children:
            children.append(c)
    assert {len(c) for c in children} == set(range(1, 20))
    episodes, _ = small_return()
    reviews = pd.DataFrame({"CHILD": children, "REVIEW": ["30/01/2025"] * len(children)})
    want = [("reviews", i + 2, c, "unknown child: no episodes for this CHILD") for i, c in enumerate(children)]
    for e, r in ((episodes, reviews), (pl.DataFrame(episodes.to_dict("list")), pl.DataFrame(reviews.to_dict("list")))):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = lt.audit_903(e, r, year=2025)
        assert reject_keys(a) == sorted(want)
        assert [int(x) for x in a.rejects["row"]] == [int(x) - 2 for x in a.rejects["line"]]


def test_a_carriage_return_inside_a_value_is_refused_not_taken_for_a_row():
    """The reader ends a line at a carriage return too (a quoted one included), so a DataFrame
    value with a CR inside it would push every later row's line one on and trace its reviews and
    rejects to the wrong row of the caller (or past the last, an IndexError). Such a value is
    refused as a line break is, naming the table, column and row; a CR at the end of a value (a
    CRLF file read without newline translation) is dropped as before, and the rows trace right."""
    episodes, reviews = small_return()
    # Rows 0-2 of the reviews: a CR inside the CHILD of row 1 ("a\rb"); row 2 is an unknown child.
    bad = pd.DataFrame({"CHILD": ["7", "a\rb", "9"], "REVIEW": ["30/01/2025"] * 3}, index=[200, 201, 202])
    for e, r in ((episodes, bad), (pl.DataFrame(episodes.to_dict("list")), pl.DataFrame(bad.to_dict("list")))):
        with pytest.raises(lt.InvalidInputError, match=r"reviews: column CHILD has a carriage return inside the value of row 1"):
            lt.audit_903(e, r, year=2025)
    with pytest.raises(lt.InvalidInputError, match=r"episodes: column PLACE has a carriage return inside the value of row 0"):
        lt.audit_903(episodes.assign(PLACE=["U\r1"]), reviews, year=2025)
    # A CR ending a value (the last one's included) is dropped: row 2, an unknown child "9", is
    # traced to its own index label 202.
    ok = pd.DataFrame({"CHILD": ["7\r", "8\r", "9\r"], "REVIEW": ["30/01/2025\r", "31/01/2025", "30/01/2025\r"]}, index=[200, 201, 202])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = lt.audit_903(episodes, ok, year=2025)
    assert a.reviews["row"].tolist() == [200]
    assert sorted(zip(a.rejects["row"], a.rejects["CHILD"])) == [(201, "8"), (202, "9")]

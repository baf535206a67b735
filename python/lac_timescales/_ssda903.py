"""Review timeliness on SSDA903 returns held as pandas or polars DataFrames, or as files.

The same audit as ``cargo run --example audit_903`` (the library's ``ssda903`` module): a
DataFrame's columns are handed to Rust without a Python call per value and audited by the very
code that audits a file.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys as _sys
import warnings
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from . import _native
from ._errors import InvalidInputError, InvalidTypeError

__all__ = ["audit_903", "Audit903"]

EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC")
REVIEW_COLUMNS = ("CHILD", "REVIEW")
_DATE_COLUMNS = {"DECOM", "DEC", "REVIEW"}
_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}

PathLike = Union[str, "os.PathLike[str]"]


class Audit903:
    """The result of :func:`audit_903`.

    Attributes:
        reviews: one row per review (and, with ``as_at``, per overdue review): ``CHILD``,
            ``collection_year``, ``period_start``, ``regime``, ``review_number``, ``REVIEW``,
            ``deadline``, ``latest_working_day``, ``on_time``, ``working_days_late``,
            ``calendar_days_late``, ``basis``, ``missed``, ``note`` (the columns of ``reviews_audit.csv``),
            then ``row`` (the index label of the review in the caller's DataFrame; missing for
            an overdue row) for DataFrame input, or ``line`` (the file line; 0 for an overdue
            row) for file input. A DataFrame of the caller's kind.
        rejects: every row that could not be used: ``file``, ``table``, ``line``, ``row`` (the
            index label in the caller's DataFrame, for DataFrame input), ``CHILD``, ``reason``.
        superseded: episode rows replaced by a later collection year's copy.
        summary: the counts (rows in = used + rejected + superseded, for every table), and
            reviews on time by collection year, review number and basis, as a dict.
        summary_text: the summary ``audit_903`` prints.
    """

    def __init__(self, reviews: Any, rejects: Any, superseded: Any, summary: Dict[str, Any], summary_text: str) -> None:
        self.reviews = reviews
        self.rejects = rejects
        self.superseded = superseded
        self.summary = summary
        self.summary_text = summary_text

    def __repr__(self) -> str:
        return f"<Audit903: {self.summary_text.splitlines()[0] if self.summary_text else ''}>"

    def __str__(self) -> str:
        return self.summary_text


def _module(x: object) -> str:
    return type(x).__module__.split(".", 1)[0]


def _is_path(x: object) -> bool:
    return isinstance(x, (str, os.PathLike))


def _columns_of(frame: Any) -> List[str]:
    return [str(c) for c in frame.columns]


def _pick(frame: Any, name: str, wanted: Sequence[str]) -> List[Tuple[str, str]]:
    """(the caller's column name, the 903 name) for each needed column, matched ignoring case."""
    have = {c.strip().upper(): c for c in _columns_of(frame)}
    missing = [w for w in wanted if w not in have]
    if missing:
        hint = ""
        if name.startswith("episodes") and "REVIEW" in have:
            hint = " (it has REVIEW: this looks like the reviews table; are the tables swapped?)"
        if name.startswith("reviews") and "DECOM" in have:
            hint = " (it has DECOM: this looks like the episodes table; are the tables swapped?)"
        raise InvalidInputError(
            f"{name}: missing column {', '.join(missing)} (the {name.split('[')[0]} table needs "
            f"{', '.join(wanted)}){hint}"
        )
    return [(have[w], w) for w in wanted]


def _pandas_column(s: Any, colname: str, name: str) -> Tuple[Any, ...]:
    pd = _sys.modules["pandas"]
    if s.dtype.kind == "M":
        if getattr(s.dtype, "tz", None) is not None:
            raise InvalidTypeError(f"{name}: column {colname} is timezone-aware; convert to dates first")
        np = _sys.modules["numpy"]
        arr = s.to_numpy()
        unit, count = np.datetime_data(arr.dtype)
        if unit not in _PER_DAY or count != 1:
            arr, unit = arr.astype("datetime64[D]"), "D"
        return (colname, "days", np.ascontiguousarray(arr).view(np.int64), _PER_DAY[unit])
    if pd.api.types.is_float_dtype(s.dtype):
        # Identifiers read as numbers with blanks become floats: 123.0 is the child "123".
        whole = s.dropna()
        if (whole == whole.round()).all():
            s = s.astype("Int64")
    if s.dtype.kind in "iub" or pd.api.types.is_extension_array_dtype(s.dtype) or s.dtype.kind == "f":
        text = s.astype(object).where(s.notna(), "").astype(str)
    else:
        text = s.where(s.notna(), "")
    values = text.tolist()
    try:
        return (colname, "text", "\n".join(values))
    except TypeError:
        return (colname, "text", "\n".join("" if v is None else str(v) for v in values))


def _polars_column(s: Any, colname: str, name: str) -> Tuple[Any, ...]:
    pl = _sys.modules["polars"]
    if s.dtype == pl.Date or isinstance(s.dtype, pl.Datetime):
        if getattr(s.dtype, "time_zone", None):
            raise InvalidTypeError(f"{name}: column {colname} is timezone-aware; convert to dates first")
        np = _sys.modules.get("numpy") or __import__("numpy")
        arr = s.to_numpy()
        unit, _ = np.datetime_data(arr.dtype)
        return (colname, "days", np.ascontiguousarray(arr).view(np.int64), _PER_DAY[unit])
    text = s.cast(pl.String).fill_null("")
    if len(text) == 0:
        return (colname, "text", "")
    return (colname, "text", text.str.join("\n").item())


def _table(x: Any, name: str, wanted: Sequence[str]) -> Tuple[Tuple[Any, ...], Any, str]:
    """A table argument as the spec Rust takes, the frame (or None) and its kind."""
    if _is_path(x):
        return ("path", os.fspath(x)), None, "path"
    mod = _module(x)
    if mod == "pandas" and isinstance(x, _sys.modules["pandas"].DataFrame):
        cols = [_pandas_column(x[c], w, name) for c, w in _pick(x, name, wanted)]
        return ("frame", name, len(x), cols), x, "pandas"
    if mod == "polars" and isinstance(x, _sys.modules["polars"].DataFrame):
        cols = [_polars_column(x[c], w, name) for c, w in _pick(x, name, wanted)]
        return ("frame", name, x.height, cols), x, "polars"
    raise InvalidTypeError(f"{name}: expected a pandas or polars DataFrame or a file path, got {type(x).__name__}")


def _from_dict(tables: Dict[str, Any]) -> Tuple[Any, Any]:
    """The episodes and reviews tables of a dict of tables (keys matched ignoring case, as the
    903 validators name them: ``Episodes``, ``Reviews``, ``episodes.csv``, ...)."""
    found: Dict[str, Any] = {}
    for k, v in tables.items():
        key = os.path.basename(str(k)).lower()
        for want in ("episodes", "reviews"):
            if key == want or key.startswith(want + ".") or key.endswith("_" + want) or key.endswith("_" + want + ".csv"):
                found[want] = v
    missing = [w for w in ("episodes", "reviews") if w not in found]
    if missing:
        raise InvalidInputError(f"tables: no {' or '.join(missing)} table (keys: {', '.join(map(str, tables))})")
    return found["episodes"], found["reviews"]


def _returns(episodes: Any, reviews: Any, year: Optional[int]) -> List[Tuple[Any, ...]]:
    """Normalises the arguments to a list of ("csv", episodes, reviews, year) or ("xml", path, year)."""
    if isinstance(episodes, (list, tuple)) and reviews is None:
        out: List[Tuple[Any, ...]] = []
        for item in episodes:
            if isinstance(item, dict) and any(str(k).lower() == "year" for k in item):
                y = next(v for k, v in item.items() if str(k).lower() == "year")
                e, r = _from_dict({k: v for k, v in item.items() if str(k).lower() != "year"})
                out.append(("csv", e, r, y))
            elif isinstance(item, dict):
                out.append(("csv", *_from_dict(item), year))
            elif isinstance(item, (list, tuple)) and len(item) in (2, 3):
                out.append(("csv", item[0], item[1], item[2] if len(item) == 3 else year))
            elif _is_path(item) and str(item).lower().endswith(".xml"):
                out.append(("xml", item, year))
            else:
                raise InvalidTypeError(
                    "returns: each item is a dict of tables, an (episodes, reviews[, year]) pair or an XML path"
                )
        return out
    if isinstance(episodes, dict) and reviews is None:
        return [("csv", *_from_dict(episodes), year)]
    if _is_path(episodes) and reviews is None and str(episodes).lower().endswith(".xml"):
        return [("xml", episodes, year)]
    if reviews is None:
        raise InvalidInputError("reviews: missing (give the episodes and reviews tables, a dict of tables or an XML file)")
    return [("csv", episodes, reviews, year)]


def audit_903(
    episodes: Any,
    reviews: Any = None,
    *,
    as_at: Optional[Union[_dt.date, str]] = None,
    profile: Optional[str] = None,
    year: Optional[int] = None,
    threads: Optional[int] = None,
    output: Optional[str] = None,
) -> Audit903:
    """Audits review timeliness on an SSDA903 return: every review against its statutory
    deadline, as ``cargo run --example audit_903`` does.

    ``episodes`` and ``reviews`` are pandas or polars DataFrames (columns ``CHILD``, ``DECOM``,
    ``RNE``, ``LS``, ``PLACE``, ``DEC``, ``REC`` and ``CHILD``, ``REVIEW``, in any case; dates as
    ``DD/MM/YYYY`` or ISO text, or as datetime columns) or file paths. Also taken: a dict of
    tables (``{"Episodes": df, "Reviews": df, ...}``, as the 903 validators hold them), an XML
    return's path, or a list of returns (dicts with an optional ``"year"``, pairs, XML paths)
    to audit several collection years together.

    ``as_at`` adds a row for each child whose next review is overdue on that date; ``profile``
    is a built-in profile id or a local profile TOML file (default ``england``); ``year`` the
    collection year (2025 = 2024-25) when the file names and dates do not say it; ``output``
    the kind of DataFrame for file input (``"pandas"``, ``"polars"`` or ``"columns"``, a dict
    of lists; default: the kind of the DataFrames given, else pandas if installed).

    Returns an :class:`Audit903`. Bad rows never raise: they are in ``rejects``.

    >>> import pandas as pd, lac_timescales as lt
    >>> episodes = pd.DataFrame({"CHILD": ["7"], "DECOM": ["05/01/2025"], "RNE": ["S"], "LS": ["C2"],
    ...                          "PLACE": ["U1"], "DEC": [""], "REC": [""]})
    >>> reviews = pd.DataFrame({"CHILD": ["7", "8"], "REVIEW": ["30/01/2025", "01/02/2025"]})
    >>> a = lt.audit_903(episodes, reviews, year=2025)
    >>> row = a.reviews.iloc[0]  # looked after Sun 5 Jan 2025: first review within 20 working days
    >>> int(row["review_number"]), str(row["deadline"].date()), bool(row["on_time"])
    (1, '2025-01-31', True)
    >>> a.rejects[["table", "row", "reason"]].values.tolist()
    [['reviews', 1, 'unknown child: no episodes for this CHILD']]
    """
    if isinstance(as_at, str):
        try:
            as_at = _dt.date.fromisoformat(as_at)
        except ValueError:
            raise InvalidInputError(f"invalid as_at {as_at!r}: expected YYYY-MM-DD") from None
    if isinstance(as_at, _dt.datetime):
        as_at = as_at.date()
    if as_at is not None and not isinstance(as_at, _dt.date):
        raise InvalidTypeError(f"as_at: expected a date, got {type(as_at).__name__}")
    if output not in (None, "pandas", "polars", "columns"):
        raise InvalidInputError(f"invalid output {output!r}: expected pandas, polars or columns")
    items = _returns(episodes, reviews, year)
    several = len(items) > 1
    specs: List[Tuple[Any, ...]] = []
    frames: Dict[str, Any] = {}  # table name -> the caller's DataFrame
    kinds = set()
    for i, item in enumerate(items):
        suffix = f"[{i}]" if several else ""
        if item[0] == "xml":
            specs.append(("xml", os.fspath(item[1]), item[2]))
            kinds.add("path")
            continue
        _, e, r, y = item
        espec, eframe, ekind = _table(e, "episodes" + suffix, EPISODE_COLUMNS)
        rspec, rframe, rkind = _table(r, "reviews" + suffix, REVIEW_COLUMNS)
        if eframe is not None:
            frames["episodes" + suffix] = eframe
        if rframe is not None:
            frames["reviews" + suffix] = rframe
        kinds.update((ekind, rkind))
        if y is not None and (isinstance(y, bool) or not isinstance(y, int)):
            raise InvalidTypeError(f"year: expected an int such as 2025 (for 2024-25), got {y!r}")
        specs.append(("csv", espec, rspec, y))
    frame_kinds = kinds - {"path"}
    if len(frame_kinds) > 1:
        raise InvalidTypeError("give pandas or polars DataFrames, not both")
    kind = output or (frame_kinds.pop() if frame_kinds else _default_kind())
    raw = _native.audit_903_native(specs, as_at, profile, threads, None)
    for failure in raw["totals"]["whole_file_failures"]:
        warnings.warn(failure, UserWarning, stacklevel=2)
    return _result(raw, kind, frames)


def _default_kind() -> str:
    for name in ("pandas", "polars"):
        try:
            __import__(name)
            return name
        except ImportError:
            pass
    return "columns"


def _object_array(values: List[Any]) -> Any:
    np: Any = __import__("numpy")
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _texts(value: Any, sep: str, n: int) -> List[str]:
    if isinstance(value, list):
        return value
    return value.split(sep) if n else []


def _result(raw: Dict[str, Any], kind: str, frames: Dict[str, Any]) -> Audit903:
    np: Any = __import__("numpy")

    c = raw["reviews"]
    n = len(c["collection_year"])
    nat = np.iinfo(np.int64).min
    year = c["collection_year"]
    labels = {int(y): f"{int(y) - 1}-{int(y) % 100:02d}" for y in np.unique(year)}
    cols: Dict[str, Any] = {
        "CHILD": _texts(c["CHILD"], c["separator"], n),
        "collection_year": [labels[int(y)] for y in year] if n < 64 else np.array(list(labels.values()), dtype=object)[
            np.searchsorted(np.array(list(labels.keys())), year)
        ],
        "period_start": c["period_start"],
        "regime": c["regime"],
        "review_number": c["review_number"],
        "REVIEW": c["REVIEW"],
        "deadline": c["deadline"],
        "latest_working_day": c["latest_working_day"],
        "on_time": c["on_time"],
        "working_days_late": c["working_days_late"],
        "calendar_days_late": c["calendar_days_late"],
        "basis": np.array(c["basis_names"], dtype=object)[c["basis"]] if n else np.array([], dtype=object),
        "missed": c["missed"],
        "note": _texts(c["note"], c["separator"], n),
    }
    line = c["line"]
    # Where each review row came from: its index label in the caller's DataFrame.
    row: Any = None
    if frames:
        sources = raw["totals"]["sources"]
        year_of = {s["file"]: s["collection_year"] for s in sources}
        frame_of_year = {year_of[k]: v for k, v in frames.items() if k.startswith("reviews") and k in year_of}
        row = np.full(n, None, dtype=object)
        for label, frame in frame_of_year.items():
            idx = frame.index if hasattr(frame, "index") and not callable(frame.index) else None
            yr = int(label[:4]) + 1
            sel = np.flatnonzero((year == yr) & (line >= 2))
            pos = line[sel] - 2
            values = idx.take(pos).tolist() if idx is not None else pos.tolist()
            row[sel] = _object_array(values)
    rj = raw["rejects"]
    m = len(rj["line"])
    rejects: Dict[str, Any] = {
        "file": np.array(rj["files"] or [""], dtype=object)[rj["file"]] if m else np.array([], dtype=object),
        "table": np.array(["episodes", "reviews"], dtype=object)[rj["table"]],
        "line": rj["line"],
        "CHILD": _texts(rj["CHILD"], c["separator"], m),
        "reason": _texts(rj["reason"], c["separator"], m),
    }
    # Where each rejected row came from: its index label in the caller's DataFrame.
    reject_rows: Any = np.full(m, None, dtype=object)
    for code, fname in enumerate(rj["files"]):
        frame = frames.get(fname)
        if frame is None:
            continue
        sel = np.flatnonzero((rj["file"] == code) & (rj["line"] >= 2))
        pos = rj["line"][sel] - 2
        idx = frame.index if hasattr(frame, "index") and not callable(frame.index) else None
        values = idx.take(pos).tolist() if idx is not None else pos.tolist()
        reject_rows[sel] = _object_array(values)
    summary = raw["totals"]
    text = raw["summary_text"]
    if kind == "pandas":
        return _pandas(cols, row, line, rejects, reject_rows, raw["superseded"], summary, text, bool(frames), nat)
    if kind == "polars":
        return _polars(cols, row, line, rejects, reject_rows, raw["superseded"], summary, text, bool(frames), nat)
    return _columns(cols, row, line, rejects, reject_rows, raw["superseded"], summary, text, bool(frames), nat)


def _pandas(*parts: Any) -> Audit903:
    cols, row, line, rejects, reject_rows, superseded, summary, text, framed, nat = parts
    pd: Any = __import__("pandas")

    out: Dict[str, Any] = {}
    for k, v in cols.items():
        if k in ("period_start", "REVIEW", "deadline", "latest_working_day"):
            out[k] = v.view("datetime64[D]").astype("datetime64[s]")
        elif k == "review_number":
            out[k] = pd.arrays.IntegerArray(v, v < 0)
        elif k == "on_time":
            out[k] = pd.arrays.BooleanArray(v == 1, v < 0)
        elif k in ("working_days_late", "calendar_days_late"):
            out[k] = pd.arrays.IntegerArray(v, v == nat)
        elif k in ("regime", "missed"):
            out[k] = pd.array([x or None for x in v], dtype=object) if len(v) < 1000 else pd.Series(v).replace("", None)
        else:
            out[k] = v
    df = pd.DataFrame(out)
    if framed:
        df["row"] = row
    else:
        df["line"] = line
    rj = pd.DataFrame(
        {
            "file": rejects["file"],
            "table": rejects["table"],
            "line": rejects["line"],
            **({"row": reject_rows} if framed else {}),
            "CHILD": rejects["CHILD"],
            "reason": rejects["reason"],
        }
    )
    sp = pd.DataFrame(superseded) if superseded else pd.DataFrame(columns=_SUPERSEDED_COLUMNS)
    return Audit903(df, rj, sp, summary, text)


_SUPERSEDED_COLUMNS = [
    "CHILD",
    "DECOM",
    "file",
    "line",
    "collection_year",
    "kept_file",
    "kept_line",
    "kept_collection_year",
    "conflict",
]


def _polars(*parts: Any) -> Audit903:
    cols, row, line, rejects, reject_rows, superseded, summary, text, framed, nat = parts
    pl: Any = __import__("polars")

    series = []
    for k, v in cols.items():
        if k in ("period_start", "REVIEW", "deadline", "latest_working_day"):
            series.append(pl.Series(k, v.view("datetime64[D]")).cast(pl.Date))
        elif k == "review_number":
            series.append(pl.Series(k, v).set(pl.Series(v < 0), None))
        elif k == "on_time":
            series.append(pl.Series(k, v == 1).set(pl.Series(v < 0), None))
        elif k in ("working_days_late", "calendar_days_late"):
            series.append(pl.Series(k, v).set(pl.Series(v == nat), None))
        elif k in ("regime", "missed"):
            s = pl.Series(k, v, dtype=pl.String)
            series.append(s.set(s == "", None))
        else:
            series.append(pl.Series(k, v, dtype=pl.String))
    df = pl.DataFrame(series)
    if framed:
        df = df.with_columns(pl.Series("row", list(row), dtype=pl.Int64))
    else:
        df = df.with_columns(pl.Series("line", line))
    rj = pl.DataFrame(
        {
            "file": pl.Series(rejects["file"].tolist(), dtype=pl.String),
            "table": pl.Series(rejects["table"].tolist(), dtype=pl.String),
            "line": pl.Series(rejects["line"], dtype=pl.Int64),
            **({"row": pl.Series(list(reject_rows), dtype=pl.Int64)} if framed else {}),
            "CHILD": pl.Series(rejects["CHILD"], dtype=pl.String),
            "reason": pl.Series(rejects["reason"], dtype=pl.String),
        }
    )
    sp = pl.DataFrame(superseded) if superseded else pl.DataFrame({k: [] for k in _SUPERSEDED_COLUMNS})
    return Audit903(df, rj, sp, summary, text)


def _columns(*parts: Any) -> Audit903:
    cols, row, line, rejects, reject_rows, superseded, summary, text, framed, nat = parts
    unix = _dt.date(1970, 1, 1)
    out: Dict[str, List[Any]] = {}
    for k, v in cols.items():
        if k in ("period_start", "REVIEW", "deadline", "latest_working_day"):
            out[k] = [None if x == nat else unix + _dt.timedelta(days=int(x)) for x in v]
        elif k == "review_number":
            out[k] = [None if x < 0 else int(x) for x in v]
        elif k == "on_time":
            out[k] = [None if x < 0 else bool(x) for x in v]
        elif k in ("working_days_late", "calendar_days_late"):
            out[k] = [None if x == nat else int(x) for x in v]
        elif k in ("regime", "missed"):
            out[k] = [x or None for x in v]
        else:
            out[k] = [str(x) for x in v]
    if framed:
        out["row"] = list(row) if row is not None else []
    else:
        out["line"] = [int(x) for x in line]
    rj: Dict[str, List[Any]] = {
        "file": [str(x) for x in rejects["file"]],
        "table": [str(x) for x in rejects["table"]],
        "line": [int(x) for x in rejects["line"]],
        "CHILD": list(rejects["CHILD"]),
        "reason": list(rejects["reason"]),
    }
    if framed:
        rj["row"] = list(reject_rows)
    return Audit903(out, rj, list(superseded), summary, text)

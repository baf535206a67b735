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
        reviews: one row per review held; one per review never held (it fell due before the
            child left care, or its review regime ended, inside the data: no ``REVIEW``, the
            lateness counted to that day, a note "never held: ..."); and, with ``as_at``, one
            per review overdue (a child's review due and not held, then each next that fell due
            before ``as_at``, counted from the last working day by which the one before was due,
            as if held then; the lateness counted to ``as_at``): ``CHILD``,
            ``collection_year``, ``period_start``, ``regime``, ``review_number``, ``REVIEW``,
            ``deadline``, ``latest_working_day``, ``on_time``, ``working_days_late``,
            ``calendar_days_late``, ``basis``, ``missed``, ``note`` (the columns of ``reviews_audit.csv``),
            then ``row`` (the index label of the review in the caller's DataFrame; missing for
            an overdue row or a review never held) for DataFrame input, or ``line`` (the file
            line; 0 for an overdue row or a review never held) for file input. A DataFrame of
            the caller's kind.
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
    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        # Text as read (the common case): joined as it is, unless a value is missing or not a str.
        try:
            # numpy's tolist of the object array pandas keeps the values in: a C loop, where the
            # Series' tolist goes through the iterator protocol a value at a time.
            return (colname, "text", "\n".join(s.to_numpy(dtype=object).tolist()))
        except TypeError:
            values = s.where(s.notna(), "").tolist()
    else:
        if pd.api.types.is_float_dtype(s.dtype):
            # Identifiers read as numbers with blanks become floats: 123.0 is the child "123".
            whole = s.dropna()
            if (whole == whole.round()).all():
                s = s.astype("Int64")
        values = s.astype(object).where(s.notna(), "").astype(str).tolist()
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

    ``as_at`` adds a row for each review overdue on that date (a child's review due and not
    held, then each next counted from the last working day by which the one before was due, as
    if held then, that fell due before it); ``profile``
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
    layout = kind if kind in ("pandas", "polars") else "bytes"
    text_na = _pandas_text_na() if kind == "pandas" else None
    raw = _native.audit_903_native(specs, as_at, profile, threads, None, True, layout, text_na)
    for failure in raw["totals"]["whole_file_failures"]:
        warnings.warn(failure, UserWarning, stacklevel=2)
    return _result(raw, kind, frames)


def _pandas_text_na() -> Optional[Tuple[Any]]:
    """``(na,)``, pandas' missing mark in the object array it keeps a column of ``str`` in (NaN
    for pandas 3's ``str`` dtype, None for object columns before it), when it keeps text so: the
    native call then makes those object arrays itself as the audit goes (see ``_Pandas.objects``).
    None when pandas keeps text otherwise (as pyarrow's)."""
    pd, np = __import__("pandas"), __import__("numpy")
    array = pd.array(np.array([None], dtype=object), dtype=pd.Series(["x"]).dtype)
    backing: Any = getattr(array, "_ndarray", None)
    if getattr(backing, "dtype", None) == object and hasattr(array, "_from_backing_data"):
        return (backing[0],)
    return None


def _default_kind() -> str:
    for name in ("pandas", "polars"):
        try:
            __import__(name)
            return name
        except ImportError:
            pass
    return "columns"


# How the native module sends the result (see python/src/ssda903.rs): numbers as numpy arrays
# (layout "pandas" or "polars") or bytearrays of native-endian integers (layout "bytes", for
# plain lists), text columns dictionary-encoded as (distinct values, uint32 codes) (for pandas
# with text_na given, the text columns not looked up by value come as object arrays of str, one
# per row, made while the audit went on, and those looked up by value as (distinct values, uint32
# codes, such an object array)), DECOM as (distinct epoch days, uint32 codes). Dates are epoch days (int64, NaT for none) in bytearrays,
# seconds (int64, NaT for none) for pandas and days (int32, _NO_DAY for none) for polars.
_DATE_FIELDS = ("period_start", "REVIEW", "deadline", "latest_working_day")
_NUMBER_FIELDS = {  # column -> (array typecode, numpy dtype)
    "period_start": ("q", "int64"),
    "REVIEW": ("q", "int64"),
    "deadline": ("q", "int64"),
    "latest_working_day": ("q", "int64"),
    "review_number": ("q", "int64"),  # -1: not known
    "on_time": ("b", "int8"),  # -1: not assessable
    "working_days_late": ("q", "int64"),  # NAT: not assessable
    "calendar_days_late": ("q", "int64"),
    "line": ("q", "int64"),
    "table": ("B", "uint8"),  # 0 episodes, 1 reviews
    "DECOM": ("q", "int64"),
    "kept_line": ("q", "int64"),
}
_NAT = -(2**63)
_NO_DAY = -(2**31)
_MAYBE_EMPTY = ("regime", "missed")  # "" means missing
_REVIEW_FIELDS = (
    "CHILD",
    "collection_year",
    "period_start",
    "regime",
    "review_number",
    "REVIEW",
    "deadline",
    "latest_working_day",
    "on_time",
    "working_days_late",
    "calendar_days_late",
    "basis",
    "missed",
    "note",
)
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


def _result(raw: Dict[str, Any], kind: str, frames: Dict[str, Any]) -> Audit903:
    reviews, rejects, superseded = raw["reviews"], raw["rejects"], raw["superseded"]
    # The source of each row: which of the caller's DataFrames, by collection year for reviews
    # (one return per year) and by table name for rejects.
    year_of = {s["file"]: s["collection_year"] for s in raw["totals"]["sources"]}
    review_frames = {year_of[k]: v for k, v in frames.items() if k.startswith("reviews") and k in year_of}
    reject_frames = {name: frames.get(name) for name in rejects["file"][0]}
    build: Any = {"pandas": _Pandas, "polars": _Polars}.get(kind, _Lists)(bool(frames))
    return Audit903(
        build.reviews(reviews, review_frames),
        build.rejects(rejects, reject_frames),
        build.superseded(superseded),
        raw["totals"],
        raw["summary_text"],
    )


def _index_labels(frame: Any) -> Any:
    """A pandas DataFrame's index (rows are traced to its labels), else None (polars: positions)."""
    idx = getattr(frame, "index", None)
    return None if idx is None or callable(idx) else idx


class _Numpy:
    """Columns as numpy arrays, from the native buffers without a Python object per row (except
    the object arrays pandas keeps strings in, which share one str per distinct value)."""

    def __init__(self, framed: bool) -> None:
        self.np: Any = __import__("numpy")
        self.framed = framed

    def number(self, name: str, buf: Any) -> Any:
        return self.np.frombuffer(buf, dtype=_NUMBER_FIELDS[name][1])

    def objects(self, name: str, col: Tuple[Any, ...]) -> Any:
        """A text column as an object array: each distinct string made once, then gathered."""
        values, codes = col[0], col[1]
        if name in _MAYBE_EMPTY:
            values = [v or None for v in values]
        distinct = self.np.empty(len(values), dtype=object)
        distinct[:] = values
        return distinct.take(self.np.frombuffer(codes, dtype=self.np.uint32))

    def rows(self, line: Any, groups: List[Tuple[Any, Any]]) -> Any:
        """The caller's index label of each row as an object array (None where a row has none):
        `groups` is a list of (row selector, the DataFrame the selected rows come from)."""
        np = self.np
        out = np.full(len(line), None, dtype=object)
        for sel, frame in groups:
            sel = np.flatnonzero(sel & (line >= 2))
            pos = line[sel] - 2
            idx = _index_labels(frame)
            out[sel] = idx.take(pos).to_numpy(dtype=object) if idx is not None else pos.astype(object)
        return out

    def review_groups(self, year: Any, frames: Dict[str, Any]) -> List[Tuple[Any, Any]]:
        values, codes = year[0], year[1]
        codes = self.np.frombuffer(codes, dtype=self.np.uint32)
        return [(codes == values.index(label), f) for label, f in frames.items() if label in values]

    def reject_groups(self, file: Any, frames: Dict[str, Any]) -> List[Tuple[Any, Any]]:
        values, codes = file[0], file[1]
        codes = self.np.frombuffer(codes, dtype=self.np.uint32)
        return [(codes == values.index(name), f) for name, f in frames.items() if f is not None]

    def table_names(self, buf: Any) -> Any:
        return self.np.array(["episodes", "reviews"], dtype=object)[self.number("table", buf)]


class _Pandas(_Numpy):
    def __init__(self, framed: bool) -> None:
        super().__init__(framed)
        self.pd: Any = __import__("pandas")
        # The dtype pandas gives a column of str: its string dtype on pandas 3, object before.
        self.text_dtype = self.pd.Series(["x"]).dtype

    def objects(self, name: str, col: Any) -> Any:
        """A text column in the dtype pandas gives a column of str (also when it is empty or all
        missing): the distinct values made into such an array (checked once per distinct value
        rather than once per row), then gathered by the codes. (A column the native call made
        as an object array already, see ``_pandas_text_na``, alone or third after the values and
        codes, is wrapped as it is.)"""
        if not isinstance(col, tuple) or len(col) == 3:
            template = self.pd.array(self.np.array(["x"], dtype=object), dtype=self.text_dtype)
            return template._from_backing_data(col[2] if isinstance(col, tuple) else col)
        values, codes = col
        if name in _MAYBE_EMPTY:
            values = [v or None for v in values]
        distinct = self.np.empty(len(values), dtype=object)
        distinct[:] = values
        array = self.pd.array(distinct, dtype=self.text_dtype)
        codes = self.np.frombuffer(codes, dtype=self.np.uint32)
        # pandas keeps such an array's values in an object ndarray (a str, or its missing mark, per
        # row): gathered natively, as pandas' own take would, then wrapped the way take wraps it.
        # (Arrays kept otherwise, as pyarrow's, are taken by pandas.)
        backing: Any = getattr(array, "_ndarray", None)
        if getattr(backing, "dtype", None) == object and hasattr(array, "_from_backing_data"):
            return array._from_backing_data(_native.take_objects(backing, codes))
        return array.take(codes.astype(self.np.intp))

    def reviews(self, c: Dict[str, Any], frames: Dict[str, Any]) -> Any:
        pd = self.pd
        line = self.number("line", c["line"])
        out: Dict[str, Any] = {}
        for k in _REVIEW_FIELDS:
            if k in _DATE_FIELDS:
                out[k] = self.number(k, c[k]).view("datetime64[s]")
            elif k == "review_number":
                v = self.number(k, c[k])
                out[k] = pd.arrays.IntegerArray(v, v < 0)
            elif k == "on_time":
                v = self.number(k, c[k])
                out[k] = pd.arrays.BooleanArray(v == 1, v < 0)
            elif k in ("working_days_late", "calendar_days_late"):
                v = self.number(k, c[k])
                out[k] = pd.arrays.IntegerArray(v, v == _NAT)
            else:
                out[k] = self.objects(k, c[k])
        if self.framed:
            out["row"] = self.rows(line, self.review_groups(c["collection_year"], frames))
        else:
            out["line"] = line
        return pd.DataFrame(out, copy=False)

    def rejects(self, rj: Dict[str, Any], frames: Dict[str, Any]) -> Any:
        line = self.number("line", rj["line"])
        tables = self.pd.array(self.np.array(["episodes", "reviews"], dtype=object), dtype=self.text_dtype)
        table = tables.take(self.number("table", rj["table"]).astype(self.np.intp))
        out: Dict[str, Any] = {"file": self.objects("file", rj["file"]), "table": table, "line": line}
        if self.framed:
            out["row"] = self.rows(line, self.reject_groups(rj["file"], frames))
        out["CHILD"] = self.objects("CHILD", rj["CHILD"])
        out["reason"] = self.objects("reason", rj["reason"])
        return self.pd.DataFrame(out, copy=False)

    def superseded(self, sp: Dict[str, Any]) -> Any:
        out: Dict[str, Any] = {}
        for k in _SUPERSEDED_COLUMNS:
            if k == "DECOM":  # datetime.date objects, as before: one per distinct date
                days, codes = sp[k]
                distinct = self.number(k, days).view("datetime64[D]").astype(object)
                out[k] = _native.take_objects(distinct, self.np.frombuffer(codes, dtype=self.np.uint32))
            elif k in _NUMBER_FIELDS:
                out[k] = self.number(k, sp[k])
            else:
                out[k] = self.objects(k, sp[k])
        return self.pd.DataFrame(out, copy=False)


class _Polars(_Numpy):
    def __init__(self, framed: bool) -> None:
        super().__init__(framed)
        self.pl: Any = __import__("polars")

    def text(self, name: str, col: Tuple[Any, ...]) -> Any:
        """Each distinct string made once, then gathered by polars."""
        values, codes = col[0], col[1]
        if name in _MAYBE_EMPTY:
            values = [v or None for v in values]
        distinct = self.pl.Series(name, values, dtype=self.pl.String)
        return distinct.gather(self.np.frombuffer(codes, dtype=self.np.uint32))

    def nullable(self, name: str, v: Any, missing: Any) -> Any:
        return self.pl.Series(name, v).set(self.pl.Series(missing), None)

    def dates(self, name: str, buf: Any) -> Any:
        """A Date column from int32 epoch days (_NO_DAY for none), taken as they are."""
        v = self.np.frombuffer(buf, dtype=self.np.int32)
        out = self.pl.Series(name, v, dtype=self.pl.Date)
        missing = v == _NO_DAY
        return out.set(self.pl.Series(missing), None) if missing.any() else out

    def rows(self, line: Any, groups: List[Tuple[Any, Any]]) -> Any:
        if all(_index_labels(f) is None for _, f in groups):
            # polars DataFrames: the row is the position, line - 2 (null where none).
            np = self.np
            pos = np.zeros(len(line), dtype=np.int64)
            has = np.zeros(len(line), dtype=bool)
            for sel, _ in groups:
                sel = sel & (line >= 2)
                pos[sel] = line[sel] - 2
                has |= sel
            return self.nullable("row", pos, ~has)
        return super().rows(line, groups)

    def reviews(self, c: Dict[str, Any], frames: Dict[str, Any]) -> Any:
        pl = self.pl
        line = self.number("line", c["line"])
        series = []
        for k in _REVIEW_FIELDS:
            if k in _DATE_FIELDS:
                series.append(self.dates(k, c[k]))
            elif k == "review_number":
                v = self.number(k, c[k])
                series.append(self.nullable(k, v, v < 0))
            elif k == "on_time":
                v = self.number(k, c[k])
                series.append(self.nullable(k, v == 1, v < 0))
            elif k in ("working_days_late", "calendar_days_late"):
                v = self.number(k, c[k])
                series.append(self.nullable(k, v, v == _NAT))
            else:
                series.append(self.text(k, c[k]))
        if self.framed:
            series.append(self.row_values(line, self.review_groups(c["collection_year"], frames)))
        else:
            series.append(pl.Series("line", line))
        return pl.DataFrame(series)

    def row_values(self, line: Any, groups: List[Tuple[Any, Any]]) -> Any:
        rows = self.rows(line, groups)
        if isinstance(rows, self.pl.Series):
            return rows
        try:
            return self.pl.Series("row", list(rows), dtype=self.pl.Int64)
        except (TypeError, ValueError, OverflowError):  # a pandas index of labels that are not integers
            return self.pl.Series("row", [None if x is None else str(x) for x in rows], dtype=self.pl.String)

    def rejects(self, rj: Dict[str, Any], frames: Dict[str, Any]) -> Any:
        pl = self.pl
        line = self.number("line", rj["line"])
        series = [
            self.text("file", rj["file"]),
            pl.Series("table", self.table_names(rj["table"]).tolist(), dtype=pl.String),
            pl.Series("line", line, dtype=pl.Int64),
        ]
        if self.framed:
            series.append(self.row_values(line, self.reject_groups(rj["file"], frames)))
        series += [self.text("CHILD", rj["CHILD"]), self.text("reason", rj["reason"])]
        return pl.DataFrame(series)

    def superseded(self, sp: Dict[str, Any]) -> Any:
        pl = self.pl
        series = []
        for k in _SUPERSEDED_COLUMNS:
            if k == "DECOM":
                days, codes = sp[k]
                distinct = pl.Series(k, self.number(k, days).astype(self.np.int32), dtype=pl.Date)
                series.append(distinct.gather(self.np.frombuffer(codes, dtype=self.np.uint32)))
            elif k in _NUMBER_FIELDS:
                series.append(pl.Series(k, self.number(k, sp[k]), dtype=pl.Int64))
            else:
                series.append(self.text(k, sp[k]))
        return pl.DataFrame(series)


class _Lists:
    """Columns as lists of Python values (output="columns"): the standard library only."""

    def __init__(self, framed: bool) -> None:
        self.framed = framed
        self.unix = _dt.date(1970, 1, 1)
        self.dates: Dict[int, Optional[_dt.date]] = {_NAT: None}

    def number(self, name: str, buf: Any) -> List[int]:
        view: Any = memoryview(buf)
        values: List[int] = view.cast(_NUMBER_FIELDS[name][0]).tolist()
        return values

    def text(self, name: str, col: Tuple[Any, ...]) -> List[Any]:
        values, codes = col[0], col[1]
        if name in _MAYBE_EMPTY:
            values = [v or None for v in values]
        return list(map(values.__getitem__, memoryview(codes).cast("I")))

    def date(self, day: int) -> Optional[_dt.date]:
        d = self.dates.get(day, False)
        if d is False:
            d = self.dates[day] = self.unix + _dt.timedelta(days=day)
        return d  # type: ignore[return-value]

    def rows(self, line: List[int], which: List[Any], frames: Dict[Any, Any]) -> List[Any]:
        """The caller's index label of each row (None where it has none); `which` names the
        source of each row, a key of `frames`."""
        labels = {}
        for key, frame in frames.items():
            idx = _index_labels(frame)
            labels[key] = idx.tolist() if idx is not None else None
        out: List[Any] = []
        for ln, key in zip(line, which):
            if ln < 2 or key not in labels:
                out.append(None)
            else:
                lab = labels[key]
                out.append(ln - 2 if lab is None else lab[ln - 2])
        return out

    def reviews(self, c: Dict[str, Any], frames: Dict[str, Any]) -> Dict[str, List[Any]]:
        out: Dict[str, List[Any]] = {}
        for k in _REVIEW_FIELDS:
            if k in _DATE_FIELDS:
                out[k] = [self.date(x) for x in self.number(k, c[k])]
            elif k == "review_number":
                out[k] = [None if x < 0 else x for x in self.number(k, c[k])]
            elif k == "on_time":
                out[k] = [None if x < 0 else x == 1 for x in self.number(k, c[k])]
            elif k in ("working_days_late", "calendar_days_late"):
                out[k] = [None if x == _NAT else x for x in self.number(k, c[k])]
            else:
                out[k] = self.text(k, c[k])
        line = self.number("line", c["line"])
        if self.framed:
            out["row"] = self.rows(line, out["collection_year"], {k: v for k, v in frames.items() if v is not None})
        else:
            out["line"] = line
        return out

    def rejects(self, rj: Dict[str, Any], frames: Dict[str, Any]) -> Dict[str, List[Any]]:
        names = ("episodes", "reviews")
        out: Dict[str, List[Any]] = {
            "file": self.text("file", rj["file"]),
            "table": [names[t] for t in self.number("table", rj["table"])],
            "line": self.number("line", rj["line"]),
            "CHILD": self.text("CHILD", rj["CHILD"]),
            "reason": self.text("reason", rj["reason"]),
        }
        if self.framed:
            out["row"] = self.rows(out["line"], out["file"], {k: v for k, v in frames.items() if v is not None})
        return out

    def superseded(self, sp: Dict[str, Any]) -> List[Dict[str, Any]]:
        cols: Dict[str, List[Any]] = {}
        for k in _SUPERSEDED_COLUMNS:
            if k == "DECOM":
                days, codes = sp[k]
                distinct = [self.date(x) for x in self.number(k, days)]
                cols[k] = list(map(distinct.__getitem__, memoryview(codes).cast("I")))
            elif k in _NUMBER_FIELDS:
                cols[k] = self.number(k, sp[k])
            else:
                cols[k] = self.text(k, sp[k])
        return [dict(zip(_SUPERSEDED_COLUMNS, row)) for row in zip(*cols.values())]

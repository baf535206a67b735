"""The England and Wales working-day calendar on dates, numpy arrays, pandas and polars Series.

A working day is any day but a Saturday, Sunday, Christmas Day, Good Friday or a bank holiday in
England and Wales (1971-01-01 to 2199-12-31). Counting follows the regulations: for
``add_working_days(d, n)``, ``d`` is day 0 and never counts, and may itself be a non-working day.

Each function takes a ``datetime.date``, a numpy ``datetime64`` array (any unit; also a
``numpy.datetime64`` scalar), a pandas ``Series`` or ``DatetimeIndex`` of ``datetime64``, a
polars ``Series`` of ``Date`` or ``Datetime``, or a list of dates, and returns the same kind
(same index and name for pandas and polars, same unit for numpy and pandas). Missing dates
(``NaT``, ``None``, polars nulls) give missing results. Arrays are processed in Rust in one
pass, without a Python call per element.

>>> import datetime as dt
>>> import lac_timescales as lt
>>> lt.add_working_days(dt.date(2022, 9, 9), 20)  # the State Funeral on 19 Sep is skipped
datetime.date(2022, 10, 10)
>>> lt.sub_working_days(dt.date(2022, 10, 10), 20)
datetime.date(2022, 9, 9)
>>> lt.working_days_between(dt.date(2025, 12, 31), dt.date(2026, 12, 31))
253
>>> lt.is_working_day(dt.date(2020, 5, 8))  # the early May bank holiday, moved to VE Day
False
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import sys as _sys
from typing import Any, Dict, List, Optional, Sequence, TypeVar, Union, overload

from . import _native
from ._errors import InvalidInputError, InvalidTypeError

__all__ = [
    "add_working_days",
    "sub_working_days",
    "working_days_between",
    "is_working_day",
    "calendar_table",
    "calendar_version",
]

# Ticks per day of the numpy datetime64 units handled without conversion.
_PER_DAY = {
    "D": 1,
    "h": 24,
    "m": 24 * 60,
    "s": 86_400,
    "ms": 86_400_000,
    "us": 86_400_000_000,
    "ns": 86_400_000_000_000,
}

_UNIX = _dt.date(1970, 1, 1)

# A numpy array, pandas Series or DatetimeIndex, or polars Series: results are of the same type.
_A = TypeVar("_A")


def _module(x: object) -> str:
    return type(x).__module__.split(".", 1)[0]


class _Arr:
    """A date argument as an int64 array of ticks, and how to give results back in its kind."""

    def __init__(self, kind: str, values: Any, per_day: int, unit: str, original: Any, shape: Any) -> None:
        self.kind = kind  # numpy, numpy-scalar, pandas, pandas-index, polars, date
        self.values = values  # 1-D C-contiguous int64 numpy array
        self.per_day = per_day
        self.unit = unit
        self.original = original
        self.shape = shape

    def __len__(self) -> int:
        return len(self.values)


def _np() -> Any:
    np = _sys.modules.get("numpy")
    if np is None:  # pragma: no cover - only reached with array arguments, which need numpy
        import numpy as np
    return np


def _from_datetime64(np: Any, arr: Any, kind: str, original: Any, name: str) -> _Arr:
    """An array of datetime64 (any shape and unit) as int64 ticks."""
    shape = arr.shape
    unit, count = np.datetime_data(arr.dtype)
    if unit not in _PER_DAY or count != 1:
        arr = arr.astype("datetime64[D]")
        unit = "D"
    flat = np.ascontiguousarray(arr).reshape(-1).view(np.int64)
    return _Arr(kind, flat, _PER_DAY[unit], unit, original, shape)


def _dates_arg(x: Any, name: str) -> Union[_Arr, _dt.date, None, List[Any]]:
    """Classifies a date argument: a date (or None), a list, or an array (as _Arr)."""
    if x is None:
        return None
    if isinstance(x, _dt.datetime):
        return x.date()
    if isinstance(x, _dt.date):
        return x
    if isinstance(x, (list, tuple)):
        return list(x)
    mod = _module(x)
    if mod == "numpy":
        np = _np()
        if isinstance(x, np.datetime64):
            return _from_datetime64(np, np.asarray(x).reshape(1), "numpy-scalar", x, name)
        if isinstance(x, np.ndarray) and x.dtype.kind == "M":
            return _from_datetime64(np, x, "numpy", x, name)
        raise InvalidTypeError(f"{name}: expected a numpy datetime64 array, got dtype {getattr(x, 'dtype', type(x))}")
    if mod == "pandas":
        pd = _sys.modules["pandas"]
        np = _np()
        if isinstance(x, (pd.Series, pd.DatetimeIndex)):
            if getattr(x.dtype, "tz", None) is not None:
                raise InvalidTypeError(
                    f"{name}: timezone-aware datetimes ({x.dtype}); convert to local dates first, "
                    "e.g. s.dt.tz_localize(None)"
                )
            if x.dtype.kind != "M":
                raise InvalidTypeError(
                    f"{name}: expected datetime64 values, got dtype {x.dtype}; convert with pandas.to_datetime first"
                )
            kind = "pandas" if isinstance(x, pd.Series) else "pandas-index"
            return _from_datetime64(np, x.to_numpy(), kind, x, name)
        raise InvalidTypeError(f"{name}: expected a pandas Series or DatetimeIndex, got {type(x).__name__}")
    if mod == "polars":
        pl = _sys.modules["polars"]
        np = _np()
        if isinstance(x, pl.Series):
            if x.dtype == pl.Date:
                return _from_datetime64(np, x.to_numpy(), "polars", x, name)
            if isinstance(x.dtype, pl.Datetime) or x.dtype == pl.Datetime:
                if getattr(x.dtype, "time_zone", None):
                    raise InvalidTypeError(
                        f"{name}: timezone-aware datetimes ({x.dtype}); convert to local dates first, "
                        "e.g. s.dt.replace_time_zone(None)"
                    )
                return _from_datetime64(np, x.to_numpy(), "polars", x, name)
            raise InvalidTypeError(f"{name}: expected a polars Date or Datetime Series, got dtype {x.dtype}")
        raise InvalidTypeError(f"{name}: expected a polars Series, got {type(x).__name__}")
    raise InvalidTypeError(
        f"{name}: expected a datetime.date, a numpy datetime64 array, a pandas or polars Series, "
        f"or a list of dates; got {type(x).__name__}"
    )


def _scalar_date_array(d: Optional[_dt.date]) -> Any:
    np = _np()
    if d is None:
        return np.array([np.iinfo(np.int64).min], dtype=np.int64)
    return np.array([(d - _UNIX).days], dtype=np.int64)


def _offsets_arg(n: Any, name: str) -> Union[int, List[Any], Any]:
    """An offset argument: an int, a list, or an int64 numpy array."""
    if isinstance(n, bool):
        raise InvalidTypeError(f"{name}: expected a whole number of working days, got {n!r}")
    if isinstance(n, int):
        if not -(2**63) < n < 2**63:
            raise InvalidTypeError(f"{name}: offset {n} does not fit in 64 bits")
        return n
    if isinstance(n, (list, tuple)):
        return list(n)
    mod = _module(n)
    if mod in ("numpy", "pandas", "polars"):
        np = _np()
        if mod == "numpy" and isinstance(n, np.integer):
            return int(n)
        if mod == "polars":
            if n.null_count():
                first = int(n.is_null().arg_true()[0])
                raise InvalidInputError(f"{name}[{first}]: missing offset", index=first)
            arr = n.to_numpy()
        elif mod == "pandas":
            if n.isna().any():
                first = int(np.flatnonzero(n.isna().to_numpy())[0])
                raise InvalidInputError(f"{name}[{first}]: missing offset", index=first)
            pd = _sys.modules["pandas"]
            if not pd.api.types.is_integer_dtype(n.dtype):
                raise InvalidTypeError(f"{name}: expected whole numbers (an integer dtype), got dtype {n.dtype}")
            arr = n.to_numpy(dtype="int64")
        else:
            arr = np.asarray(n)
        if arr.dtype.kind not in "iu":
            raise InvalidTypeError(f"{name}: expected whole numbers (an integer dtype), got dtype {arr.dtype}")
        if arr.dtype.kind == "u" and arr.size and int(arr.max()) > np.iinfo(np.int64).max:
            raise InvalidInputError(f"{name}: offset {int(arr.max())} is too large")
        return np.ascontiguousarray(arr.astype(np.int64, copy=False)).reshape(-1)
    raise InvalidTypeError(f"{name}: expected an int or an array of ints, got {type(n).__name__}")


def _dates_out(like: _Arr, ticks: Any) -> Any:
    """Result dates (int64 ticks in like's unit) in like's kind."""
    np = _np()
    values = ticks.view(f"datetime64[{like.unit}]")
    if like.kind == "numpy":
        return values.reshape(like.shape) if like.shape != values.shape else values
    if like.kind == "numpy-scalar":
        return values[0]
    if like.kind == "pandas":
        pd = _sys.modules["pandas"]
        return pd.Series(values, index=like.original.index, name=like.original.name)
    if like.kind == "pandas-index":
        pd = _sys.modules["pandas"]
        return pd.DatetimeIndex(values, name=like.original.name)
    if like.kind == "polars":
        pl = _sys.modules["polars"]
        return pl.Series(like.original.name, values).cast(like.original.dtype)
    raise AssertionError(like.kind)  # pragma: no cover


def _plain_out(like: _Arr, values: Any, missing: Any, what: str, name: str, nullable: str) -> Any:
    """Result numbers or flags in like's kind; `missing` marks pairs with a missing date."""
    np = _np()
    if like.kind in ("numpy", "numpy-scalar"):
        if missing is not None:
            first = int(np.flatnonzero(missing)[0])
            raise InvalidInputError(
                f"{name}[{first}]: NaT: a numpy {what} array cannot hold a missing value "
                "(pass a pandas or polars Series to get missing results)",
                index=first,
            )
        if like.kind == "numpy-scalar":
            return values[0].item()
        return values.reshape(like.shape)
    if like.kind in ("pandas", "pandas-index"):
        pd = _sys.modules["pandas"]
        index = like.original.index if like.kind == "pandas" else None
        if missing is None:
            out = pd.Series(values, index=index, name=like.original.name)
        else:
            out = pd.Series(pd.array(values, dtype=nullable), index=index, name=like.original.name)
            out[missing] = pd.NA
        return out if like.kind == "pandas" else pd.Index(out)
    if like.kind == "polars":
        pl = _sys.modules["polars"]
        out = pl.Series(like.original.name, values)
        if missing is not None:
            out = out.set(pl.Series(missing), None)
        return out
    raise AssertionError(like.kind)  # pragma: no cover


def _offset(dates: Any, n: Any, sign: int) -> Any:
    names = ("dates", "n")
    d = _dates_arg(dates, "dates")
    k = _offsets_arg(n, "n")
    if isinstance(d, _dt.date) or d is None:
        if isinstance(k, int):
            return None if d is None else _native.offset_date(d, sign * k, names)
        if isinstance(k, list):
            return [_offset(d, x, sign) for x in k]
        # One date, an array of offsets: the result takes the kind of n.
        like = _dates_arg(_np().array([d], dtype="datetime64[D]") if d else _np().array(["NaT"], "datetime64[D]"), "dates")
        assert isinstance(like, _Arr)
        out = _native.offset_array(like.values, 1, k, sign, names)
        return _offset_result_like_n(n, out)
    if isinstance(d, list):
        if isinstance(k, int):
            return [_offset(x, k, sign) for x in d]
        ks = list(k)
        if len(ks) not in (1, len(d)):
            raise InvalidInputError(f"dates has {len(d)} elements but n has {len(ks)}: give the same length, or a single value")
        return [_offset(x, int(ks[0] if len(ks) == 1 else ks[i]), sign) for i, x in enumerate(d)]
    np = _np()
    karr = np.array([k], dtype=np.int64) if isinstance(k, int) else np.asarray(k, dtype=np.int64).reshape(-1)
    out = _native.offset_array(d.values, d.per_day, karr, sign, names)
    return _dates_out(d, out)


def _offset_result_like_n(n: Any, ticks: Any) -> Any:
    np = _np()
    values = ticks.view("datetime64[D]")
    mod = _module(n)
    if mod == "pandas":
        pd = _sys.modules["pandas"]
        return pd.Series(values, index=n.index, name=n.name)
    if mod == "polars":
        pl = _sys.modules["polars"]
        return pl.Series(n.name, values).cast(pl.Date)
    return values.reshape(np.shape(n))


@overload
def add_working_days(dates: _dt.date, n: int) -> _dt.date: ...
@overload
def add_working_days(dates: List[Optional[_dt.date]], n: Union[int, Sequence[int]]) -> List[Optional[_dt.date]]: ...
@overload
def add_working_days(dates: _A, n: Any) -> _A: ...
def add_working_days(dates: Any, n: Any) -> Any:
    """The ``n``-th working day after each date (the date itself is day 0 and never counts).

    ``n`` is a whole number, or one per date (an array, Series or list of the same length); a
    negative ``n`` counts backwards as :func:`sub_working_days`. ``n = 0`` returns the date.
    This is the rule for "within ``n`` working days of" a date.

    Raises :class:`DateOutOfRangeError` (naming the element) when a date or an answer is outside
    1971-01-01 to 2199-12-31.

    >>> import datetime as dt, numpy as np, lac_timescales as lt
    >>> lt.add_working_days(dt.date(2026, 12, 24), 20)  # skips 25, 28 Dec and 1 Jan
    datetime.date(2027, 1, 26)
    >>> lt.add_working_days(np.array(["2020-05-01", "2022-09-09"], dtype="datetime64[D]"), [5, 20])
    array(['2020-05-11', '2022-10-10'], dtype='datetime64[D]')
    """
    return _offset(dates, n, 1)


@overload
def sub_working_days(dates: _dt.date, n: int) -> _dt.date: ...
@overload
def sub_working_days(dates: List[Optional[_dt.date]], n: Union[int, Sequence[int]]) -> List[Optional[_dt.date]]: ...
@overload
def sub_working_days(dates: _A, n: Any) -> _A: ...
def sub_working_days(dates: Any, n: Any) -> Any:
    """The ``n``-th working day before each date (the date itself never counts).

    The rule for "at least ``n`` working days before" a date. ``n`` as for
    :func:`add_working_days`.

    >>> import datetime as dt, lac_timescales as lt
    >>> lt.sub_working_days(dt.date(2026, 4, 7), 3)  # skips Easter Monday and Good Friday
    datetime.date(2026, 3, 31)
    """
    return _offset(dates, n, -1)


@overload
def is_working_day(dates: _dt.date) -> bool: ...
@overload
def is_working_day(dates: List[Optional[_dt.date]]) -> List[Optional[bool]]: ...
@overload
def is_working_day(dates: Any) -> Any: ...
def is_working_day(dates: Any) -> Any:
    """Whether each date is a working day in England and Wales.

    numpy gives a ``bool`` array (a ``NaT`` is an error); pandas a ``bool`` Series, or
    ``boolean`` with ``<NA>`` where a date is missing; polars a ``Boolean`` Series with nulls.

    >>> import datetime as dt, lac_timescales as lt
    >>> lt.is_working_day(dt.date(2026, 12, 24)), lt.is_working_day(dt.date(2026, 12, 28))
    (True, False)
    """
    d = _dates_arg(dates, "dates")
    if d is None:
        return None
    if isinstance(d, _dt.date):
        return _native.is_working_date(d, "dates")
    if isinstance(d, list):
        return [is_working_day(x) for x in d]
    values, missing = _native.is_working_array(d.values, d.per_day, "dates")
    return _plain_out(d, values, missing, "bool", "dates", "boolean")


@overload
def working_days_between(a: _dt.date, b: _dt.date) -> int: ...
@overload
def working_days_between(a: Any, b: Any) -> Any: ...
def working_days_between(a: Any, b: Any) -> Any:
    """The number of working days ``x`` with ``a < x <= b`` (negative when ``b`` is before ``a``).

    ``a`` and ``b`` are each a date or an array of the same length (a single date is used for
    every element). The result takes the kind of the first array argument: numpy ``int64``
    (a ``NaT`` is an error), pandas ``int64`` (``Int64`` with ``<NA>`` where a date is missing),
    polars ``Int64`` with nulls.

    >>> import datetime as dt, lac_timescales as lt
    >>> lt.working_days_between(dt.date(2026, 1, 1), dt.date(2026, 1, 29))
    20
    """
    names = ("a", "b")
    x = _dates_arg(a, "a")
    y = _dates_arg(b, "b")
    scalar = (_dt.date, type(None))
    if isinstance(x, scalar) and isinstance(y, scalar):
        if x is None or y is None:
            return None
        return _native.between_dates(x, y, names)
    if isinstance(x, list) or isinstance(y, list):
        xs = x if isinstance(x, list) else None
        ys = y if isinstance(y, list) else None
        if not isinstance(x, (list,) + scalar) or not isinstance(y, (list,) + scalar):
            raise InvalidTypeError("a, b: give lists with lists or dates, arrays with arrays or dates")
        if xs is not None and ys is not None and len(xs) != len(ys) and 1 not in (len(xs), len(ys)):
            raise InvalidInputError(f"a has {len(xs)} elements but b has {len(ys)}: give the same length, or a single value")
        length = max(len(xs) if xs is not None else 1, len(ys) if ys is not None else 1)

        def pick(v: Any, vs: Optional[List[Any]], i: int) -> Any:
            if vs is None:
                return v
            return vs[0] if len(vs) == 1 else vs[i]

        return [working_days_between(pick(x, xs, i), pick(y, ys, i)) for i in range(length)]
    xa = x if isinstance(x, _Arr) else None
    ya = y if isinstance(y, _Arr) else None
    like = xa if xa is not None else ya
    assert like is not None
    av, ap = (xa.values, xa.per_day) if xa is not None else (_scalar_date_array(x), 1)  # type: ignore[arg-type]
    bv, bp = (ya.values, ya.per_day) if ya is not None else (_scalar_date_array(y), 1)  # type: ignore[arg-type]
    values, missing = _native.between_array(av, ap, bv, bp, names)
    if xa is not None and ya is not None and len(xa) == 1 and len(ya) > 1:
        like = ya
    return _plain_out(like, values, missing, "int64", "a", "Int64")


CalendarColumns = Dict[str, List[Any]]


def calendar_table(first_year: int, last_year: int, *, output: str = "columns", table_name: str = "lac_calendar") -> Any:
    """The calendar as a table, one row per date from 1 January ``first_year`` to 31 December
    ``last_year``: ``date``, ``working_day`` (1/0), ``working_day_number``, ``holiday`` (name or
    ``""``) and ``provisional`` (1/0), the same table as ``calendar table`` on the command line.

    ``working_day_number`` counts working days since 1 January 1971; a non-working day carries
    the number of the working day before it, so the ``n``-th working day after any date ``d`` is
    the working day numbered ``number(d) + n``.

    ``output``: ``"columns"`` (a dict of lists: standard library only), ``"pandas"`` or
    ``"polars"`` (a DataFrame), ``"csv"`` or ``"sql"`` (text; ``table_name`` names the SQL table).

    >>> import lac_timescales as lt
    >>> t = lt.calendar_table(2022, 2022)
    >>> i = t["date"].index(__import__("datetime").date(2022, 9, 19))
    >>> t["working_day"][i], t["working_day_number"][i], t["holiday"][i]
    (0, 13080, 'State Funeral of Queen Elizabeth II')
    """
    for name, value in (("first_year", first_year), ("last_year", last_year)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidTypeError(f"{name}: expected a year as an int, got {value!r}")
    if not (-(2**31) <= first_year < 2**31 and -(2**31) <= last_year < 2**31):
        raise InvalidInputError(f"year out of range: {first_year}, {last_year}")
    if output in ("csv", "sql"):
        return _native.table_text(first_year, last_year, output, table_name)
    if output not in ("columns", "pandas", "polars"):
        raise InvalidInputError(f"invalid output {output!r}: expected one of columns, pandas, polars, csv, sql")
    dates, working, number, holiday, provisional = _native.table_columns(first_year, last_year)
    cols: CalendarColumns = {
        "date": dates,
        "working_day": [int(w) for w in working],
        "working_day_number": number,
        "holiday": holiday,
        "provisional": [int(p) for p in provisional],
    }
    if output == "columns":
        return cols
    np = __import__("numpy")
    arrays = {
        "date": np.array(dates, dtype="datetime64[D]"),
        "working_day": np.array(cols["working_day"], dtype=np.int8),
        "working_day_number": np.array(number, dtype=np.int32),
        "holiday": holiday,
        "provisional": np.array(cols["provisional"], dtype=np.int8),
    }
    if output == "pandas":
        return __import__("pandas").DataFrame(arrays)
    pl = __import__("polars")
    return pl.DataFrame({k: (pl.Series(k, v).cast(pl.Date) if k == "date" else v) for k, v in arrays.items()})


def calendar_version() -> Dict[str, Any]:
    """The versions of the calendar's data: the table version, the last announced year,
    ``verified_through`` (dates after it are provisional) and the supported range.

    >>> import lac_timescales as lt
    >>> lt.calendar_version()["last_announced_year"]
    2028
    """
    out: Dict[str, Any] = _json.loads(_native.calendar_version())
    return out

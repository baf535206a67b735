"""The vectorised calendar on every input kind. Expected dates are worked out by hand from the
calendar in the comments; the large random check compares with numpy's business-day functions
on a holiday list checked against the hand-written one in tests/holidays_1971_2030.rs."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import polars as pl
import pytest

import lac_timescales as lt
from conftest import ROOT

D = dt.date

# Hand-worked cases: (start, n, n-th working day after).
#  Fri 9 Sep 2022 + 20: 12-16, 20-23, 26-30 Sep, 3-7 Oct = 19 (Mon 19 Sep, the State Funeral,
#   skipped), so Mon 10 Oct.
#  Fri 1 May 2020 + 5: 4, 5, 6, 7, 11 May (Fri 8 May, the moved early May holiday, skipped).
#  Thu 24 Dec 2026 + 20: 25 Dec and Mon 28 Dec (Boxing Day substitute) and 1 Jan skipped: Tue 26 Jan.
#  Thu 1 Jan 2026 (a holiday, still day 0) + 20: Thu 29 Jan 2026.
AFTER = [
    (D(2022, 9, 9), 20, D(2022, 10, 10)),
    (D(2020, 5, 1), 5, D(2020, 5, 11)),
    (D(2026, 12, 24), 20, D(2027, 1, 26)),
    (D(2026, 1, 1), 20, D(2026, 1, 29)),
]
# 3 working days before Tue 7 Apr 2026: Easter Monday 6 and Good Friday 3 Apr skipped: Thu 2,
# Wed 1, Tue 31 Mar.
BEFORE = [(D(2026, 4, 7), 3, D(2026, 3, 31)), (D(2022, 10, 10), 20, D(2022, 9, 9))]
STARTS = [a for a, _, _ in AFTER]
NS = [n for _, n, _ in AFTER]
WANT = [w for _, _, w in AFTER]


def d64(dates, unit="D"):
    return np.array([np.datetime64(x, "D") if x is not None else np.datetime64("NaT") for x in dates]).astype(
        f"datetime64[{unit}]"
    )


# ---------------------------------------------------------------- datetime.date and lists


def test_scalar_dates():
    for start, n, want in AFTER:
        assert lt.add_working_days(start, n) == want
        assert lt.sub_working_days(want, n) <= start  # back from a working day to start or before
    for start, n, want in BEFORE:
        assert lt.sub_working_days(start, n) == want
    assert lt.add_working_days(D(2022, 9, 9), 0) == D(2022, 9, 9)
    assert lt.add_working_days(D(2022, 10, 10), -20) == D(2022, 9, 9)
    assert lt.add_working_days(dt.datetime(2022, 9, 9, 15, 30), 20) == D(2022, 10, 10)
    assert lt.is_working_day(D(2022, 9, 19)) is False
    assert lt.is_working_day(D(2022, 9, 20)) is True
    assert lt.is_working_day(D(2020, 5, 4)) is True  # the usual early May Monday, moved in 2020
    # 2026 has 253 working days; backwards is negative.
    assert lt.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 253
    assert lt.working_days_between(D(2026, 1, 29), D(2026, 1, 1)) == -20
    assert lt.add_working_days(None, 3) is None
    assert lt.is_working_day(None) is None
    assert lt.working_days_between(None, D(2026, 1, 1)) is None


def test_lists():
    assert lt.add_working_days(STARTS, NS) == WANT
    assert lt.add_working_days(STARTS + [None], 0) == STARTS + [None]
    assert lt.sub_working_days([D(2026, 4, 7)], [3]) == [D(2026, 3, 31)]
    assert lt.is_working_day([D(2022, 9, 19), D(2022, 9, 20), None]) == [False, True, None]
    assert lt.working_days_between([D(2025, 12, 31), D(2026, 1, 1)], D(2026, 1, 29)) == [20, 20]
    assert lt.working_days_between(D(2026, 1, 1), [D(2026, 1, 29), None]) == [20, None]
    assert lt.add_working_days(D(2022, 9, 9), [20, 0]) == [D(2022, 10, 10), D(2022, 9, 9)]


# ---------------------------------------------------------------- numpy


@pytest.mark.parametrize("unit", ["D", "s", "ms", "us", "ns", "h", "m"])
def test_numpy_units_keep_their_unit(unit):
    a = d64(STARTS, unit)
    out = lt.add_working_days(a, np.array(NS))
    assert out.dtype == np.dtype(f"datetime64[{unit}]")
    assert out.tolist() == d64(WANT, unit).tolist()
    back = lt.sub_working_days(out, NS)
    assert back.dtype == a.dtype
    assert lt.is_working_day(a).tolist() == [True, True, True, False]
    assert lt.working_days_between(a, out).tolist() == NS


def test_numpy_times_of_day_count_as_their_date():
    a = np.array(["2022-09-09T23:59:59", "1975-06-02T00:00:01"], dtype="datetime64[s]")
    out = lt.add_working_days(a, 1)
    # Fri 9 Sep 2022 -> Mon 12 Sep; Mon 2 Jun 1975 -> Tue 3 Jun (midnight of the answer).
    assert out.tolist() == np.array(["2022-09-12", "1975-06-03"], dtype="datetime64[s]").tolist()


def test_numpy_other_units_and_shapes():
    weeks = np.array(["2022-09-08"], dtype="datetime64[W]")  # numpy weeks start on Thursday
    assert lt.add_working_days(weeks, 1).dtype == np.dtype("datetime64[D]")
    grid = d64(STARTS).reshape(2, 2)
    out = lt.add_working_days(grid, 20)
    assert out.shape == (2, 2)
    assert out[0, 0] == np.datetime64("2022-10-10")
    assert lt.is_working_day(grid).shape == (2, 2)
    strided = d64(STARTS).repeat(2)[::2]
    assert lt.add_working_days(strided, NS).tolist() == WANT
    scalar = lt.add_working_days(np.datetime64("2022-09-09"), 20)
    assert isinstance(scalar, np.datetime64) and scalar == np.datetime64("2022-10-10")
    assert lt.is_working_day(np.datetime64("2022-09-19")) is False
    assert lt.working_days_between(np.datetime64("2025-12-31"), np.datetime64("2026-12-31")) == 253


def test_numpy_nat():
    a = d64([D(2022, 9, 9), None])
    out = lt.add_working_days(a, 20)
    assert out[0] == np.datetime64("2022-10-10") and np.isnat(out[1])
    with pytest.raises(lt.InvalidInputError, match=r"dates\[1\]: NaT") as e:
        lt.is_working_day(a)
    assert e.value.index == 1
    with pytest.raises(lt.InvalidInputError, match=r"a\[1\]: NaT"):
        lt.working_days_between(a, np.datetime64("2026-01-01"))


def test_numpy_offsets_kinds():
    a = d64(STARTS)
    for n in (np.array(NS, dtype=np.int32), np.array(NS, dtype=np.uint16), pd.Series(NS), pl.Series(NS), NS):
        assert lt.add_working_days(a, n).tolist() == d64(WANT).tolist()
    assert lt.add_working_days(a, np.int64(0)).tolist() == a.tolist()
    # One date, many offsets: the result takes the offsets' kind.
    many = lt.add_working_days(D(2022, 9, 9), np.array([20, 0, -1]))
    assert many.tolist() == d64([D(2022, 10, 10), D(2022, 9, 9), D(2022, 9, 8)]).tolist()
    s = lt.add_working_days(D(2022, 9, 9), pd.Series([20], index=[7], name="n"))
    assert s.index.tolist() == [7] and s.iloc[0] == pd.Timestamp("2022-10-10")


# ---------------------------------------------------------------- pandas


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_pandas_series(unit):
    s = pd.Series(pd.to_datetime(STARTS + [None]).as_unit(unit), index=[10, 11, 12, 13, 14], name="DECOM")
    out = lt.add_working_days(s, 20)
    assert isinstance(out, pd.Series) and out.name == "DECOM" and out.index.tolist() == [10, 11, 12, 13, 14]
    assert out.dtype == s.dtype
    # Fri 1 May 2020 + 20: 4-7, 11-15, 18-22, 26-29 May (Spring holiday Mon 25 May): 18, then
    # 1, 2 Jun = Tue 2 Jun 2020.
    assert out.iloc[1] == pd.Timestamp("2020-06-02")
    assert out.iloc[0] == pd.Timestamp("2022-10-10") and pd.isna(out.iloc[4])
    per = lt.add_working_days(s.iloc[:4], pd.Series(NS, index=[10, 11, 12, 13]))
    assert [x.date() for x in per] == WANT
    w = lt.is_working_day(s)
    assert str(w.dtype) == "boolean" and w.tolist()[:4] == [True, True, True, False] and pd.isna(w.iloc[4])
    assert lt.is_working_day(s.iloc[:4]).dtype == bool
    b = lt.working_days_between(s, out)
    assert str(b.dtype) == "Int64" and b.tolist()[:4] == [20, 20, 20, 20] and pd.isna(b.iloc[4])
    assert lt.working_days_between(s.iloc[:4], out.iloc[:4]).dtype == np.int64


def test_pandas_index_and_errors():
    idx = pd.DatetimeIndex(pd.to_datetime(STARTS), name="start")
    out = lt.add_working_days(idx, NS)
    assert isinstance(out, pd.DatetimeIndex) and out.name == "start"
    assert [x.date() for x in out] == WANT
    with pytest.raises(lt.InvalidTypeError, match="timezone-aware"):
        lt.add_working_days(pd.Series(pd.to_datetime(["2022-09-09"]).tz_localize("Europe/London")), 1)
    with pytest.raises(lt.InvalidTypeError, match="pandas.to_datetime"):
        lt.add_working_days(pd.Series(["2022-09-09"]), 1)
    with pytest.raises(TypeError):  # InvalidTypeError is also a TypeError
        lt.is_working_day(pd.DataFrame({"a": [1]}))
    with pytest.raises(lt.InvalidInputError, match=r"n\[1\]: missing offset"):
        lt.add_working_days(pd.Series(pd.to_datetime(STARTS[:2])), pd.Series([1, None], dtype="Int64"))
    with pytest.raises(lt.InvalidTypeError, match="integer dtype"):
        lt.add_working_days(pd.Series(pd.to_datetime(STARTS[:2])), pd.Series([1.5, 2.0]))


# ---------------------------------------------------------------- polars


def test_polars_date_and_datetime():
    s = pl.Series("DECOM", STARTS + [None])
    out = lt.add_working_days(s, 20)
    assert isinstance(out, pl.Series) and out.dtype == pl.Date and out.name == "DECOM"
    assert out.to_list()[0] == D(2022, 10, 10) and out.to_list()[4] is None
    assert lt.add_working_days(s.head(4), pl.Series(NS)).to_list() == WANT
    assert lt.sub_working_days(pl.Series("x", [D(2026, 4, 7)]), 3).to_list() == [D(2026, 3, 31)]
    w = lt.is_working_day(s)
    assert w.dtype == pl.Boolean and w.to_list() == [True, True, True, False, None]
    b = lt.working_days_between(s, out)
    assert b.dtype == pl.Int64 and b.to_list() == [20, 20, 20, 20, None]
    for unit in ("ms", "us", "ns"):
        t = pl.Series("t", [dt.datetime(2022, 9, 9, 12)]).cast(pl.Datetime(unit))
        r = lt.add_working_days(t, 20)
        assert r.dtype == pl.Datetime(unit) and r.to_list() == [dt.datetime(2022, 10, 10)]
    with pytest.raises(lt.InvalidTypeError, match="Date or Datetime"):
        lt.add_working_days(pl.Series([1, 2]), 1)
    with pytest.raises(lt.InvalidTypeError, match="timezone-aware"):
        lt.is_working_day(pl.Series([dt.datetime(2022, 1, 1)]).dt.replace_time_zone("Europe/London"))
    with pytest.raises(lt.InvalidInputError, match=r"n\[1\]: missing offset"):
        lt.add_working_days(s.head(2), pl.Series([1, None]))


# ---------------------------------------------------------------- errors


def test_errors_carry_the_library_message_and_index():
    a = d64([D(2022, 9, 9), D(1970, 6, 1)])
    with pytest.raises(lt.DateOutOfRangeError) as e:
        lt.add_working_days(a, 1)
    assert str(e.value) == "dates[1]: date 1970-06-01 is outside the supported range 1971-01-01 to 2199-12-31"
    assert e.value.index == 1 and e.value.kind == "date_out_of_range"
    assert isinstance(e.value, lt.LacTimescalesError) and isinstance(e.value, ValueError)
    with pytest.raises(lt.DateOutOfRangeError, match="3 working days before 1971-01-01 falls outside"):
        lt.sub_working_days(D(1971, 1, 1), 3)
    with pytest.raises(lt.DateOutOfRangeError, match=r"^dates: date 2200-01-01"):
        lt.is_working_day(D(2200, 1, 1))
    with pytest.raises(lt.DateOutOfRangeError, match=r"^b\[0\]: date 2200-01-01"):
        lt.working_days_between(d64([D(2022, 1, 1)]), d64([D(2200, 1, 1)]))
    with pytest.raises(lt.DateOutOfRangeError, match=r"^b: date 2200-01-01"):
        lt.working_days_between(D(2022, 1, 1), D(2200, 1, 1))
    with pytest.raises(lt.InvalidInputError, match="dates has 2 elements but n has 3"):
        lt.add_working_days(d64(STARTS[:2]), [1, 2, 3])
    with pytest.raises(lt.DateOutOfRangeError, match=r"^dates\[0\]: 1099511627776 working days after 2022-09-09"):
        lt.add_working_days(d64(STARTS[:1]), np.array([2**40]))
    with pytest.raises(lt.DateOutOfRangeError, match=r"^dates: 1099511627776 working days after 2022-01-01"):
        lt.add_working_days(D(2022, 1, 1), 2**40)
    with pytest.raises(lt.InvalidTypeError):
        lt.add_working_days(D(2022, 1, 1), 2**70)
    with pytest.raises(lt.InvalidInputError, match=r"n\[0\]: offset"):
        lt.sub_working_days(d64(STARTS[:1]), np.array([np.iinfo(np.int64).min]))
    with pytest.raises(lt.InvalidTypeError):
        lt.add_working_days("2022-09-09", 1)
    with pytest.raises(lt.InvalidTypeError):
        lt.add_working_days(D(2022, 9, 9), True)
    with pytest.raises(lt.InvalidTypeError):
        lt.add_working_days(np.array([1, 2]), 1)
    with pytest.raises(lt.InvalidTypeError):
        lt.add_working_days(D(2022, 9, 9), 1.5)


# ---------------------------------------------------------------- exactness on random dates


def hand_listed_weekday_holidays():
    """The weekday holidays 1971-2030 from the hand-written list in the Rust tests."""
    src = (ROOT / "tests" / "holidays_1971_2030.rs").read_text()
    days = [D.fromisoformat(m) for m in re.findall(r'\("(\d{4}-\d\d-\d\d)", (?:CL|S1|PR|OO|SU)', src)]
    assert len(days) == 504
    return sorted(x for x in days if x.weekday() < 5)


def test_random_offsets_are_exact_against_numpy_busday_offset():
    table = lt.calendar_table(1971, 2199)
    holidays = [x for x, w in zip(table["date"], table["working_day"]) if not w and x.weekday() < 5]
    # The holidays numpy is given are the hand-written ones wherever the hand list reaches.
    assert [x for x in holidays if x.year <= 2030] == hand_listed_weekday_holidays()
    cal = np.busdaycalendar(weekmask="1111100", holidays=np.array(holidays, dtype="datetime64[D]"))
    rng = np.random.default_rng(11)
    size = 400_000
    first, last = np.datetime64("1971-01-01"), np.datetime64("2199-12-31")
    span = int((last - first).astype(np.int64)) + 1
    dates = first + rng.integers(0, span, size).astype("timedelta64[D]")
    n = rng.integers(-400, 401, size)
    n[n == 0] = 1  # busday_offset with n = 0 rolls a non-working day; ours returns the date itself
    # Dates whose answer leaves 1971-2199 must raise; keep those well inside for the comparison,
    # and check the edges separately.
    inside = (dates >= np.datetime64("1972-07-01")) & (dates <= np.datetime64("2198-06-30"))
    d, k = dates[inside], n[inside]
    want = np.where(
        k >= 0,
        np.busday_offset(d, k, roll="backward", busdaycal=cal),
        np.busday_offset(d, k, roll="forward", busdaycal=cal),
    )
    assert np.array_equal(lt.add_working_days(d, k), want)
    assert np.array_equal(lt.sub_working_days(d, -k), want)
    assert np.array_equal(lt.is_working_day(dates), np.is_busday(dates, busdaycal=cal))
    other = first + rng.integers(0, span, size).astype("timedelta64[D]")
    # working_days_between counts (a, b]; numpy's busday_count counts [a, b).
    # (numpy's count for end < begin is not the negative of the forward count, so compare
    # forwards and check that ours is antisymmetric.)
    got = lt.working_days_between(dates, other)
    ok = (dates <= other) & (other < last)
    assert np.array_equal(got[ok], np.busday_count(dates[ok] + 1, other[ok] + 1, busdaycal=cal))
    assert np.array_equal(lt.working_days_between(other, dates), -got)
    # The edges. From Sun 1 Dec 2199: 2-6, 9-13, 16-20 Dec (15), 23, 24 (17), Wed 25 and Thu 26
    # (Christmas, Boxing Day) skipped, 27 (18), 30 (19), Tue 31 Dec (20): the calendar's last day.
    assert lt.add_working_days(np.datetime64("2199-12-01"), 20) == np.datetime64("2199-12-31")
    with pytest.raises(lt.DateOutOfRangeError):
        lt.add_working_days(np.datetime64("2199-12-01"), 21)
    assert lt.sub_working_days(np.datetime64("1971-01-04"), 1) == np.datetime64("1971-01-01")


def test_calendar_version():
    v = lt.calendar_version()
    assert v["last_announced_year"] == 2028 and v["first"] == "1971-01-01" and v["last"] == "2199-12-31"

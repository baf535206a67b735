"""calendar_table against the calendar functions and the command-line example's output."""

from __future__ import annotations

import datetime as dt
import sqlite3

import numpy as np
import pandas as pd
import polars as pl
import pytest

import lac_timescales as lt
from conftest import example

D = dt.date


def test_columns_agree_with_the_calendar_functions():
    t = lt.calendar_table(2019, 2024)
    assert list(t) == ["date", "working_day", "working_day_number", "holiday", "provisional"]
    # 2019-2024: 6 years, 2 leap (2020, 2024).
    assert len(t["date"]) == 6 * 365 + 2
    dates = np.array(t["date"], dtype="datetime64[D]")
    assert np.array_equal(np.array(t["working_day"]) == 1, lt.is_working_day(dates))
    number = np.array(t["working_day_number"])
    # The join: the working day numbered number(d) + n is add_working_days(d, n).
    first_number = {}
    for x, w, k in zip(t["date"], t["working_day"], t["working_day_number"]):
        if w:
            first_number[k] = x
    for i in range(0, len(dates), 7):
        for n in (1, 5, 20):
            want = lt.add_working_days(t["date"][i], n)
            assert first_number.get(number[i] + n, None) in (want, None)
    # Differences of numbers are working_days_between.
    assert np.array_equal(np.diff(number), lt.working_days_between(dates[:-1], dates[1:]))


def test_hand_checked_rows():
    t = lt.calendar_table(2020, 2022)
    row = {x: i for i, x in enumerate(t["date"])}

    def get(x):
        i = row[x]
        return t["working_day"][i], t["working_day_number"][i], t["holiday"][i], t["provisional"][i]

    # Counted by hand from the holiday list (see tests/holidays_1971_2030.rs).
    assert get(D(2022, 9, 16)) == (1, 13080, "", 0)
    assert get(D(2022, 9, 19)) == (0, 13080, "State Funeral of Queen Elizabeth II", 0)
    assert get(D(2022, 9, 20)) == (1, 13081, "", 0)
    assert get(D(2020, 5, 4)) == (1, 12481, "", 0)
    assert get(D(2020, 5, 8)) == (0, 12484, "Early May bank holiday (VE Day 75th anniversary)", 0)
    assert lt.calendar_table(2029, 2029)["provisional"][0] == 1


def test_dataframes():
    p = lt.calendar_table(2026, 2026, output="pandas")
    assert isinstance(p, pd.DataFrame) and len(p) == 365
    assert p["date"].dtype.kind == "M" and p.loc[0, "holiday"] == "New Year's Day"
    assert p.loc[0, "working_day_number"] == 13910 and p.loc[1, "working_day"] == 1
    q = lt.calendar_table(2026, 2026, output="polars")
    assert isinstance(q, pl.DataFrame) and q.schema["date"] == pl.Date
    assert q.row(0) == (D(2026, 1, 1), 0, 13910, "New Year's Day", 0)


def test_text_is_the_command_line_table():
    for fmt in ("csv", "sql"):
        ours = lt.calendar_table(2020, 2023, output=fmt)
        cli = example("calendar", "table", "2020", "2023", "--format", fmt).stdout
        assert ours == cli, fmt
    assert lt.calendar_table(2026, 2026, output="csv").startswith(
        "date,working_day,working_day_number,holiday,provisional\r\n2026-01-01,0,13910,New Year's Day,0\r\n"
    )


def test_sql_loads_and_the_readme_join_works():
    db = sqlite3.connect(":memory:")
    db.executescript(lt.calendar_table(2020, 2027, output="sql", table_name="cal"))
    q = """SELECT due.date FROM cal AS s
           LEFT JOIN cal AS due ON due.working_day = 1 AND due.working_day_number = s.working_day_number + ?
           WHERE s.date = ?"""
    # 20 after Fri 9 Sep 2022 (funeral skipped) = Mon 10 Oct; 5 after Fri 1 May 2020 = Mon 11 May.
    assert db.execute(q, (20, "2022-09-09")).fetchone() == ("2022-10-10",)
    assert db.execute(q, (5, "2020-05-01")).fetchone() == ("2020-05-11",)
    assert db.execute(q, (20, "2027-12-20")).fetchone() == (None,)


def test_errors():
    with pytest.raises(lt.InvalidInputError, match='invalid last_year "2025"'):
        lt.calendar_table(2026, 2025)
    with pytest.raises(lt.DateOutOfRangeError, match="1970-01-01"):
        lt.calendar_table(1970, 1971)
    with pytest.raises(lt.InvalidInputError, match="invalid output 'xml'"):
        lt.calendar_table(2026, 2026, output="xml")
    with pytest.raises(lt.InvalidInputError, match="table_name"):
        lt.calendar_table(2026, 2026, output="sql", table_name="x; DROP TABLE y")
    with pytest.raises(lt.InvalidTypeError):
        lt.calendar_table("2026", 2026)  # type: ignore[arg-type]
    with pytest.raises(lt.InvalidInputError):
        lt.calendar_table(2**40, 2**41)

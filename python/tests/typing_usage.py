"""Checked by ``mypy --strict`` in python/ci.sh (not a pytest module): the package's types give
a caller precise results for dates and keep the type of an array argument."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

import lac_timescales as lt

day: dt.date = lt.add_working_days(dt.date(2022, 9, 9), 20)
back: dt.date = lt.sub_working_days(day, 20)
working: bool = lt.is_working_day(dt.date(2022, 9, 19))
count: int = lt.working_days_between(dt.date(2022, 9, 9), dt.date(2022, 10, 10))
days: list[dt.date | None] = lt.add_working_days([dt.date(2022, 9, 9), None], 20)
dates: npt.NDArray[np.datetime64] = np.array(["2022-09-09"], dtype="datetime64[D]")
same: npt.NDArray[np.datetime64] = lt.add_working_days(dates, 20)
table: dict[str, list[object]] = lt.calendar_table(2022, 2022)
try:
    lt.schedule({"jurisdiction": "england", "events": []})
except lt.LacTimescalesError as e:
    kind: str = e.kind
    index: int | None = e.index

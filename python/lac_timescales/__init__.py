"""Statutory timescales for reviews of looked-after children in England and Wales.

The working-day calendar on dates, numpy arrays, pandas and polars Series; the schedule engine
and the audit with the JSON API's request and response as dicts; and the SSDA903 review
timeliness audit on DataFrames. Computed in Rust (the ``lac-timescales`` library); no runtime
dependency beyond the standard library.

>>> import datetime as dt
>>> import lac_timescales as lt
>>> lt.add_working_days(dt.date(2026, 1, 1), 20)
datetime.date(2026, 1, 29)
"""

from ._calendar import (
    add_working_days,
    calendar_table,
    calendar_version,
    is_working_day,
    sub_working_days,
    working_days_between,
)
from ._engine import audit, schedule
from ._errors import (
    DateOutOfRangeError,
    InvalidDataError,
    InvalidEventError,
    InvalidInputError,
    InvalidPeriodError,
    FileError,
    InvalidTypeError,
    LacTimescalesError,
    LimitExceededError,
)
from ._native import library_version as _library_version
from ._ssda903 import Audit903, audit_903

__version__: str = _library_version()

__all__ = [
    "add_working_days",
    "sub_working_days",
    "working_days_between",
    "is_working_day",
    "calendar_table",
    "calendar_version",
    "schedule",
    "audit",
    "LacTimescalesError",
    "DateOutOfRangeError",
    "InvalidPeriodError",
    "InvalidDataError",
    "InvalidInputError",
    "InvalidTypeError",
    "InvalidEventError",
    "LimitExceededError",
    "FileError",
    "audit_903",
    "Audit903",
]

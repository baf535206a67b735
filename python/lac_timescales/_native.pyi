"""Type stub of the Rust extension module (``python/src/lib.rs``). Internal: use the functions
of :mod:`lac_timescales`."""

import datetime
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

__all__ = [
    "offset_array",
    "is_working_array",
    "between_array",
    "offset_date",
    "is_working_date",
    "between_dates",
    "table_columns",
    "table_text",
    "calendar_version",
    "schedule_json",
    "audit_json",
    "library_version",
    "audit_903_native",
    "take_objects",
]

def offset_array(
    dates: npt.NDArray[np.int64],
    per_day: int,
    n: npt.NDArray[np.int64],
    sign: int,
    names: Tuple[str, str],
) -> npt.NDArray[np.int64]: ...
def is_working_array(
    dates: npt.NDArray[np.int64], per_day: int, name: str
) -> Tuple[npt.NDArray[np.bool_], Optional[npt.NDArray[np.bool_]]]: ...
def between_array(
    a: npt.NDArray[np.int64],
    per_day_a: int,
    b: npt.NDArray[np.int64],
    per_day_b: int,
    names: Tuple[str, str],
) -> Tuple[npt.NDArray[np.int64], Optional[npt.NDArray[np.bool_]]]: ...
def offset_date(date: datetime.date, n: int, names: Tuple[str, str]) -> datetime.date: ...
def is_working_date(date: datetime.date, name: str) -> bool: ...
def between_dates(a: datetime.date, b: datetime.date, names: Tuple[str, str]) -> int: ...
def table_columns(
    first_year: int, last_year: int
) -> Tuple[List[datetime.date], List[bool], List[int], List[str], List[bool]]: ...
def table_text(first_year: int, last_year: int, format: str, table_name: str) -> str: ...
def calendar_version() -> str: ...
def schedule_json(request: str) -> str: ...
def audit_json(request: str) -> str: ...
def library_version() -> str: ...
def audit_903_native(
    returns: List[Tuple[Any, ...]],
    as_at: Optional[datetime.date] = None,
    profile: Optional[str] = None,
    threads: Optional[int] = None,
    tmp_dir: Optional[str] = None,
    prepare: bool = True,
    layout: str = "bytes",
    text_na: Optional[Tuple[Any]] = None,
) -> Dict[str, Any]: ...
def take_objects(values: npt.NDArray[np.object_], codes: npt.NDArray[np.uint32]) -> npt.NDArray[np.object_]: ...

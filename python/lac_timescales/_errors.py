"""The package's exceptions: one class for each kind of library error.

Every error carries the library's message, which names the offending value, field or event (and,
for an array argument, its position: ``dates[3]: date 1970-12-31 is outside ...``). ``kind`` is
the library's fixed error-kind name (the ``error.kind`` of the JSON API) and ``index`` the
position of the failing element of an array argument, or ``None``.
"""

from __future__ import annotations

from typing import Optional


class LacTimescalesError(ValueError):
    """Base class of every error raised by :mod:`lac_timescales`."""

    kind: str = "error"

    def __init__(self, message: str, *, index: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


class DateOutOfRangeError(LacTimescalesError):
    """A date, or a computed date, lies outside 1971-01-01 to 2199-12-31."""

    kind = "date_out_of_range"


class InvalidPeriodError(LacTimescalesError):
    """A period written as text (``"20 working days"``) could not be understood."""

    kind = "invalid_period"


class InvalidDataError(LacTimescalesError):
    """A data document (a profile, a feed, a file) is malformed."""

    kind = "invalid_data"


class InvalidInputError(LacTimescalesError):
    """An argument or a request field is invalid."""

    kind = "invalid_input"


class InvalidTypeError(InvalidInputError, TypeError):
    """An argument is of a type the function does not take (also a :class:`TypeError`)."""

    kind = "invalid_input"


class InvalidEventError(LacTimescalesError):
    """A case-history event is invalid or impossible."""

    kind = "invalid_event"


class LimitExceededError(LacTimescalesError):
    """A request exceeds a documented limit."""

    kind = "limit_exceeded"


class FileError(LacTimescalesError, OSError):
    """A file could not be read or written (also an :class:`OSError`)."""

    kind = "io"


_BY_KIND = {
    cls.kind: cls
    for cls in (
        DateOutOfRangeError,
        InvalidPeriodError,
        InvalidDataError,
        InvalidInputError,
        InvalidEventError,
        LimitExceededError,
        FileError,
    )
}


def error_class(kind: str) -> type[LacTimescalesError]:
    """The exception class for a library error kind (the base class for an unknown kind)."""
    return _BY_KIND.get(kind, LacTimescalesError)

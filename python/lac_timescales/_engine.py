"""The schedule engine and the audit, with the JSON API's request and response as dicts."""

from __future__ import annotations

import json as _json
from typing import Any, Dict

from . import _native
from ._errors import InvalidTypeError

__all__ = ["schedule", "audit"]


def _request_text(request: Any) -> str:
    if isinstance(request, (str, bytes)):
        return request.decode() if isinstance(request, bytes) else request
    if not isinstance(request, dict):
        raise InvalidTypeError(f"request: expected a dict (or JSON text), got {type(request).__name__}")
    return _json.dumps(request, default=_default)


def _default(value: Any) -> Any:
    # Dates (datetime.date, pandas Timestamp) are written as ISO text, as the JSON API expects.
    iso = getattr(value, "isoformat", None)
    if iso is not None:
        text = iso()
        return text[:10] if "T" in text and text.endswith("T00:00:00") else text
    raise InvalidTypeError(f"request: a value of type {type(value).__name__} cannot be written as JSON")


def schedule(request: Dict[str, Any]) -> Dict[str, Any]:
    """Every obligation of a case, with its deadline and explanation: the JSON API's schedule
    request in, its response out (see the README's "JSON request and response").

    Dates in the request may be ISO strings or ``datetime.date`` objects. Errors raise the
    package's exceptions with the library's message, e.g. :class:`InvalidEventError` naming the
    event index, field and value.

    >>> import lac_timescales as lt
    >>> out = lt.schedule({"jurisdiction": "england", "events": [
    ...     {"event": "became_looked_after", "date": "2026-01-01"}]})
    >>> [o["latest"] for o in out["obligations"] if o["duty"] == "hold_review"][0]
    '2026-01-29'
    """
    out: Dict[str, Any] = _json.loads(_native.schedule_json(_request_text(request)))
    return out


def audit(request: Dict[str, Any]) -> Dict[str, Any]:
    """How each obligation of a case went as at the audit date: the JSON API's audit request in
    (``as_at`` is the audit date), its response out.

    >>> import lac_timescales as lt
    >>> out = lt.audit({"jurisdiction": "england", "as_at": "2026-02-02", "events": [
    ...     {"event": "became_looked_after", "date": "2026-01-01"}]})
    >>> [o["status"]["kind"] for o in out["obligations"] if o["obligation"]["duty"] == "hold_review"]
    ['overdue']
    """
    out: Dict[str, Any] = _json.loads(_native.audit_json(_request_text(request)))
    return out

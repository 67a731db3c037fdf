"""Writing the audit log. Every operation that changes state calls :func:`record`."""
from __future__ import annotations

from typing import Any

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db


def record(actor, action: str, obj: Any, before: dict | None = None, after: dict | None = None,
           *, object_type: str | None = None, object_id: str | None = None) -> AuditEvent:
    """Append one audit event in the current transaction (the caller commits)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type or getattr(obj, "__tablename__", type(obj).__name__),
        object_id=str(object_id if object_id is not None else getattr(obj, "id", "")),
        before=_jsonable(before),
        after=_jsonable(after),
    )
    db.session.add(event)
    return event


def _jsonable(value):
    """Summaries must be JSON: datetimes and other objects become strings."""
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)

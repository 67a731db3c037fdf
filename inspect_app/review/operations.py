"""Supervisors' review of inspections. Flush only; the route commits.

A supervisor approves an inspection, marks it as having issues, or rejects it. A rejection either
sends it back to the inspector, whose correction then supersedes it (inspections.submit_inspection
with ``supersedes``), or rejects it for good: then it stops counting, and its violations and
pending penalty case lapse as a superseded one's do.
"""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.auth.models import User
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, ValidationFailed
from inspect_app.core.signals import inspection_rejected, inspection_sent_back
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.operations import void_consequences
from inspect_app.review import messages  # noqa: F401  (registers strings)
from inspect_app.review.models import ReviewEvent

NOTE_REQUIRED = ("has_issues", "rejected")


def review_inspection(actor: User, inspection: Inspection, status: str, note: str | None = None,
                      send_back: bool = False) -> tuple[ReviewEvent, bool]:
    """Record a supervisor's decision on an inspection; returns (event, created).

    The same decision sent twice (a double tap, a retried request) returns the last event and
    records nothing new.
    """
    note = (note or "").strip() or None
    last = _last_event(inspection)
    if (last is not None and inspection.review_status == status and last.to_status == status
            and last.note == note and last.send_back == send_back):
        return last, False
    _check(inspection, status, note, send_back)
    before = {"review_status": inspection.review_status, "review_note": inspection.review_note,
              "final_rejection": inspection.final_rejection}
    inspection.review_status = status
    inspection.review_note = note
    inspection.final_rejection = status == "rejected" and not send_back
    event = ReviewEvent(inspection=inspection, inspection_id=inspection.id, reviewer_id=actor.id,
                        reviewer=actor, from_status=before["review_status"], to_status=status, note=note,
                        send_back=send_back, at=utcnow())
    db.session.add(event)
    db.session.flush()
    audit.record(actor, "inspection.review", inspection, before=before,
                 after={"review_status": status, "review_note": note, "send_back": send_back,
                        "final_rejection": inspection.final_rejection})
    if inspection.final_rejection:
        void_consequences(actor, inspection, reason="rejected")
        inspection_rejected.send(inspection, actor=actor)
    elif send_back:
        inspection_sent_back.send(inspection, actor=actor, event=event)
    return event, True


def _check(inspection: Inspection, status: str, note: str | None, send_back: bool) -> None:
    """Refuse what a review cannot do, each with its own code."""
    if inspection.review_status == "superseded":
        correction = inspection.corrections[0].uuid if inspection.corrections else ""
        raise Conflict("review_inspection_superseded", correction=correction,
                       details={"superseded_by": correction or None})
    if inspection.review_status == "rejected" and inspection.final_rejection:
        raise Conflict("review_final_rejection")
    if status in NOTE_REQUIRED and not note:
        raise ValidationFailed("review_note_required", details={"note": ["required"]})
    if send_back and status != "rejected":
        raise ValidationFailed("review_send_back_needs_rejection")
    missing = inspection.missing_photos
    if status == "approved" and missing:
        raise Conflict("review_photos_missing", count=len(missing), details={"missing_photos": missing})


def _last_event(inspection: Inspection) -> ReviewEvent | None:
    return db.session.scalar(select(ReviewEvent).where(ReviewEvent.inspection_id == inspection.id)
                             .order_by(ReviewEvent.id.desc()).limit(1))

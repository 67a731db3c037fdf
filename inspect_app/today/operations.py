"""Assignments, coverage targets and skipped stops. Flush only; the caller commits. All audited."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspect_app.auth.models import User
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, ValidationFailed
from inspect_app.core.models import Unit
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.sites.models import OPEN_SITE_STATUSES, Site
from inspect_app.today import messages  # noqa: F401  (registers strings)
from inspect_app.today.models import Assignment, CoverageTarget, StopSkip

MAX_RANGE_DAYS = 92  # a quarter: longer plans are a standing duty, not an assignment


def assign_sites(actor: User, inspector: User | None, sites: list[Site], start_on: date, end_on: date,
                 note: str | None = None) -> list[Assignment]:
    """Give each site to the inspector for the days ``start_on``..``end_on`` (local dates, inclusive)."""
    if inspector is None or inspector.role != "inspector" or not inspector.active:
        raise ValidationFailed("assignment_not_inspector")
    if end_on < start_on or (end_on - start_on).days >= MAX_RANGE_DAYS:
        raise ValidationFailed("assignment_range_invalid")
    created = []
    for site in sites:
        if site.unit_id not in inspector.unit_ids:
            raise ValidationFailed("assignment_other_unit", site=site.name)
        if site.status not in OPEN_SITE_STATUSES:
            raise ValidationFailed("assignment_site_closed", site=site.name)
        assignment = Assignment(site_id=site.id, site=site, unit_id=site.unit_id, inspector_id=inspector.id,
                                inspector=inspector, start_on=start_on, end_on=end_on, note=note or None,
                                status="active", created_by_id=actor.id, created_at=utcnow())
        db.session.add(assignment)
        created.append(assignment)
    db.session.flush()
    for assignment in created:
        audit.record(actor, "assignment.create", assignment, after={
            "site_id": assignment.site_id, "inspector_id": inspector.id, "start_on": start_on, "end_on": end_on})
    return created


def cancel_assignment(actor: User, assignment: Assignment) -> Assignment:
    """Withdraw an assignment (kept, marked cancelled)."""
    if assignment.status != "active":
        raise Conflict("assignment_not_active")
    assignment.status = "cancelled"
    db.session.flush()
    audit.record(actor, "assignment.cancel", assignment, before={"status": "active"}, after={"status": "cancelled"})
    return assignment


def set_coverage_target(actor: User, unit: Unit, every_days: int) -> CoverageTarget:
    """Every open site of the unit at least once every ``every_days`` days."""
    target = db.session.get(CoverageTarget, unit.id)
    before = None if target is None else {"every_days": target.every_days}
    if target is None:
        target = CoverageTarget(unit_id=unit.id, unit=unit)
        db.session.add(target)
    target.every_days, target.updated_by_id, target.updated_at = every_days, actor.id, utcnow()
    db.session.flush()
    audit.record(actor, "coverage_target.set", target, before=before, after={"every_days": every_days},
                 object_id=str(unit.id))
    return target


def _same_skip(skip: StopSkip, actor: User, site: Site, data: dict) -> bool:
    return (skip.inspector_id == actor.id and skip.site_id == site.id and skip.day == data["date"]
            and skip.reason == data["reason"] and (skip.note or None) == (data.get("note") or None))


def record_skip(actor: User, site: Site, data: dict) -> tuple[StopSkip, bool]:
    """Store a skipped stop once by its UUID (the phone's outbox may send it again); (skip, created).

    The same UUID with the same content is the stored skip; with other content ``skip_conflict``.
    """
    if data["reason"] == "other" and not (data.get("note") or "").strip():
        raise ValidationFailed("skip_note_required")
    existing = db.session.scalar(select(StopSkip).where(StopSkip.uuid == data["uuid"]))
    if existing is not None:
        if not _same_skip(existing, actor, site, data):
            raise Conflict("skip_conflict")
        return existing, False
    skip = StopSkip(uuid=data["uuid"], inspector_id=actor.id, inspector=actor, site_id=site.id, site=site,
                    unit_id=site.unit_id, day=data["date"], reason=data["reason"],
                    note=(data.get("note") or "").strip() or None, created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(skip)
            db.session.flush()
    except IntegrityError:  # the same UUID committed by a concurrent request
        existing = db.session.scalar(select(StopSkip).where(StopSkip.uuid == data["uuid"]))
        if existing is None or not _same_skip(existing, actor, site, data):
            raise Conflict("skip_conflict") from None
        return existing, False
    audit.record(actor, "stop.skip", skip, after={"site_id": site.id, "day": skip.day, "reason": skip.reason,
                                                  "note": skip.note})
    return skip, True

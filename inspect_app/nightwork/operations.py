"""Recording, editing and revoking night-work permits. Flush only; the caller commits. Audited."""
from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from inspect_app.core import audit
from inspect_app.core.errors import Conflict, ValidationFailed
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.nightwork import messages  # noqa: F401  (registers strings)
from inspect_app.nightwork.models import NightPermit
from inspect_app.sites.models import Site

FIELDS = ("number", "issuing_office", "valid_from", "valid_to", "start_time", "end_time", "works", "note")


def permit_summary(permit: NightPermit) -> dict:
    """What the audit trail keeps of a permit (before/after)."""
    summary = {name: getattr(permit, name) for name in FIELDS}
    summary.update(site_id=permit.site_id, valid_from=permit.valid_from.isoformat(),
                   valid_to=permit.valid_to.isoformat(),
                   revoked_at=permit.revoked_at.isoformat() if permit.revoked_at else None,
                   revoke_reason=permit.revoke_reason)
    return summary


def _check(values: dict) -> None:
    if values["valid_to"] < values["valid_from"]:
        raise ValidationFailed("night_permit_dates_out_of_order")
    if values["start_time"] == values["end_time"] or values["start_time"] == "24:00":
        raise ValidationFailed("night_permit_bad_hours", value=f"{values['start_time']}–{values['end_time']}")


def _flush_unique(permit: NightPermit) -> None:
    """Add and flush in a savepoint: a second permit with the same number at the site is a 409, not a 500."""
    try:
        with db.session.begin_nested():
            db.session.add(permit)
            db.session.flush()
    except IntegrityError as exc:
        raise Conflict("night_permit_number_taken", number=permit.number) from exc


def create_permit(actor, site: Site, data: dict) -> NightPermit:
    """Record a permit for ``site`` (overlapping permits are allowed; the number is unique per site)."""
    if site.status == "closed":
        raise ValidationFailed("night_permit_site_closed")
    values = {name: data.get(name) for name in FIELDS}
    _check(values)
    permit = NightPermit(site_id=site.id, site=site, created_by_id=getattr(actor, "id", None), **values)
    _flush_unique(permit)
    audit.record(actor, "night_permit.create", permit, after=permit_summary(permit))
    return permit


def update_permit(actor, permit: NightPermit, data: dict) -> NightPermit:
    """Correct a permit's details; a revoked permit stays as it was revoked."""
    if permit.revoked_at is not None:
        raise Conflict("night_permit_revoked")
    values = {name: data.get(name, getattr(permit, name)) for name in FIELDS}
    _check(values)
    before = permit_summary(permit)
    for name, value in values.items():
        setattr(permit, name, value)
    if permit_summary(permit) == before:
        return permit
    permit.updated_at = utcnow()
    _flush_unique(permit)
    audit.record(actor, "night_permit.update", permit, before=before, after=permit_summary(permit))
    return permit


def revoke_permit(actor, permit: NightPermit, reason: str) -> NightPermit:
    """Revoke a permit from now on (it covers no later night); revoking twice is refused."""
    if permit.revoked_at is not None:
        raise Conflict("night_permit_revoked")
    before = permit_summary(permit)
    permit.revoked_at, permit.revoked_by_id, permit.revoke_reason = utcnow(), getattr(actor, "id", None), reason
    db.session.flush()
    audit.record(actor, "night_permit.revoke", permit, before=before, after=permit_summary(permit))
    return permit

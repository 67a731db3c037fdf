"""Entering, matching, linking and closing complaints. Flush only; the caller commits."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspect_app.auth.queries import user_may_see_unit
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, ValidationFailed
from inspect_app.core.geo import to_wgs84
from inspect_app.core.timeutil import LOCAL_TZ, as_utc, utcnow
from inspect_app.extensions import db
from inspect_app.complaints import messages  # noqa: F401  (registers strings)
from inspect_app.complaints.models import Complaint
from inspect_app.complaints.rules import nearest_containing
from inspect_app.complaints.rules import due_hours as _due_hours
from inspect_app.inspections.models import Inspection
from inspect_app.sites.models import OPEN_SITE_STATUSES, Site

CONTENT = ("received_at", "category", "text", "address", "lat", "lon", "complainant_name", "complainant_phone")


def _received_utc(value: datetime) -> datetime:
    """Hotline times are Asia/Shanghai: a time without offset is local."""
    return as_utc(value.replace(tzinfo=LOCAL_TZ) if value.tzinfo is None else value)


def _content(values: dict) -> dict:
    out = {}
    for key in CONTENT:
        value = values.get(key)
        if key == "received_at":
            value = as_utc(value).isoformat()
        elif key in ("lat", "lon") and value is not None:
            value = round(value, 7)
        out[key] = value
    return out


def _due_at(complaint: Complaint) -> datetime:
    hours = _due_hours(current_app.config.get("COMPLAINT_DUE_HOURS", ""), complaint.category)
    return as_utc(complaint.received_at) + timedelta(hours=hours)


def _assign(complaint: Complaint, site: Site) -> None:
    complaint.site_id, complaint.site, complaint.unit_id = site.id, site, site.unit_id
    complaint.status = "open"
    complaint.due_at = _due_at(complaint)


def open_sites() -> list[Site]:
    """The sites a complaint may be matched to (an import loads them once for all its rows)."""
    return list(db.session.scalars(select(Site).where(Site.status.in_(OPEN_SITE_STATUSES))))


def enter(actor, data: dict, *, candidates: list[Site] | None = None) -> tuple[Complaint, bool]:
    """A complaint as the hotline ticket states it; the same ticket again is a replay (or a conflict).

    ``candidates`` are the open sites to match against (default: loaded here).
    """
    if not data.get("address") and data.get("lat") is None:
        raise ValidationFailed("complaint_location_required")
    values = {key: data.get(key) for key in CONTENT}
    values["received_at"] = _received_utc(data["received_at"])
    if data.get("lat") is not None:
        values["lat"], values["lon"] = to_wgs84(data["lat"], data["lon"], data["datum"])
    existing = _find(data["channel"], data["ticket_number"])
    if existing is not None:
        return _replay_or_conflict(actor, existing, values), False
    complaint = Complaint(channel=data["channel"], ticket_number=data["ticket_number"], status="no_site_matched",
                          created_by_id=actor.id, created_at=utcnow(), **values)
    if complaint.lat is not None:
        site = nearest_containing(open_sites() if candidates is None else candidates,
                                  (complaint.lat, complaint.lon))
        if site is not None:
            _assign(complaint, site)
    if complaint.unit_id is None and actor.unit_ids:
        complaint.unit_id = actor.unit_ids[0]  # the entering supervisor's (first) unit resolves it
    try:
        with db.session.begin_nested():
            db.session.add(complaint)
            db.session.flush()
    except IntegrityError:  # the same ticket entered concurrently and committed first
        existing = _find(data["channel"], data["ticket_number"])
        if existing is None:
            raise
        return _replay_or_conflict(actor, existing, values), False
    audit.record(actor, "complaint.enter", complaint,
                 after={"channel": complaint.channel, "ticket": complaint.ticket_number,
                        "status": complaint.status, "site_id": complaint.site_id, "due_at": complaint.due_at})
    return complaint, True


def _find(channel: str, ticket_number: str) -> Complaint | None:
    return db.session.scalar(select(Complaint).where(Complaint.channel == channel,
                                                     Complaint.ticket_number == ticket_number))


def _replay_or_conflict(actor, existing: Complaint, values: dict) -> Complaint:
    """The stored complaint for the same ticket with the same content; a different content, or a
    ticket held by a unit the caller cannot see, is a conflict (nothing of it is shown)."""
    if not user_may_see_unit(actor, existing.unit_id) or \
            _content({k: getattr(existing, k) for k in CONTENT}) != _content(values):
        raise Conflict("complaint_ticket_conflict")
    return existing


def resolve_site(actor, complaint: Complaint, site: Site) -> Complaint:
    if complaint.status != "no_site_matched":
        raise Conflict("complaint_not_unmatched")
    _assign(complaint, site)
    db.session.flush()
    audit.record(actor, "complaint.site", complaint, before={"status": "no_site_matched"},
                 after={"site_id": site.id, "due_at": complaint.due_at})
    return complaint


def link_inspection(actor, complaint: Complaint, inspection: Inspection | None) -> Complaint:
    """The inspection that answered the complaint (same site, finished after it was received); linking the
    same inspection again is a no-op, so the phone may retry."""
    if inspection is not None and complaint.inspection_id == inspection.id:
        return complaint  # the phone's outbox retrying the same link: nothing changes, nothing audited
    if complaint.status == "closed":
        raise Conflict("complaint_site_closed")
    if complaint.site_id is None:
        raise Conflict("complaint_no_site")
    if inspection is None:
        raise ValidationFailed("complaint_inspection_unknown")
    if inspection.site_id != complaint.site_id:
        raise ValidationFailed("complaint_inspection_other_site")
    if as_utc(inspection.finished_at) < as_utc(complaint.received_at):
        raise ValidationFailed("complaint_inspection_too_early")
    before = {"inspection_id": complaint.inspection_id, "status": complaint.status}
    complaint.inspection_id, complaint.inspection, complaint.status = inspection.id, inspection, "answered"
    db.session.flush()
    audit.record(actor, "complaint.inspection", complaint, before=before,
                 after={"inspection": inspection.uuid, "status": "answered"})
    return complaint


def reply(actor, complaint: Complaint, text: str) -> Complaint:
    if complaint.status == "closed":
        raise Conflict("complaint_site_closed")
    if complaint.inspection_id is None:
        raise Conflict("complaint_reply_needs_inspection")
    complaint.reply, complaint.status, complaint.closed_at = text, "closed", utcnow()
    db.session.flush()
    audit.record(actor, "complaint.close", complaint, before={"status": "answered"},
                 after={"status": "closed", "reply": text})
    return complaint

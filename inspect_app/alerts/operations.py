"""Declaring, extending, lifting and correcting alerts. Flush only; the caller commits; all audited."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from inspect_app.alerts import messages  # noqa: F401  (registers strings)
from inspect_app.alerts.models import Alert
from inspect_app.alerts.rules import local_input, may_declare_for
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, Forbidden, ValidationFailed
from inspect_app.core.models import Unit
from inspect_app.core.signals import alert_declared
from inspect_app.core.timeutil import as_utc, utcnow
from inspect_app.extensions import db

MAX_DAYS = 30  # the city's alerts last days, not months; a longer span is a typing mistake


def snapshot(alert: Alert) -> dict:
    """The alert's content as the audit log and its revisions keep it."""
    return {"level": alert.level, "starts_at": as_utc(alert.starts_at).isoformat(),
            "ends_at": as_utc(alert.ends_at).isoformat(), "district_wide": alert.district_wide,
            "unit_ids": sorted(alert.unit_ids), "notice_number": alert.notice_number, "note": alert.note,
            "lifted_at": as_utc(alert.lifted_at).isoformat() if alert.lifted_at else None}


def _units(district_wide: bool, unit_ids) -> list[Unit]:
    if district_wide:
        return []
    ids = sorted(set(unit_ids or []))
    if not ids:
        raise ValidationFailed("alert_units_required")
    units = list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.id)))
    missing = sorted(set(ids) - {u.id for u in units})
    if missing:
        raise ValidationFailed("alert_units_unknown", ids=", ".join(map(str, missing)))
    return units


def _check_scope(actor, district_wide: bool, unit_ids) -> None:
    all_ids = db.session.scalars(select(Unit.id)).all()
    if not may_declare_for(actor.role, actor.unit_ids, all_ids, district_wide=district_wide, unit_ids=unit_ids):
        raise Forbidden("alert_scope_forbidden")


def _check_span(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationFailed("alert_end_before_start")
    if ends_at - starts_at > timedelta(days=MAX_DAYS):
        raise ValidationFailed("alert_too_long", days=MAX_DAYS)


def _revise(alert: Alert, actor, action: str, before: dict, reason: str | None = None) -> None:
    after = snapshot(alert)
    changed = {k: after[k] for k in after if after[k] != before[k]}
    alert.revisions = [*(alert.revisions or []), {
        "action": action, "at": utcnow().isoformat(), "by": actor.id, "reason": reason,
        "before": {k: before[k] for k in changed}, "after": changed}]
    db.session.flush()
    audit.record(actor, f"alert.{action}", alert, before=before, after=dict(after, reason=reason))


def declare(actor, data: dict) -> Alert:
    """A new alert as the city's notice states it (level, hours, scope, number, note)."""
    district_wide = data["scope"] == "district"
    units = _units(district_wide, data.get("unit_ids"))
    _check_scope(actor, district_wide, [u.id for u in units])
    starts_at, ends_at = local_input(data["starts_at"]), local_input(data["ends_at"])
    _check_span(starts_at, ends_at)
    alert = Alert(level=data["level"], starts_at=starts_at, ends_at=ends_at, district_wide=district_wide,
                  notice_number=data["notice_number"].strip(), note=data.get("note") or None,
                  declared_by_id=actor.id, declared_at=utcnow(), units=units, revisions=[])
    db.session.add(alert)
    db.session.flush()
    audit.record(actor, "alert.declare", alert, after=snapshot(alert))
    alert_declared.send(alert, actor=actor)
    return alert


def _check_running(alert: Alert, now: datetime) -> None:
    if alert.lifted_at is not None:
        raise Conflict("alert_lifted")
    if as_utc(alert.ends_at) <= now:
        raise Conflict("alert_over")


def extend(actor, alert: Alert, ends_at: datetime, reason: str | None = None) -> Alert:
    """A later end for an alert still running (the city extended it)."""
    _check_scope(actor, alert.district_wide, alert.unit_ids)
    _check_running(alert, utcnow())
    new_end = local_input(ends_at)
    if new_end <= as_utc(alert.ends_at):
        raise ValidationFailed("alert_extend_not_later")
    _check_span(as_utc(alert.starts_at), new_end)
    before = snapshot(alert)
    alert.ends_at = new_end
    _revise(alert, actor, "extend", before, reason)
    return alert


def lift(actor, alert: Alert, reason: str | None = None) -> Alert:
    """End the alert now (解除预警), before its planned end."""
    now = utcnow()
    _check_scope(actor, alert.district_wide, alert.unit_ids)
    _check_running(alert, now)
    before = snapshot(alert)
    alert.lifted_at, alert.lifted_by_id = now, actor.id
    _revise(alert, actor, "lift", before, reason)
    return alert


def correct(actor, alert: Alert, changes: dict, reason: str) -> Alert:
    """Fix what was entered wrongly (level, scope, number, note), with the reason; hours change by
    extending or lifting."""
    _check_scope(actor, alert.district_wide, alert.unit_ids)
    district_wide = changes["scope"] == "district" if "scope" in changes else alert.district_wide
    if "scope" in changes or "unit_ids" in changes:
        units = _units(district_wide, changes.get("unit_ids", alert.unit_ids))
        _check_scope(actor, district_wide, [u.id for u in units])
    else:
        units = alert.units
    before = snapshot(alert)
    alert.level = changes.get("level", alert.level)
    alert.district_wide, alert.units = district_wide, units
    if "notice_number" in changes:
        alert.notice_number = changes["notice_number"].strip()
    if "note" in changes:
        alert.note = changes["note"] or None
    if snapshot(alert) == before:
        raise ValidationFailed("alert_nothing_to_correct")
    _revise(alert, actor, "correct", before, reason)
    return alert

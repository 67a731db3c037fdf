"""Reads of alerts: the levels binding a unit at an instant, the list and what a phone needs today."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, and_, exists, or_, select

from inspect_app.alerts.models import Alert, alert_units
from inspect_app.alerts.rules import highest_level, local_input
from inspect_app.auth.models import User
from inspect_app.core.timeutil import LOCAL_TZ, as_utc, to_local, utcnow
from inspect_app.extensions import db


def _not_lifted_by(at: datetime):
    return or_(Alert.lifted_at.is_(None), Alert.lifted_at > at)


def in_force_at(at: datetime):
    """SQL condition: the alert binds at ``at`` (started, not ended, not lifted)."""
    at = as_utc(at)
    return and_(Alert.starts_at <= at, Alert.ends_at > at, _not_lifted_by(at))


def covers_unit(unit_id: int | None):
    """SQL condition: the alert binds ``unit_id`` (district-wide ones bind every unit; None: only those)."""
    if unit_id is None:
        return Alert.district_wide.is_(True)
    in_unit = exists().where(alert_units.c.alert_id == Alert.id, alert_units.c.unit_id == unit_id)
    return or_(Alert.district_wide.is_(True), in_unit)


def levels_in_force(unit_id: int | None, at_utc: datetime) -> frozenset[str]:
    """The level binding ``unit_id`` at ``at_utc`` — the highest of overlapping alerts — as a set.

    ``unit_id`` None asks for district-wide alerts only (a truck on the road has no unit).
    """
    levels = db.session.scalars(select(Alert.level).where(in_force_at(at_utc), covers_unit(unit_id)))
    return highest_level(levels)


def visible_alerts(user: User) -> Select:
    """District-wide alerts and those naming one of the caller's units (all, for district-wide roles)."""
    stmt = select(Alert)
    if user.sees_all_units:
        return stmt
    mine = exists().where(alert_units.c.alert_id == Alert.id, alert_units.c.unit_id.in_(user.unit_ids or [-1]))
    return stmt.where(or_(Alert.district_wide.is_(True), mine))


def list_alerts(user: User, *, level=None, unit_id=None, in_force=None, since=None, until=None) -> Select:
    """Newest first; ``in_force`` true: binding now; ``since``/``until``: overlapping that span."""
    stmt = visible_alerts(user)
    now = utcnow()
    if level:
        stmt = stmt.where(Alert.level == level)
    if unit_id is not None:
        stmt = stmt.where(covers_unit(unit_id))
    if in_force is True:
        stmt = stmt.where(in_force_at(now))
    elif in_force is False:
        stmt = stmt.where(~in_force_at(now))
    if since is not None:  # times without offset are Asia/Shanghai, as entered
        stmt = stmt.where(Alert.ends_at > local_input(since), _not_lifted_by(local_input(since)))
    if until is not None:
        stmt = stmt.where(Alert.starts_at < local_input(until))
    return stmt.order_by(Alert.starts_at.desc(), Alert.id.desc())


def end_of_local_day(now: datetime) -> datetime:
    local = to_local(now)
    return datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), LOCAL_TZ)


def active_alerts(user: User, now: datetime | None = None) -> list[Alert]:
    """What binds the caller's units now or starts later today (Asia/Shanghai), earliest first."""
    now = as_utc(now or utcnow())
    stmt = visible_alerts(user).where(
        Alert.starts_at < end_of_local_day(now), Alert.ends_at > now, _not_lifted_by(now))
    return list(db.session.scalars(stmt.order_by(Alert.starts_at, Alert.id)))


def get_visible_alert(user: User, alert_id: int) -> Alert | None:
    return db.session.scalar(visible_alerts(user).where(Alert.id == alert_id))

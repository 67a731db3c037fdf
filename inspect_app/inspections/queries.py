"""Reads of inspections, scoped: inspectors see their own, supervisors their units."""
from __future__ import annotations

from sqlalchemy import Select, select

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection


def visible_inspections(user: User) -> Select:
    """Inspections the user may see: an inspector their own, others by unit."""
    stmt = select(Inspection)
    if user.role == "inspector":
        return stmt.where(Inspection.inspector_id == user.id)
    return scope_to_units(stmt, user, Inspection.unit_id)


def list_inspections(user: User, *, mine=False, site_id=None, review_status=None) -> Select:
    """Newest first, filtered."""
    stmt = visible_inspections(user)
    if mine:
        stmt = stmt.where(Inspection.inspector_id == user.id)
    if site_id:
        stmt = stmt.where(Inspection.site_id == site_id)
    if review_status:
        stmt = stmt.where(Inspection.review_status == review_status)
    return stmt.order_by(Inspection.finished_at.desc(), Inspection.id.desc())


def get_visible_inspection(user: User, uuid: str) -> Inspection | None:
    """One inspection by client UUID if the user may see it."""
    return db.session.scalar(visible_inspections(user).where(Inspection.uuid == str(uuid)))

"""Reads of complaints, scoped to the caller's units."""
from __future__ import annotations

from sqlalchemy import Select, and_, func, select

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.complaints.models import Complaint

SUPERVISORS = ("supervisor", "admin")


def sees_personal_data(user: User) -> bool:
    """The complainant's name and phone are for supervisors and admins only."""
    return user.role in SUPERVISORS


def overdue_condition(now=None):
    """An open complaint task past its due time (no answering inspection yet)."""
    return and_(Complaint.status == "open", Complaint.due_at < (now or utcnow()))


def visible_complaints(user: User) -> Select:
    stmt = scope_to_units(select(Complaint), user, Complaint.unit_id)
    if user.role == "inspector":
        stmt = stmt.where(Complaint.status == "open")  # their task list: what still needs a visit
    return stmt


def list_complaints(user: User, *, status=None, overdue=None) -> Select:
    stmt = visible_complaints(user)
    if status:
        stmt = stmt.where(Complaint.status == status)
    if overdue:
        stmt = stmt.where(overdue_condition())
    return stmt.order_by(Complaint.due_at.is_(None).desc(), Complaint.due_at, Complaint.id)


def get_visible_complaint(user: User, complaint_id: int) -> Complaint | None:
    return db.session.scalar(scope_to_units(select(Complaint), user, Complaint.unit_id)
                             .where(Complaint.id == complaint_id))


def overdue_count(user: User) -> int:
    """Overdue complaint tasks in the caller's units (the supervisor's waiting-work count)."""
    stmt = scope_to_units(select(func.count()).select_from(Complaint).where(overdue_condition()),
                          user, Complaint.unit_id)
    return db.session.scalar(stmt) or 0

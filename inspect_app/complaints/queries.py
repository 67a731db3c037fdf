"""Reads of complaints, scoped to the caller's units."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.complaints.models import Complaint
from inspect_app.inspections.models import Inspection

SUPERVISORS = ("supervisor", "admin")


def sees_personal_data(user: User) -> bool:
    """The complainant's name and phone are for supervisors and admins only."""
    return user.role in SUPERVISORS


def overdue_condition(now=None):
    """An open complaint task past its due time (no answering inspection yet)."""
    return and_(open_tasks_condition(), Complaint.due_at < (now or utcnow()))


def open_tasks_condition():
    """A complaint task still owed a visit: matched to a site, no answering inspection yet."""
    return Complaint.status == "open"


def open_tasks(user: User) -> Select:
    """The complaint tasks of ``user``'s units still owed a visit, soonest due first (then by id).

    What an inspector's task list shows (``GET /api/complaints`` as an inspector, and the phone's list of
    complaint tasks): each row is a :class:`Complaint` with its matched ``site`` loaded; the complainant's
    details are on the row but the schemas drop them for inspectors. Admins and enforcement see every unit.
    """
    return (scope_to_units(select(Complaint), user, Complaint.unit_id).where(open_tasks_condition())
            .order_by(Complaint.due_at, Complaint.id))


def visible_complaints(user: User) -> Select:
    if user.role == "inspector":
        return open_tasks(user).order_by(None)  # their task list: what still needs a visit
    return scope_to_units(select(Complaint), user, Complaint.unit_id)


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


def period_rows(start: datetime, end: datetime, user: User | None = None) -> Select:
    """Complaints received or closed in ``[start, end)`` (UTC), for the weekly export's 投诉处置 sheet;
    ``user`` None: the whole district. By received time.

    Columns: channel, ticket_number, received_at, category, address, unit_id, site_id, status, due_at,
    the answering inspection's finished_at, score, grade and vetoed, reply, closed_at. The complainant's
    name and phone are not selected: the export never carries them.
    """
    stmt = (select(Complaint.channel, Complaint.ticket_number, Complaint.received_at, Complaint.category,
                   Complaint.address, Complaint.unit_id, Complaint.site_id, Complaint.status, Complaint.due_at,
                   Inspection.finished_at, Inspection.score, Inspection.grade, Inspection.vetoed,
                   Complaint.reply, Complaint.closed_at)
            .outerjoin(Inspection, Inspection.id == Complaint.inspection_id)
            .where(or_(and_(Complaint.received_at >= start, Complaint.received_at < end),
                       and_(Complaint.closed_at >= start, Complaint.closed_at < end)))
            .order_by(Complaint.received_at, Complaint.id))
    return stmt if user is None else scope_to_units(stmt, user, Complaint.unit_id)

"""Reads of violations and penalty cases, scoped to the caller's units."""
from __future__ import annotations

from sqlalchemy import Select, select

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.penalties.models import PenaltyCase, Violation


def list_violations(user: User, *, site_id=None, status=None) -> Select:
    """Violations in the user's units, most urgent deadline first."""
    stmt = scope_to_units(select(Violation), user, Violation.unit_id)
    if site_id:
        stmt = stmt.where(Violation.site_id == site_id)
    if status:
        stmt = stmt.where(Violation.status == status)
    return stmt.order_by(Violation.deadline, Violation.id)


def list_cases(user: User, *, status=None) -> Select:
    """Penalty cases in the user's units, newest first."""
    stmt = scope_to_units(select(PenaltyCase), user, PenaltyCase.unit_id)
    if status:
        stmt = stmt.where(PenaltyCase.status == status)
    return stmt.order_by(PenaltyCase.created_at.desc(), PenaltyCase.id.desc())

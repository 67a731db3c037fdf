"""Reads for auth, and the unit-scoping rule every feature's queries apply."""
from __future__ import annotations

from sqlalchemy import Select, false, select

from inspect_app.auth.models import User
from inspect_app.core.models import Unit
from inspect_app.extensions import db


def scope_to_units(stmt: Select, user: User, unit_column) -> Select:
    """Restrict ``stmt`` to rows whose ``unit_column`` is one of the user's units.

    Admins and enforcement officers see the whole district; everyone else sees only their units,
    and a user with no units sees nothing.
    """
    if user.sees_all_units:
        return stmt
    unit_ids = user.unit_ids
    if not unit_ids:
        return stmt.where(false())
    return stmt.where(unit_column.in_(unit_ids))


def user_may_see_unit(user: User, unit_id: int | None) -> bool:
    """Whether a single object in ``unit_id`` is visible to ``user``."""
    return user.sees_all_units or (unit_id is not None and unit_id in user.unit_ids)


def get_user_by_username(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def units_by_code_or_name(keys: list[str]) -> dict[str, Unit]:
    """Map each given unit code or Chinese name to its Unit (missing keys are absent)."""
    units = db.session.scalars(select(Unit)).all()
    index = {u.code: u for u in units} | {u.name_zh: u for u in units}
    return {k: index[k] for k in keys if k in index}

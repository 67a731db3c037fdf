"""Reads for auth, and the unit-scoping rule every feature's queries apply."""
from __future__ import annotations

from sqlalchemy import Select, and_, false, func, or_, select

from inspect_app.auth.models import ApiToken, User, user_units
from inspect_app.core.models import Unit
from inspect_app.core.timeutil import utcnow
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


def _live_token_condition():
    """Tokens that would still authenticate: not revoked, not expired, not before the cut-off."""
    return and_(ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow(),
                or_(User.tokens_valid_after.is_(None), ApiToken.created_at >= User.tokens_valid_after))


def users_with_live_token_counts(active: bool | None = None, *, viewer: User | None = None,
                                 role: str | None = None, unit: str | None = None,
                                 q: str | None = None) -> list[tuple[User, int]]:
    """Users by username with their live tokens counted; optionally only active or inactive ones,
    of one role, of one unit (code), or whose username or name contains ``q``.

    With a ``viewer`` who does not see the whole district (a supervisor), only the users who share a
    unit with them: the people of their units, never the district's admins or other units' staff.
    """
    live = (select(func.count(ApiToken.id)).where(ApiToken.user_id == User.id, _live_token_condition())
            .correlate(User).scalar_subquery())
    stmt = select(User, live).order_by(User.username)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if role:
        stmt = stmt.where(User.role == role)
    if unit:
        stmt = stmt.where(User.id.in_(select(user_units.c.user_id).join(Unit, Unit.id == user_units.c.unit_id)
                                      .where(Unit.code == unit)))
    if q:
        text = q.strip()
        stmt = stmt.where(User.username.contains(text, autoescape=True)
                          | User.display_name.contains(text, autoescape=True))
    if viewer is not None and not viewer.sees_all_units:
        stmt = stmt.where(User.id.in_(select(user_units.c.user_id)
                                      .where(user_units.c.unit_id.in_(viewer.unit_ids or [-1]))))
    return [(user, count) for user, count in db.session.execute(stmt).all()]


def all_units() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.id)))


def live_token_count(user: User) -> int:
    return db.session.scalar(select(func.count(ApiToken.id)).join(User, ApiToken.user_id == User.id)
                             .where(ApiToken.user_id == user.id, _live_token_condition())) or 0

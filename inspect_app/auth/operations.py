"""State changes of the auth feature: users and tokens. Operations flush; the caller commits."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from inspect_app.auth import messages  # noqa: F401  (registers strings)
from inspect_app.auth.models import ALL_ROLES, ApiToken, User
from inspect_app.auth.permissions import hash_token
from inspect_app.auth.queries import get_user_by_username, units_by_code_or_name
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, DomainError, NotAuthenticated, ValidationFailed
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db

# A real hash to compare against when the username is unknown, so timing does not reveal it.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def create_user(actor, *, username: str, display_name: str, role: str, password: str,
                units: list[str] = ()) -> User:
    """Create a user with a hashed password and the units they may see."""
    if role not in ALL_ROLES:
        raise ValidationFailed("unknown_role", role=role)
    if len(password) < 8:
        raise ValidationFailed("weak_password")
    if get_user_by_username(username):
        raise Conflict("username_taken")
    found = units_by_code_or_name(list(units))
    missing = [u for u in units if u not in found]
    if missing:
        raise ValidationFailed("unknown_unit", unit=", ".join(missing))
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        password_hash=generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"]),
        units=list({u.id: u for u in found.values()}.values()),
    )
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, after={"username": username, "role": role,
                                                   "units": sorted(found)})
    return user


def set_user_active(actor, user: User, active: bool) -> User:
    """Activate or deactivate a user; deactivation revokes every token at once."""
    before = {"active": user.active}
    user.active = active
    if not active:
        revoke_all_tokens(user)
    audit.record(actor, "user.set_active", user, before=before, after={"active": active})
    db.session.flush()
    return user


def login(username: str, password: str, *, ttl_hours: int, user_agent: str | None = None):
    """Check the password and issue a new bearer token; returns (user, token, record)."""
    user = get_user_by_username(username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        raise NotAuthenticated("invalid_credentials")
    if not check_password_hash(user.password_hash, password):
        raise NotAuthenticated("invalid_credentials")
    if not user.active:
        raise DomainError("user_inactive", status=403)
    token = secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        expires_at=utcnow() + timedelta(hours=ttl_hours),
        user_agent=(user_agent or "")[:200] or None,
    )
    db.session.add(record)
    db.session.flush()
    audit.record(user, "auth.login", user, after={"token_id": record.id})
    return user, token, record


def revoke_token(actor, record: ApiToken) -> None:
    """Revoke one token (logout)."""
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        audit.record(actor, "auth.logout", record.user, after={"token_id": record.id})
    db.session.flush()


def revoke_all_tokens(user: User) -> None:
    """Revoke every live token of a user."""
    now = utcnow()
    for record in db.session.query(ApiToken).filter_by(user_id=user.id, revoked_at=None):
        record.revoked_at = now

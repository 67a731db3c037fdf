"""State changes of the auth feature: users and tokens. Operations flush; the caller commits."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from inspect_app.auth import messages  # noqa: F401  (registers strings)
from inspect_app.auth.models import ALL_ROLES, AUTHORITIES, DEFAULT_AUTHORITY, ApiToken, User
from inspect_app.auth.permissions import hash_token
from inspect_app.auth.queries import get_user_by_username, units_by_code_or_name
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, DomainError, NotAuthenticated, ValidationFailed
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db

# A real hash to compare against when the username is unknown, so timing does not reveal it.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def create_user(actor, *, username: str, display_name: str, role: str, password: str,
                units: list[str] = (), authority: str = DEFAULT_AUTHORITY, must_change: bool = False) -> User:
    """Create a user with a hashed password, the units they may see and the authority they work for;
    ``must_change`` (an admin handing the password over) makes them choose their own at first login."""
    if role not in ALL_ROLES:
        raise ValidationFailed("unknown_role", role=role)
    _check_authority(authority)
    _check_password(password)
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
        password_hash=_hash_password(password),
        units=list({u.id: u for u in found.values()}.values()),
        authority=authority,
        must_change_password=must_change,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", user, after={"username": username, "role": role,
                                                   "units": sorted(found), "authority": authority,
                                                   "must_change_password": must_change})
    return user


def one_time_password() -> str:
    """A password for the admin to hand over once (create or reset without typing one): 12 letters and
    digits without the look-alikes 0/O, 1/l/I, so it can be read out over the phone."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def account_summary(user: User) -> dict:
    """The audited fields of an account (never the password hash)."""
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "units": sorted(u.code for u in user.units), "authority": user.authority, "active": user.active}


def update_user(actor, user: User, data: dict) -> User:
    """Change an account's display name, role or units; before and after are audited.

    A role change also ends the user's sessions, so every device logs in again and shows the screens
    of the new role. An admin may not change their own role (the last admin could lock everyone out).
    """
    before = account_summary(user)
    if "role" in data and data["role"] != user.role:
        if data["role"] not in ALL_ROLES:
            raise ValidationFailed("unknown_role", role=data["role"])
        if actor is not None and getattr(actor, "id", None) == user.id:
            raise Conflict("cannot_change_own_role")
    if "units" in data:
        wanted = list(dict.fromkeys(data["units"]))
        found = units_by_code_or_name(wanted)
        missing = [u for u in wanted if u not in found]
        if missing:
            raise ValidationFailed("unknown_unit", unit=", ".join(missing))
        user.units = sorted({u.id: u for u in found.values()}.values(), key=lambda u: u.id)
    if "display_name" in data:
        user.display_name = data["display_name"].strip() or user.username
    role_changed = "role" in data and data["role"] != user.role
    if role_changed:
        user.role = data["role"]
    db.session.flush()
    after = account_summary(user)
    if after != before:
        audit.record(actor, "user.update", user, before=before, after=after)
    if role_changed:
        cutoff = user.tokens_valid_after
        revoked = revoke_all_tokens(user)
        audit.record(actor, "user.revoke_tokens", user, before={"tokens_valid_after": cutoff},
                     after={"tokens_revoked": revoked, "tokens_valid_after": user.tokens_valid_after,
                            "reason": "role_changed"})
        db.session.flush()
    return user


def set_user_authority(actor, user: User, authority: str) -> User:
    """Move a user to another authority's queue (区城管执法局, 区交管队, 区住建局, 生态环境分局)."""
    _check_authority(authority)
    before = {"authority": user.authority}
    if user.authority != authority:
        user.authority = authority
        audit.record(actor, "user.set_authority", user, before=before, after={"authority": authority})
    db.session.flush()
    return user


def _check_authority(authority: str) -> None:
    if authority not in AUTHORITIES:
        raise ValidationFailed("unknown_authority", authority=authority, allowed=", ".join(AUTHORITIES))


def set_user_active(actor, user: User, active: bool) -> User:
    """Deactivate (every token revoked at once) or reactivate a user.

    Both directions move the user's token cut-off, so no token issued before the change works
    afterwards: a reactivated user logs in again, even if a login raced the deactivation.
    """
    if not active and actor is not None and getattr(actor, "id", None) == user.id:
        raise Conflict("cannot_deactivate_self")
    before = {"active": user.active}
    user.active = active
    revoked = revoke_all_tokens(user)
    audit.record(actor, "user.set_active", user, before=before, after={"active": active})
    if revoked:
        audit.record(actor, "user.revoke_tokens", user, after={"tokens_revoked": revoked})
    db.session.flush()
    return user


def reset_password(actor, user: User, password: str, *, must_change: bool = False) -> User:
    """Set a new password (hashed as at creation) and end every session of the user; ``must_change``
    (an admin's reset) makes its owner choose their own before doing anything else."""
    _check_password(password, username=user.username)
    cutoff = user.tokens_valid_after
    user.password_hash = _hash_password(password)
    user.must_change_password = must_change
    revoked = revoke_all_tokens(user)
    audit.record(actor, "user.reset_password", user, before={"tokens_valid_after": cutoff},
                 after={"tokens_revoked": revoked, "tokens_valid_after": user.tokens_valid_after,
                        "must_change_password": must_change})
    db.session.flush()
    return user


def change_own_password(user: User, current: str, new: str, *, ttl_hours: int, user_agent: str | None = None):
    """The user chooses a new password; returns (token, record) of a fresh session.

    The current password must be right (a wrong one is audited and changes nothing). Every session of the user
    ends — a phone left logged in elsewhere is logged out — and the caller gets a new token in place of the
    one it used.
    """
    if not check_password_hash(user.password_hash, current):
        audit.record(user, "user.change_password_refused", user, after={"reason": "current_password_wrong"})
        raise ValidationFailed("current_password_wrong")
    if new == current:
        raise ValidationFailed("password_unchanged")
    _check_password(new, username=user.username)
    was_required = user.must_change_password
    user.password_hash = _hash_password(new)
    user.must_change_password = False
    revoked = revoke_all_tokens(user)
    token, record = _issue_token(user, ttl_hours=ttl_hours, user_agent=user_agent)
    audit.record(user, "user.change_password", user, before={"must_change_password": was_required},
                 after={"must_change_password": False, "tokens_revoked": revoked, "token_id": record.id})
    return token, record


def revoke_user_tokens(actor, user: User) -> int:
    """Log a user out everywhere (a lost phone); returns how many live tokens were revoked."""
    cutoff = user.tokens_valid_after
    revoked = revoke_all_tokens(user)
    audit.record(actor, "user.revoke_tokens", user, before={"tokens_valid_after": cutoff},
                 after={"tokens_revoked": revoked, "tokens_valid_after": user.tokens_valid_after})
    db.session.flush()
    return revoked


def login(username: str, password: str, *, ttl_hours: int, user_agent: str | None = None,
          client_address: str | None = None):
    """Check the password and issue a new bearer token; returns (user, token, record).

    A refused attempt is audited (``auth.login_failed``: the username tried, the client address and
    why, never the password) before the error is raised; the caller commits in both cases.
    """
    user = get_user_by_username(username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        _audit_failed_login(None, username, client_address, "invalid_credentials")
        raise NotAuthenticated("invalid_credentials")
    if not check_password_hash(user.password_hash, password):
        _audit_failed_login(user, username, client_address, "invalid_credentials")
        raise NotAuthenticated("invalid_credentials")
    if not user.active:
        _audit_failed_login(user, username, client_address, "user_inactive")
        raise DomainError("user_inactive", status=403)
    token, record = _issue_token(user, ttl_hours=ttl_hours, user_agent=user_agent)
    audit.record(user, "auth.login", user, after={"token_id": record.id, "address": client_address})
    return user, token, record


def _issue_token(user: User, *, ttl_hours: int, user_agent: str | None) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    now = utcnow()  # never before a cut-off set earlier in this transaction: only older tokens are dead
    record = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(hours=ttl_hours),
        user_agent=(user_agent or "")[:200] or None,
    )
    db.session.add(record)
    db.session.flush()
    return token, record


def _audit_failed_login(user: User | None, username: str, client_address: str | None, reason: str) -> None:
    audit.record(None, "auth.login_failed", user, object_type="users",
                 object_id=str(user.id) if user else "",
                 after={"username": username[:64], "address": client_address, "reason": reason})


def revoke_token(actor, record: ApiToken) -> None:
    """Revoke one token (logout)."""
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        audit.record(actor, "auth.logout", record.user, after={"token_id": record.id})
    db.session.flush()


def revoke_all_tokens(user: User) -> int:
    """Revoke every live token of a user and move the cut-off; returns how many were live."""
    now = utcnow()
    user.tokens_valid_after = now
    live = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                     ApiToken.revoked_at.is_(None))).all()
    for record in live:
        record.revoked_at = now
    return len(live)


def _check_password(password: str, *, username: str | None = None) -> None:
    if len(password) < 8:
        raise ValidationFailed("weak_password")
    if username and password.strip().casefold() == username.strip().casefold():
        raise ValidationFailed("password_is_username")


def _hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

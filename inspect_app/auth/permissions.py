"""Who may call what. Every view is wrapped in :func:`roles_required` or marked :func:`public`.

A test walks the URL map and fails for any API view that declares neither, so a new endpoint
cannot ship without an explicit role decision.
"""
from __future__ import annotations

import functools
import hashlib

from flask import g, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from inspect_app.auth.models import ALL_ROLES, ApiToken, User
from inspect_app.core.errors import Forbidden, NotAuthenticated
from inspect_app.core.timeutil import as_utc, utcnow
from inspect_app.extensions import db


def hash_token(token: str) -> str:
    """Tokens are stored only as SHA-256 digests."""
    return hashlib.sha256(token.encode()).hexdigest()


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip() or None
    return None


def authenticate() -> User:
    """The user behind the request's bearer token, or NotAuthenticated."""
    token = _bearer_token()
    if not token:
        raise NotAuthenticated()
    # One round trip: the token, its user and the user's units (every view scopes by them) are joined,
    # where the relationships' defaults took two (the units' selectin load after the token's row).
    record = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hash_token(token))
        .options(joinedload(ApiToken.user).joinedload(User.units))
    ).unique().first()
    if (
        record is None
        or record.revoked_at is not None
        or as_utc(record.expires_at) <= utcnow()
        or not record.user.active
        or _issued_before_cutoff(record)
    ):
        raise NotAuthenticated("token_invalid")
    g.token = record
    return record.user


def _issued_before_cutoff(record: ApiToken) -> bool:
    """A token older than the user's cut-off (deactivation, reset, "log out everywhere") is dead."""
    cutoff = record.user.tokens_valid_after
    return cutoff is not None and as_utc(record.created_at) < as_utc(cutoff)


def roles_required(*roles: str, before_password_change: bool = False):
    """Allow the wrapped view only to authenticated users with one of ``roles``.

    A user whose password an admin set (``must_change_password``) is refused with 403
    ``password_change_required`` everywhere except the views marked ``before_password_change``
    (who am I, log out, change my password).
    """
    unknown = set(roles) - set(ALL_ROLES)
    if unknown or not roles:
        raise ValueError(f"roles_required needs known roles, got {roles!r}")

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            user = authenticate()
            if user.role not in roles:
                raise Forbidden()
            if user.must_change_password and not before_password_change:
                raise Forbidden("password_change_required")
            g.user = user
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator


def public(view):
    """Mark a view deliberately open to anyone (health, login, the OpenAPI document)."""
    view.allowed_roles = "public"
    return view


def current_user() -> User:
    """The user the permission check authenticated for this request."""
    return g.user

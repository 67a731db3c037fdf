"""Users, the units they may see, and revocable API tokens."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.core.models import Unit, UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db


class Role(str, enum.Enum):
    """What a user does; endpoints declare which roles may call them."""

    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    ENFORCEMENT = "enforcement"
    ADMIN = "admin"


ALL_ROLES = tuple(r.value for r in Role)
# The authority an enforcement user works for; each sees only its own queue of penalty cases.
# 区城管执法局 | 区交管队 | 区住建局 | 生态环境分局 (the checklist items name theirs, legal_basis.authority).
AUTHORITIES = ("bureau", "traffic_police", "housing", "ecology")
DEFAULT_AUTHORITY = "bureau"
# Admins and the district enforcement bureau see every unit.
DISTRICT_WIDE_ROLES = (Role.ADMIN.value, Role.ENFORCEMENT.value)

user_units = Table(
    "user_units",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class User(db.Model):
    """A person who logs in: inspector, supervisor, enforcement officer or admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Tokens issued before this instant are dead, whatever their own row says: deactivation,
    # reactivation, a password reset and "revoke all" move it, so a token that a login racing one
    # of them issued cannot come back to life when the account is reactivated.
    tokens_valid_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Whose cases an enforcement user works on (AUTHORITIES); other roles keep the default.
    authority: Mapped[str] = mapped_column(String(20), default=DEFAULT_AUTHORITY,
                                           server_default=DEFAULT_AUTHORITY)
    # Set when an admin sets the password (a new account, a reset): the admin knows it, so until its owner
    # chooses their own every endpoint but "me", "log out" and "change my password" answers 403.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    units: Mapped[list[Unit]] = relationship(secondary=user_units, lazy="selectin", order_by=Unit.id)

    @property
    def sees_all_units(self) -> bool:
        """Admins and enforcement officers work district-wide."""
        return self.role in DISTRICT_WIDE_ROLES

    @property
    def unit_ids(self) -> list[int]:
        return [u.id for u in self.units]


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, so a database leak yields no usable token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship(lazy="joined")

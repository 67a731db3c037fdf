"""Sites a supervisor assigns to inspectors, each unit's coverage target, and stops skipped."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.auth.models import User
from inspect_app.core.models import Unit, UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.sites.models import Site

ASSIGNMENT_STATUSES = ("active", "cancelled")
# why a stop of the day was not visited: the gate was shut (nobody to open it), no safe access,
# out of time, weather (大风/暴雨), or something else the note explains
SKIP_REASONS = ("site_closed", "no_access", "out_of_time", "weather", "other")


class Assignment(db.Model):
    """A site a supervisor gave an inspector for a day or a range of days (local dates, inclusive)."""

    __tablename__ = "site_assignments"
    __table_args__ = (CheckConstraint("end_on >= start_on", name="assignment_range"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date, index=True)
    end_on: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship(lazy="joined")
    inspector: Mapped[User] = relationship(foreign_keys=[inspector_id], lazy="joined")


class CoverageTarget(db.Model):
    """Every open site of the unit at least once every ``every_days`` days."""

    __tablename__ = "coverage_targets"
    __table_args__ = (CheckConstraint("every_days >= 1 AND every_days <= 366", name="every_days_range"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    every_days: Mapped[int] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")


class StopSkip(db.Model):
    """A stop of an inspector's day left out, with why; sent through the phone's outbox (its UUID)."""

    __tablename__ = "stop_skips"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)  # the local date of the list
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship(lazy="joined")
    inspector: Mapped[User] = relationship(lazy="joined")

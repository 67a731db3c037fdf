"""Follow-up tasks (复查), the visits that re-checked them, and violations closed by a supervisor."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.auth.models import User
from inspect_app.core.models import UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.notices.models import Notice
from inspect_app.penalties.models import Violation

# open: waiting for its 复查; closed: ``outcome`` says how; cancelled: its notice was voided
TASK_STATUSES = ("open", "closed", "cancelled")
# rectified: every item of the notice is closed (已整改); escalated: a follow-up after the deadline
# failed and penalties opened a case — the bureau decides from there
TASK_OUTCOMES = ("rectified", "escalated")
VISIT_RESULTS = ("passed", "failed", "partial")
# why a violation could never be re-checked: the ozone season ended (after 30 Sep), the site moved
# to another phase (an earthwork item after earthwork), or something else the note explains
CLOSURE_REASONS = ("season_ended", "phase_moved_on", "other")


class FollowUp(db.Model):
    """The 复查 a notice calls for: due on its earliest open deadline, assigned to one inspector."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # site | truck, as the notice
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    plate: Mapped[str | None] = mapped_column(String(12), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)  # local (Asia/Shanghai) date
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    outcome: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    notice: Mapped[Notice] = relationship(lazy="joined")
    assignee: Mapped[User] = relationship(lazy="joined")
    visits: Mapped[list[FollowUpVisit]] = relationship(
        back_populates="follow_up", order_by="FollowUpVisit.id", lazy="selectin")


class FollowUpVisit(db.Model):
    """One follow-up inspection recorded for a task (the inspection's link to the notice)."""

    __tablename__ = "follow_up_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    follow_up_id: Mapped[int] = mapped_column(ForeignKey("follow_ups.id", ondelete="CASCADE"), index=True)
    # one visit per inspection: a replayed submission finds it and records nothing
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), unique=True)
    result: Mapped[str] = mapped_column(String(10))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the inspection's finish

    follow_up: Mapped[FollowUp] = relationship(back_populates="visits")
    inspection: Mapped[Inspection] = relationship(lazy="select")


class ViolationClosure(db.Model):
    """A violation closed by a supervisor because it can never be re-checked, with why and evidence."""

    __tablename__ = "violation_closures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    violation_id: Mapped[int] = mapped_column(ForeignKey("violations.id"), unique=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    photo_ids: Mapped[list] = mapped_column(JSON, default=list)  # stored photos of the same site or plate
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    violation: Mapped[Violation] = relationship(lazy="joined")
    actor: Mapped[User] = relationship(lazy="joined")

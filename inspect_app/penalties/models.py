"""Rectification items (整改) and penalty cases queued for 区城管执法局."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.core.models import UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.sites.models import Site

VIOLATION_STATUSES = ("open", "overdue", "closed", "void")
OPEN_STATUSES = ("open", "overdue")
CASE_STATUSES = ("pending_review", "approved", "dismissed", "accepted", "decided", "closed")
CASE_REASONS = ("veto", "overdue_refail", "repeat_failures")


class Violation(db.Model):
    """A failed requirement at a site that must be rectified by a deadline.

    At most one open (or overdue) violation exists per site and requirement: a re-failure updates
    it instead of opening another (partial unique index).
    """

    __tablename__ = "violations"
    __table_args__ = (
        Index("uq_violations_open_site_item", "site_id", "item_key", unique=True,
              sqlite_where=text("status IN ('open', 'overdue')"),
              postgresql_where=text("status IN ('open', 'overdue')")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    item_key: Mapped[str] = mapped_column(String(60))
    checklist_item_id: Mapped[int] = mapped_column(ForeignKey("checklist_items.id"))
    opened_by_inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    last_failed_inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    closed_by_inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"))
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fail_count: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str | None] = mapped_column(Text)

    site: Mapped[Site | None] = relationship(lazy="joined")
    opened_by: Mapped[Inspection] = relationship(
        foreign_keys=[opened_by_inspection_id],
        backref=db.backref("opened_violations", lazy="selectin"),
    )


class PenaltyCase(db.Model):
    """A case referred for punishment, with its legal basis and fine range filled in."""

    __tablename__ = "penalty_cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(40), unique=True)
    # One case per inspection: replaying or re-processing an inspection never doubles it.
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), unique=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    contractor: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(16), default="pending_review", index=True)
    authority: Mapped[str] = mapped_column(String(20), default="bureau")  # bureau | traffic_police
    items: Mapped[list] = mapped_column(JSON)  # [{item_key, text_zh, reasons, legal_basis}]
    photo_ids: Mapped[list] = mapped_column(JSON, default=list)
    fine_min: Mapped[float | None] = mapped_column(Float)
    fine_max: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    site: Mapped[Site | None] = relationship(lazy="joined")
    inspection: Mapped[Inspection] = relationship(
        backref=db.backref("penalty_cases", lazy="selectin")
    )

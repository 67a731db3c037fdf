"""Stop-work orders on sites (停工整治) and their resumption (复工).

A row per stop-work decision: the site is ``suspended`` while any of its rows is open (``ended_at``
NULL). Resumption moves the site's open rows together: the site applies (a supervisor records the
application), an inspector's full inspection finds the site in order, a supervisor approves —
only then is the site ``active`` again.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.auth.models import User
from inspect_app.core.models import UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import PenaltyCase
from inspect_app.sites.models import Site

# suspended: the order stands | applied: the site asked to resume | inspected: an inspection after the
# application found the site in order | resumed: a supervisor approved (ended)
SUSPENSION_STATUSES = ("suspended", "applied", "inspected", "resumed")
OPEN_SUSPENSION_STATUSES = ("suspended", "applied", "inspected")


class SiteSuspension(db.Model):
    """One stop-work order on one site, from the decision to the approved resumption."""

    __tablename__ = "site_suspensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    # one suspension per case: a decision announced twice suspends once
    case_id: Mapped[int] = mapped_column(ForeignKey("penalty_cases.id"), unique=True)
    decision_number: Mapped[str] = mapped_column(String(60))  # 决定书文号
    status: Mapped[str] = mapped_column(String(12), default="suspended", index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    ordered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    application_note: Mapped[str | None] = mapped_column(Text)
    resumption_inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approval_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship(lazy="joined")
    case: Mapped[PenaltyCase] = relationship(lazy="select")
    resumption_inspection: Mapped[Inspection | None] = relationship(lazy="select")
    applied_by: Mapped[User | None] = relationship(foreign_keys=[applied_by_id], lazy="select")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id], lazy="select")

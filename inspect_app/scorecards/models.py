"""Per-site statistics the scorecards read instead of the whole inspection history."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from inspect_app.core.models import UTCDateTime
from inspect_app.extensions import db


class SiteStats(db.Model):
    """A site's latest results, kept current by the write path (``scorecards.operations``).

    Every flush that adds, removes or changes a counted inspection of a site recomputes that site's
    row from its inspections (never an increment, so a row is always what the history says), under
    the row's lock so two racing writers cannot leave it stale. ``flask scorecards rebuild-stats``
    recomputes every row (after a bulk load that bypassed the ORM).

    * ``score`` / ``grade``: the newest counted inspection that has a score.
    * ``previous_score``: the one before it (the trend).
    * ``last_inspected_at``: the newest counted inspection, scored or not.
    """

    __tablename__ = "site_stats"
    __table_args__ = (
        # Scorecards sorted by lowest score / longest unvisited read sites in this order.
        Index("ix_site_stats_score", "score"),
        Index("ix_site_stats_last_inspected", "last_inspected_at"),
    )

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(12))
    previous_score: Mapped[float | None] = mapped_column(Float)
    last_inspected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

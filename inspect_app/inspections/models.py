"""Inspections and their per-item answers, as submitted from the phone."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, and_, false,
                        literal_column, text)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from inspect_app.auth.models import User
from inspect_app.core.models import UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.sites.models import Site
from inspect_app.trucks.models import Vehicle

OUTCOMES = ("pass", "fail", "na")
# complete: every declared photo has arrived; incomplete: some are still missing.
COMPLETENESS = ("incomplete", "complete")
REVIEW_STATUSES = ("submitted", "approved", "has_issues", "rejected", "superseded")


class Inspection(db.Model):
    """One finished checklist for one site (or truck), identified by the client's UUID."""

    __tablename__ = "inspections"
    __table_args__ = (
        # A site's history newest first: site summaries, scorecards' latest scores, a site's list.
        Index("ix_inspections_site_finished", "site_id", "finished_at", "id"),
        # An inspector's own list (我的巡查), newest first.
        Index("ix_inspections_inspector_finished", "inspector_id", "finished_at", "id"),
        # Waiting-work counts read only the few rows waiting, not the whole history.
        Index("ix_inspections_awaiting_review", "unit_id", postgresql_where=text("review_status = 'submitted'"),
              sqlite_where=text("review_status = 'submitted'")),
        Index("ix_inspections_incomplete", "inspector_id", postgresql_where=text("completeness = 'incomplete'"),
              sqlite_where=text("completeness = 'incomplete'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(10), default="site")
    # sha256 of the canonical submission: a replay with equal content returns the stored result
    content_hash: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    checklist_version_ids: Mapped[list] = mapped_column(JSON)
    site_phase: Mapped[str | None] = mapped_column(String(20))  # phase when inspected
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)  # device clock
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # device clock
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # server clock
    start_lat: Mapped[float | None] = mapped_column(Float)
    start_lon: Mapped[float | None] = mapped_column(Float)
    start_accuracy_m: Mapped[float | None] = mapped_column(Float)
    start_captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finish_lat: Mapped[float | None] = mapped_column(Float)
    finish_lon: Mapped[float | None] = mapped_column(Float)
    finish_accuracy_m: Mapped[float | None] = mapped_column(Float)
    finish_captured_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completeness: Mapped[str] = mapped_column(String(12), default="incomplete")
    review_status: Mapped[str] = mapped_column(String(12), default="submitted", index=True)
    review_note: Mapped[str | None] = mapped_column(Text)
    # "rejected" means sent back for correction unless the supervisor rejected it for good (review).
    final_rejection: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    score: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(12))
    vetoed: Mapped[bool] = mapped_column(Boolean, default=False)
    score_breakdown: Mapped[list | None] = mapped_column(JSON)
    # The scoring rule that graded this sheet (scoring/rules.py): set when it is scored, never
    # changed afterwards; rows stored before rule 2 existed are rule 1 (the server default).
    scoring_rule: Mapped[int] = mapped_column(Integer, server_default="1")
    flags: Mapped[list] = mapped_column(JSON, default=list)
    # len(flags), kept by the setter below: statistics sum it from an index instead of parsing JSON.
    flag_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # indexed: reading a superseded row's correction was a sequential scan per row (115 ms at 1M rows)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"), index=True)
    # Roadside truck checks (kind "truck", see roadside): the plate as normalised, and the registry
    # vehicle when the plate is registered (an unknown plate is itself a finding).
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id"), index=True)
    plate: Mapped[str | None] = mapped_column(String(12), index=True)
    # Why the inspector finished outside the site's geofence, in their words (工地封闭无法进入): context for
    # the reviewer beside the server's own off_site flag, never a reason to clear it.
    off_site_reason: Mapped[str | None] = mapped_column(Text)
    # Annotated copies declared with the submission: {copy photo id: original photo id}. Evidence links
    # each copy to its original when it arrives and judges it as a copy, not as a lone photo.
    photo_annotations: Mapped[dict | None] = mapped_column(JSON)

    site: Mapped[Site | None] = relationship(lazy="joined")
    inspector: Mapped[User] = relationship(lazy="joined")
    results: Mapped[list[ItemResult]] = relationship(
        back_populates="inspection", order_by="ItemResult.position", lazy="selectin"
    )
    supersedes: Mapped[Inspection | None] = relationship(remote_side=[id], lazy="select")
    vehicle: Mapped[Vehicle | None] = relationship(lazy="select")  # truck checks only
    # The correction(s) that replaced this one (at most one in practice); read only when superseded.
    corrections: Mapped[list[Inspection]] = relationship(
        primaryjoin="Inspection.id == foreign(Inspection.supersedes_id)", viewonly=True, lazy="select")

    @validates("flags")
    def _count_flags(self, _key, flags):
        self.flag_count = len(flags or [])
        return flags

    @property
    def declared_photo_ids(self) -> list[str]:
        """Every photo id the items declared, in item order."""
        return [pid for result in self.results for pid in (result.photo_ids or [])]

    @property
    def missing_photos(self) -> list[str]:
        """Declared photos that have not arrived yet (``photos`` is attached by evidence)."""
        stored = {photo.uuid for photo in getattr(self, "photos", None) or []}
        return [pid for pid in self.declared_photo_ids if pid not in stored]


# The inspections statistics count (scorecards, rankings, today's list, exports): site checks not replaced by a
# correction. The values are written into the SQL, not bound, so a query using this condition is one the planner
# can prove matches the partial indexes below (a generic plan with parameters could not).
COUNTED = and_(Inspection.kind == literal_column("'site'"), Inspection.site_id.is_not(None),
               Inspection.review_status != literal_column("'superseded'"))

# Rolling 30-day figures of every site (scorecards sorted by average, rankings): an index-only range scan of the
# window instead of reading every inspection's row.
Index("ix_inspections_counted_window", Inspection.finished_at, postgresql_where=COUNTED, sqlite_where=COUNTED,
      postgresql_include=["site_id", "score", "flag_count"])
# One site's counted history newest first, with what its statistics need (the write path's refresh of site_stats,
# a page of sites' 30-day figures).
Index("ix_inspections_counted_site", Inspection.site_id, Inspection.finished_at, Inspection.id,
      postgresql_where=COUNTED, sqlite_where=COUNTED, postgresql_include=["score", "grade", "flag_count"])


class ItemResult(db.Model):
    """The answer to one form item (a requirement, possibly shared by several sources)."""

    __tablename__ = "item_results"
    __table_args__ = (UniqueConstraint("inspection_id", "item_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(60))
    checklist_item_id: Mapped[int] = mapped_column(ForeignKey("checklist_items.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(4))
    note: Mapped[str | None] = mapped_column(Text)
    photo_ids: Mapped[list] = mapped_column(JSON, default=list)  # client photo UUIDs
    applicable: Mapped[bool] = mapped_column(Boolean, default=True)

    inspection: Mapped[Inspection] = relationship(back_populates="results")

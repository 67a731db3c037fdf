"""Stored checklist versions. Immutable once stored: a changed file makes a new version, and
inspections keep pointing at the version they were filled against."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.core.models import UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db

CHECKLIST_KINDS = ("site", "truck")
# Where a version came from: a TOML file (``flask checklists sync``) or the admin desk's checklist screen.
# Sync never replaces a screen-published version silently (operations.sync_checklists).
ORIGINS = ("file", "screen")


class ChecklistVersion(db.Model):
    """One content version of one checklist source file (e.g. ``six-100`` v2)."""

    __tablename__ = "checklist_versions"
    # No unique (source_key, content_hash): reverting a file to earlier content must make a new
    # version, so the current version always matches the file on disk.
    __table_args__ = (UniqueConstraint("source_key", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_key: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(10))
    title_zh: Mapped[str] = mapped_column(String(120))
    title_en: Mapped[str] = mapped_column(String(120))
    clause: Mapped[str] = mapped_column(String(200))
    window: Mapped[dict | None] = mapped_column(JSON)  # date/hour window for the whole source
    position: Mapped[int] = mapped_column(Integer, default=100)  # order of the source on a form
    raw_text: Mapped[str] = mapped_column(Text)  # the file exactly as synced (as published: rendered TOML)
    origin: Mapped[str] = mapped_column(String(10), default="file", server_default="file")
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # screen versions only
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="version", order_by="ChecklistItem.position", lazy="selectin"
    )


class ChecklistItem(db.Model):
    """One requirement of one checklist version, with its weight, veto flag and legal basis."""

    __tablename__ = "checklist_items"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("checklist_versions.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    # Items of different sources with the same requirement are asked once on a form.
    requirement: Mapped[str] = mapped_column(String(60), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text_zh: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(String(200))
    legal_basis: Mapped[dict] = mapped_column(JSON)
    weight: Mapped[float] = mapped_column(Float)
    veto: Mapped[bool] = mapped_column(Boolean, default=False)
    photos_on_fail: Mapped[int] = mapped_column(Integer, default=1)
    phases: Mapped[list] = mapped_column(JSON)
    window: Mapped[dict | None] = mapped_column(JSON)
    rectify_days: Mapped[int] = mapped_column(Integer)
    # Who must rectify: contractor | builder | haulier | driver, or "none" for an observation about
    # the surroundings (file_schema.LIABLE_PARTIES)
    liable: Mapped[str] = mapped_column(String(12))
    # Site statuses the item is asked in (None: any), e.g. ["suspended"] for 停工 under an order
    site_statuses: Mapped[list | None] = mapped_column(JSON)
    # Alert levels the item is asked under (None: any time), e.g. ["orange", "red"] (重污染天气预警)
    alert: Mapped[list | None] = mapped_column(JSON)

    version: Mapped[ChecklistVersion] = relationship(back_populates="items")

    @property
    def authority(self) -> str:
        """Who enforces the item: bureau | traffic_police | housing | ecology (its legal basis says)."""
        return (self.legal_basis or {}).get("authority") or "bureau"

    @property
    def observation(self) -> bool:
        """An observation names no liable party: no violation, no notice, no case."""
        return self.liable == "none"

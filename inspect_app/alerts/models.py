"""A heavy-pollution alert (重污染天气预警): its level, its hours and the units it binds."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.core.models import Unit, UTCDateTime
from inspect_app.core.timeutil import as_utc, utcnow
from inspect_app.extensions import db

# 蓝 / 黄 / 橙 / 红, lowest first: where alerts overlap, the highest level in force wins.
ALERT_LEVELS = ("blue", "yellow", "orange", "red")
LEVEL_NAMES_ZH = {"blue": "蓝色", "yellow": "黄色", "orange": "橙色", "red": "红色"}

alert_units = Table(
    "alert_units",
    db.metadata,
    Column("alert_id", ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Alert(db.Model):
    """One alert as declared, with every later change kept in ``revisions`` (and the audit log)."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(8))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    district_wide: Mapped[bool] = mapped_column(Boolean, default=False)
    notice_number: Mapped[str] = mapped_column(String(80))  # e.g. 呼重污染指办〔2026〕12号
    note: Mapped[str | None] = mapped_column(Text)
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # [{"action", "at", "by", "reason", "before", "after"}] — extensions, the lifting, corrections
    revisions: Mapped[list] = mapped_column(JSON, default=list)

    units: Mapped[list[Unit]] = relationship(secondary=alert_units, lazy="selectin", order_by=Unit.id)

    @property
    def unit_ids(self) -> list[int]:
        return [u.id for u in self.units]

    @property
    def scope(self) -> str:
        return "district" if self.district_wide else "units"

    @property
    def effective_end(self) -> datetime:
        """When the alert stops binding: its end, or the moment it was lifted if earlier."""
        if self.lifted_at is not None and as_utc(self.lifted_at) < as_utc(self.ends_at):
            return as_utc(self.lifted_at)
        return as_utc(self.ends_at)

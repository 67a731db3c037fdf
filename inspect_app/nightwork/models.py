"""A night-work permit (夜间施工证明): the 证明 a site needs to work at night near homes (噪声法 第四十三条).

Its status is derived, never stored (``rules.permit_status``): valid, expired, not yet valid, or revoked.
A site may hold several permits at once and they may overlap (one per works package, or a renewal
issued before the old one ends). The number is unique per site, so an import updates, not duplicates.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.core.models import UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.sites.models import Site


class NightPermit(db.Model):
    __tablename__ = "night_permits"
    __table_args__ = (
        UniqueConstraint("site_id", "number", name="uq_night_permits_site_number"),
        CheckConstraint("valid_to >= valid_from", name="dates_in_order"),
        CheckConstraint("start_time <> end_time", name="hours_not_empty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    number: Mapped[str] = mapped_column(String(60))  # 证明编号
    issuing_office: Mapped[str] = mapped_column(String(120))  # 发证机关
    valid_from: Mapped[date] = mapped_column(Date)  # inclusive, the first night (Asia/Shanghai)
    valid_to: Mapped[date] = mapped_column(Date, index=True)  # inclusive, the last night
    # Permitted hours, Asia/Shanghai "HH:MM"; an end before the start wraps midnight (22:00–06:00).
    start_time: Mapped[str] = mapped_column(String(5))
    end_time: Mapped[str] = mapped_column(String(5))
    works: Mapped[str | None] = mapped_column(String(500))  # 作业内容
    note: Mapped[str | None] = mapped_column(String(500))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    site: Mapped[Site] = relationship(lazy="joined")

"""The muck-truck registry: haulage companies (运输企业) and their vehicles (渣土运输车辆).

Vehicles are district-wide, not scoped to a unit (街道/镇): a truck serves sites in several
units and drives through all of them to the disposal ground, admission filing (准入备案) is
granted for the whole city, and an inspector of any unit who stops a truck must be able to look
its plate up. Sites stay unit-scoped; a vehicle only lists which sites it serves.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Column, Date, Float, ForeignKey, Integer, String,
                        Table)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.core.models import UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.sites.models import Site
from inspect_app.trucks.plates import PLATE_COLOURS

# 已备案 / 未备案 / 已过期 / 已撤销
FILING_STATUSES = ("filed", "unfiled", "expired", "revoked")


def _in_list(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


vehicle_sites = Table(
    "vehicle_sites",
    db.metadata,
    Column("vehicle_id", ForeignKey("vehicles.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class HaulageCompany(db.Model):
    """A licensed haulage company (建筑垃圾运输企业); fines under 第一百一十六条 go to it."""

    __tablename__ = "haulage_companies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    licence_number: Mapped[str | None] = mapped_column(String(60))  # 建筑垃圾运输核准/许可证号
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Vehicle(db.Model):
    """One muck truck, known by its normalised plate (see ``plates.normalize_plate``)."""

    __tablename__ = "vehicles"
    __table_args__ = (
        CheckConstraint("rated_load_t > 0", name="rated_load_positive"),
        CheckConstraint(_in_list("plate_colour", PLATE_COLOURS), name="plate_colour_known"),
        CheckConstraint(_in_list("filing_status", FILING_STATUSES), name="filing_status_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plate: Mapped[str] = mapped_column(String(12), unique=True)
    plate_colour: Mapped[str] = mapped_column(String(12))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("haulage_companies.id"), index=True)
    approval_number: Mapped[str | None] = mapped_column(String(60))  # 核准编号
    rated_load_t: Mapped[float] = mapped_column(Float)  # 核定载质量, tonnes
    filing_status: Mapped[str] = mapped_column(String(12), default="unfiled", index=True)
    filing_expires_on: Mapped[date | None] = mapped_column(Date)  # last day the filing is valid
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    company: Mapped[HaulageCompany | None] = relationship(lazy="joined")
    sites: Mapped[list[Site]] = relationship(secondary=vehicle_sites, lazy="selectin",
                                             order_by=Site.id)

    def filing_problem(self, today: date) -> str | None:
        """Why the truck may not haul waste on ``today`` (local date), or None if its filing holds.

        Codes: ``inactive`` (removed from the registry), ``unfiled``, ``revoked``, ``expired``
        (status says so, or the expiry date has passed). A filing without an expiry date holds.
        """
        if not self.active:
            return "inactive"
        if self.filing_status != "filed":
            return self.filing_status
        if self.filing_expires_on is not None and self.filing_expires_on < today:
            return "expired"
        return None

    def filing_valid_on(self, today: date) -> bool:
        """Whether the admission filing (准入备案) holds on ``today``, a local (Asia/Shanghai) date."""
        return self.filing_problem(today) is None

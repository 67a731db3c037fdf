"""Construction sites (工地): where they are, who builds them, what phase they are in."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.core.models import Unit, UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db

PHASES = ("earthwork", "foundation", "structure", "decoration", "demolition", "idle", "finished")
SITE_STATUSES = ("active", "suspended", "closed")
# What inspectors' lists show by default: every site that is not closed (a suspended site is still
# visited, to check that the stop-work order is obeyed).
OPEN_SITE_STATUSES = ("active", "suspended")


class Site(db.Model):
    """A building or municipal-road site. Location is always stored as WGS-84."""

    __tablename__ = "sites"
    __table_args__ = (
        CheckConstraint("lat >= -90 AND lat <= 90", name="lat_range"),
        CheckConstraint("lon >= -180 AND lon <= 180", name="lon_range"),
        CheckConstraint("geofence_radius_m > 0", name="geofence_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    permit_number: Mapped[str | None] = mapped_column(String(60))  # 施工许可证号
    contractor: Mapped[str] = mapped_column(String(120), index=True)  # 施工单位
    builder: Mapped[str | None] = mapped_column(String(120))  # 建设单位
    address: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    geofence_radius_m: Mapped[float] = mapped_column(Float, default=200.0)
    phase: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    # 停工: set with status "suspended" when a stop-work decision is recorded, cleared on resumption
    # (inspect_app.suspensions keeps the history); several open orders are joined with "、".
    suspension_order_number: Mapped[str | None] = mapped_column(String(200))
    suspended_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")

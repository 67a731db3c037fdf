"""Construction sites (工地): where they are, who builds them, what phase they are in."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.core.models import Unit, UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.organisations.models import Organisation

PHASES = ("earthwork", "foundation", "structure", "decoration", "demolition", "idle", "finished")
SITE_STATUSES = ("active", "suspended", "finished", "closed")
# 房建 / 市政 / 拆除 / 其他
PROJECT_TYPES = ("building", "municipal", "demolition", "other")
# The three parties a site names (建设单位 / 施工单位 / 监理单位): the key in the API → its FK column.
PARTY_COLUMNS = {"builder": "builder_org_id", "contractor": "contractor_org_id",
                 "supervisor": "supervisor_org_id"}
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
    # 施工单位 / 建设单位 as names: copied from the organisation record when one is attached (cases,
    # notices and exports read the name); the record is what rankings and the organisation page use.
    contractor: Mapped[str] = mapped_column(String(120), index=True)  # 施工单位
    builder: Mapped[str | None] = mapped_column(String(120))  # 建设单位
    builder_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    contractor_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    supervisor_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)  # 监理单位
    project_type: Mapped[str | None] = mapped_column(String(20))
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_finish: Mapped[date | None] = mapped_column(Date)
    floor_area_m2: Mapped[float | None] = mapped_column(Float)
    project_manager_name: Mapped[str | None] = mapped_column(String(60))  # 项目负责人
    project_manager_phone: Mapped[str | None] = mapped_column(String(30))
    dust_officer_name: Mapped[str | None] = mapped_column(String(60))  # 扬尘治理负责人
    dust_officer_phone: Mapped[str | None] = mapped_column(String(30))
    dust_plan_filed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # 扬尘防治方案已备案
    dust_plan_filed_on: Mapped[date | None] = mapped_column(Date)
    # The datum the coordinates were entered in (GCJ02 when pasted from Amap); lat/lon are WGS-84.
    entered_datum: Mapped[str | None] = mapped_column(String(8))
    address: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    geofence_radius_m: Mapped[float] = mapped_column(Float, default=200.0)
    phase: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    status_reason: Mapped[str | None] = mapped_column(String(200))  # why finished / closed
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    # 停工: set with status "suspended" when a stop-work decision is recorded, cleared on resumption
    # (inspect_app.suspensions keeps the history); several open orders are joined with "、".
    suspension_order_number: Mapped[str | None] = mapped_column(String(200))
    suspended_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    unit: Mapped[Unit] = relationship(lazy="joined")
    builder_org: Mapped[Organisation | None] = relationship(foreign_keys=[builder_org_id])
    contractor_org: Mapped[Organisation | None] = relationship(foreign_keys=[contractor_org_id])
    supervisor_org: Mapped[Organisation | None] = relationship(foreign_keys=[supervisor_org_id])


class SitePhaseChange(db.Model):
    """One entry of a site's phase history: from when the site was in ``phase``.

    The first entry is written when the site is registered; an inspection also keeps the phase it
    saw (``inspections.site_phase``), and :func:`queries.phase_at` answers for any past moment.
    """

    __tablename__ = "site_phase_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(20))
    previous_phase: Mapped[str | None] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

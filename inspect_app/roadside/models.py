"""What a roadside check knew about the truck when it was stopped.

The check itself is an ``Inspection`` of kind ``"truck"`` (with ``plate`` and ``vehicle_id``); this
row keeps the facts that decided its findings — the filing problem, the load against the rated
load, the company, the origin site — as they were at the roadside, because the registry changes
afterwards (a truck filed next week was still unfiled when it was stopped).
"""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.sites.models import Site
from inspect_app.trucks.models import HaulageCompany

# Why the ``truck_filed`` item was failed by the server: no registry entry, or Vehicle.filing_problem.
FILING_PROBLEMS = ("unknown", "unfiled", "expired", "revoked", "inactive")
LOAD_SOURCES = ("measured", "estimated")


class TruckCheck(db.Model):
    """The roadside facts of one truck inspection (one row per Inspection of kind "truck")."""

    __tablename__ = "roadside_checks"
    __table_args__ = (
        CheckConstraint("load_t IS NULL OR load_t >= 0", name="roadside_load_not_negative"),
    )

    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspections.id", ondelete="CASCADE"), primary_key=True)
    plate_colour: Mapped[str | None] = mapped_column(String(12))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("haulage_companies.id"), index=True)
    # Where the load came from, when the inspector knows (a site in a unit they may see).
    origin_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    filing_problem: Mapped[str | None] = mapped_column(String(12))  # None: filing held
    rated_load_t: Mapped[float | None] = mapped_column(Float)  # the vehicle's, at the check
    load_t: Mapped[float | None] = mapped_column(Float)  # measured if given, else estimated
    load_source: Mapped[str | None] = mapped_column(String(10))  # measured | estimated
    overloaded: Mapped[bool] = mapped_column(Boolean, default=False)
    # (load − rated) / rated, e.g. 0.35 for 35 % over; None without both figures
    overload_ratio: Mapped[float | None] = mapped_column(Float)
    # Items the server failed on its own evidence: [{item_key, code, params}] (see rules.py)
    server_findings: Mapped[list] = mapped_column(JSON, default=list)

    inspection: Mapped[Inspection] = relationship(
        backref=db.backref("truck_check", uselist=False, lazy="selectin"))
    company: Mapped[HaulageCompany | None] = relationship(lazy="joined")
    origin_site: Mapped[Site | None] = relationship(lazy="joined")

    @property
    def over_thirty_percent(self) -> bool:
        """More than 30 % over the rated load: the higher 500–2,000 CNY range of 第九十二条."""
        return self.overload_ratio is not None and self.overload_ratio > 0.3

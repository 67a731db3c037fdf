"""Hotline complaints (投诉) and the site, task and inspection that answer them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.core.models import UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.sites.models import Site

CHANNELS = ("12345", "12369", "12319")
CATEGORIES = ("dust", "muck_truck", "night_noise", "other")
# no_site_matched: waiting for a supervisor to choose the site; open: a task for the unit's
# inspectors; answered: an inspection is linked; closed: the reply (办结回复) is recorded
STATUSES = ("no_site_matched", "open", "answered", "closed")


class Complaint(db.Model):
    __tablename__ = "complaints"
    __table_args__ = (UniqueConstraint("channel", "ticket_number", name="uq_complaints_channel_ticket"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8))
    ticket_number: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    category: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(200))
    lat: Mapped[float | None] = mapped_column(Float)  # WGS-84
    lon: Mapped[float | None] = mapped_column(Float)
    complainant_name: Mapped[str | None] = mapped_column(String(60))
    complainant_phone: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(16), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id"))
    reply: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site | None] = relationship(lazy="joined")
    inspection: Mapped[Inspection | None] = relationship(lazy="joined")

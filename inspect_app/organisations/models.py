"""Organisation records (单位档案): one row per 建设单位 / 施工单位 / 监理单位, named by sites.

An organisation is district-wide (a contractor builds in several units), like a haulage company.
A merged duplicate is kept, pointing at the record it was merged into, so the audit log and old
links still lead somewhere; it leaves every list.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from inspect_app.core.models import UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db


class Organisation(db.Model):
    """A company or public body that builds, contracts or supervises sites."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    # 统一社会信用代码, normalised (see credit_code.normalise); unique among records that have one
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)
    address: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(60))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

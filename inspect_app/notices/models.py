"""整改通知书 (rectification notices): one per recorded inspection with failures, numbered per
year and kind, signed, and verifiable by anyone holding the paper."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.auth.models import User
from inspect_app.core.models import Unit, UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.sites.models import Site

NOTICE_KINDS = ("site", "truck")  # 扬尘 (a site inspection) | 渣土车 (a roadside check)
NOTICE_STATUSES = ("issued", "void")  # void: its inspection was superseded by a correction


class NoticeCounter(db.Model):
    """The last number given per kind and year (Asia/Shanghai).

    Numbers are taken by ``UPDATE … SET last_number = last_number + 1 … RETURNING`` inside the
    issuing transaction: the row lock queues concurrent issuers, and a rollback gives the number
    back, so numbers have neither gaps nor duplicates.
    """

    __tablename__ = "notice_counters"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Notice(db.Model):
    """One issued notice. ``content`` is exactly what was signed and what the paper says."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("kind", "year", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # 回民扬整〔2026〕第00017号
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    # One notice per inspection: a replayed submission finds it instead of issuing another.
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), unique=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    plate: Mapped[str | None] = mapped_column(String(12), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="issued", index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # the inspection's finish
    content: Mapped[dict] = mapped_column(JSON)
    signature: Mapped[str] = mapped_column(String(100))  # Ed25519 over the canonical content, base64
    key_id: Mapped[str] = mapped_column(String(16))  # which signing key (first 16 hex of its hash)
    # Random and unguessable: the QR code's /v/<token> page needs no login.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(String(20))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("notices.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # backref: earlier features (the case page) read an inspection's notice without importing notices
    inspection: Mapped[Inspection] = relationship(lazy="joined", backref=db.backref("notice", uselist=False, lazy="select"))
    site: Mapped[Site | None] = relationship(lazy="joined")
    unit: Mapped[Unit | None] = relationship(lazy="joined")
    inspector: Mapped[User] = relationship(lazy="select")
    replaced_by: Mapped[Notice | None] = relationship(remote_side=[id], lazy="select")
    renderings: Mapped[list[NoticeRendering]] = relationship(
        back_populates="notice", order_by="NoticeRendering.id", lazy="select")


class NoticeRendering(db.Model):
    """The SHA-256 of a PDF the server produced for a notice (rendering is deterministic, so the
    same state of the record always gives the same bytes; a photo arriving later gives a new one)."""

    __tablename__ = "notice_renderings"
    __table_args__ = (UniqueConstraint("notice_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    photos_shown: Mapped[int] = mapped_column(Integer, default=0)
    # Whether this PDF shows the service record (送达): one rendered before it was recorded is an
    # earlier version of the paper, still genuine, no longer current.
    shows_service: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    notice: Mapped[Notice] = relationship(back_populates="renderings")


SERVICE_METHODS = ("signed", "refused", "mail", "left")  # 签收 | 拒签 | 邮寄 | 留置
#: the methods recorded on the phone at the site, each with its picture (signature or refusal photo)
FIELD_METHODS = ("signed", "refused")
#: the methods a supervisor records later from the desk, with a note
DESK_METHODS = ("mail", "left")


class NoticeService(db.Model):
    """送达: how a notice reached its addressee — once per notice, identified by the client's UUID.

    Recorded on the phone (signed with a signature image, or refused with a photo and a witness),
    or from the desk by a supervisor (mail, left at the site). The picture is evidence: its
    original bytes are kept in photo storage (``evidence_key``) with their SHA-256; until it has
    arrived the record is ``evidence_missing``. ``content_hash`` settles replays: the same UUID with
    the same content is the stored record, with other content a conflict.
    """

    __tablename__ = "notice_services"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), unique=True)
    method: Mapped[str] = mapped_column(String(10))
    channel: Mapped[str] = mapped_column(String(10))  # phone | desk
    signer_name: Mapped[str | None] = mapped_column(String(60))
    signer_role: Mapped[str | None] = mapped_column(String(60))
    witness_name: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(String(500))
    served_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lat: Mapped[float | None] = mapped_column(Float)  # WGS-84, from the phone's GPS
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    # The signature (PNG) or refusal photo (JPEG/HEIC), declared by id, uploaded on its own.
    evidence_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    evidence_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    evidence_format: Mapped[str | None] = mapped_column(String(8))
    evidence_bytes: Mapped[int | None] = mapped_column(Integer)
    evidence_width: Mapped[int | None] = mapped_column(Integer)
    evidence_height: Mapped[int | None] = mapped_column(Integer)
    evidence_key: Mapped[str | None] = mapped_column(String(80))  # the original bytes
    evidence_thumb_key: Mapped[str | None] = mapped_column(String(80))  # a JPEG for the PDF
    evidence_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    notice: Mapped[Notice] = relationship(backref=db.backref("service", uselist=False, lazy="select"))
    recorded_by: Mapped[User] = relationship(lazy="select")

    @property
    def evidence_missing(self) -> bool:
        return self.evidence_id is not None and self.evidence_key is None

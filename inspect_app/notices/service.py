"""送达: recording that a notice reached its addressee, exactly once. Operations flush only.

On the phone the inspector records the service right after the inspection, often offline: the
phone does not know the notice's id or number yet, so the record names the *inspection's* client
UUID and the server finds the notice it issued for it. The record carries its own client UUID: the
same UUID with the same content is a replay (the stored record), with other content a conflict,
and a notice is served once (a second record with another UUID is refused). The picture — the
signature (PNG) or, for a refusal, a photo of the scene (JPEG/HEIC) — is declared by id and
uploaded on its own, like a photo, and kept with its SHA-256 in photo storage. A supervisor can
record service later from the desk (mail or left at the site, with a note).
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from inspect_app.core import audit
from inspect_app.core.errors import Conflict, DomainError, Forbidden, NotFound, PayloadTooLarge, ValidationFailed
from inspect_app.core.errors import UnsupportedMediaType
from inspect_app.core.storage import StorageError, get_storage, new_key, stage_new_key
from inspect_app.core.timeutil import utcnow
from inspect_app.evidence.imaging import heavy_decode_gate, process_photo, sniff
from inspect_app.evidence.operations import register_swept_prefix
from inspect_app.evidence.watermark import WatermarkInfo
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.notices import messages  # noqa: F401  (registers strings)
from inspect_app.notices.models import DESK_METHODS, FIELD_METHODS, Notice, NoticeService

#: Service pictures live beside photos in the same storage, under their own prefix; ``flask photos
#: sweep`` looks there too (registered below) and keeps every key a service record references.
KEY_PREFIX = "s"
MAX_SIGNATURE_BYTES = 512 * 1024
#: A signature drawn on a phone is a few hundred pixels a side (a 360 px screen at 3x is 1080 px).
SIGNATURE_MIN_SIDE = (32, 16)
SIGNATURE_MAX_SIDE = 4096
REFUSAL_PHOTO_FORMATS = ("jpeg", "heic")


class StorageUnavailable(DomainError):
    status = 503
    code = "storage_unavailable"


# ---- the record ----

def notice_of_inspection(inspection: Inspection) -> Notice:
    """The notice issued for the inspection, refusing one that has none or whose notice is void."""
    notice = db.session.scalar(select(Notice).where(Notice.inspection_id == inspection.id))
    if notice is None:
        raise ValidationFailed("service_no_notice")
    if notice.status == "void":
        raise Conflict("service_notice_void", number=notice.number)
    return notice


def record_field_service(actor, inspection: Inspection, data: dict) -> tuple[NoticeService, bool]:
    """The inspector's service record for the notice of their inspection; returns (record, created)."""
    if inspection.inspector_id != actor.id:
        raise Forbidden()
    if data["method"] not in FIELD_METHODS:
        raise ValidationFailed("service_method_not_on_phone")
    notice = notice_of_inspection(inspection)
    _check_served_at(data["served_at"], earliest=inspection.started_at)
    gps = data.get("gps") or {}
    service = NoticeService(
        uuid=str(data["uuid"]), notice_id=notice.id, method=data["method"], channel="phone",
        signer_name=_text(data.get("signer_name")), signer_role=_text(data.get("signer_role")),
        witness_name=_text(data.get("witness_name")), note=_text(data.get("note")),
        served_at=data["served_at"], lat=gps.get("lat"), lon=gps.get("lon"), accuracy_m=gps.get("accuracy_m"),
        evidence_id=str(data["evidence_id"]), recorded_by_id=actor.id,
        content_hash=_content_hash({**data, "inspection": inspection.uuid}),
    )
    return _insert_once(actor, notice, service)


def record_desk_service(actor, notice: Notice, data: dict) -> tuple[NoticeService, bool]:
    """A supervisor records service by mail (邮寄) or by leaving it at the site (留置), with a note."""
    if data["method"] not in DESK_METHODS:
        raise ValidationFailed("service_method_not_at_desk")
    if notice.status == "void":
        raise Conflict("service_notice_void", number=notice.number)
    _check_served_at(data["served_at"], earliest=notice.issued_at)
    service = NoticeService(
        uuid=str(data["uuid"]), notice_id=notice.id, method=data["method"], channel="desk",
        note=_text(data.get("note")), served_at=data["served_at"], recorded_by_id=actor.id,
        content_hash=_content_hash({**data, "notice": notice.id}),
    )
    return _insert_once(actor, notice, service)


def _insert_once(actor, notice: Notice, service: NoticeService) -> tuple[NoticeService, bool]:
    stored = _stored_for(actor, notice, service)
    if stored is not None:
        return stored, False
    try:
        with db.session.begin_nested():
            db.session.add(service)
            db.session.flush()
    except IntegrityError:
        # A request racing this one stored its record first (same UUID, or the same notice).
        stored = _stored_for(actor, notice, service)
        if stored is None:
            raise
        return stored, False
    audit.record(actor, "notice.serve", notice, after={
        "service": service.uuid, "method": service.method, "channel": service.channel,
        "served_at": service.served_at, "evidence_id": service.evidence_id})
    return service, True


def _stored_for(actor, notice: Notice, attempt: NoticeService) -> NoticeService | None:
    """The record a replay of `attempt` returns, None when nothing is stored yet; raises when another is.

    The notice is looked up first and its record compared by UUID, so a racing replay that commits between
    the two lookups is found by the second one and answered as a replay, never as "already served"."""
    served = _service_of(notice.id)
    if served is not None:
        if served.uuid != attempt.uuid:
            raise Conflict("notice_already_served", number=notice.number)
        return _replay_or_conflict(actor, served, attempt)
    existing = _by_uuid(attempt.uuid)  # the same UUID used for another notice
    return None if existing is None else _replay_or_conflict(actor, existing, attempt)


def _replay_or_conflict(actor, existing: NoticeService, attempt: NoticeService) -> NoticeService:
    if (existing.content_hash != attempt.content_hash or existing.notice_id != attempt.notice_id
            or existing.recorded_by_id != actor.id):
        raise Conflict("service_conflict")
    return existing


def _by_uuid(uuid: str) -> NoticeService | None:
    return db.session.scalar(select(NoticeService).where(NoticeService.uuid == uuid))


def _service_of(notice_id: int) -> NoticeService | None:
    return db.session.scalar(select(NoticeService).where(NoticeService.notice_id == notice_id))


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _content_hash(data: dict) -> str:
    """SHA-256 of the validated record in a canonical form (key order and spacing ignored)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=_canonical)
                          .encode("utf-8")).hexdigest()


def _canonical(value):
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _check_served_at(served_at: datetime, *, earliest: datetime) -> None:
    """Service happens after the inspection began and not in the future (beyond clock skew)."""
    skew = timedelta(minutes=current_app.config["CLOCK_SKEW_TOLERANCE_MINUTES"])
    if served_at < earliest - skew or served_at > utcnow() + skew:
        raise ValidationFailed("service_time_invalid")


# ---- the picture ----

def store_service_evidence(actor, service: NoticeService, data: bytes) -> tuple[NoticeService, bool]:
    """Store the record's declared picture once; the same bytes again are a replay."""
    if service.recorded_by_id != actor.id:
        raise Forbidden()
    if service.evidence_id is None:
        raise NotFound("service_evidence_not_declared")
    if service.evidence_key is not None:
        return _evidence_replay(service, data), False
    processed = _checked_picture(service, data)
    original_key = _put(data)
    shown_key = _put(processed.display_jpeg if service.method == "signed" else processed.thumb_jpeg)
    _lock(service)
    if service.evidence_key is not None:  # a concurrent upload of the same picture committed first
        for key in (original_key, shown_key):
            get_storage().delete(key)
        return _evidence_replay(service, data), False
    service.evidence_sha256 = processed.sha256
    service.evidence_format = processed.format
    service.evidence_bytes = len(data)
    service.evidence_width, service.evidence_height = processed.width, processed.height
    service.evidence_key, service.evidence_thumb_key = original_key, shown_key
    service.evidence_received_at = utcnow()
    audit.record(actor, "notice.service_evidence", service.notice, after={
        "service": service.uuid, "evidence_id": service.evidence_id, "sha256": processed.sha256,
        "format": processed.format, "bytes": len(data)})
    db.session.flush()
    return service, True


def _evidence_replay(service: NoticeService, data: bytes) -> NoticeService:
    if service.evidence_sha256 != hashlib.sha256(data).hexdigest():
        raise Conflict("service_evidence_conflict")
    return service


def _checked_picture(service: NoticeService, data: bytes):
    """Content-sniffed and size-limited: a PNG signature, or a JPEG/HEIC photo of a refusal."""
    if not data:
        raise ValidationFailed("service_evidence_empty")
    cfg = current_app.config
    signature = service.method == "signed"
    limit = MAX_SIGNATURE_BYTES if signature else cfg["MAX_PHOTO_BYTES"]
    if len(data) > limit:
        raise PayloadTooLarge("signature_too_large" if signature else "photo_too_large",
                              limit_mb=_megabytes(limit))
    try:
        fmt = sniff(data)
    except UnsupportedMediaType:
        fmt = None
    if signature and fmt != "png":
        raise UnsupportedMediaType("signature_not_png")
    if not signature and fmt not in REFUSAL_PHOTO_FORMATS:
        raise UnsupportedMediaType("refusal_photo_format")
    processed = process_photo(
        data, max_bytes=limit, max_pixels=cfg["MAX_IMAGE_PIXELS"],
        max_png_webp_pixels=SIGNATURE_MAX_SIDE * SIGNATURE_MAX_SIDE if signature else cfg["MAX_PNG_WEBP_PIXELS"],
        decode_gate=heavy_decode_gate(cfg["HEAVY_DECODE_CONCURRENCY"], cfg["HEAVY_DECODE_WAIT_SECONDS"]),
        watermark=None if signature else _watermark(service),
        font_path=current_app.extensions.get("cjk_font"),
    )
    if signature and not _sane_signature_size(processed.width, processed.height):
        raise ValidationFailed("signature_bad_size", width=processed.width, height=processed.height,
                               max=SIGNATURE_MAX_SIDE)
    return processed


def _sane_signature_size(width: int, height: int) -> bool:
    min_w, min_h = SIGNATURE_MIN_SIDE
    return min_w <= width <= SIGNATURE_MAX_SIDE and min_h <= height <= SIGNATURE_MAX_SIDE


def _megabytes(n: int) -> float:
    return round(n / 1024 / 1024, 2)


def _watermark(service: NoticeService) -> WatermarkInfo:
    inspection = service.notice.inspection
    subject = inspection.plate if inspection.kind == "truck" else (inspection.site.name if inspection.site else "")
    return WatermarkInfo(site_name=subject or "", inspector_name=inspection.inspector.display_name,
                         inspection_id=inspection.uuid, at=None, lat=service.lat, lon=service.lon,
                         accuracy_m=service.accuracy_m)


def _lock(service: NoticeService) -> None:
    """Hold the record's row until commit (PostgreSQL row lock, SQLite write lock) and reload it."""
    db.session.execute(update(NoticeService).where(NoticeService.id == service.id)
                       .values(method=NoticeService.method).execution_options(synchronize_session=False))
    db.session.refresh(service)


def _put(data: bytes) -> str:
    storage = get_storage()
    key = new_key(KEY_PREFIX)
    try:
        storage.put(key, data)
    except StorageError as exc:
        current_app.logger.error("service picture storage failed: %s", exc)
        db.session.rollback()  # deletes the files this request already wrote
        raise StorageUnavailable() from exc
    stage_new_key(db.session, storage, key)
    return key


def _referenced_keys(keys: list[str]) -> set[str]:
    """Which of these ``s/`` keys a service record references (its original or its shown JPEG)."""
    referenced: set[str] = set()
    for column in (NoticeService.evidence_key, NoticeService.evidence_thumb_key):
        referenced.update(db.session.scalars(select(column).where(column.in_(keys))))
    return referenced


# A request killed between writing a picture and committing its record leaves files under s/.
register_swept_prefix(KEY_PREFIX, _referenced_keys)

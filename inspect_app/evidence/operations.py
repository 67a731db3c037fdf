"""Storing photo evidence exactly once and raising evidence flags. Operations flush only.

Each photo is uploaded on its own and may be retried: the client's photo UUID identifies it,
equal bytes are a replay, different bytes a conflict. Files are written before the row; a
rollback deletes them (core.storage), so no file is left without its row and no row without
its file.
"""
from __future__ import annotations

import hashlib

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspect_app.core import audit
from inspect_app.core.errors import Conflict, DomainError, Forbidden, NotFound, PayloadTooLarge
from inspect_app.core.signals import inspection_recorded, photo_stored
from inspect_app.core.storage import StorageError, get_storage, new_key, stage_new_key
from inspect_app.core.timeutil import utcnow
from inspect_app.evidence import checks, messages  # noqa: F401  (registers strings)
from inspect_app.evidence.imaging import process_photo
from inspect_app.evidence.watermark import WatermarkInfo
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection


class StorageUnavailable(DomainError):
    status = 503
    code = "storage_unavailable"


def store_photo(actor, inspection: Inspection, photo_uuid: str, data: bytes) -> tuple[Photo, bool]:
    """Store one declared photo of an inspection; returns (photo, created)."""
    photo_uuid = str(photo_uuid)
    if inspection.inspector_id != actor.id:
        raise Forbidden()
    item_key = _declaring_item(inspection, photo_uuid)
    existing = db.session.scalar(select(Photo).where(Photo.uuid == photo_uuid))
    if existing is not None:
        return _replay(existing, inspection, data), False
    limit = current_app.config["MAX_PHOTO_BYTES"]
    if len(data) > limit:
        raise PayloadTooLarge("photo_too_large", limit_mb=round(limit / 1024 / 1024))

    processed = process_photo(
        data,
        max_bytes=limit,
        max_pixels=current_app.config["MAX_IMAGE_PIXELS"],
        watermark=_watermark(inspection),
        font_path=current_app.extensions.get("cjk_font"),
    )
    photo = Photo(
        uuid=photo_uuid,
        inspection_id=inspection.id,
        item_key=item_key,
        sha256=processed.sha256,
        format=processed.format,
        size_bytes=len(data),
        width=processed.width,
        height=processed.height,
        taken_at=processed.taken_at,
        exif_lat=processed.gps[0] if processed.gps else None,
        exif_lon=processed.gps[1] if processed.gps else None,
        original_key=_put(data),
        display_key=_put(processed.display_jpeg),
        thumb_key=_put(processed.thumb_jpeg),
        received_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(photo)
            db.session.flush()
    except IntegrityError:
        # Two uploads of the same photo raced; the other one is stored.
        for key in (photo.original_key, photo.display_key, photo.thumb_key):
            get_storage().delete(key)
        existing = db.session.scalar(select(Photo).where(Photo.uuid == photo_uuid))
        if existing is None:
            raise
        return _replay(existing, inspection, data), False
    db.session.refresh(inspection, ["photos"])
    _add_photo_flags(inspection, photo)
    inspection.completeness = "incomplete" if inspection.missing_photos else "complete"
    audit.record(actor, "photo.store", photo, after={"uuid": photo.uuid, "inspection": inspection.uuid,
                                                    "sha256": photo.sha256})
    photo_stored.send(inspection, photo=photo)
    db.session.flush()
    return photo, True


def _declaring_item(inspection: Inspection, photo_uuid: str) -> str:
    for result in inspection.results:
        if photo_uuid in (result.photo_ids or []):
            return result.item_key
    raise NotFound("photo_not_declared")


def _replay(existing: Photo, inspection: Inspection, data: bytes) -> Photo:
    if existing.inspection_id != inspection.id or existing.sha256 != hashlib.sha256(data).hexdigest():
        raise Conflict("photo_conflict")
    return existing


def _put(data: bytes) -> str:
    storage = get_storage()
    key = new_key()
    try:
        storage.put(key, data)
    except StorageError as exc:
        current_app.logger.error("photo storage failed: %s", exc)
        db.session.rollback()  # deletes the files this request already wrote
        raise StorageUnavailable() from exc
    stage_new_key(db.session, storage, key)
    return key


def _watermark(inspection: Inspection) -> WatermarkInfo:
    lat = inspection.finish_lat if inspection.finish_lat is not None else inspection.start_lat
    lon = inspection.finish_lon if inspection.finish_lon is not None else inspection.start_lon
    accuracy = (inspection.finish_accuracy_m if inspection.finish_lat is not None
                else inspection.start_accuracy_m)
    return WatermarkInfo(
        site_name=_watermark_subject(inspection),
        inspector_name=inspection.inspector.display_name,
        inspection_id=inspection.uuid,
        at=None,  # the photo's own EXIF capture time, when it has one
        lat=lat,
        lon=lon,
        accuracy_m=accuracy,
    )


def _watermark_subject(inspection: Inspection) -> str:
    """What the photo is of: the site's name, or for a roadside truck check the truck's plate."""
    if inspection.kind == "truck":
        return inspection.plate or ""
    return inspection.site.name if inspection.site else ""


def _config() -> dict:
    cfg = current_app.config
    return {
        "low_accuracy_m": cfg["LOW_ACCURACY_METRES"],
        "freshness_margin_minutes": cfg["PHOTO_FRESHNESS_MARGIN_MINUTES"],
        "clock_skew_minutes": cfg["CLOCK_SKEW_TOLERANCE_MINUTES"],
    }


def _add_photo_flags(inspection: Inspection, photo: Photo) -> None:
    """Freshness, position and reuse checks for one photo, appended to the inspection's flags."""
    reused = db.session.scalar(
        select(Photo.id).where(Photo.sha256 == photo.sha256, Photo.inspection_id != inspection.id).limit(1)
    ) is not None
    site = inspection.site
    new_flags = checks.photo_flags(
        photo_id=photo.uuid,
        taken_at=photo.taken_at,
        exif_gps=(photo.exif_lat, photo.exif_lon) if photo.exif_lat is not None else None,
        started_at=inspection.started_at,
        site=(site.lat, site.lon) if site else None,
        geofence_m=site.geofence_radius_m if site else None,
        reused=reused,
        config=_config(),
    )
    if new_flags:
        inspection.flags = list(inspection.flags or []) + new_flags


@inspection_recorded.connect
def add_location_flags(inspection: Inspection, device_time=None, **extra) -> None:
    """Position, accuracy and clock checks when a new inspection is recorded.

    ``device_time`` is the phone's clock when it sent the request (header X-Device-Time): compared
    with the server's receive time it measures clock skew even for an upload queued for hours.
    """
    site = inspection.site
    flags = checks.location_flags(
        site=(site.lat, site.lon) if site else None,
        geofence_m=site.geofence_radius_m if site else None,
        gps_start=_point(inspection, "start"),
        gps_finish=_point(inspection, "finish"),
        finished_at=device_time or inspection.finished_at,
        received_at=inspection.received_at,
        config=_config(),
        live_upload=True if device_time else None,
    )
    if flags:
        inspection.flags = list(inspection.flags or []) + flags


def _point(inspection: Inspection, prefix: str) -> dict | None:
    lat = getattr(inspection, f"{prefix}_lat")
    if lat is None:
        return None
    return {"lat": lat, "lon": getattr(inspection, f"{prefix}_lon"),
            "accuracy_m": getattr(inspection, f"{prefix}_accuracy_m")}

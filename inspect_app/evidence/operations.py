"""Storing photo evidence exactly once and raising evidence flags. Operations flush only.

Each photo is uploaded on its own and may be retried: the client's photo UUID identifies it,
equal bytes are a replay, different bytes a conflict. Files are written before the row; a
rollback deletes them (core.storage), so no file is left without its row and no row without
its file (a process killed in between leaves files that ``flask photos sweep`` removes).

The photos of one inspection arrive in parallel (the phone sends them at once, several app
processes take them). The image work runs unlocked; then the inspection row is locked before its
flags and completeness are read and written, so every upload sees the flags and photos of the
ones committed before it and none is lost. A photo id belongs to exactly one inspection: a new
inspection declaring an id already stored for another one is refused.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from inspect_app.core import audit
from inspect_app.core import metrics
from inspect_app.core.errors import Conflict, DomainError, Forbidden, NotFound, PayloadTooLarge
from inspect_app.core.signals import inspection_recorded, photo_ids_declared, photo_stored
from inspect_app.core.storage import PhotoStorage, StorageError, StoredObject, get_storage, new_key, stage_new_key
from inspect_app.core.timeutil import utcnow
from inspect_app.evidence import checks, messages  # noqa: F401  (registers strings)
from inspect_app.evidence.imaging import heavy_decode_gate, process_photo
from inspect_app.evidence.watermark import WatermarkInfo
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection


class StorageUnavailable(DomainError):
    status = 503
    code = "storage_unavailable"


KEY_PREFIX = "p"  # every photo file's key starts "p/"; the sweep looks only there and at registered prefixes


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

    cfg = current_app.config
    started = time.perf_counter()
    processed = process_photo(
        data,
        max_bytes=limit,
        max_pixels=cfg["MAX_IMAGE_PIXELS"],
        max_png_webp_pixels=cfg["MAX_PNG_WEBP_PIXELS"],
        decode_gate=heavy_decode_gate(cfg["HEAVY_DECODE_CONCURRENCY"], cfg["HEAVY_DECODE_WAIT_SECONDS"]),
        watermark=_watermark(inspection),
        font_path=current_app.extensions.get("cjk_font"),
    )
    metrics.observe_photo(processed.format, time.perf_counter() - started)
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
        annotates_uuid=(inspection.photo_annotations or {}).get(photo_uuid),
    )
    lock_inspection(inspection)
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
    _lock_photo_hash(photo.sha256)
    db.session.refresh(inspection, ["photos"])
    _add_photo_flags(inspection, photo)
    inspection.completeness = "incomplete" if inspection.missing_photos else "complete"
    audit.record(actor, "photo.store", photo, after={"uuid": photo.uuid, "inspection": inspection.uuid,
                                                    "sha256": photo.sha256})
    photo_stored.send(inspection, photo=photo)
    db.session.flush()
    return photo, True


def lock_inspection(inspection: Inspection) -> None:
    """Hold the inspection's row until commit and reload what other uploads may have committed.

    A no-op UPDATE is a row lock on PostgreSQL and takes SQLite's write lock (pysqlite begins the
    transaction at the first write, so every read after it sees all committed photos): one way that
    works on both, where ``SELECT … FOR UPDATE`` would serialise nothing on SQLite. Flags stay a
    JSON column (no migration): serialising their read-modify-write is enough for them to be exact.
    On SQLite it also puts the photo's SAVEPOINT inside a real transaction: a SAVEPOINT that opens
    the transaction commits it at its RELEASE, which stored the row before its flags.
    """
    db.session.execute(
        update(Inspection).where(Inspection.id == inspection.id).values(completeness=Inspection.completeness)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(inspection, ["flags", "completeness"])


# Advisory locks keyed (class, object): the two-integer key space never meets single-bigint keys.
_PHOTO_HASH_LOCK_CLASS = 0x50484F54  # "PHOT"


def _lock_photo_hash(sha256: str) -> None:
    """Serialise uploads of the same bytes to different inspections, so the later one sees the
    earlier one and is flagged as reused (PostgreSQL; SQLite's write lock already serialises them)."""
    if db.session.get_bind().dialect.name == "postgresql":
        key = int(sha256[:8], 16) - 2**31  # a signed 32-bit integer
        db.session.execute(select(func.pg_advisory_xact_lock(_PHOTO_HASH_LOCK_CLASS, key)))


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
    key = new_key(KEY_PREFIX)
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
    site = inspection.site if inspection.kind != "truck" else None
    return WatermarkInfo(
        site_name=_watermark_subject(inspection),
        inspector_name=inspection.inspector.display_name,
        inspection_id=inspection.uuid,
        at=None,  # the photo's own EXIF capture time, when it has one
        lat=lat,
        lon=lon,
        accuracy_m=accuracy,
        # the site, so the band can say the photo's own EXIF position is outside its geofence
        site_lat=site.lat if site else None,
        site_lon=site.lon if site else None,
        geofence_m=site.geofence_radius_m if site else None,
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
        annotates=photo.annotates_uuid,
    )
    if new_flags:
        inspection.flags = list(inspection.flags or []) + new_flags


@photo_ids_declared.connect
def refuse_photo_ids_of_other_inspections(sender, photo_ids=(), **extra) -> None:
    """A new inspection (or roadside check) may not declare a photo id already stored (409).

    The photo would never be accepted for it (its upload answers ``photo_conflict``), and a case
    built from it would point at another inspection's evidence. Checked before anything of the new
    submission is written; a correction declares new photos.
    """
    if not photo_ids:
        return
    taken = sorted(db.session.scalars(select(Photo.uuid).where(Photo.uuid.in_(list(photo_ids)))))
    if taken:
        raise Conflict("photo_id_taken", photo=taken[0], details={"photo_ids": taken})


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


# --- files left behind by a crash -------------------------------------------------------------


#: Which of these stored keys a feature's rows reference (the others, old enough, are orphans).
ReferencedKeys = Callable[[list[str]], set[str]]

#: Later features that keep evidence in the same storage under a prefix of their own (送达 pictures
#: under ``s/``, notices.service) register it here, so the sweep treats their crash leftovers by the
#: same rules without evidence importing them: prefix → which keys their rows reference.
_SWEPT_PREFIXES: dict[str, ReferencedKeys] = {}


def register_swept_prefix(prefix: str, referenced: ReferencedKeys) -> None:
    """Have ``flask photos sweep`` look under ``prefix/`` too, keeping the keys ``referenced`` names."""
    if prefix == KEY_PREFIX or "/" in prefix or not prefix:
        raise ValueError(f"not a prefix of its own: {prefix!r}")
    _SWEPT_PREFIXES[prefix] = referenced


def _photo_references(keys: list[str]) -> set[str]:
    referenced: set[str] = set()
    for column in (Photo.original_key, Photo.display_key, Photo.thumb_key):
        referenced.update(db.session.scalars(select(column).where(column.in_(keys))))
    return referenced


@dataclass
class SweepReport:
    """What one sweep saw: files under the swept prefixes, kept as too young or referenced, orphans."""

    scanned: int = 0
    too_young: int = 0
    referenced: int = 0
    orphans: int = 0  # deleted, or in a dry run the ones that would be
    orphan_bytes: int = 0
    failed: int = 0  # orphans the storage refused to delete (tried again next time)


def sweep_orphan_files(*, older_than: timedelta, dry_run: bool = False, now: datetime | None = None,
                       batch_size: int = 500) -> SweepReport:
    """Delete stored photo files that no photo row references and that are older than ``older_than``.

    A process killed between writing an upload's files and committing its row leaves them behind
    (a rollback deletes them, a ``kill -9`` cannot). Safe to run at any time, also beside live
    uploads: a file younger than the threshold is never touched (an upload's files are written
    seconds before its commit), and a file is deleted only when no row references it in a query
    made after the file was listed. Flushes only; an audit event summarises a sweep that deleted.
    """
    storage = get_storage()
    cutoff = (now or utcnow()) - older_than
    report = SweepReport()
    for prefix, referenced in ((KEY_PREFIX, _photo_references), *sorted(_SWEPT_PREFIXES.items())):
        batch: list[StoredObject] = []
        for stored in storage.list_objects(f"{prefix}/"):
            report.scanned += 1
            if stored.modified_at > cutoff:
                report.too_young += 1
                continue
            batch.append(stored)
            if len(batch) >= batch_size:
                _sweep_batch(storage, batch, referenced, dry_run, report)
                batch = []
        if batch:
            _sweep_batch(storage, batch, referenced, dry_run, report)
    if report.orphans and not dry_run:
        audit.record(None, "photos.sweep", None, object_type="photo_storage", object_id="",
                     after={"deleted": report.orphans, "bytes": report.orphan_bytes,
                            "prefixes": [KEY_PREFIX, *sorted(_SWEPT_PREFIXES)],
                            "older_than_seconds": int(older_than.total_seconds())})
    return report


def _sweep_batch(storage: PhotoStorage, batch: list[StoredObject], references: ReferencedKeys, dry_run: bool,
                 report: SweepReport) -> None:
    referenced = references([stored.key for stored in batch])
    for stored in batch:
        if stored.key in referenced:
            report.referenced += 1
            continue
        if not dry_run:
            try:
                storage.delete(stored.key)
            except StorageError as exc:
                current_app.logger.warning("could not delete orphan photo file %s: %s", stored.key, exc)
                report.failed += 1
                continue
        report.orphans += 1
        report.orphan_bytes += stored.size

"""Evidence flags: pure checks that an inspection was done on site, now, with photos taken there and then.

Nothing here refuses a submission — phones lose GPS, clocks drift, iOS strips photo positions. The flags are
facts for the supervisor who reviews the inspection (fake GPS and reused gallery photos are the abuses we
look for). Each flag is a plain dict ``{"code", "photo_id"?, "details"}`` with JSON-safe details, worded by
:func:`describe_flag` through the ``flag_<code>`` messages.

Thresholds are inclusive on the lenient side: exactly at the geofence, exactly 100 m accuracy, exactly at the
freshness margin or the clock tolerance is *not* flagged.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from inspect_app.core.geo import distance_m
from inspect_app.core.i18n import catalogue, translate
from inspect_app.core.timeutil import as_utc, to_local
from inspect_app.evidence import messages  # noqa: F401  (registers flag_* messages)

OFF_SITE = "off_site"
LOW_ACCURACY = "low_accuracy"
NO_POSITION = "no_position"
PHOTO_NOT_FRESH = "photo_not_fresh"
PHOTO_OFF_SITE = "photo_off_site"
REUSED_PHOTO = "reused_photo"
CLOCK_SKEW = "clock_skew"
FLAG_CODES = (OFF_SITE, LOW_ACCURACY, NO_POSITION, PHOTO_NOT_FRESH, PHOTO_OFF_SITE, REUSED_PHOTO, CLOCK_SKEW)


@dataclass(frozen=True)
class EvidenceConfig:
    """The tolerances, from app config (PHOTO_FRESHNESS_MARGIN_MINUTES, CLOCK_SKEW_TOLERANCE_MINUTES,
    LOW_ACCURACY_METRES)."""

    freshness_margin_minutes: float = 30
    clock_skew_tolerance_minutes: float = 10
    low_accuracy_m: float = 100.0

    @classmethod
    def from_mapping(cls, config: Mapping) -> EvidenceConfig:
        """Read the tolerances from a Flask config (or any mapping); missing keys keep the defaults."""
        return cls(
            freshness_margin_minutes=config.get("PHOTO_FRESHNESS_MARGIN_MINUTES", cls.freshness_margin_minutes),
            clock_skew_tolerance_minutes=config.get(
                "CLOCK_SKEW_TOLERANCE_MINUTES", cls.clock_skew_tolerance_minutes
            ),
            low_accuracy_m=config.get("LOW_ACCURACY_METRES", cls.low_accuracy_m),
        )


@dataclass(frozen=True)
class GpsFix:
    """A device position (WGS-84) with the browser's accuracy radius and the device's own timestamp."""

    lat: float
    lon: float
    accuracy_m: float | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class PhotoEvidence:
    """What the checks need of one stored photo (from imaging.ProcessedPhoto plus its id)."""

    photo_id: object
    sha256: str
    taken_at: datetime | None = None
    lat: float | None = None
    lon: float | None = None


def _flag(code: str, photo_id=None, **details) -> dict:
    flag = {"code": code, "details": details}
    if photo_id is not None:
        flag["photo_id"] = photo_id
    return flag


def _iso(value: datetime) -> str:
    return as_utc(value).isoformat()


def position_flags(
    *, site_lat: float, site_lon: float, geofence_m: float, fixes: Mapping[str, GpsFix | None],
    config: EvidenceConfig,
) -> list[dict]:
    """off_site / low_accuracy per device fix ("start", "finish"); no_position when there is none at all."""
    flags: list[dict] = []
    present = {which: fix for which, fix in fixes.items() if fix is not None}
    if not present:
        return [_flag(NO_POSITION)]
    for which, fix in present.items():
        distance = distance_m((site_lat, site_lon), (fix.lat, fix.lon))
        if distance > geofence_m:
            flags.append(_flag(OFF_SITE, which=which, distance_m=round(distance), geofence_m=round(geofence_m),
                               accuracy_m=None if fix.accuracy_m is None else round(fix.accuracy_m, 1)))
        if fix.accuracy_m is not None and fix.accuracy_m > config.low_accuracy_m:
            flags.append(_flag(LOW_ACCURACY, which=which, accuracy_m=round(fix.accuracy_m, 1),
                               limit_m=round(config.low_accuracy_m)))
    return flags


def photo_flags(
    photo: PhotoEvidence, *, site_lat: float, site_lon: float, geofence_m: float, started_at: datetime,
    received_at: datetime, other_inspection_hashes, config: EvidenceConfig,
) -> list[dict]:
    """photo_not_fresh, photo_off_site and reused_photo for one photo."""
    flags: list[dict] = []
    margin = timedelta(minutes=config.freshness_margin_minutes)
    tolerance = timedelta(minutes=config.clock_skew_tolerance_minutes)
    if photo.taken_at is None:
        flags.append(_flag(PHOTO_NOT_FRESH, photo.photo_id, reason="no_capture_time"))
    elif as_utc(photo.taken_at) < as_utc(started_at) - margin:
        flags.append(_flag(PHOTO_NOT_FRESH, photo.photo_id, reason="before_start",
                           taken_at=_iso(photo.taken_at), started_at=_iso(started_at),
                           margin_minutes=config.freshness_margin_minutes))
    elif as_utc(photo.taken_at) > as_utc(received_at) + tolerance:
        # A capture time after the server got the photo means the camera clock (or the file) is wrong.
        flags.append(_flag(PHOTO_NOT_FRESH, photo.photo_id, reason="after_received",
                           taken_at=_iso(photo.taken_at), received_at=_iso(received_at)))
    if photo.lat is not None and photo.lon is not None:
        distance = distance_m((site_lat, site_lon), (photo.lat, photo.lon))
        if distance > geofence_m:
            flags.append(_flag(PHOTO_OFF_SITE, photo.photo_id, distance_m=round(distance),
                               geofence_m=round(geofence_m)))
    if photo.sha256 in other_inspection_hashes:
        details = {}
        if isinstance(other_inspection_hashes, Mapping):
            details["other_inspection_id"] = other_inspection_hashes[photo.sha256]
        flags.append(_flag(REUSED_PHOTO, photo.photo_id, sha256=photo.sha256, **details))
    return flags


def clock_skew_flag(
    *, device_time: datetime | None, received_at: datetime, live_upload: bool, config: EvidenceConfig,
) -> dict | None:
    """clock_skew when a live (not queued-offline) upload's device finish time is far from server time."""
    if not live_upload or device_time is None:
        return None
    skew = as_utc(received_at) - as_utc(device_time)
    if abs(skew) <= timedelta(minutes=config.clock_skew_tolerance_minutes):
        return None
    return _flag(CLOCK_SKEW, skew_minutes=round(skew.total_seconds() / 60, 1),
                 tolerance_minutes=config.clock_skew_tolerance_minutes,
                 device_time=_iso(device_time), received_at=_iso(received_at))


def evidence_flags(
    *,
    site_lat: float,
    site_lon: float,
    geofence_m: float,
    gps_start: GpsFix | None,
    gps_finish: GpsFix | None,
    started_at: datetime,
    received_at: datetime,
    photos: Sequence[PhotoEvidence],
    other_inspection_hashes: Mapping[str, object] | Iterable[str] = (),
    live_upload: bool,
    config: EvidenceConfig | Mapping,
    finished_at: datetime | None = None,
) -> list[dict]:
    """Every evidence flag of one inspection, in a stable order (position, photos, clock).

    ``other_inspection_hashes``: SHA-256s of photos belonging to *other* inspections — a mapping
    hash → other inspection id puts that id in the flag. ``finished_at`` is the device's finish time;
    when absent the finish fix's own timestamp is used for the clock check.
    """
    if not isinstance(config, EvidenceConfig):
        config = EvidenceConfig.from_mapping(config)
    if not isinstance(other_inspection_hashes, Mapping):
        other_inspection_hashes = frozenset(other_inspection_hashes)
    flags = position_flags(site_lat=site_lat, site_lon=site_lon, geofence_m=geofence_m,
                           fixes={"start": gps_start, "finish": gps_finish}, config=config)
    for photo in photos:
        flags += photo_flags(photo, site_lat=site_lat, site_lon=site_lon, geofence_m=geofence_m,
                             started_at=started_at, received_at=received_at,
                             other_inspection_hashes=other_inspection_hashes, config=config)
    device_time = finished_at or (gps_finish.at if gps_finish is not None else None)
    skew = clock_skew_flag(device_time=device_time, received_at=received_at, live_upload=live_upload,
                           config=config)
    if skew:
        flags.append(skew)
    return flags


def _local_text(value) -> str:
    """ISO timestamps in details shown as Beijing wall-clock time in messages."""
    try:
        return to_local(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return str(value)


def describe_flag(flag: Mapping, locale: str | None = None) -> str:
    """The flag as a sentence in the reader's language (``flag_<code>`` or ``flag_<code>_<reason>``)."""
    details = dict(flag.get("details") or {})
    key = f"flag_{flag['code']}"
    reason = details.get("reason")
    if reason and f"{key}_{reason}" in catalogue():
        key = f"{key}_{reason}"
    for name in ("taken_at", "started_at", "received_at", "device_time"):
        if name in details:
            details[name] = _local_text(details[name])
    return translate(key, locale, **details)

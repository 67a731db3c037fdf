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
from inspect_app.core.timeutil import as_utc
from inspect_app.core.wording import flag_text
from inspect_app.evidence import messages  # noqa: F401  (registers flag_* messages)

OFF_SITE = "off_site"
LOW_ACCURACY = "low_accuracy"
NO_POSITION = "no_position"
PHOTO_NOT_FRESH = "photo_not_fresh"
PHOTO_OFF_SITE = "photo_off_site"
REUSED_PHOTO = "reused_photo"
CLOCK_SKEW = "clock_skew"
ANNOTATED_COPY = "annotated_copy"
FLAG_CODES = (OFF_SITE, LOW_ACCURACY, NO_POSITION, PHOTO_NOT_FRESH, PHOTO_OFF_SITE, REUSED_PHOTO, CLOCK_SKEW,
              ANNOTATED_COPY)


@dataclass(frozen=True)
class EvidenceConfig:
    """The tolerances, from app config (PHOTO_FRESHNESS_MARGIN_MINUTES, CLOCK_SKEW_TOLERANCE_MINUTES,
    LOW_ACCURACY_METRES)."""

    freshness_margin_minutes: float = 30
    clock_skew_tolerance_minutes: float = 10
    low_accuracy_m: float = 100.0

    # Accepted spellings of each setting: the Flask config name, then short names.
    _KEYS = {
        "freshness_margin_minutes": ("PHOTO_FRESHNESS_MARGIN_MINUTES", "freshness_margin_minutes"),
        "clock_skew_tolerance_minutes": (
            "CLOCK_SKEW_TOLERANCE_MINUTES", "clock_skew_tolerance_minutes", "clock_skew_minutes",
        ),
        "low_accuracy_m": ("LOW_ACCURACY_METRES", "low_accuracy_m"),
    }

    @classmethod
    def from_mapping(cls, config: Mapping) -> EvidenceConfig:
        """Read the tolerances from a Flask config or a plain dict; missing keys keep the defaults."""
        values = {}
        for field_name, keys in cls._KEYS.items():
            for key in keys:
                if config.get(key) is not None:
                    values[field_name] = config[key]
                    break
        return cls(**values)

    @classmethod
    def coerce(cls, config: EvidenceConfig | Mapping | None) -> EvidenceConfig:
        """An EvidenceConfig from whatever the caller holds (None means the defaults)."""
        if isinstance(config, EvidenceConfig):
            return config
        return cls.from_mapping(config or {})


@dataclass(frozen=True)
class GpsFix:
    """A device position (WGS-84) with the browser's accuracy radius and the device's own timestamp."""

    lat: float
    lon: float
    accuracy_m: float | None = None
    at: datetime | None = None

    @classmethod
    def coerce(cls, value: GpsFix | Mapping | None) -> GpsFix | None:
        """A GpsFix from a fix, a {"lat", "lon", "accuracy_m"?, "at"?} dict, or None."""
        if value is None or isinstance(value, GpsFix):
            return value
        if value.get("lat") is None or value.get("lon") is None:
            return None
        return cls(lat=value["lat"], lon=value["lon"], accuracy_m=value.get("accuracy_m"), at=value.get("at"))


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
    *,
    photo_id,
    taken_at: datetime | None,
    exif_gps: tuple[float, float] | None,
    started_at: datetime,
    site: tuple[float, float] | None,
    geofence_m: float | None,
    reused: bool = False,
    config: EvidenceConfig | Mapping | None = None,
    received_at: datetime | None = None,
    other_inspection_id=None,
    annotates=None,
) -> list[dict]:
    """photo_not_fresh, photo_off_site and reused_photo for one photo.

    An annotated copy (``annotates`` names its original) is drawn on the phone and carries no camera
    EXIF: it is flagged as the copy it is (annotated_copy) instead of "no capture time"; its original
    answers for time and place.

    ``site`` is the site's WGS-84 (lat, lon), or None when the inspection has no site (no position check);
    ``received_at`` (server time) enables the "dated after it arrived" check; ``reused`` says the same
    SHA-256 belongs to another inspection (``other_inspection_id`` names it, when known).
    """
    config = EvidenceConfig.coerce(config)
    flags: list[dict] = []
    if annotates is not None:
        flags.append(_flag(ANNOTATED_COPY, photo_id, original=str(annotates)))
        if reused:
            flags.append(_flag(REUSED_PHOTO, photo_id))
        return flags
    margin = timedelta(minutes=config.freshness_margin_minutes)
    tolerance = timedelta(minutes=config.clock_skew_tolerance_minutes)
    if taken_at is None:
        flags.append(_flag(PHOTO_NOT_FRESH, photo_id, reason="no_capture_time"))
    elif as_utc(taken_at) < as_utc(started_at) - margin:
        flags.append(_flag(PHOTO_NOT_FRESH, photo_id, reason="before_start", taken_at=_iso(taken_at),
                           started_at=_iso(started_at), margin_minutes=config.freshness_margin_minutes))
    elif received_at is not None and as_utc(taken_at) > as_utc(received_at) + tolerance:
        # A capture time after the server got the photo means the camera clock (or the file) is wrong.
        flags.append(_flag(PHOTO_NOT_FRESH, photo_id, reason="after_received", taken_at=_iso(taken_at),
                           received_at=_iso(received_at)))
    if exif_gps is not None and site is not None and geofence_m is not None:
        distance = distance_m(tuple(site), tuple(exif_gps))
        if distance > geofence_m:
            flags.append(_flag(PHOTO_OFF_SITE, photo_id, distance_m=round(distance), geofence_m=round(geofence_m)))
    if reused:
        details = {} if other_inspection_id is None else {"other_inspection_id": other_inspection_id}
        flags.append(_flag(REUSED_PHOTO, photo_id, **details))
    return flags


def clock_skew_flag(
    *, device_time: datetime | None, received_at: datetime | None, live_upload: bool | None,
    config: EvidenceConfig,
) -> dict | None:
    """clock_skew when the device's finish time is far from the server's receive time.

    For a live upload any gap beyond the tolerance counts. For an upload queued offline
    (``live_upload=False``) a device time *behind* the server is just the queue, so nothing is flagged.
    When the caller does not know (``None``) only a device clock running *ahead* is flagged —
    no queue can explain finishing after the server already had the inspection.
    """
    if device_time is None or received_at is None or live_upload is False:
        return None
    skew = as_utc(received_at) - as_utc(device_time)
    limit = timedelta(minutes=config.clock_skew_tolerance_minutes)
    too_far = abs(skew) > limit if live_upload else -skew > limit
    if not too_far:
        return None
    return _flag(CLOCK_SKEW, skew_minutes=round(skew.total_seconds() / 60, 1),
                 tolerance_minutes=config.clock_skew_tolerance_minutes,
                 device_time=_iso(device_time), received_at=_iso(received_at))


def location_flags(
    *,
    site: tuple[float, float] | None,
    geofence_m: float | None,
    gps_start: GpsFix | Mapping | None,
    gps_finish: GpsFix | Mapping | None,
    finished_at: datetime | None = None,
    received_at: datetime | None = None,
    config: EvidenceConfig | Mapping | None = None,
    live_upload: bool | None = None,
) -> list[dict]:
    """The inspection-level flags: off_site, low_accuracy, no_position, clock_skew.

    Fixes may be GpsFix or {"lat", "lon", "accuracy_m", "at"} dicts. ``finished_at`` is the device's finish
    time (falls back to the finish fix's timestamp). See :func:`clock_skew_flag` for ``live_upload``.
    """
    config = EvidenceConfig.coerce(config)
    start, finish = GpsFix.coerce(gps_start), GpsFix.coerce(gps_finish)
    flags: list[dict] = []
    if site is not None and geofence_m is not None:
        flags += position_flags(site_lat=site[0], site_lon=site[1], geofence_m=geofence_m,
                                fixes={"start": start, "finish": finish}, config=config)
    elif start is None and finish is None:
        flags.append(_flag(NO_POSITION))
    device_time = finished_at or (finish.at if finish is not None else None)
    skew = clock_skew_flag(device_time=device_time, received_at=received_at, live_upload=live_upload,
                           config=config)
    if skew:
        flags.append(skew)
    return flags


def evidence_flags(
    *,
    site_lat: float,
    site_lon: float,
    geofence_m: float,
    gps_start: GpsFix | Mapping | None,
    gps_finish: GpsFix | Mapping | None,
    started_at: datetime,
    received_at: datetime,
    photos: Sequence[PhotoEvidence],
    other_inspection_hashes: Mapping[str, object] | Iterable[str] = (),
    live_upload: bool | None,
    config: EvidenceConfig | Mapping,
    finished_at: datetime | None = None,
) -> list[dict]:
    """Every evidence flag of one inspection, in a stable order (position, clock, then photos).

    ``other_inspection_hashes``: SHA-256s of photos belonging to *other* inspections — a mapping
    hash → other inspection id puts that id in the flag.
    """
    config = EvidenceConfig.coerce(config)
    if not isinstance(other_inspection_hashes, Mapping):
        other_inspection_hashes = dict.fromkeys(other_inspection_hashes)
    site = (site_lat, site_lon)
    flags = location_flags(site=site, geofence_m=geofence_m, gps_start=gps_start, gps_finish=gps_finish,
                           finished_at=finished_at, received_at=received_at, config=config,
                           live_upload=live_upload)
    for photo in photos:
        gps = (photo.lat, photo.lon) if photo.lat is not None and photo.lon is not None else None
        flags += photo_flags(photo_id=photo.photo_id, taken_at=photo.taken_at, exif_gps=gps,
                             started_at=started_at, site=site, geofence_m=geofence_m,
                             reused=photo.sha256 in other_inspection_hashes, config=config,
                             received_at=received_at,
                             other_inspection_id=other_inspection_hashes.get(photo.sha256))
    return flags


# The flag in words lives in core.wording so every feature words it the same way; kept here by its old name.
describe_flag = flag_text

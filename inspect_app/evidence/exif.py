"""EXIF facts of an uploaded photo: capture time, GPS position, orientation.

Broken or absurd EXIF reads as absent (the evidence checks then flag the photo as having no capture time
or position); nothing here refuses a photo or raises.
"""
from __future__ import annotations

import math
import re
import struct
from datetime import datetime, timedelta, timezone

from PIL import Image

from inspect_app.core.timeutil import LOCAL_TZ

# Anything Pillow raises for EXIF it cannot read.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, RuntimeError)

# EXIF tags
_TAG_ORIENTATION = 0x0112
_IFD_EXIF = 0x8769
_IFD_GPS = 0x8825
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_OFFSET_TIME_ORIGINAL = 0x9011
_EXIF_TIME_RE = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET_RE = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
# Capture times outside this window are not believed (a camera with a flat clock battery says 1970 or
# 2000-01-01 00:00; a forged file says 9999).
EARLIEST_CAPTURE = datetime(2000, 1, 1, tzinfo=timezone.utc)
CAPTURE_FUTURE_TOLERANCE = timedelta(days=1)


def read_exif_facts(image: Image.Image) -> tuple[datetime | None, tuple[float, float] | None, int]:
    """(capture time as aware UTC, GPS (lat, lon), orientation 1–8); broken EXIF reads as absent."""
    try:
        exif = image.getexif()
    except _DECODE_ERRORS:
        return None, None, 1
    orientation = exif.get(_TAG_ORIENTATION, 1)
    if not isinstance(orientation, int) or not 1 <= orientation <= 8:
        orientation = 1
    try:
        exif_ifd = exif.get_ifd(_IFD_EXIF)
    except _DECODE_ERRORS:
        exif_ifd = {}
    try:
        gps_ifd = exif.get_ifd(_IFD_GPS)
    except _DECODE_ERRORS:
        gps_ifd = {}
    taken_at = parse_exif_time(
        exif_ifd.get(_TAG_DATETIME_ORIGINAL), exif_ifd.get(_TAG_OFFSET_TIME_ORIGINAL)
    )
    return taken_at, parse_exif_gps(gps_ifd), orientation


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "ignore")
    return str(value or "").strip("\x00 ").strip()


def parse_exif_time(value, offset, *, now: datetime | None = None) -> datetime | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" + optional "+08:00" → aware UTC; no offset means Asia/Shanghai.

    An absurd time — before 2000, more than a day after ``now`` (default: the current time), or one
    that overflows when moved to UTC (9999-12-31 23:59:59 -12:00) — reads as absent, so the photo is
    flagged as having no capture time rather than refused or crashing the upload.
    """
    match = _EXIF_TIME_RE.match(_text(value))
    if not match:
        return None
    try:
        naive = datetime(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    offset_match = _EXIF_OFFSET_RE.match(_text(offset))
    if offset_match:
        sign, hours, minutes = offset_match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta > timedelta(hours=14):
            local = naive.replace(tzinfo=LOCAL_TZ)
        else:
            local = naive.replace(tzinfo=timezone(-delta if sign == "-" else delta))
    else:
        local = naive.replace(tzinfo=LOCAL_TZ)
    try:
        taken_at = local.astimezone(timezone.utc)
    except OverflowError:
        return None
    latest = (now or datetime.now(timezone.utc)) + CAPTURE_FUTURE_TOLERANCE
    if not EARLIEST_CAPTURE <= taken_at <= latest:
        return None
    return taken_at


def _degrees(value) -> float | None:
    """Degrees from EXIF (deg, min, sec) rationals, or a single decimal value."""
    try:
        parts = [float(v) for v in value] if isinstance(value, (tuple, list)) else [float(value)]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not parts or len(parts) > 3 or any(math.isnan(p) or math.isinf(p) or p < 0 for p in parts):
        return None
    return sum(p / 60**i for i, p in enumerate(parts))


def parse_exif_gps(gps_ifd) -> tuple[float, float] | None:
    """(lat, lon) in signed decimal degrees from an EXIF GPS IFD; None when absent, void or nonsense."""
    if not gps_ifd or _text(gps_ifd.get(9)).upper() == "V":  # GPSStatus V = measurement void
        return None
    lat, lon = _degrees(gps_ifd.get(2)), _degrees(gps_ifd.get(4))
    lat_ref, lon_ref = _text(gps_ifd.get(1)).upper(), _text(gps_ifd.get(3)).upper()
    if lat is None or lon is None or lat_ref not in ("N", "S") or lon_ref not in ("E", "W"):
        return None
    lat = -lat if lat_ref == "S" else lat
    lon = -lon if lon_ref == "W" else lon
    if abs(lat) > 90 or abs(lon) > 180 or (lat == 0 and lon == 0):  # 0,0 is "no fix" on some phones
        return None
    return round(lat, 7), round(lon, 7)

"""Turning an uploaded photo into evidence: identify it, refuse what is dangerous, read EXIF, make derivatives.

Pure functions over bytes — no database, no request — so the upload route, the CLI and the benchmark share one
path. The original bytes are kept untouched (and hashed) as the evidence; the display image and thumbnail are
re-encoded JPEGs with every piece of metadata dropped, orientation applied, and a watermark burned into the
display image so a screenshot still says where and when it was taken.

Safety: the file type comes from its content, never from its name or declared type; the pixel count is checked
from the header before any pixel is decoded, so a small file declaring 30000×30000 pixels is refused without
allocating memory; truncated files are refused rather than silently padded.
"""
from __future__ import annotations

import hashlib
import io
import math
import re
import struct
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pillow_heif
from PIL import Image, UnidentifiedImageError

from inspect_app.core.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.evidence import messages  # noqa: F401  (registers the refusal messages)
from inspect_app.evidence.watermark import WatermarkInfo, burn_watermark

pillow_heif.register_heif_opener()

__all__ = [
    "DISPLAY_LONG_EDGE",
    "THUMB_LONG_EDGE",
    "ImageRejected",
    "PhotoTooLarge",
    "ProcessedPhoto",
    "UnsupportedImage",
    "WatermarkInfo",
    "process_photo",
    "sniff",
]

DISPLAY_LONG_EDGE = 1600
THUMB_LONG_EDGE = 320
DISPLAY_QUALITY = 82
THUMB_QUALITY = 75
ACCEPTED = "JPEG, PNG, WebP, HEIC"
MIME_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "heic": "image/heic"}
_PILLOW_FORMATS = {"jpeg": {"JPEG", "MPO"}, "png": {"PNG"}, "webp": {"WEBP"}, "heic": {"HEIF"}}

# ISO-BMFF brands of HEIF still images (HEVC-coded). AVIF shares the container but we cannot decode it.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
_HEVC_BRANDS = _HEIF_BRANDS - {b"mif1", b"msf1"}

# Anything Pillow or libheif raise for a file that looks like an image but is not a whole, valid one.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, RuntimeError)

# EXIF tags
_TAG_ORIENTATION = 0x0112
_IFD_EXIF = 0x8769
_IFD_GPS = 0x8825
_TAG_DATETIME_ORIGINAL = 0x9003
_TAG_OFFSET_TIME_ORIGINAL = 0x9011
_EXIF_TIME_RE = re.compile(r"^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET_RE = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


class UnsupportedImage(UnsupportedMediaType):
    """The bytes are not a JPEG, PNG, WebP or HEIC image (415)."""

    code = "unsupported_image"

    def __init__(self, code: str | None = None, **kwargs):
        kwargs.setdefault("accepted", ACCEPTED)
        super().__init__(code, **kwargs)


class PhotoTooLarge(PayloadTooLarge):
    """The file is bigger than MAX_PHOTO_BYTES (413); params: limit_mb."""

    code = "photo_too_large"


class ImageRejected(ValidationFailed):
    """An image we recognise but refuse (422): ``image_too_many_pixels`` or ``image_corrupt``."""

    code = "image_corrupt"


@dataclass(frozen=True)
class ProcessedPhoto:
    """Everything the upload operation stores: the untouched original, its hash, EXIF facts, derivatives.

    ``width``/``height`` are as the photo is meant to be viewed (after EXIF orientation), in pixels of
    the original. ``taken_at`` is an aware UTC datetime from EXIF DateTimeOriginal, or None. ``gps`` is
    (lat, lon) in WGS-84 decimal degrees from the EXIF GPS block, or None.
    """

    original: bytes
    sha256: str
    format: str
    width: int
    height: int
    taken_at: datetime | None
    gps: tuple[float, float] | None
    orientation: int
    display_jpeg: bytes
    display_size: tuple[int, int]
    thumb_jpeg: bytes
    thumb_size: tuple[int, int]
    watermarked: bool

    @property
    def mime_type(self) -> str:
        """The content type of the original, from its sniffed format."""
        return MIME_TYPES[self.format]


def sniff(data: bytes) -> str:
    """The image format from the magic bytes: "jpeg" | "png" | "webp" | "heic"; else UnsupportedImage."""
    head = bytes(data[:64])
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if _is_heif(data):
        return "heic"
    raise UnsupportedImage()


def _is_heif(data: bytes) -> bool:
    """An ISO-BMFF file whose leading ``ftyp`` box names a HEIF (HEVC) brand."""
    data = bytes(data[:4096])
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    box_size = int.from_bytes(data[0:4], "big")
    if box_size < 16 or box_size > 4096:
        return False
    body = data[8:min(box_size, len(data))]
    brands = {body[0:4]} | {body[i:i + 4] for i in range(8, len(body) - 3, 4)}
    if brands & _AVIF_BRANDS and not brands & _HEVC_BRANDS:
        return False
    return bool(brands & _HEIF_BRANDS)


def process_photo(
    data: bytes,
    *,
    max_bytes: int,
    max_pixels: int,
    watermark: WatermarkInfo | None,
    font_path: str | None,
) -> ProcessedPhoto:
    """Check an uploaded photo and build its evidence record; raises a refusal with a stable code."""
    if len(data) > max_bytes:
        raise PhotoTooLarge(limit_mb=_megabytes(max_bytes))
    fmt = sniff(data)
    sha256 = hashlib.sha256(data).hexdigest()
    image = _open_checked(data, fmt, max_pixels)
    taken_at, gps, orientation = read_exif_facts(image)
    # The header size, before draft decoding shrinks image.size; swapped for 90° orientations.
    width, height = image.size if orientation not in (5, 6, 7, 8) else image.size[::-1]
    decoded = _decode_reduced(image, DISPLAY_LONG_EDGE, max_pixels)

    # Resize first, then turn: rotating the 1600 px image is cheaper than rotating the decoded one.
    display = _upright(_fit(decoded, DISPLAY_LONG_EDGE), orientation)
    thumb = _fit(display, THUMB_LONG_EDGE)
    thumb_jpeg = _encode_jpeg(thumb, THUMB_QUALITY)
    watermarked = False
    if watermark is not None:
        burn_watermark(display, watermark, font_path=font_path, fallback_time=taken_at, fallback_gps=gps)
        watermarked = True
    return ProcessedPhoto(
        original=data,
        sha256=sha256,
        format=fmt,
        width=width,
        height=height,
        taken_at=taken_at,
        gps=gps,
        orientation=orientation,
        display_jpeg=_encode_jpeg(display, DISPLAY_QUALITY),
        display_size=display.size,
        thumb_jpeg=thumb_jpeg,
        thumb_size=thumb.size,
        watermarked=watermarked,
    )


def _megabytes(n: int) -> int | float:
    mb = n / 1024 / 1024
    return round(mb) if mb >= 1 else round(mb, 2)


def _refuse_pixels(max_pixels: int, **details) -> ImageRejected:
    return ImageRejected(
        "image_too_many_pixels", details=details or None, limit_mp=round(max_pixels / 1_000_000, 1)
    )


def _open_checked(data: bytes, fmt: str, max_pixels: int) -> Image.Image:
    """Open lazily (header only) and refuse by declared size before a single pixel is decoded."""
    try:
        image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own ceiling (2 × Image.MAX_IMAGE_PIXELS) tripped while reading the header.
        raise _refuse_pixels(max_pixels) from None
    except (UnidentifiedImageError, *_DECODE_ERRORS):
        raise ImageRejected("image_corrupt") from None
    if image.format not in _PILLOW_FORMATS[fmt]:
        raise ImageRejected("image_corrupt")
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageRejected("image_corrupt")
    if width * height > max_pixels:
        raise _refuse_pixels(max_pixels, width=width, height=height)
    return image


def _decode_reduced(image: Image.Image, long_edge: int, max_pixels: int) -> Image.Image:
    """Decode as few pixels as a ``long_edge`` derivative needs, as RGB (orientation not yet applied)."""
    try:
        # JPEG: DCT-domain scaling, a 4000×3000 photo decodes straight to 2000×1500 (¼ of the work).
        # HEIC: pillow-heif decodes an embedded thumbnail instead, if one is at least this large.
        # PNG/WebP cannot decode partially; _fit then reduces by an integer factor before resampling.
        image.draft("RGB", _fit_size(image.size, long_edge))
        image.load()
        return _to_rgb(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse_pixels(max_pixels) from None
    except _DECODE_ERRORS:
        raise ImageRejected("image_corrupt") from None


# EXIF orientation → the transpose that shows the photo as taken (the table ImageOps.exif_transpose uses;
# applied from the orientation we already read, after resizing, so the rotation touches fewer pixels).
_ORIENTATION_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    """The image turned/flipped as its EXIF orientation says (HEIC arrives already turned by libheif)."""
    method = _ORIENTATION_TRANSPOSE.get(orientation)
    return image.transpose(method) if method is not None else image


def _to_rgb(image: Image.Image) -> Image.Image:
    """RGB on white: transparent PNG/WebP areas become white rather than black."""
    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    if image.mode.startswith("I;16") or image.mode in ("I", "F"):
        # 16-bit greyscale PNG: scale to 8 bits before conversion (convert would clip).
        return image.point(lambda v: v / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _fit_size(size: tuple[int, int], long_edge: int) -> tuple[int, int]:
    """The size with the longer side at most ``long_edge``, aspect kept, never enlarged."""
    width, height = size
    scale = long_edge / max(width, height)
    if scale >= 1:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def _fit(image: Image.Image, long_edge: int) -> Image.Image:
    """A copy no larger than ``long_edge``; integer pre-reduction keeps large PNG/HEIC resizes cheap.

    Hamming is as sharp as bicubic for downscaling at the cost of bilinear — after JPEG draft decoding the
    remaining step is small (2000 → 1600), and bicubic there would cost more than the decode itself.
    """
    target = _fit_size(image.size, long_edge)
    if target == image.size:
        return image
    return image.resize(target, Image.Resampling.HAMMING, reducing_gap=2.0)


def _encode_jpeg(image: Image.Image, quality: int) -> bytes:
    """A baseline JPEG with no metadata at all (EXIF, XMP, comments, ICC are not carried over)."""
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


# --- EXIF ----------------------------------------------------------------------------------------


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


def parse_exif_time(value, offset) -> datetime | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" + optional "+08:00" → aware UTC; no offset means Asia/Shanghai."""
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
    return local.astimezone(timezone.utc)


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

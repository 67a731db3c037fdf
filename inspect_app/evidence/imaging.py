"""Turning an uploaded photo into evidence: identify it, refuse what is dangerous, read EXIF, make derivatives.

Pure functions over bytes — no database, no request — so the upload route, the CLI and the benchmark share one
path. The original bytes are kept untouched (and hashed) as the evidence; the display image and thumbnail are
re-encoded JPEGs with every piece of metadata dropped, orientation applied, and a watermark burned into the
display image so a screenshot still says where and when it was taken.

Safety: the file type comes from its content, never from its name or declared type; the pixel count is checked
from the header before any pixel is decoded, so a small file declaring 30000×30000 pixels is refused without
allocating memory. PNG and WebP cannot be decoded at reduced size, so they have a lower pixel limit of their
own, and decodes at full size (PNG, WebP, HEIC) pass through a caller-supplied gate that bounds how many run
at once. Truncated files are refused rather than silently padded: a decoder error is a refusal, and so is a
file that decodes only because the decoder filled in what was missing (``integrity``).
"""
from __future__ import annotations

import hashlib
import io
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime

import pillow_heif
from PIL import Image, UnidentifiedImageError

from inspect_app.core.errors import DomainError, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from inspect_app.evidence import messages  # noqa: F401  (registers the refusal messages)
from inspect_app.evidence.exif import parse_exif_gps, parse_exif_time, read_exif_facts
from inspect_app.evidence.integrity import JpegLayout, heic_has_fill, jpeg_layout, jpeg_tail_is_fill
from inspect_app.evidence.watermark import WatermarkInfo, burn_watermark

pillow_heif.register_heif_opener()
# The pixel count is checked here, from the header, against the configured limits before any decode
# (_open_checked). Pillow's own process-wide guard would only blur that: above 89 MP it merely warns
# (so in production a 100 MP PNG went on to decode), and under pytest, where warnings are errors, the
# same file was refused by the warning instead — the outcome depended on the warning filters.
Image.MAX_IMAGE_PIXELS = None

__all__ = [
    "DISPLAY_LONG_EDGE",
    "THUMB_LONG_EDGE",
    "DecoderBusy",
    "ImageRejected",
    "PhotoTooLarge",
    "ProcessedPhoto",
    "UnsupportedImage",
    "WatermarkInfo",
    "heavy_decode_gate",
    "parse_exif_gps",
    "parse_exif_time",
    "process_photo",
    "read_exif_facts",
    "sniff",
]

DISPLAY_LONG_EDGE = 1600
THUMB_LONG_EDGE = 320
DISPLAY_QUALITY = 82
THUMB_QUALITY = 75
ACCEPTED = "JPEG, PNG, WebP, HEIC"
MIME_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "heic": "image/heic"}
_PILLOW_FORMATS = {"jpeg": {"JPEG", "MPO"}, "png": {"PNG"}, "webp": {"WEBP"}, "heic": {"HEIF"}}
# Formats decoded pixel for pixel (no DCT-domain scaling): their decode memory grows with the full size.
# PNG and WebP (screenshots, exports) have their own, lower pixel limit; HEIC photos of 48 MP phones must
# still be taken, so HEIC keeps MAX_IMAGE_PIXELS and is only gated.
LOWER_PIXEL_LIMIT_FORMATS = ("png", "webp")
FULL_SIZE_FORMATS = ("png", "webp", "heic")
MAX_PNG_WEBP_PIXELS = 25_000_000

# ISO-BMFF brands of HEIF still images (HEVC-coded). AVIF shares the container but we cannot decode it.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
_HEVC_BRANDS = _HEIF_BRANDS - {b"mif1", b"msf1"}

# Anything Pillow or libheif raise for a file that looks like an image but is not a whole, valid one.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError, RuntimeError)



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


class DecoderBusy(DomainError):
    """Every full-size decode slot of this process stayed busy for the whole wait (503, retry later)."""

    status = 503
    code = "photo_decoder_busy"


_GATES: dict[int, threading.BoundedSemaphore] = {}
_GATES_LOCK = threading.Lock()


def heavy_decode_gate(slots: int, wait_seconds: float) -> Callable[[], AbstractContextManager]:
    """A gate for ``process_photo``: at most ``slots`` full-size decodes at once in this process.

    One semaphore per slot count, shared by every caller in the process (threads of one worker);
    a decode that cannot get a slot within ``wait_seconds`` is refused with :class:`DecoderBusy`.
    """
    with _GATES_LOCK:
        semaphore = _GATES.setdefault(slots, threading.BoundedSemaphore(max(1, slots)))

    @contextmanager
    def gate() -> Iterator[None]:
        if not semaphore.acquire(timeout=wait_seconds):
            raise DecoderBusy()
        try:
            yield
        finally:
            semaphore.release()

    return gate


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
    max_png_webp_pixels: int = MAX_PNG_WEBP_PIXELS,
    decode_gate: Callable[[], AbstractContextManager] | None = None,
) -> ProcessedPhoto:
    """Check an uploaded photo and build its evidence record; raises a refusal with a stable code.

    ``decode_gate()`` is entered around each full-size decode (PNG, WebP, HEIC) until the image is
    reduced to display size, so the caller can bound how many of those run at once.
    """
    if len(data) > max_bytes:
        raise PhotoTooLarge(limit_mb=_megabytes(max_bytes))
    fmt = sniff(data)
    sha256 = hashlib.sha256(data).hexdigest()
    layout = _jpeg_layout_checked(data) if fmt == "jpeg" else None
    image = _open_checked(data, fmt, max_pixels, max_png_webp_pixels)
    taken_at, gps, orientation = read_exif_facts(image)
    # The header size, before draft decoding shrinks image.size; swapped for 90° orientations.
    width, height = image.size if orientation not in (5, 6, 7, 8) else image.size[::-1]
    gate = decode_gate() if decode_gate is not None and fmt in FULL_SIZE_FORMATS else nullcontext()
    with gate:
        decoded = _decode_reduced(image, fmt, layout, DISPLAY_LONG_EDGE, max_pixels)
        # Resize first, then turn: rotating the 1600 px image is cheaper than rotating the decoded one.
        display = _upright(_fit(decoded, DISPLAY_LONG_EDGE), orientation)
        del decoded, image
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


def _jpeg_layout_checked(data: bytes) -> JpegLayout:
    """The JPEG's frame layout, or ``image_corrupt`` when scans, restart intervals or the end are missing."""
    layout = jpeg_layout(data)
    if layout is None:
        raise ImageRejected("image_corrupt")
    return layout


def _open_checked(data: bytes, fmt: str, max_pixels: int, max_png_webp_pixels: int) -> Image.Image:
    """Open lazily (header only) and refuse by declared size before a single pixel is decoded."""
    try:
        image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, should anything in the process have set Image.MAX_IMAGE_PIXELS again.
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
    if fmt in LOWER_PIXEL_LIMIT_FORMATS and width * height > max_png_webp_pixels:
        # A 400 KB PNG of 10000×10000 decodes to 300 MB of pixels (1.2 GB with the conversions).
        raise _refuse_pixels(max_png_webp_pixels, width=width, height=height, format=fmt)
    return image


def _decode_reduced(image: Image.Image, fmt: str, layout: JpegLayout | None, long_edge: int,
                    max_pixels: int) -> Image.Image:
    """Decode as few pixels as a ``long_edge`` derivative needs, as RGB (orientation not yet applied).

    Refuses a file the decoder completed only by filling in missing data (see ``integrity``).
    """
    try:
        if fmt == "jpeg":
            # DCT-domain scaling: a 4000×3000 photo decodes straight to 2000×1500 (¼ of the work).
            image.draft("RGB", _fit_size(image.size, long_edge))
        # HEIC is decoded whole, never from an embedded thumbnail: the primary image is the evidence,
        # and only its decode shows whether it is complete. PNG/WebP cannot decode partially; _fit
        # then reduces by an integer factor before resampling.
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse_pixels(max_pixels) from None
    except _DECODE_ERRORS:
        raise ImageRejected("image_corrupt") from None
    if layout is not None and jpeg_tail_is_fill(image, layout, _draft_scale(image)):
        raise ImageRejected("image_corrupt")
    if fmt == "heic" and heic_has_fill(image):
        raise ImageRejected("image_corrupt")
    try:
        return _to_rgb(image)
    except _DECODE_ERRORS:
        raise ImageRejected("image_corrupt") from None


def _draft_scale(image: Image.Image) -> int:
    """The DCT scaling factor draft() chose for a JPEG (1, 2, 4 or 8)."""
    config = getattr(image, "decoderconfig", None) or (1,)
    return int(config[0]) or 1


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

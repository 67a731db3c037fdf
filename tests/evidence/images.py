"""Generators of test photos: phone-like JPEGs with EXIF, HEIC, PNG, WebP, and hostile files.

Everything is made in memory so tests need no fixture files. ``camera_jpeg`` also feeds the benchmark.
"""
from __future__ import annotations

import io
import struct
import zlib
from datetime import datetime

import pillow_heif
from PIL import Image

pillow_heif.register_heif_opener()

# A point at a demo site in 新华西路街道 (WGS-84).
SITE_LAT, SITE_LON = 40.82012, 111.65003


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes_full = (value - degrees) * 60
    minutes = int(minutes_full)
    return float(degrees), float(minutes), round((minutes_full - minutes) * 60, 4)


def make_exif(
    *,
    taken_at: datetime | str | None = None,
    offset: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    orientation: int | None = None,
) -> Image.Exif:
    """EXIF as a phone writes it: DateTimeOriginal (+ OffsetTimeOriginal), GPS IFD, Orientation."""
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    if taken_at is not None:
        exif_ifd = exif.get_ifd(0x8769)
        text = taken_at if isinstance(taken_at, str) else taken_at.strftime("%Y:%m:%d %H:%M:%S")
        exif_ifd[0x9003] = text
        if offset is not None:
            exif_ifd[0x9011] = offset
    if lat is not None and lon is not None:
        gps = exif.get_ifd(0x8825)
        gps[0] = b"\x02\x02\x00\x00"
        gps[1] = "N" if lat >= 0 else "S"
        gps[2] = _dms(lat)
        gps[3] = "E" if lon >= 0 else "W"
        gps[4] = _dms(lon)
    return exif


def scene(size: tuple[int, int] = (800, 600), mode: str = "RGB") -> Image.Image:
    """A picture with gradients and a red top-left corner, so rotations can be told apart."""
    width, height = size
    gradient = Image.linear_gradient("L").resize(size)
    # No red anywhere except the marker, so a test can find the marker by its red channel.
    image = Image.merge("RGB", (Image.new("L", size, 0), gradient,
                                gradient.transpose(Image.Transpose.ROTATE_180)))
    image.paste((255, 0, 0), (0, 0, max(1, width // 4), max(1, height // 4)))
    return image.convert(mode) if mode != "RGB" else image


def jpeg(size=(800, 600), *, quality=85, exif: Image.Exif | None = None, image=None, **exif_fields) -> bytes:
    """A JPEG; keyword fields (taken_at, offset, lat, lon, orientation) become EXIF."""
    image = image or scene(size)
    if exif is None and exif_fields:
        exif = make_exif(**exif_fields)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif if exif is not None else b"",
               comment=b"inspector notes that must not leak")
    return out.getvalue()


def png(size=(800, 600), *, mode="RGB", **exif_fields) -> bytes:
    """A PNG (optionally RGBA or with an eXIf chunk)."""
    image = scene(size, mode)
    out = io.BytesIO()
    kwargs = {"exif": make_exif(**exif_fields).tobytes()} if exif_fields else {}
    image.save(out, "PNG", **kwargs)
    return out.getvalue()


def webp(size=(800, 600), **exif_fields) -> bytes:
    """A lossy WebP."""
    out = io.BytesIO()
    kwargs = {"exif": make_exif(**exif_fields)} if exif_fields else {}
    scene(size).save(out, "WEBP", quality=80, **kwargs)
    return out.getvalue()


def heic(size=(800, 600), **exif_fields) -> bytes:
    """A HEIC as an iPhone writes it (HEVC in an ISO-BMFF container)."""
    out = io.BytesIO()
    kwargs = {"exif": make_exif(**exif_fields).tobytes()} if exif_fields else {}
    scene(size).save(out, "HEIF", quality=80, **kwargs)
    return out.getvalue()


def truncated_jpeg(size=(800, 600)) -> bytes:
    """The first half of a JPEG, as left by an interrupted upload."""
    data = jpeg(size)
    return data[: len(data) // 2]


def renamed_pdf() -> bytes:
    """A PDF someone renamed to photo.jpg."""
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def avif_like() -> bytes:
    """An ISO-BMFF header with AVIF brands only (same container as HEIC, a codec we do not take)."""
    return struct.pack(">I", 24) + b"ftypavif" + b"\x00\x00\x00\x00" + b"avifmif1" + b"\x00" * 64


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose IHDR claims ``width``×``height`` (a decompression bomb header, no pixels allocated)."""
    data = bytearray(png((4, 4)))
    # Signature (8) + length (4) + b"IHDR" (4): width and height follow, then 5 bytes, then the CRC.
    assert data[12:16] == b"IHDR"
    struct.pack_into(">II", data, 16, width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    struct.pack_into(">I", data, 29, crc)
    return bytes(data)


def camera_jpeg(size=(4000, 3000), *, quality=92, seed: int = 7, **exif_fields) -> bytes:
    """A 12-megapixel camera-like JPEG: smooth colour regions, gradients and sensor noise (~3–5 MB)."""
    width, height = size
    # Low-resolution random colour field blown up gives soft "objects"; a gradient gives sky/ground.
    field = Image.frombytes("RGB", (40, 30), _pseudo_random_bytes(40 * 30 * 3, seed))
    base = field.resize(size, Image.Resampling.BICUBIC)
    gradient = Image.linear_gradient("L").resize(size).convert("RGB")
    image = Image.blend(base, gradient, 0.35)
    detail = Image.frombytes("RGB", (width // 8, height // 8),
                             _pseudo_random_bytes((width // 8) * (height // 8) * 3, seed + 1))
    image = Image.blend(image, detail.resize(size, Image.Resampling.BILINEAR), 0.18)
    noise = Image.effect_noise(size, 32).convert("RGB")
    image = Image.blend(image, noise, 0.16)
    exif = make_exif(**exif_fields) if exif_fields else None
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif if exif is not None else b"")
    return out.getvalue()


def _pseudo_random_bytes(n: int, seed: int) -> bytes:
    """Deterministic bytes (repeatable benchmark input) without numpy."""
    import random

    return random.Random(seed).randbytes(n)

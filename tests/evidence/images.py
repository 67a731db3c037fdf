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


# --- files cut short so that a lenient decoder still "succeeds" ------------------------------------


def jpeg_cut_with_end_marker(data: bytes, keep: float) -> bytes:
    """The first ``keep`` of a JPEG with an end-of-image marker appended: libjpeg decodes it without an
    error and fills the missing blocks with grey (the fuzzer's "cut to a third, FFD9 appended")."""
    return data[: int(len(data) * keep)] + b"\xff\xd9"


def _boxes(data: bytes, start: int, end: int):
    """(type, offset, header length, size) of the ISO-BMFF boxes between ``start`` and ``end``."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1:
            size, header = struct.unpack_from(">Q", data, pos + 8)[0], 16
        elif size == 0:
            size = end - pos
        yield kind, pos, header, size
        pos += size


def heic_cut_at_slice(size=(1600, 1200), *, slices: int = 4, keep_slices: int = 2) -> bytes:
    """A HEIC whose picture is coded in ``slices`` slices, of which only the first ``keep_slices`` remain,
    with the box sizes patched so the container is consistent: libheif decodes it without an error and the
    missing slices come out solid green (the fuzzer's "HEIC cut in half")."""
    out = io.BytesIO()
    scene(size).save(out, "HEIF", quality=80, enc_params={"x265:slices": str(slices)})
    data = bytearray(out.getvalue())
    top = {kind: (pos, header, length) for kind, pos, header, length in _boxes(data, 0, len(data))}
    meta_pos, meta_header, meta_size = top[b"meta"]
    inner = {kind: pos for kind, pos, _, _ in _boxes(data, meta_pos + meta_header + 4, meta_pos + meta_size)}
    iloc = inner[b"iloc"]
    # iloc version 0, offset/length/base-offset sizes 4/4/4, one item with one extent: what pillow-heif writes.
    assert data[iloc + 8] == 0 and data[iloc + 12:iloc + 14] == b"\x44\x40"
    assert struct.unpack_from(">HHHIH", data, iloc + 14) [0] == 1
    base_offset = struct.unpack_from(">I", data, iloc + 20)[0]
    extent_offset, extent_length = struct.unpack_from(">II", data, iloc + 26)
    start = base_offset + extent_offset
    nal_starts, pos = [], start
    while pos < start + extent_length:  # length-prefixed HEVC NAL units, one per slice here
        nal_starts.append(pos)
        pos += 4 + struct.unpack_from(">I", data, pos)[0]
    assert len(nal_starts) == slices, nal_starts
    kept = nal_starts[keep_slices] - start
    mdat_pos = top[b"mdat"][0]
    assert mdat_pos + top[b"mdat"][1] == start and top[b"mdat"][1] == 8
    struct.pack_into(">I", data, iloc + 30, kept)
    struct.pack_into(">I", data, mdat_pos, 8 + kept)
    return bytes(data[: start + kept])


def png_blank(width: int, height: int) -> bytes:
    """A real, fully decodable greyscale PNG of ``width``×``height`` that compresses to almost nothing
    (10000×10000 is ~100 KB on disk and 100 MB as pixels): written row by row, never held whole."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte 0, then black pixels
    rows_per_block = max(1, 4_000_000 // len(row))
    parts, done = [], 0
    while done < height:
        count = min(rows_per_block, height - done)
        parts.append(compressor.compress(row * count))
        done += count
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b"")

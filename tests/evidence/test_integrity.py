"""Hostile and broken photos found by fuzzing: cut files a lenient decoder completes, pixel floods, absurd EXIF
times, and the bound on concurrent full-size decodes. Pure pipeline tests (no app, no database)."""
from __future__ import annotations

import io
import resource
import threading
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from inspect_app.evidence.imaging import (
    DecoderBusy,
    ImageRejected,
    heavy_decode_gate,
    parse_exif_time,
    process_photo,
)
from inspect_app.evidence.integrity import jpeg_layout
from tests.evidence import images

MB = 1024 * 1024
LIMITS = {"max_bytes": 25 * MB, "max_pixels": 100_000_000}


def process(data: bytes, **options):
    return process_photo(data, **{**LIMITS, **options}, watermark=None, font_path=None)


def refused_code(data: bytes, **options) -> str:
    with pytest.raises(ImageRejected) as refused:
        process(data, **options)
    return refused.value.code


def encoded(image: Image.Image, fmt="JPEG", **save) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


# --- point 3: truncated files that decode without an error ------------------------------------------


def test_camera_jpeg_cut_to_a_third_with_an_end_marker_appended_is_refused():
    whole = images.camera_jpeg((1600, 1200))
    cut = images.jpeg_cut_with_end_marker(whole, 1 / 3)
    # The trap: Pillow decodes it without complaint, the lower two thirds invented as flat grey.
    lenient = Image.open(io.BytesIO(cut))
    lenient.load()
    assert lenient.crop((0, 1100, 1600, 1200)).getextrema() == ((128, 128),) * 3
    assert refused_code(cut) == "image_corrupt"
    assert process(whole).format == "jpeg"


@pytest.mark.parametrize("keep", [0.2, 0.5, 0.9, 0.99])
def test_baseline_jpeg_cut_anywhere_before_its_last_block_is_refused(keep):
    whole = encoded(images.scene((1001, 757)), quality=85)
    assert refused_code(images.jpeg_cut_with_end_marker(whole, keep)) == "image_corrupt"


@pytest.mark.parametrize("keep", [0.3, 0.9])
def test_jpeg_with_restart_intervals_cut_short_is_refused_by_its_marker_count(keep):
    whole = encoded(images.scene((1600, 1200)), quality=85, restart_marker_rows=1)
    assert jpeg_layout(whole) is not None
    cut = images.jpeg_cut_with_end_marker(whole, keep)
    assert jpeg_layout(cut) is None
    assert refused_code(cut) == "image_corrupt"


def test_progressive_jpeg_missing_its_later_scans_is_refused():
    whole = encoded(images.scene((1600, 1200)), quality=85, progressive=True)
    cut = images.jpeg_cut_with_end_marker(whole, 1 / 3)
    assert jpeg_layout(cut) is None  # some coefficients never reach full precision
    assert refused_code(cut) == "image_corrupt"


def test_heic_cut_at_a_slice_boundary_is_refused():
    cut = images.heic_cut_at_slice((1600, 1200), slices=4, keep_slices=2)
    # The trap: libheif decodes it without an error; the missing slices come out solid green.
    lenient = Image.open(io.BytesIO(cut))
    lenient.load()
    assert lenient.getpixel((800, 1150)) == (0, 136, 0)
    assert refused_code(cut) == "image_corrupt"


def test_heic_is_decoded_whole_not_from_an_embedded_thumbnail(monkeypatch):
    """A thumbnail big enough for the display image must not stand in for the primary image: only the
    primary image's decode shows whether it is complete (pillow-heif's draft() picks such a thumbnail)."""
    from pillow_heif.as_plugin import HeifImageFile

    asked = []
    monkeypatch.setattr(HeifImageFile, "draft", lambda self, mode, size: asked.append(size))
    assert process(images.heic((2400, 1800))).display_size == (1600, 1200)
    assert asked == []


@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
@pytest.mark.parametrize("save", [
    {}, {"progressive": True}, {"restart_marker_blocks": 3}, {"restart_marker_rows": 1, "subsampling": 0},
    {"progressive": True, "restart_marker_blocks": 1},
], ids=["baseline", "progressive", "restart-blocks", "restart-rows-444", "progressive-restarts"])
@pytest.mark.parametrize("size", [(17, 33), (1001, 757)])
def test_whole_jpegs_of_every_layout_are_accepted(mode, save, size):
    data = encoded(images.scene(size).convert(mode), quality=80, **save)
    assert jpeg_layout(data) is not None
    assert process(data).format == "jpeg"


def test_jpeg_with_a_trailer_after_its_end_marker_is_accepted():
    """Some phones write data after the end-of-image marker (MPO frames, vendor trailers)."""
    data = images.jpeg() + b"SEFH" + b"\x00" * 64
    assert process(data).format == "jpeg"


# --- point 4: pixel floods in formats without reduced decoding ------------------------------------


def test_png_of_10000_by_10000_pixels_is_refused_by_its_header_before_decoding():
    flood = images.png_blank(10000, 10000)
    assert len(flood) < 500 * 1024  # the fuzzer's was 405 KB; decoded it took 1.2 GB
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ImageRejected) as refused:
        process(flood)
    assert refused.value.code == "image_too_many_pixels"
    assert refused.value.details == {"width": 10000, "height": 10000, "format": "png"}
    assert refused.value.params == {"limit_mp": 25.0}
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 100 * 1024  # KB


@pytest.mark.parametrize("make", [images.png, images.webp])
def test_png_and_webp_pixel_limit_is_configurable(make):
    data = make((1200, 1000))
    with pytest.raises(ImageRejected) as refused:
        process(data, max_png_webp_pixels=1_000_000)
    assert refused.value.code == "image_too_many_pixels"
    assert process(data, max_png_webp_pixels=1_200_000).width == 1200


def test_jpeg_and_heic_keep_the_general_pixel_limit():
    assert process(images.jpeg((1200, 1000)), max_png_webp_pixels=1_000_000).format == "jpeg"
    assert process(images.heic((1200, 1000)), max_png_webp_pixels=1_000_000).format == "heic"


def test_full_size_decodes_wait_for_a_free_slot_and_give_up_with_503():
    gate = heavy_decode_gate(1, wait_seconds=0.2)
    held, release = threading.Event(), threading.Event()

    def occupy():
        with gate():
            held.set()
            release.wait(10)

    occupant = threading.Thread(target=occupy)
    occupant.start()
    try:
        assert held.wait(10)
        with pytest.raises(DecoderBusy) as busy:
            process(images.png((400, 300)), decode_gate=gate)
        assert busy.value.status == 503 and busy.value.code == "photo_decoder_busy"
        # A JPEG decodes at reduced size and never waits for the gate.
        assert process(images.jpeg((400, 300)), decode_gate=gate).format == "jpeg"
    finally:
        release.set()
        occupant.join()
    assert process(images.png((400, 300)), decode_gate=gate).format == "png"


def test_decode_gate_is_released_when_the_image_is_refused():
    gate = heavy_decode_gate(1, wait_seconds=0.2)
    truncated = images.png()[:2000]
    for _ in range(3):
        with pytest.raises(ImageRejected):
            process(truncated, decode_gate=gate)
    assert process(images.png((40, 30)), decode_gate=gate).format == "png"


# --- point 8: absurd EXIF capture times ----------------------------------------------------------


def test_exif_time_at_the_end_of_year_9999_west_of_utc_reads_as_absent_instead_of_overflowing():
    assert parse_exif_time("9999:12:31 23:59:59", "-12:00") is None
    photo = process(images.jpeg(taken_at="9999:12:31 23:59:59", offset="-12:00"))
    assert photo.taken_at is None


@pytest.mark.parametrize("value, offset", [
    ("0001:01:01 00:00:00", "+14:00"),  # underflows UTC
    ("1970:01:01 00:00:00", None),  # a camera with a flat clock battery
    ("1999:12:31 23:59:59", "+00:00"),
    ("2199:01:01 00:00:00", "+08:00"),
])
def test_exif_times_before_2000_or_far_in_the_future_read_as_absent(value, offset):
    assert parse_exif_time(value, offset) is None


def test_exif_time_up_to_a_day_ahead_is_kept_for_the_freshness_check():
    now = datetime(2026, 11, 29, 1, 0, tzinfo=timezone.utc)
    ahead = now + timedelta(hours=23)
    text = ahead.strftime("%Y:%m:%d %H:%M:%S")
    assert parse_exif_time(text, "+00:00", now=now) == ahead
    assert parse_exif_time((now + timedelta(hours=25)).strftime("%Y:%m:%d %H:%M:%S"), "+00:00", now=now) is None
    assert parse_exif_time("2000:01:01 00:00:00", "+00:00", now=now) == datetime(2000, 1, 1, tzinfo=timezone.utc)

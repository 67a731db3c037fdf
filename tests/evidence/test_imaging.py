"""The photo pipeline: what is accepted, what is refused (and how cheaply), what EXIF says, what derivatives hold."""
from __future__ import annotations

import hashlib
import io
import resource
import time
import tracemalloc
from datetime import datetime, timezone

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat

from inspect_app.core.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from inspect_app.core.i18n import translate
from inspect_app.evidence import fonts
from inspect_app.evidence.imaging import (
    ImageRejected,
    PhotoTooLarge,
    UnsupportedImage,
    WatermarkInfo,
    parse_exif_time,
    process_photo,
    sniff,
)
from tests.evidence import images

MB = 1024 * 1024
LIMITS = {"max_bytes": 25 * MB, "max_pixels": 100_000_000}
CJK_FONT = fonts.find_cjk_font(None)
WATERMARK = WatermarkInfo(
    site_name="新华西路某某项目工地", inspector_name="张三",
    inspection_id="3f2a9c1e-1111-2222-3333-444455556666",
    at=datetime(2026, 11, 29, 1, 41, tzinfo=timezone.utc), lat=40.82012, lon=111.65003, accuracy_m=8,
)


def process(data: bytes, *, watermark=None, font_path=None, **limits):
    """process_photo with the app's default limits unless a test narrows them."""
    return process_photo(data, **{**LIMITS, **limits}, watermark=watermark, font_path=font_path)


def decoded(jpeg_bytes: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(jpeg_bytes))
    image.load()
    return image


# --- recognising formats by content ----------------------------------------------------------


@pytest.mark.parametrize("make, expected", [
    (images.jpeg, "jpeg"), (images.png, "png"), (images.webp, "webp"), (images.heic, "heic"),
])
def test_each_accepted_format_is_recognised_by_its_content(make, expected):
    data = make()
    assert sniff(data) == expected
    photo = process(data)
    assert photo.format == expected
    assert (photo.width, photo.height) == (800, 600)
    assert photo.mime_type == f"image/{expected}"


@pytest.mark.parametrize("data", [
    b"", b"hello, this is a text file", images.renamed_pdf(), images.avif_like(),
    b"GIF89a" + b"\x00" * 40, b"BM" + b"\x00" * 60,
], ids=["empty", "text", "renamed-pdf", "avif", "gif", "bmp"])
def test_files_that_are_not_accepted_images_are_refused_as_unsupported(data):
    with pytest.raises(UnsupportedImage) as refused:
        process(data)
    assert refused.value.code == "unsupported_image"
    assert isinstance(refused.value, UnsupportedMediaType) and refused.value.status == 415
    message = translate(refused.value.code, "en", **refused.value.params)
    assert "JPEG, PNG, WebP, HEIC" in message


def test_truncated_jpeg_from_an_interrupted_upload_is_refused_as_corrupt():
    with pytest.raises(ImageRejected) as refused:
        process(images.truncated_jpeg())
    assert refused.value.code == "image_corrupt"
    assert isinstance(refused.value, ValidationFailed) and refused.value.status == 422


@pytest.mark.parametrize("make", [images.png, images.webp, images.heic])
@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_png_webp_and_heic_are_refused_as_corrupt(make, keep):
    data = make()
    with pytest.raises(ImageRejected) as refused:
        process(data[: int(len(data) * keep)])
    assert refused.value.code == "image_corrupt"


def test_garbage_behind_a_jpeg_signature_is_refused_as_corrupt():
    with pytest.raises(ImageRejected) as refused:
        process(b"\xff\xd8\xff\xe0" + b"\x00" * 200)
    assert refused.value.code == "image_corrupt"


def test_png_declaring_30000_by_30000_pixels_is_refused_fast_without_decoding():
    bomb = images.png_declaring(30000, 30000)
    assert len(bomb) < 1000
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(ImageRejected) as refused:
            process(bomb)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert refused.value.code == "image_too_many_pixels"
    assert elapsed < 1.0
    assert peak < 50 * MB
    assert rss_growth_kb < 200 * 1024  # decoding would need 2.7 GB
    assert "100" in translate(refused.value.code, "en", **refused.value.params)


def test_image_above_the_configured_pixel_limit_is_refused_with_its_size():
    with pytest.raises(ImageRejected) as refused:
        process(images.png_declaring(5000, 5000), max_pixels=20_000_000)
    assert refused.value.code == "image_too_many_pixels"
    assert refused.value.details == {"width": 5000, "height": 5000}


def test_photo_over_the_byte_limit_is_refused_before_anything_else():
    with pytest.raises(PhotoTooLarge) as refused:
        process(images.jpeg(), max_bytes=1000)
    assert refused.value.code == "photo_too_large"
    assert isinstance(refused.value, PayloadTooLarge) and refused.value.status == 413
    with pytest.raises(PhotoTooLarge) as refused:
        process(b"x" * (2 * MB + 1), max_bytes=2 * MB)
    assert refused.value.params == {"limit_mb": 2}


# --- EXIF facts ---------------------------------------------------------------------------------


def test_capture_time_with_offset_is_read_as_utc():
    photo = process(images.jpeg(taken_at="2026:11:29 09:41:07", offset="+08:00"))
    assert photo.taken_at == datetime(2026, 11, 29, 1, 41, 7, tzinfo=timezone.utc)


def test_capture_time_without_offset_is_taken_as_beijing_time():
    photo = process(images.jpeg(taken_at="2026:11:29 09:41:07"))
    assert photo.taken_at == datetime(2026, 11, 29, 1, 41, 7, tzinfo=timezone.utc)


def test_capture_time_with_a_foreign_offset_is_honoured():
    photo = process(images.jpeg(taken_at="2026:11:29 09:41:07", offset="-05:00"))
    assert photo.taken_at == datetime(2026, 11, 29, 14, 41, 7, tzinfo=timezone.utc)


@pytest.mark.parametrize("value", ["    :  :     :  :  ", "0000:00:00 00:00:00", "garbage", None])
def test_blank_or_nonsense_capture_time_reads_as_missing(value):
    assert parse_exif_time(value, None) is None


def test_photo_without_exif_has_no_capture_time_or_position():
    photo = process(images.jpeg())
    assert photo.taken_at is None and photo.gps is None and photo.orientation == 1


def test_gps_position_is_read_in_decimal_degrees():
    photo = process(images.jpeg(lat=40.82012, lon=111.65003))
    assert photo.gps == pytest.approx((40.82012, 111.65003), abs=1e-6)


def test_southern_and_western_gps_references_give_negative_degrees():
    photo = process(images.jpeg(lat=-33.8688, lon=-70.6693))
    assert photo.gps == pytest.approx((-33.8688, -70.6693), abs=1e-6)


@pytest.mark.parametrize("make", [images.heic, images.webp, images.png])
def test_exif_is_read_from_heic_webp_and_png_too(make):
    photo = process(make(taken_at="2026:11:29 09:41:07", offset="+08:00", lat=40.82, lon=111.65))
    assert photo.taken_at == datetime(2026, 11, 29, 1, 41, 7, tzinfo=timezone.utc)
    assert photo.gps == pytest.approx((40.82, 111.65), abs=1e-6)


def test_zero_zero_gps_written_by_phones_without_a_fix_reads_as_missing():
    assert process(images.jpeg(lat=0.0, lon=0.0)).gps is None


# --- derivatives ------------------------------------------------------------------------------


def test_original_is_kept_byte_for_byte_and_hashed():
    data = images.jpeg(taken_at="2026:11:29 09:41:07", lat=40.82, lon=111.65)
    photo = process(data)
    assert photo.original is data
    assert photo.sha256 == hashlib.sha256(data).hexdigest()


def test_sideways_portrait_is_turned_upright_in_the_derivatives():
    # The sensor stores 4000×3000 landscape; orientation 6 says "rotate 90° clockwise to view".
    photo = process(images.jpeg((4000, 3000), orientation=6))
    assert (photo.width, photo.height) == (3000, 4000)
    display = decoded(photo.display_jpeg)
    assert display.size == photo.display_size == (1200, 1600)
    assert decoded(photo.thumb_jpeg).size == (240, 320)
    # The red marker was top-left in sensor order; after a clockwise turn it is top-right.
    assert display.getpixel((1150, 50))[0] > 200 and display.getpixel((50, 50))[0] < 150


def test_derivatives_carry_no_exif_no_comment_and_bounded_sizes():
    data = images.jpeg((4000, 3000), taken_at="2026:11:29 09:41:07", offset="+08:00",
                       lat=40.82, lon=111.65, orientation=1)
    photo = process(data, watermark=WATERMARK, font_path=CJK_FONT)
    for jpeg_bytes, long_edge in ((photo.display_jpeg, 1600), (photo.thumb_jpeg, 320)):
        image = decoded(jpeg_bytes)
        assert image.format == "JPEG"
        assert max(image.size) == long_edge
        assert "exif" not in image.info and "comment" not in image.info and "xmp" not in image.info
        assert len(image.getexif()) == 0
        assert b"Exif" not in jpeg_bytes[:4096]


def test_small_photos_are_not_enlarged():
    photo = process(images.png((300, 200)))
    assert photo.display_size == (300, 200)
    assert photo.thumb_size == (300, 200)


def test_transparent_png_becomes_white_not_black():
    photo = process(images.png((400, 300), mode="RGBA"))
    assert decoded(photo.display_jpeg).mode == "RGB"
    data = io.BytesIO()
    transparent = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    transparent.save(data, "PNG")
    corner = decoded(process(data.getvalue()).display_jpeg).getpixel((25, 25))
    assert min(corner) > 240


def test_large_png_screenshot_is_scaled_to_the_display_size():
    photo = process(images.png((3200, 2400)))
    assert (photo.width, photo.height) == (3200, 2400)
    assert decoded(photo.display_jpeg).size == (1600, 1200)
    assert decoded(photo.thumb_jpeg).size == (320, 240)


def test_large_heic_is_scaled_to_the_display_size():
    photo = process(images.heic((2400, 1800)))
    assert photo.display_size == (1600, 1200)
    assert decoded(photo.display_jpeg).size == (1600, 1200)


# --- watermark --------------------------------------------------------------------------------


def _bottom_band_difference(font_path) -> tuple[float, float]:
    data = images.jpeg((1600, 1200), quality=95)
    plain = decoded(process(data).display_jpeg)
    marked = decoded(process(data, watermark=WATERMARK, font_path=font_path).display_jpeg)
    assert marked.size == plain.size

    def mean_abs_diff(box):
        difference = ImageChops.difference(plain.crop(box).convert("L"), marked.crop(box).convert("L"))
        return ImageStat.Stat(difference).mean[0]

    return mean_abs_diff((0, 1150, 1600, 1200)), mean_abs_diff((0, 0, 1600, 600))


@pytest.mark.skipif(CJK_FONT is None, reason="no CJK font installed on this machine")
def test_watermark_with_a_cjk_font_darkens_the_bottom_band_only():
    bottom, top = _bottom_band_difference(CJK_FONT)
    assert bottom > 20
    assert top < 2


def test_watermark_without_any_cjk_font_still_marks_the_photo():
    bottom, top = _bottom_band_difference(None)
    assert bottom > 20
    assert top < 2


def test_watermark_with_an_unloadable_font_falls_back_instead_of_failing(tmp_path):
    broken = tmp_path / "broken.ttc"
    broken.write_bytes(b"not a font")
    photo = process(images.jpeg(), watermark=WATERMARK, font_path=str(broken))
    assert photo.watermarked


def test_watermark_lines_say_site_time_position_inspector_and_inspection():
    from inspect_app.evidence.watermark import watermark_lines

    lines = watermark_lines(WATERMARK, cjk=True)
    assert lines == ["新华西路某某项目工地", "2026-11-29 09:41  上传时设备位置 40.82012N 111.65003E ±8m",
                     "张三  #3f2a9c1e"]
    ascii_lines = watermark_lines(WATERMARK, cjk=False)
    # Pillow's default font has Latin glyphs (± included) but no Chinese: names are left out.
    assert not any("\u2e80" <= ch for line in ascii_lines for ch in line)
    assert "2026-11-29 09:41  device at upload 40.82012N 111.65003E ±8m" in ascii_lines[0]


def test_watermark_falls_back_to_exif_time_and_position():
    from inspect_app.evidence.watermark import watermark_lines

    info = WatermarkInfo(site_name="工地", inspector_name="李四", inspection_id=42)
    lines = watermark_lines(info, cjk=True,
                            fallback_time=datetime(2026, 11, 29, 1, 41, tzinfo=timezone.utc),
                            fallback_gps=(-33.5, -70.25))
    assert lines[1] == "2026-11-29 09:41  照片拍摄位置 33.50000S 70.25000W"
    assert lines[2] == "李四  #42"
    assert "无定位" in watermark_lines(info, cjk=True)[1]


def test_watermark_says_when_the_photo_was_taken_far_from_the_site():
    """The device fix stays labelled as the device's; the photo's own EXIF far away is said in words."""
    from dataclasses import replace

    from inspect_app.evidence.watermark import watermark_lines

    on_site = replace(WATERMARK, site_lat=40.82012, site_lon=111.65003, geofence_m=200)
    far_exif = (40.82012 + 1400 / 111_195, 111.65003)  # about 1.4 km north
    lines = watermark_lines(on_site, cjk=True, fallback_gps=far_exif)
    assert lines[1] == "2026-11-29 09:41  上传时设备位置 40.82012N 111.65003E ±8m"
    assert lines[2] == "照片拍摄位置距工地 1.4 公里"
    assert watermark_lines(on_site, cjk=False, fallback_gps=far_exif)[1] == "photo taken 1.4 km from the site"
    near_exif = (40.82012 + 150 / 111_195, 111.65003)  # inside the 200 m geofence: nothing to say
    assert not any("距工地" in line for line in watermark_lines(on_site, cjk=True, fallback_gps=near_exif))
    # Without a device fix the EXIF position is shown as the photo's, and still measured against the site.
    no_fix = replace(on_site, lat=None, lon=None, accuracy_m=None)
    exif_only = watermark_lines(no_fix, cjk=True, fallback_gps=(40.82012 + 766.5 / 111_195, 111.65003))
    assert exif_only[1].endswith("照片拍摄位置 40.82701N 111.65003E")
    assert exif_only[2] == "照片拍摄位置距工地 766 米"


def test_photo_uploaded_far_from_its_site_is_watermarked_with_the_distance(monkeypatch):
    """End to end through process_photo: the text handed to the drawing says how far the photo was taken."""
    from dataclasses import replace

    from inspect_app.evidence import watermark as wm

    drawn = []
    monkeypatch.setattr(wm.ImageDraw.ImageDraw, "text", lambda self, xy, text, **kw: drawn.append(text))
    info = replace(WATERMARK, site_lat=40.0, site_lon=111.0, geofence_m=200)
    process(images.jpeg(lat=40.82012, lon=111.65003), watermark=info, font_path=CJK_FONT)
    assert any(text.startswith("照片拍摄位置距工地") and text.endswith("公里") for text in drawn)
    assert any("上传时设备位置" in text for text in drawn)


# --- fonts ------------------------------------------------------------------------------------


def test_configured_font_path_wins_when_readable(tmp_path):
    font = tmp_path / "custom.ttf"
    font.write_bytes(b"x")
    assert fonts.find_cjk_font(str(font)) == str(font)


def test_missing_configured_font_is_reported_and_replaced(tmp_path):
    path, message = fonts.cjk_font_status(str(tmp_path / "missing.ttc"))
    assert "missing.ttc" in message
    assert path == CJK_FONT


def test_no_cjk_font_anywhere_is_reported_not_fatal(monkeypatch):
    monkeypatch.setattr(fonts, "CANDIDATE_PATHS", ())
    monkeypatch.setattr(fonts, "_fontconfig_cjk_font", lambda: None)
    path, message = fonts.cjk_font_status(None)
    assert path is None
    assert "no CJK font" in message


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_exif_orientation_matches_what_pillow_exif_transpose_shows(orientation):
    data = images.jpeg((400, 300), orientation=orientation)
    expected = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    display = decoded(process(data).display_jpeg)
    assert display.size == expected.size
    marker = [(x, y) for x in (20, expected.width - 20) for y in (20, expected.height - 20)
              if expected.getpixel((x, y))[0] > 200]
    assert len(marker) == 1
    assert display.getpixel(marker[0])[0] > 200


def test_sideways_heic_is_turned_once_not_twice():
    # libheif applies the rotation itself and resets the EXIF orientation; turning again would undo it.
    photo = process(images.heic((800, 600), orientation=6))
    assert (photo.width, photo.height) == (600, 800)
    assert decoded(photo.display_jpeg).size == (600, 800)


@pytest.mark.skipif(CJK_FONT is None or not __import__("shutil").which("fc-list"),
                    reason="needs fontconfig and an installed CJK font")
def test_fontconfig_finds_a_cjk_font_outside_the_known_paths(monkeypatch):
    monkeypatch.setattr(fonts, "CANDIDATE_PATHS", ())
    fonts._fontconfig_cjk_font.cache_clear()
    try:
        found = fonts.find_cjk_font(None)
    finally:
        fonts._fontconfig_cjk_font.cache_clear()
    assert found is not None and found.lower().endswith((".ttf", ".ttc", ".otf", ".otc"))


def test_sniffing_accepts_bytearray_and_memoryview_uploads():
    assert sniff(bytearray(images.jpeg())) == "jpeg"
    assert sniff(memoryview(images.heic())) == "heic"

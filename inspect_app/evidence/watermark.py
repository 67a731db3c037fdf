"""The watermark burned into every display image: site, local time, position, inspector, inspection.

It states only what is true: the inspection's device fix is labelled as the device's position at upload
(上传时设备位置), a position read from the photo's EXIF as the photo's, and when the photo's own EXIF position
lies outside the site's geofence the band says how far from the site it was taken — never the site's or
the device's coordinates as if the photo were taken there.

A screenshot or a forwarded display image then still carries where, when and by whom it was taken. The band is
a semi-transparent dark strip along the bottom with white text. Chinese names need a CJK font (see fonts.py);
without one only the ASCII facts (time, coordinates, ids) are drawn rather than boxes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from uuid import UUID

from PIL import Image, ImageDraw, ImageFont

from inspect_app.core.geo import distance_m
from inspect_app.core.i18n import translate
from inspect_app.core.timeutil import to_local
from inspect_app.core.wording import distance_text
from inspect_app.evidence import messages  # noqa: F401  (registers watermark words)

BAND_OPACITY = 0.55  # share of black mixed into the strip behind the text


@dataclass(frozen=True)
class WatermarkInfo:
    """What the watermark says. ``at`` (aware) defaults to the EXIF capture time; ``lat``/``lon`` (WGS-84)
    are the device fix of the inspection (labelled as such) and default to the EXIF GPS position (labelled
    as the photo's). ``site_lat``/``site_lon``/``geofence_m`` (WGS-84, metres) let the watermark say that the
    photo's EXIF position is far from the site."""

    site_name: str
    inspector_name: str
    inspection_id: str | int | UUID
    at: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    locale: str = "zh-CN"
    site_lat: float | None = None
    site_lon: float | None = None
    geofence_m: float | None = None


def short_id(value) -> str:
    """An inspection id short enough to read off a photo: 8 hex digits of a UUID, else the id as is."""
    text = str(value)
    if isinstance(value, UUID) or (len(text) >= 32 and text.count("-") == 4):
        return text.replace("-", "")[:8]
    return text[:16]


def format_position(lat: float, lon: float, accuracy_m: float | None) -> str:
    """"40.82012N 111.65003E ±8m" — hemisphere letters instead of signs, readable by anyone."""
    text = f"{abs(lat):.5f}{'N' if lat >= 0 else 'S'} {abs(lon):.5f}{'E' if lon >= 0 else 'W'}"
    if accuracy_m is not None:
        text += f" ±{round(accuracy_m)}m"
    return text


def photo_far_from_site(info: WatermarkInfo, photo_gps: tuple[float, float] | None) -> float | None:
    """Metres between the photo's EXIF position and the site when beyond the geofence, else None."""
    if photo_gps is None or None in (info.site_lat, info.site_lon, info.geofence_m):
        return None
    distance = distance_m((info.site_lat, info.site_lon), tuple(photo_gps))
    return distance if distance > info.geofence_m else None


def watermark_lines(
    info: WatermarkInfo,
    *,
    cjk: bool,
    fallback_time: datetime | None = None,
    fallback_gps: tuple[float, float] | None = None,
) -> list[str]:
    """The watermark's lines; without a CJK font only ASCII facts (English labels, no names).

    ``fallback_gps`` is the photo's own EXIF position: shown (as the photo's) only without a device fix,
    and compared with the site either way.
    """
    locale = info.locale if cjk else "en"
    at = info.at or fallback_time
    when = to_local(at).strftime("%Y-%m-%d %H:%M") if at else translate("watermark_no_time", locale)
    if info.lat is not None and info.lon is not None:
        where = translate("watermark_device_position", locale,
                          position=format_position(info.lat, info.lon, info.accuracy_m))
    elif fallback_gps is not None:
        where = translate("watermark_photo_position", locale,
                          position=format_position(fallback_gps[0], fallback_gps[1], None))
    else:
        where = translate("watermark_no_position", locale)
    far = photo_far_from_site(info, fallback_gps)
    far_line = [translate("watermark_photo_far", locale, distance=distance_text(far, locale))] if far else []
    ident = f"#{short_id(info.inspection_id)}"
    if cjk:
        return [info.site_name, f"{when}  {where}", *far_line, f"{info.inspector_name}  {ident}"]
    ascii_id = "".join(ch for ch in ident if 32 <= ord(ch) < 127)
    return [f"{when}  {where}", *far_line, ascii_id]


@lru_cache(maxsize=16)
def _load_font(path: str | None, size: int):
    """A cached font (a .ttc loads its first face); None path or a broken file gives Pillow's default."""
    if path:
        try:
            return ImageFont.truetype(path, size, index=0), True
        except OSError:
            pass
    return ImageFont.load_default(size), False


def _fit_text(draw: ImageDraw.ImageDraw, text: str, font, max_width: float) -> str:
    """The text, shortened with an ellipsis if it would run past the band."""
    if draw.textlength(text, font=font) <= max_width:
        return text
    ellipsis = "…" if any(ord(ch) > 127 for ch in text) else "..."
    while text and draw.textlength(text + ellipsis, font=font) > max_width:
        text = text[:-1]
    return text + ellipsis


def burn_watermark(
    image: Image.Image,
    info: WatermarkInfo,
    *,
    font_path: str | None,
    fallback_time: datetime | None = None,
    fallback_gps: tuple[float, float] | None = None,
) -> None:
    """Draw the watermark onto ``image`` (RGB) in place: a dark band along the bottom with white text."""
    width, height = image.size
    font_size = max(10, round(min(width, height * 1.4) / 48))
    font, cjk = _load_font(font_path, font_size)
    lines = watermark_lines(info, cjk=cjk, fallback_time=fallback_time, fallback_gps=fallback_gps)
    line_height = round(font_size * 1.3)
    padding = max(4, font_size // 2)
    band_height = min(height, line_height * len(lines) + 2 * padding)
    box = (0, height - band_height, width, height)

    band = image.crop(box)
    image.paste(Image.blend(band, Image.new("RGB", band.size, (0, 0, 0)), BAND_OPACITY), box)
    draw = ImageDraw.Draw(image)
    y = box[1] + padding
    for line in lines:
        draw.text((padding, y), _fit_text(draw, line, font, width - 2 * padding), font=font,
                  fill=(255, 255, 255))
        y += line_height

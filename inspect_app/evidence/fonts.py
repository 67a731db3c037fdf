"""Finding a font that can draw Chinese for the photo watermark.

Site and inspector names are Chinese; Pillow's built-in font has no CJK glyphs and would draw boxes.
We look for a configured font first, then the usual Debian/Noto locations, then ask fontconfig.
Without one the watermark falls back to ASCII-only text (time, coordinates, ids) — degraded, not broken.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache

# Debian/Ubuntu packages fonts-wqy-microhei, fonts-wqy-zenhei, fonts-noto-cjk.
CANDIDATE_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",
)
_FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


def _usable(path: str | None) -> bool:
    return bool(path) and os.path.isfile(path) and os.access(path, os.R_OK)


@lru_cache(maxsize=1)
def _fontconfig_cjk_font() -> str | None:
    """Ask fontconfig for any font covering Chinese; cached because it forks a process."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    paths = sorted(
        line.strip().rstrip(":").strip() for line in result.stdout.splitlines() if line.strip()
    )
    for path in paths:
        if path.lower().endswith(_FONT_SUFFIXES) and _usable(path):
            return path
    return None


def find_cjk_font(configured: str | None) -> str | None:
    """The path of a font that can draw Chinese: the configured one if readable, else a known one."""
    if _usable(configured):
        return configured
    for path in CANDIDATE_PATHS:
        if _usable(path):
            return path
    return _fontconfig_cjk_font()


def cjk_font_status(configured: str | None) -> tuple[str | None, str]:
    """(font path or None, one line for the startup log) so operators learn why watermarks lack Chinese."""
    path = find_cjk_font(configured)
    if configured and path != configured:
        prefix = f"CJK_FONT_PATH {configured!r} is missing or unreadable; "
    else:
        prefix = ""
    if path is None:
        return None, (
            prefix + "no CJK font found: photo watermarks will show only time, coordinates and ids "
            "(install fonts-wqy-microhei or set CJK_FONT_PATH)"
        )
    try:
        from PIL import ImageFont

        ImageFont.truetype(path, 16, index=0)
    except OSError as err:
        return None, prefix + f"CJK font {path} cannot be loaded ({err}); watermarks fall back to ASCII"
    return path, prefix + f"watermark CJK font: {path}"

"""Draw the app icons (192 and 512 px PNG) with Pillow: run once, commit the PNGs.

    python static/pwa/tools/make_icons.py
"""
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent.parent / "icons"
THEME = (11, 61, 145)  # the manifest's theme colour, #0b3d91
AMBER = (255, 193, 7)


def draw(size: int) -> Image.Image:
    """A clipboard with a tick on the theme colour; plain shapes so no font is needed."""
    img = Image.new("RGB", (size, size), THEME)
    d = ImageDraw.Draw(img)
    s = size / 512
    d.rounded_rectangle([112 * s, 96 * s, 400 * s, 432 * s], radius=28 * s, fill=(255, 255, 255))
    d.rounded_rectangle([192 * s, 72 * s, 320 * s, 128 * s], radius=14 * s, fill=AMBER)
    d.line([(170 * s, 270 * s), (235 * s, 335 * s), (350 * s, 200 * s)], fill=(20, 120, 50), width=int(34 * s))
    for y in (370,):
        d.line([(170 * s, y * s), (342 * s, y * s)], fill=THEME, width=int(16 * s))
    return img


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    for size in (192, 512):
        draw(size).save(HERE / f"icon-{size}.png", optimize=True)
        print("wrote", HERE / f"icon-{size}.png")

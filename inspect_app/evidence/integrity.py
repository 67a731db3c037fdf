"""Is the whole image there? Checks for files that decode "successfully" although part of them is missing.

Decoders are lenient by design. libjpeg, on meeting the end-of-image marker before the last block,
warns (Pillow discards the warning) and fills every remaining block with zero coefficients: uniform
mid-grey. libde265 decodes the slices it is given and leaves the coding blocks of missing slices at
zero: uniform pure green after colour conversion. A JPEG cut to a third with ``FF D9`` appended, or a
HEIC cut at a slice boundary with its box sizes patched, therefore decodes without an error and would
be stored as evidence with a third of the picture invented.

So the file is checked twice, at no extra decode:

* :func:`jpeg_layout` walks the JPEG's markers (header segments by their lengths, entropy-coded data
  with one C-level search per scan) before any pixel is decoded: there must be an end marker, every
  component's 64 coefficients must be fully coded by some scan (a progressive file cut between scans
  fails here), and in a scan with restart intervals the number of restart markers must be exactly
  what the frame size implies (a cut anywhere but the last interval fails here);
* :func:`jpeg_tail_is_fill` and :func:`heic_has_fill` look at the decoded pixels for the decoders'
  fill: the last MCU of a JPEG (always the last one decoded, so zero-filled whenever anything before
  it is missing) exactly mid-grey, or, in a HEIC, any 8×8 block of exactly uniform (0, G, 0) with G
  what Y = Cb = Cr = 0 converts to (a 16×16 coding block, the smallest HEVC has, always covers one).
  A camera never produces either: sensor noise alone rules it out.

What this cannot see: a cut inside the very last MCU of a JPEG (the decoder pads that one MCU with
zero bits, not grey), and a progressive JPEG cut inside its last scan (only the final refinement bits
of part of the picture are missing) — a few pixels or a little precision, not invented content.

Pure functions over bytes and images that answer yes or no; ``imaging`` turns a no into its
``image_corrupt`` refusal.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from PIL import Image, ImageChops

# Standalone markers without a length: TEM, RST0–7 (SOI/EOI are handled on their own).
_STANDALONE = {0x01, *range(0xD0, 0xD8)}
# Start-of-frame markers; C4 (DHT), C8 (JPG) and CC (DAC) share the range but are not frames.
_SOF = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_SOS, _EOI, _DRI = 0xDA, 0xD9, 0xDD
# The end of entropy-coded data: 0xFF not followed by a stuffed zero, a restart marker or fill.
_END_OF_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
_RESTART_MARKERS = [bytes((0xFF, marker)) for marker in range(0xD0, 0xD8)]

JPEG_FILL = 128  # a block of zero coefficients decodes to this level in every channel
HEIC_BLOCK = 8  # any 16×16 coding block, at any alignment, covers a whole aligned 8×8 block
# Y = Cb = Cr = 0 converted to RGB is (0, G, 0) with G between 77 (BT.709, limited range) and 136
# (BT.601, limited range) depending on the colour matrix the file declares; saturated (0, 255, 0)
# is a colour an image may really have, not the fill.
_FILL_GREEN = (60, 140)


@dataclass(frozen=True)
class JpegLayout:
    """What the pixel check needs from the frame header: size and the MCU (minimum coded unit) size."""

    width: int
    height: int
    mcu_width: int
    mcu_height: int


@dataclass(frozen=True)
class _Frame:
    width: int
    height: int
    components: dict[int, tuple[int, int]]  # component id → (horizontal, vertical) sampling

    @property
    def h_max(self) -> int:
        return max(h for h, _ in self.components.values())

    @property
    def v_max(self) -> int:
        return max(v for _, v in self.components.values())


@dataclass(frozen=True)
class _Scan:
    components: tuple[int, ...]
    spectral: tuple[int, int]  # Ss, Se
    approximation_low: int  # Al: 0 when this scan brings the coefficients to full precision
    restart_interval: int
    restart_markers: int


def jpeg_layout(data: bytes) -> JpegLayout | None:
    """The frame's layout if the JPEG's structure is whole, else None (missing scans, restarts or end)."""
    parsed = _walk(memoryview(data))
    if parsed is None:
        return None
    frame, scans = parsed
    if not scans or not _fully_coded(frame, scans):
        return None
    if any(scan.restart_interval and scan.restart_markers != _expected_restarts(frame, scan) for scan in scans):
        return None
    if len(frame.components) == 1:  # a greyscale scan is never interleaved: its MCU is one 8×8 block
        return JpegLayout(frame.width, frame.height, 8, 8)
    return JpegLayout(frame.width, frame.height, 8 * frame.h_max, 8 * frame.v_max)


def _walk(data: memoryview) -> tuple[_Frame, list[_Scan]] | None:
    """Frame header and scans, reading up to the end-of-image marker; None when the structure breaks."""
    size = len(data)
    pos, frame, scans, restart_interval = 2, None, [], 0
    while True:
        if pos + 1 >= size or data[pos] != 0xFF:
            return None  # ran out of file (no end marker) or lost the marker chain
        while pos + 1 < size and data[pos + 1] == 0xFF:
            pos += 1  # fill bytes before a marker
        if pos + 1 >= size:
            return None
        marker = data[pos + 1]
        pos += 2
        if marker == _EOI:
            return (frame, scans) if frame is not None else None
        if marker in _STANDALONE:
            continue
        if pos + 2 > size:
            return None
        length = int.from_bytes(data[pos:pos + 2], "big")
        if length < 2 or pos + length > size:
            return None
        segment = data[pos + 2:pos + length]
        pos += length
        if marker in _SOF:
            frame = _parse_frame(segment)
            if frame is None:
                return None
        elif marker == _DRI:
            if len(segment) < 2:
                return None
            restart_interval = int.from_bytes(segment[:2], "big")
        elif marker == _SOS:
            if frame is None:
                return None
            match = _END_OF_SCAN.search(data, pos)
            if match is None:
                return None
            scan = _parse_scan(segment, restart_interval, data[pos:match.start()])
            if scan is None or not set(scan.components) <= set(frame.components):
                return None
            scans.append(scan)
            pos = match.start()


def _parse_frame(segment: memoryview) -> _Frame | None:
    if len(segment) < 6:
        return None
    height = int.from_bytes(segment[1:3], "big")
    width = int.from_bytes(segment[3:5], "big")
    count = segment[5]
    if len(segment) < 6 + 3 * count or count == 0 or width == 0 or height == 0:
        return None  # height 0 means "defined later by DNL", which nothing we accept writes
    components = {}
    for i in range(count):
        cid, sampling = segment[6 + 3 * i], segment[7 + 3 * i]
        h, v = sampling >> 4, sampling & 0x0F
        if not (1 <= h <= 4 and 1 <= v <= 4):
            return None
        components[cid] = (h, v)
    return _Frame(width, height, components)


def _parse_scan(segment: memoryview, restart_interval: int, entropy: memoryview) -> _Scan | None:
    if len(segment) < 1:
        return None
    count = segment[0]
    if count == 0 or len(segment) < 1 + 2 * count + 3:
        return None
    components = tuple(segment[1 + 2 * i] for i in range(count))
    tail = 1 + 2 * count
    ss, se, approximation = segment[tail], segment[tail + 1], segment[tail + 2]
    restarts = 0
    if restart_interval:
        coded = bytes(entropy)
        restarts = sum(coded.count(marker) for marker in _RESTART_MARKERS)
    return _Scan(components, (ss, se), approximation & 0x0F, restart_interval, restarts)


def _fully_coded(frame: _Frame, scans: list[_Scan]) -> bool:
    """Every coefficient (0–63) of every component reaches full precision in some scan."""
    for cid in frame.components:
        covered = [False] * 64
        for scan in scans:
            if cid in scan.components and scan.approximation_low == 0:
                ss, se = scan.spectral
                for k in range(ss, min(se, 63) + 1):
                    covered[k] = True
        if not all(covered):
            return False
    return True


def _expected_restarts(frame: _Frame, scan: _Scan) -> int:
    """Restart markers between the intervals of a complete scan (none after the last interval)."""
    if len(scan.components) == 1:  # non-interleaved: one block per MCU, the component's own size
        h, v = frame.components[scan.components[0]]
        width = math.ceil(frame.width * h / frame.h_max)
        height = math.ceil(frame.height * v / frame.v_max)
        units = math.ceil(width / 8) * math.ceil(height / 8)
    else:
        units = math.ceil(frame.width / (8 * frame.h_max)) * math.ceil(frame.height / (8 * frame.v_max))
    return math.ceil(units / scan.restart_interval) - 1


def jpeg_tail_is_fill(image: Image.Image, layout: JpegLayout, scale: int) -> bool:
    """True when the last MCU of a decoded JPEG is exactly the zero-coefficient grey (truncated data).

    ``image`` is the decoded (possibly draft-scaled by ``scale``) image, before any conversion.
    """
    width, height = image.size
    mcu_w = max(1, layout.mcu_width // scale)
    mcu_h = max(1, layout.mcu_height // scale)
    # The last MCU without its first row and column: libjpeg's smooth chroma upsampling blends those
    # with the MCUs above and to the left, which are real pixels when the cut fell in the last row.
    left = (width - 1) // mcu_w * mcu_w + 1
    top = (height - 1) // mcu_h * mcu_h + 1
    if left >= width or top >= height:
        left, top = max(0, width - 1), max(0, height - 1)  # a sliver: the corner pixel is all there is
    extrema = image.crop((left, top, width, height)).getextrema()
    if image.mode in ("L", "1", "P", "I", "F"):
        extrema = (extrema,)
    fills = {JPEG_FILL, JPEG_FILL - 1} if image.mode == "CMYK" else {JPEG_FILL}  # Adobe CMYK is inverted
    return all(low == high and low in fills for low, high in extrema)


def heic_has_fill(image: Image.Image) -> bool:
    """True when some aligned 8×8 block of a decoded HEIC is one exact (0, G, 0) fill (undecoded CTBs).

    Box-averaging 8×8 blocks first keeps this one pass over the full image: a block whose red and
    blue average exactly 0 is 0 in every pixel, so only those few candidates are looked at closely.
    """
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    width, height = (rgb.width // HEIC_BLOCK) * HEIC_BLOCK, (rgb.height // HEIC_BLOCK) * HEIC_BLOCK
    if width == 0 or height == 0:
        return False
    averages = rgb.reduce(HEIC_BLOCK, box=(0, 0, width, height))
    zero = [255] + [0] * 255
    greenish = [255 if _FILL_GREEN[0] <= v <= _FILL_GREEN[1] else 0 for v in range(256)]
    red, green, blue = averages.point(zero + greenish + zero).split()
    candidates = ImageChops.darker(ImageChops.darker(red, green), blue)
    columns, flat = candidates.width, candidates.tobytes()
    index = flat.find(255)
    while index >= 0:
        x, y = (index % columns) * HEIC_BLOCK, (index // columns) * HEIC_BLOCK
        extrema = rgb.crop((x, y, x + HEIC_BLOCK, y + HEIC_BLOCK)).getextrema()
        if all(low == high for low, high in extrema):
            return True
        index = flat.find(255, index + 1)
    return False

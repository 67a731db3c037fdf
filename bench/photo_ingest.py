"""How long one 12-megapixel phone photo takes to ingest, against a naive full-decode pipeline.

    python bench/photo_ingest.py [--runs N]

The pipeline (inspect_app.evidence.imaging.process_photo) decodes the JPEG at reduced scale (Image.draft),
so a 4000×3000 photo becomes 2000×1500 inside the decoder. The baseline decodes every pixel, applies the
orientation, resizes with Lanczos to 1600 and 320 and saves both — what a first version typically does.
Target: pipeline median under 120 ms on one core. Prints figures; asserts nothing.

Columns: wall and CPU time per photo (CPU time of this process is the one-core figure; wall time also counts
waiting on a busy machine), "py heap" = tracemalloc peak (Python objects only — Pillow's pixel buffers are C
allocations it cannot see), "RSS growth" = resident-memory high-water growth of one ingest in a fresh process.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageOps  # noqa: E402

from inspect_app.evidence.fonts import find_cjk_font  # noqa: E402
from inspect_app.evidence.imaging import WatermarkInfo, process_photo  # noqa: E402
from tests.evidence.images import camera_jpeg  # noqa: E402

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 100_000_000
WATERMARK = WatermarkInfo(site_name="回民区新华西路某某项目", inspector_name="张三",
                          inspection_id="3f2a9c1e-1111-2222-3333-444455556666",
                          at=datetime(2026, 11, 29, 1, 41, tzinfo=timezone.utc),
                          lat=40.82012, lon=111.65003, accuracy_m=8)


def naive_baseline(data: bytes) -> tuple[bytes, bytes]:
    """Full decode, exif_transpose, Lanczos to 1600 and 320, two saves."""
    image = Image.open(io.BytesIO(data))
    image.load()
    image = ImageOps.exif_transpose(image).convert("RGB")
    outputs = []
    for long_edge in (1600, 320):
        copy = image.copy()
        copy.thumbnail((long_edge, long_edge), Image.Resampling.LANCZOS, reducing_gap=None)
        out = io.BytesIO()
        copy.save(out, "JPEG", quality=82)
        outputs.append(out.getvalue())
    return outputs[0], outputs[1]


def timed(fn, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of ``runs`` calls (after one warm-up call).

    CPU time of this process is the "one core" figure; wall time also counts waiting for a busy machine.
    """
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def peak_mib(fn) -> float:
    """Peak Python-tracked allocation of one call, in MiB (Pillow's pixel buffers are C allocations
    and only partly visible here; the ratio between the two pipelines is the useful figure)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1024 / 1024
    finally:
        tracemalloc.stop()


def _high_water_kib() -> int:
    """This process's peak resident set (VmHWM; unlike ru_maxrss it is not inherited across exec)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _rss_child(kind: str, data: bytes, font: str | None, queue) -> None:
    """Run one ingest in a fresh interpreter and report how far its resident set grew (MiB)."""
    before = _high_water_kib()
    if kind == "pipeline":
        process_photo(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, watermark=WATERMARK, font_path=font)
    else:
        naive_baseline(data)
    queue.put((_high_water_kib() - before) / 1024)


def peak_rss_growth_mib(kind: str, data: bytes, font: str | None) -> float:
    """Peak resident-memory growth of one ingest, in a spawned process: pixel buffers are C allocations
    tracemalloc cannot see, and a fresh process keeps earlier runs' freed heap from masking the figure."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_rss_child, args=(kind, data, font, queue))
    process.start()
    growth = queue.get(timeout=300)
    process.join()
    return growth


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs

    data = camera_jpeg(taken_at="2026:11:29 09:41:07", offset="+08:00", lat=40.82012, lon=111.65003,
                       orientation=6)
    font = find_cjk_font(None)
    watermark = WATERMARK

    def pipeline():
        return process_photo(data, max_bytes=MAX_BYTES, max_pixels=MAX_PIXELS, watermark=watermark,
                             font_path=font)

    result = pipeline()
    print(f"input: 4000×3000 JPEG, {len(data) / 1024 / 1024:.2f} MiB, orientation 6; "
          f"display {result.display_size} {len(result.display_jpeg) // 1024} KiB, "
          f"thumb {result.thumb_size} {len(result.thumb_jpeg) // 1024} KiB; CJK font: {font or 'none'}")
    rows = []
    for kind, name, fn in (("pipeline", "pipeline (draft decode + watermark)", pipeline),
                           ("naive", "naive (full decode, Lanczos)", lambda: naive_baseline(data))):
        wall, cpu = timed(fn, runs)
        rows.append((name, statistics.median(wall), percentile(wall, 0.95), statistics.median(cpu),
                     percentile(cpu, 0.95), peak_mib(fn), peak_rss_growth_mib(kind, data, font)))

    print(f"\n{'':38}{'wall median':>12}{'wall p95':>10}{'CPU median':>12}{'CPU p95':>10}"
          f"{'py heap':>13}{'RSS growth':>12}")
    for name, median, p95, cpu_median, cpu_p95, peak, rss in rows:
        print(f"{name:38}{median:10.1f}ms{p95:8.1f}ms{cpu_median:10.1f}ms{cpu_p95:8.1f}ms"
              f"{peak:9.1f} MiB{rss:8.0f} MiB")
    print(f"\nnaive / pipeline: {rows[1][1] / rows[0][1]:.1f}× wall, {rows[1][3] / rows[0][3]:.1f}× CPU "
          f"(runs: {runs}; target: pipeline median < 120 ms on one core; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()

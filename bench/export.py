"""How long and how much memory the weekly XLSX export of a 100,000-violation week takes.

    python bench/export.py [--violations 100000] [--database-url postgresql+psycopg://127.0.0.1/test]

Seeds one ISO week (2026-W48) with 2,000 sites, 25,000 site inspections, ``--violations`` site
violations and ``--truck-checks`` roadside checks (with their own violations and cases; default
SQLite in a temp file; ``--database-url`` for PostgreSQL — its tables are dropped and recreated),
then measures, each in a fresh child process so peak RSS belongs to that phase alone:

* export:   inspect_app.exports.writers.write_xlsx, all five sheets — Core rows streamed with
            yield_per, times as epoch seconds, names from lookups, data rows through
            exports.xlsx_rows into xlsxwriter's constant_memory sheets (target: under 10 s and
            under 100 MB);
* baseline: what a first version does — load every violation as ORM objects with their site,
            inspection and inspector, then openpyxl's normal (in-memory) Workbook.

Columns: wall seconds, rows/s of the violations sheet (违规明细; the other sheets are written in the
same seconds), tracemalloc peak (Python heap) and
peak RSS (VmHWM of the child process; RSS+ = growth over the imported app). Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from inspect_app.core.timeutil import LOCAL_TZ  # noqa: E402

WEEK = "2026-W48"
WEEK_SPAN = (datetime(2026, 11, 23, tzinfo=LOCAL_TZ), datetime(2026, 11, 30, tzinfo=LOCAL_TZ))


def _maxrss_mb() -> float:
    """Resident high-water mark of this process in MB.

    VmHWM belongs to this process's own address space; ru_maxrss would carry over the seeding
    parent's peak into the child on Linux.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_export(app, out: str) -> dict:
    from inspect_app.exports.queries import export_context
    from inspect_app.exports.writers import write_xlsx

    with app.app_context():
        ctx = export_context(None, WEEK, base_url="https://inspect.example.cn")
        counts = write_xlsx(ctx, out)
    return {"rows": counts["违规明细"], "sheets": counts}


def run_baseline(app, out: str) -> dict:
    """Naive: every row as ORM objects in a list, openpyxl building the whole workbook in memory."""
    import openpyxl
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    from inspect_app.checklists.models import ChecklistItem
    from inspect_app.core.timeutil import iso_week_bounds_utc, to_local
    from inspect_app.extensions import db
    from inspect_app.inspections.models import Inspection
    from inspect_app.penalties.models import Violation

    with app.app_context():
        start, end = iso_week_bounds_utc(2026, 48)
        violations = db.session.scalars(
            select(Violation).options(joinedload(Violation.opened_by).joinedload(Inspection.inspector))
            .where(Violation.found_at >= start, Violation.found_at < end).order_by(Violation.found_at)
        ).unique().all()
        items = {i.id: i for i in db.session.scalars(select(ChecklistItem))}
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "违规明细"
        sheet.append(["违规编号", "街道/镇", "工地名称", "施工单位", "检查项", "依据条款", "发现时间", "整改期限",
                      "状态", "不合格次数", "巡查员", "照片链接"])
        for v in violations:
            item = items[v.checklist_item_id]
            result = next((r for r in v.opened_by.results if r.item_key == v.item_key), None)
            site = (v.site.unit.name_zh, v.site.name, v.site.contractor) if v.site else (None, v.plate, None)
            sheet.append([v.id, *site, item.text_zh, item.clause,
                          to_local(v.found_at).replace(tzinfo=None), to_local(v.deadline).replace(tzinfo=None),
                          v.status, v.fail_count, v.opened_by.inspector.display_name,
                          "\n".join(f"https://inspect.example.cn/api/photos/{p}/display"
                                    for p in (result.photo_ids if result else []))])
        book.save(out)
    return {"rows": len(violations)}


def child(phase: str, database_url: str, trace: bool) -> None:
    """Run one phase and print its figures as JSON (called in a fresh interpreter).

    With ``trace`` the Python heap peak is measured by tracemalloc, which slows allocation-heavy
    code several times over, so seconds are taken from an untraced run.
    """
    from inspect_app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    rss_before = _maxrss_mb()  # the app and its libraries, before any row is read
    out = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False).name
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    figures = (run_export if phase == "export" else run_baseline)(app, out)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    figures.update(seconds=seconds, heap_mb=peak / 2**20, rss_mb=_maxrss_mb(), rss_before_mb=rss_before,
                   size_mb=os.path.getsize(out) / 2**20)
    os.unlink(out)
    print(json.dumps(figures, ensure_ascii=False))


def _run_child(phase: str, database_url: str, trace: bool = False) -> dict:
    command = [sys.executable, __file__, "--child", phase, "--database-url", database_url]
    done = subprocess.run(command + (["--trace"] if trace else []), capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{phase} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(phase: str, database_url: str) -> dict:
    """Seconds and RSS from an untraced run, Python heap peak from a tracemalloc run."""
    figures = _run_child(phase, database_url)
    figures["heap_mb"] = _run_child(phase, database_url, trace=True)["heap_mb"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--violations", type=int, default=100_000)
    parser.add_argument("--truck-checks", type=int, default=2_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--child", choices=("export", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--no-heap", action="store_true", help="skip the (slow) tracemalloc runs")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.database_url, args.trace)
        return
    from bench.seed import bench_app, seed
    from inspect_app.extensions import db

    app = bench_app(args.database_url)
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    started = time.perf_counter()
    with app.app_context():
        seed(sites=2000, inspections=max(21_000, args.violations // 4), span=WEEK_SPAN,
             violations=args.violations, per_inspection=5, truck_checks=args.truck_checks)
        db.engine.dispose()
    print(f"seeded {args.violations:,} site violations and {args.truck_checks:,} truck checks in {WEEK} "
          f"on {url.split(':')[0]} "
          f"in {time.perf_counter() - started:.1f} s")
    measure = _run_child if args.no_heap else _measure
    results = {"export": measure("export", url)}
    if not args.skip_baseline:
        results["baseline"] = measure("baseline", url)
    print(f"{'phase':<10}{'rows':>9}{'seconds':>10}{'rows/s':>10}{'heap MB':>10}{'RSS MB':>9}{'RSS+ MB':>9}{'file MB':>9}")
    for phase, r in results.items():
        print(f"{phase:<10}{r['rows']:>9,}{r['seconds']:>10.2f}{r['rows'] / r['seconds']:>10,.0f}"
              f"{r['heap_mb']:>10.1f}{r['rss_mb']:>9.1f}{r['rss_mb'] - r['rss_before_mb']:>9.1f}{r['size_mb']:>9.1f}")
    if "baseline" in results:
        e, b = results["export"], results["baseline"]
        print(f"baseline / export: time ×{b['seconds'] / e['seconds']:.1f}, heap ×{b['heap_mb'] / max(e['heap_mb'], 0.1):.1f}, "
              f"RSS ×{b['rss_mb'] / e['rss_mb']:.1f}")
    print("sheets:", results["export"]["sheets"])
    shutil.rmtree(app.config["PHOTO_DIR"], ignore_errors=True)  # the temporary ones bench_app made
    if not args.database_url:
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)


if __name__ == "__main__":
    main()

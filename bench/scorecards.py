"""GET /api/scorecards over 2,000 sites and 100,000 inspections, against a naive per-site loop.

    python bench/scorecards.py [--sites 2000] [--inspections 100000] [--runs 20]
                               [--database-url postgresql+psycopg://127.0.0.1/test]

Seeds 2,000 sites in the eight units, 100,000 inspections over the last 90 days (2 % superseded,
1 in 7 flagged), 10,000 violations and their penalty cases (default SQLite in a temp file), then
times the first page (50, sorted by lowest latest score) through the Flask test client as an
admin: median and p95 milliseconds and the number of SQL statements. The baseline computes the
same figures the way a first version does — a loop over every site with a few queries each,
then sorts in Python and takes the first page. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402


def naive_first_page(now, page_size=50) -> list[dict]:
    """Per-site queries: latest two scores, 30-day average, violations, cases (5 per site)."""
    from sqlalchemy import func, select

    from inspect_app.extensions import db
    from inspect_app.inspections.models import Inspection
    from inspect_app.penalties.models import PenaltyCase, Violation
    from inspect_app.sites.models import Site

    cards = []
    for site in db.session.scalars(select(Site).where(Site.status == "active")):
        counted = (Inspection.site_id == site.id, Inspection.review_status != "superseded")
        latest = db.session.execute(select(Inspection.score, Inspection.grade, Inspection.finished_at)
                                    .where(*counted).order_by(Inspection.finished_at.desc()).limit(2)).all()
        avg = db.session.scalar(select(func.avg(Inspection.score))
                                .where(*counted, Inspection.finished_at >= now - timedelta(days=30)))
        open_v = db.session.scalar(select(func.count()).select_from(Violation)
                                   .where(Violation.site_id == site.id, Violation.status.in_(("open", "overdue"))))
        cases = db.session.scalar(select(func.count()).select_from(PenaltyCase)
                                  .where(PenaltyCase.site_id == site.id, PenaltyCase.status == "pending_review"))
        cards.append({"site": site.name, "score": latest[0][0] if latest else None, "avg": avg,
                      "open": open_v, "cases": cases, "unit": site.unit.name_zh})
    cards.sort(key=lambda c: (c["score"] is None, c["score"] or 0, c["site"]))
    return cards[:page_size]


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--inspections", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from bench.seed import bench_app, seed
    from inspect_app.core.timeutil import utcnow
    from inspect_app.extensions import db

    app = bench_app(args.database_url)
    now = utcnow()
    started = time.perf_counter()
    with app.app_context():
        seed(sites=args.sites, inspections=args.inspections, span=(now - timedelta(days=90), now),
             violations=10_000, per_inspection=1)
    print(f"seeded {args.sites:,} sites, {args.inspections:,} inspections on "
          f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]} in {time.perf_counter() - started:.1f} s")

    client = app.test_client()
    token = client.post("/api/auth/login", json={"username": "bench-admin", "password": "bench-password"})
    headers = {"Authorization": f"Bearer {token.get_json()['token']}"}
    with app.app_context():
        statements = []
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        response = client.get("/api/scorecards?sort=score&page_size=50", headers=headers)
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200, response.get_json()
        timings = []
        for _ in range(args.runs):
            t = time.perf_counter()
            client.get("/api/scorecards?sort=score&page_size=50", headers=headers)
            timings.append((time.perf_counter() - t) * 1000)
        naive, naive_queries = [], []
        for _ in range(args.baseline_runs):
            counted = []
            listener = lambda *a: counted.append(1)  # noqa: E731
            sa.event.listen(db.engine, "before_cursor_execute", listener)
            t = time.perf_counter()
            naive_first_page(utcnow())
            naive.append((time.perf_counter() - t) * 1000)
            sa.event.remove(db.engine, "before_cursor_execute", listener)
            naive_queries.append(len(counted))
            db.session.remove()
    total = response.get_json()["total"]
    print(f"{'':<22}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
    print(f"{'GET /api/scorecards':<22}{statistics.median(timings):>10.0f}{_percentile(timings, 0.95):>10.0f}"
          f"{len(statements):>9}   ({args.runs} runs, {total:,} sites, first page of 50)")
    print(f"{'naive per-site loop':<22}{statistics.median(naive):>10.0f}{_percentile(naive, 0.95):>10.0f}"
          f"{naive_queries[0]:>9}   ({args.baseline_runs} runs, no HTTP)")
    print(f"naive / scorecards: ×{statistics.median(naive) / statistics.median(timings):.1f} time, "
          f"×{naive_queries[0] / len(statements):.0f} queries")


if __name__ == "__main__":
    main()

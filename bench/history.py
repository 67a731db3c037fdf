"""Do list and dashboard reads grow with the history? Seeds 200 / 2,000 / 20,000 sites on
PostgreSQL and times every list and dashboard endpoint through the Flask test client.

    python bench/history.py [--sizes 200,2000,20000] [--per-site 50] [--runs 15]
                            [--database-url postgresql+psycopg://127.0.0.1:5432/bench_history]

Each size gets its own database (``bench_history_s<sites>_i<inspections>``, created with CREATE
DATABASE on the server of ``--database-url``; never the tests' ``test``) and is reused on later
runs when its seed parameters match (a ``bench_seed`` table records them); ``--reseed`` rebuilds.
``--per-site`` inspections per site (default 50: 20,000 sites → 1,000,000 inspections) over the
last 365 days, the last 7 days waiting for review, older ones approved, 2 % superseded; violations
and penalty cases as bench/seed.py makes them (one violation per five inspections, a case per
twenty violating inspections, 2,000 roadside checks).

For every endpoint: median and p95 milliseconds over ``--runs`` calls (after one warm-up) and the
number of SQL statements of one call; then one growth table, endpoint by size. Prints figures;
asserts nothing. Targets (issue 14, at 1M inspections): summaries for 20 ids < 30 ms, scorecards
page < 200 ms, inspections list < 50 ms, notification counts < 20 ms, penalty queue and
violations ≤ 10 statements and < 50 ms.
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
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://127.0.0.1:5432/bench_history"
SEED_VERSION = 1  # bump when bench/seed.py changes what it writes
ENDPOINTS = (
    # (label, role, path); {ids} is 20 site ids spread over the range. The first row is the floor
    # every request pays (token check, user and units): on a loaded machine it shows the load.
    ("baseline: /api/auth/me", "supervisor", "/api/auth/me"),
    ("site summaries (20 ids)", "inspector", "/api/sites/summaries?ids={ids}"),
    ("scorecards page", "supervisor", "/api/scorecards?sort=score&page_size=50"),
    ("scorecards by name", "supervisor", "/api/scorecards?sort=name&page_size=50"),
    ("inspections list", "supervisor", "/api/inspections?page_size=50"),
    ("inspections mine", "inspector", "/api/inspections?mine=1&page_size=50"),
    ("inspections to review", "supervisor", "/api/inspections?review_status=submitted&page_size=50"),
    ("notification counts (sup)", "supervisor", "/api/notifications/counts"),
    ("notification counts (insp)", "inspector", "/api/notifications/counts"),
    ("penalty queue", "supervisor", "/api/penalty-cases?page_size=50"),
    ("violations list", "supervisor", "/api/violations?page_size=50"),
    ("roadside checks", "supervisor", "/api/roadside-checks?page_size=50"),
    ("sites list", "supervisor", "/api/sites?page_size=50"),
    ("rankings", "supervisor", "/api/scorecards/rankings"),
)


def _database(base_url: str, sites: int, inspections: int) -> str:
    """The URL of this size's database, created if missing."""
    url = make_url(base_url)
    name = f"{url.database or 'bench_history'}_s{sites}_i{inspections}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _seed_params(sites: int, inspections: int) -> str:
    return f"v{SEED_VERSION} sites={sites} inspections={inspections}"


def _app(url: str):
    from inspect_app import create_app
    import tempfile
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "RATELIMIT_ENABLED": False,
                       "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                       "PHOTO_DIR": tempfile.mkdtemp(prefix="bench-photos-")})


def prepare(base_url: str, sites: int, inspections: int, reseed: bool):
    """An app on this size's database, seeded unless an identical seed is already there."""
    from bench.seed import bench_app, seed
    from inspect_app.core.timeutil import utcnow
    from inspect_app.extensions import db

    url = _database(base_url, sites, inspections)
    params = _seed_params(sites, inspections)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        stored = None
        if sa.inspect(conn).has_table("bench_seed"):
            stored = conn.scalar(sa.text("SELECT params FROM bench_seed"))
    engine.dispose()
    if stored == params and not reseed:
        app = _app(url)
        if _catch_up(app, url):
            print(f"  reusing {url.rsplit('/', 1)[1]} ({params})", flush=True)
            return app
        print("  the schema changed beyond new tables, nullable columns and indexes: reseeding", flush=True)
    app = bench_app(url)  # drop_all + create_all
    now = utcnow()
    started = time.perf_counter()
    with app.app_context():
        db.session.execute(sa.text("DROP TABLE IF EXISTS bench_seed"))
        seed(sites=sites, inspections=inspections, span=(now - timedelta(days=365), now),
             violations=inspections // 5, per_inspection=1, truck_checks=2000,
             reviewed_before=now - timedelta(days=7),
             progress=lambda n: print(f"    {n:,} inspections written", end="\r", flush=True))
        db.session.execute(sa.text("CREATE TABLE bench_seed (params text)"))
        db.session.execute(sa.text("INSERT INTO bench_seed VALUES (:p)"), {"p": params})
        db.session.commit()
    with sa.create_engine(url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))  # the visibility map: index-only scans need it
    print(f"\n  seeded {sites:,} sites, {inspections:,} inspections in {time.perf_counter() - started:.0f} s",
          flush=True)
    return app


def _catch_up(app, url: str) -> bool:
    """Bring a reused database up to the models when that needs no data: missing tables, nullable
    columns, columns with a constant default and indexes are added (a 1M-row seed takes a quarter of
    an hour to rebuild), then the statistics the write path keeps are recomputed
    (``rebuild_site_stats``: site_stats, flag_count) when they are not all there. False when
    something else changed (a new NOT NULL column without a default): then the caller reseeds."""
    from inspect_app.extensions import db
    from inspect_app.scorecards.operations import rebuild_site_stats

    # Its own engine: the app's has a statement timeout that a 1M-row index build or backfill exceeds.
    engine = sa.create_engine(url)
    with app.app_context(), engine.begin() as conn:
        inspector = sa.inspect(conn)
        present = set(inspector.get_table_names())
        for table in db.metadata.sorted_tables:
            if table.name not in present:
                table.create(conn)
                continue
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in columns:
                    continue
                default = column.server_default.arg if column.server_default is not None else None
                if not column.nullable and not isinstance(default, str):
                    return False
                kind = column.type.compile(dialect=conn.dialect)
                extra = f" NOT NULL DEFAULT '{default}'" if not column.nullable else ""
                conn.execute(sa.text(f'ALTER TABLE "{table.name}" ADD COLUMN "{column.name}" {kind}{extra}'))
            indexes = {i["name"] for i in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in indexes:
                    index.create(conn)
        sites = conn.scalar(sa.text("SELECT count(*) FROM sites"))
        if conn.scalar(sa.text("SELECT count(*) FROM site_stats")) != sites:
            started = time.perf_counter()
            rebuild_site_stats(conn)
            print(f"  site statistics rebuilt in {time.perf_counter() - started:.1f} s", flush=True)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()
    return True


def _percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(app, sites: int, runs: int) -> dict:
    """{label: (median ms, p95 ms, statements)} for every endpoint."""
    from inspect_app.extensions import db

    client = app.test_client()
    headers = {}
    for role in ("inspector", "supervisor"):
        response = client.post("/api/auth/login", json={"username": f"bench-{role}", "password": "bench-password"})
        headers[role] = {"Authorization": f"Bearer {response.get_json()['token']}"}
    ids = ",".join(str(1 + i * (sites // 20)) for i in range(20))
    figures = {}
    with app.app_context():
        for label, role, path in ENDPOINTS:
            path = path.format(ids=ids)
            statements = []
            listener = lambda *a: statements.append(a[2])  # noqa: E731
            sa.event.listen(db.engine, "before_cursor_execute", listener)
            response = client.get(path, headers=headers[role])
            sa.event.remove(db.engine, "before_cursor_execute", listener)
            if response.status_code != 200:
                print(f"  {label}: HTTP {response.status_code} {response.get_data(as_text=True)[:200]}")
                continue
            timings = []
            for _ in range(runs):
                t = time.perf_counter()
                client.get(path, headers=headers[role])
                timings.append((time.perf_counter() - t) * 1000)
            figures[label] = (statistics.median(timings), _percentile(timings, 0.95), len(statements))
            print(f"  {label:<28}{figures[label][0]:>8.1f} ms median{figures[label][1]:>8.1f} ms p95"
                  f"{figures[label][2]:>4} statements", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="200,2000,20000", help="site counts, comma-separated")
    parser.add_argument("--per-site", type=int, default=50, help="inspections per site")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reseed", action="store_true", help="rebuild even when the seed matches")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for sites in sizes:
        inspections = sites * args.per_site
        print(f"{sites:,} sites, {inspections:,} inspections", flush=True)
        app = prepare(args.database_url, sites, inspections, args.reseed)
        results[sites] = measure(app, sites, args.runs)
        with app.app_context():
            from inspect_app.extensions import db
            db.engine.dispose()
    print()
    header = "".join(f"{f'{s:,} / {s * args.per_site:,}':>24}" for s in sizes)
    print(f"{'median ms (p95) [stmts]':<28}{header}")
    for label, _, _ in ENDPOINTS:
        cells = []
        for sites in sizes:
            f = results[sites].get(label)
            cells.append(f"{f[0]:>9.1f} ({f[1]:>6.1f}) [{f[2]:>2}]" if f else f"{'—':>24}")
        print(f"{label:<28}" + "".join(f"{c:>24}" for c in cells))


if __name__ == "__main__":
    main()

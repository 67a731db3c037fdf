"""A 40-item inspection with 4 photos, end to end through the HTTP API, on SQLite or PostgreSQL.

    python bench/submit.py [--runs 20] [--database-url postgresql+psycopg://127.0.0.1/test]

Starts the real app on a local HTTP port (werkzeug, threaded) against a fresh database, syncs the
real checklists plus a generated 40-item source, then for each run sends what a phone sends:
POST /api/inspections (4 failed items, one photo each) and four PUT .../photos/<id> with 12-megapixel
camera JPEGs. Prints median and p95 milliseconds per step and per whole inspection, and the
server-side query count. Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from inspect_app import create_app  # noqa: E402
from inspect_app.checklists.operations import sync_checklists  # noqa: E402
from inspect_app.checklists.queries import current_form  # noqa: E402
from inspect_app.core.units import ensure_units  # noqa: E402
from inspect_app.extensions import db  # noqa: E402
from tests import factories  # noqa: E402
from tests.evidence.images import camera_jpeg  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
QUERIES: list[str] = []


def extra_source(count: int) -> str:
    """A generated checklist source so the site form has ``count`` more items."""
    lines = ['[source]', 'key = "bench-extra"', 'kind = "site"', 'title_zh = "基准测试附加项"',
             'title_en = "Benchmark extra items"', 'clause = "bench"', '']
    for n in range(count):
        lines += [
            "[[items]]", f'key = "bench_{n:02d}"', f'requirement = "bench_{n:02d}"',
            f'text_zh = "附加检查项 {n}"', f'text_en = "Extra item {n}"', 'clause = "bench"',
            "weight = 5", "veto = false", "photos_on_fail = 1", 'phases = ["all"]', "rectify_days = 3",
            'liable = "contractor"',
            "[items.legal_basis]", 'law = "《中华人民共和国大气污染防治法》"', 'obligation_article = "第六十九条"',
            'penalty_article = "第一百一十五条"', "fine_min = 10000", "fine_max = 100000", 'authority = "bureau"', "",
        ]
    return "\n".join(lines)


def make_app(database_url: str | None, workdir: Path):
    schema = None
    if database_url:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        engine = sa.create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        url = f"{database_url}{'&' if '?' in database_url else '?'}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    checklist_dir = workdir / "checklists"
    shutil.copytree(REPO / "checklists", checklist_dir)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PHOTO_DIR": str(workdir / "photos"),
                      "CHECKLIST_DIR": str(checklist_dir), "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        ensure_units()
        sync_checklists(None, checklist_dir)
        form_items = len(current_form("site")["items"])
        (checklist_dir / "bench-extra.toml").write_text(extra_source(max(0, 40 - form_items)), "utf-8")
        sync_checklists(None, checklist_dir)
        db.session.commit()
    return app, schema


class Client:
    def __init__(self, port: int):
        self.port = port
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, content_type="application/json"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        conn.close()
        return response.status, data, elapsed


def one_inspection(client: Client, form: dict, site_id: int, photo: bytes, start: datetime) -> dict:
    failed = [item["key"] for item in form["items"] if not item["veto"] and item["phases"] == ["all"]][:4]
    items, photo_ids = [], []
    for item in form["items"]:
        outcome = "fail" if item["key"] in failed else "pass"
        ids = [str(uuid.uuid4())] if outcome == "fail" else []
        photo_ids += ids
        items.append({"key": item["key"], "outcome": outcome, "note": "", "photo_ids": ids})
    gps = {"lat": factories.DEFAULT_LAT, "lon": factories.DEFAULT_LON, "accuracy_m": 6, "datum": "WGS84"}
    body = {"uuid": str(uuid.uuid4()), "site_id": site_id, "checklist_version_ids": form["version_ids"],
            "started_at": start.isoformat(), "finished_at": (start + timedelta(minutes=25)).isoformat(),
            "gps_start": gps, "gps_finish": gps, "items": items}
    before = len(QUERIES)
    status, data, post_ms = client.request("POST", "/api/inspections", json.dumps(body).encode())
    assert status == 201, data[:300]
    post_queries = len(QUERIES) - before
    put_ms = []
    for pid in photo_ids:
        status, data, ms = client.request("PUT", f"/api/inspections/{body['uuid']}/photos/{pid}", photo,
                                          "image/jpeg")
        assert status == 201, data[:300]
        put_ms.append(ms)
    return {"items": len(items), "post": post_ms, "puts": put_ms, "total": post_ms + sum(put_ms),
            "post_queries": post_queries}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-submit-"))
    app, schema = make_app(args.database_url, workdir)
    with app.app_context():
        factories.create_user("inspector", units=("xinhuaxilu",), username="bench", password="bench-pass-123")
        site_id = factories.create_site("xinhuaxilu", phase="structure").id
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = Client(server.server_port)
    _, data, _ = client.request("POST", "/api/auth/login",
                                json.dumps({"username": "bench", "password": "bench-pass-123"}).encode())
    client.headers["Authorization"] = "Bearer " + json.loads(data)["token"]
    _, data, _ = client.request("GET", "/api/checklists")
    form = json.loads(data)["site"]
    photo = camera_jpeg()
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: QUERIES.append(a[2]))
    start = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)
    one_inspection(client, form, site_id, photo, start)  # warm-up
    QUERIES.clear()
    results = [one_inspection(client, form, site_id, photo, start + timedelta(hours=n + 1))
               for n in range(args.runs)]
    server.shutdown()
    kind = "PostgreSQL" if args.database_url else "SQLite"
    puts = [ms for r in results for ms in r["puts"]]
    print(f"bench/submit.py on {kind}: {args.runs} inspections of {results[0]['items']} items, "
          f"4 photos each ({len(photo) / 1e6:.1f} MB, 12 MP)")
    print(f"{'step':<28}{'median ms':>12}{'p95 ms':>10}")
    for label, values in (("POST /api/inspections", [r["post"] for r in results]),
                          ("PUT photo (each)", puts),
                          ("whole inspection", [r["total"] for r in results])):
        print(f"{label:<28}{statistics.median(values):>12.1f}{pct(values, 0.95):>10.1f}")
    print(f"SQL statements per inspection: {len(QUERIES) / args.runs:.1f} "
          f"(POST alone: {statistics.median(r['post_queries'] for r in results):.0f})")
    if schema:
        engine = sa.create_engine(args.database_url)
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

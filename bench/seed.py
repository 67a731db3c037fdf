"""Fast bulk seeding shared by the benchmarks: sites, inspections, violations, cases — Core inserts.

    from bench.seed import bench_app, seed
    app = bench_app(database_url)          # SQLite temp file when None; schema via create_all
    with app.app_context(): seed(sites=2000, inspections=100_000, ...)

Rows are written straight to the tables (executemany in batches), bypassing the operations, so
100,000 rows take seconds. The real checklist files are synced so items, clauses and legal bases
are the real ones. Deterministic (fixed random seed).
"""
from __future__ import annotations

import random
import sys
import tempfile
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text  # noqa: E402

from inspect_app import create_app  # noqa: E402
from inspect_app.auth.models import User  # noqa: E402
from inspect_app.checklists.models import ChecklistItem  # noqa: E402
from inspect_app.core.models import Unit  # noqa: E402
from inspect_app.core.units import ensure_units  # noqa: E402
from inspect_app.extensions import db  # noqa: E402
from inspect_app.inspections.models import Inspection, ItemResult  # noqa: E402
from inspect_app.penalties.models import PenaltyCase, Violation  # noqa: E402
from inspect_app.sites.models import Site  # noqa: E402

BATCH = 10_000
CONTRACTORS = [f"呼和浩特市第{i}建筑工程有限公司" for i in range(1, 121)]


def bench_app(database_url: str | None = None):
    """An app on ``database_url`` (default: a new SQLite file in /tmp) with a fresh schema."""
    if not database_url:
        database_url = f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "RATELIMIT_ENABLED": False,
                      "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "PHOTO_DIR": tempfile.mkdtemp(prefix="bench-photos-")})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model.__table__), rows[start:start + BATCH])


def seed(*, sites: int, inspections: int, span: tuple[datetime, datetime], violations: int = 0,
         per_inspection: int = 5, seed_value: int = 48) -> dict:
    """Seed the schema; returns ids the benchmarks need (a supervisor's and an admin's username)."""
    from inspect_app.auth import operations as auth_ops
    from inspect_app.checklists.operations import sync_checklists
    from flask import current_app

    rng = random.Random(seed_value)
    ensure_units()
    sync_checklists(None, current_app.config["CHECKLIST_DIR"])
    db.session.flush()
    units = db.session.scalars(select(Unit).order_by(Unit.id)).all()
    auth_ops.create_user(None, username="bench-admin", display_name="管理员", role="admin",
                         password="bench-password", units=[])
    auth_ops.create_user(None, username="bench-supervisor", display_name="督导", role="supervisor",
                         password="bench-password", units=[u.code for u in units])
    auth_ops.create_user(None, username="bench-inspector", display_name="张巡查", role="inspector",
                         password="bench-password", units=[u.code for u in units])
    db.session.flush()
    inspector_id = db.session.scalar(select(User.id).where(User.username == "bench-inspector"))
    items = _distinct_items()
    site_rows = [{
        "id": i + 1, "name": f"回民区测试工地{i + 1:05d}号", "contractor": rng.choice(CONTRACTORS),
        "unit_id": units[i % len(units)].id, "lat": 40.80 + rng.random() * 0.05,
        "lon": 111.60 + rng.random() * 0.08, "geofence_radius_m": 200.0, "phase": "structure",
        "status": "active", "address": "回民区", "contact_name": "王工", "contact_phone": "13800000000",
    } for i in range(sites)]
    _insert(Site, site_rows)
    start, end = span
    seconds = int((end - start).total_seconds())
    inspection_rows = []
    for i in range(inspections):
        site = site_rows[rng.randrange(sites)]
        finished = start + timedelta(seconds=rng.randrange(seconds))
        score = round(rng.uniform(40, 100), 1)
        inspection_rows.append({
            "id": i + 1, "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "kind": "site",
            "content_hash": "0" * 64, "site_id": site["id"], "unit_id": site["unit_id"],
            "inspector_id": inspector_id, "checklist_version_ids": [], "site_phase": "structure",
            "started_at": finished - timedelta(minutes=20), "finished_at": finished, "received_at": finished,
            "completeness": "complete", "review_status": "superseded" if i % 50 == 0 else "submitted",
            "score": score, "grade": "excellent" if score >= 85 else "pass" if score >= 71 else "fail",
            "vetoed": False, "flags": [{"code": "no_position", "details": {}}] if i % 7 == 0 else [],
        })
    _insert(Inspection, inspection_rows)
    _seed_violations(rng, inspection_rows, items, violations, per_inspection)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return {"sites": sites, "inspections": inspections, "violations": violations}


def _distinct_items() -> list[ChecklistItem]:
    seen, items = set(), []
    for item in db.session.scalars(select(ChecklistItem).order_by(ChecklistItem.id)):
        if item.key not in seen:
            seen.add(item.key)
            items.append(item)
    return items


def _seed_violations(rng, inspection_rows, items, count: int, per_inspection: int) -> None:
    """``count`` violations, ``per_inspection`` per counted inspection, each with its failed item
    result (1–2 photo ids); one open violation per site and item (the partial unique index)."""
    violation_rows, result_rows, case_rows, open_pairs = [], [], [], set()
    counted = (row for row in inspection_rows if row["review_status"] != "superseded")
    for inspection in counted:
        if len(violation_rows) >= count:
            break
        chosen = rng.sample(items, per_inspection)
        for position, item in enumerate(chosen):
            if len(violation_rows) >= count:
                break
            pair = (inspection["site_id"], item.key)
            status = "open" if pair not in open_pairs else "closed"
            open_pairs.add(pair)
            found = inspection["finished_at"]
            violation_rows.append({
                "site_id": inspection["site_id"], "unit_id": inspection["unit_id"], "item_key": item.key,
                "checklist_item_id": item.id, "opened_by_inspection_id": inspection["id"],
                "last_failed_inspection_id": inspection["id"], "status": status, "found_at": found,
                "deadline": found + timedelta(days=item.rectify_days), "fail_count": 1 + (rng.random() < 0.1),
            })
            result_rows.append({
                "inspection_id": inspection["id"], "item_key": item.key, "checklist_item_id": item.id,
                "position": position, "outcome": "fail", "note": "",
                "photo_ids": [str(uuid.UUID(int=rng.getrandbits(128), version=4))
                              for _ in range(1 + (rng.random() < 0.5))], "applicable": True,
            })
        if inspection["id"] % 20 == 0:
            basis = chosen[0].legal_basis
            case_rows.append({
                "case_number": f"回民扬尘移〔2026〕{inspection['id']:06d}号", "inspection_id": inspection["id"],
                "site_id": inspection["site_id"], "unit_id": inspection["unit_id"],
                "contractor": None, "status": "pending_review", "authority": basis.get("authority", "bureau"),
                "items": [{"item_key": chosen[0].key, "text_zh": chosen[0].text_zh, "clause": chosen[0].clause,
                           "reasons": ["veto"], "legal_basis": basis}],
                "photo_ids": [], "fine_min": basis.get("fine_min"), "fine_max": basis.get("fine_max"),
                "created_at": inspection["finished_at"], "updated_at": inspection["finished_at"],
            })
    _insert(Violation, violation_rows)
    _insert(ItemResult, result_rows)
    _insert(PenaltyCase, case_rows)

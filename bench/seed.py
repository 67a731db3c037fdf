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
from inspect_app.checklists.models import ChecklistItem, ChecklistVersion  # noqa: E402
from inspect_app.core.models import Unit  # noqa: E402
from inspect_app.core.units import ensure_units  # noqa: E402
from inspect_app.extensions import db  # noqa: E402
from inspect_app.inspections.models import Inspection, ItemResult  # noqa: E402
from inspect_app.penalties.models import PenaltyCase, Violation  # noqa: E402
from inspect_app.roadside.models import TruckCheck  # noqa: E402
from inspect_app.scorecards.operations import rebuild_site_stats  # noqa: E402
from inspect_app.sites.models import Site  # noqa: E402
from inspect_app.trucks.models import HaulageCompany, Vehicle  # noqa: E402

BATCH = 10_000
CHUNK = 50_000
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
         per_inspection: int = 5, truck_checks: int = 0, seed_value: int = 48,
         reviewed_before: datetime | None = None, progress=None) -> dict:
    """Seed the schema; returns what was seeded.

    ``reviewed_before``: inspections finished before it are approved (a supervisor reviews within
    days), later ones wait for review; None leaves every one submitted. ``progress(n)`` is called
    after each chunk of inspections is written.

    ``truck_checks`` roadside checks (kind "truck") of 300 registered trucks of 20 haulage companies
    and some unregistered plates, with their roadside facts, failed items, violations against the
    plate and cases for the bureau or 区交管队, as the roadside operations would store them.
    """
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
    items = _distinct_items("site")
    site_rows = [{
        "id": i + 1, "name": f"回民区测试工地{i + 1:05d}号", "contractor": rng.choice(CONTRACTORS),
        "unit_id": units[i % len(units)].id, "lat": 40.80 + rng.random() * 0.05,
        "lon": 111.60 + rng.random() * 0.08, "geofence_radius_m": 200.0, "phase": "structure",
        "status": "active", "address": "回民区", "contact_name": "王工", "contact_phone": "13800000000",
    } for i in range(sites)]
    _insert(Site, site_rows)
    start, end = span
    seconds = int((end - start).total_seconds())
    # Generated and written a chunk at a time (1M rows would hold gigabytes of dicts); only the
    # rows the violations need are kept.
    kept, wanted = [], violations // max(per_inspection, 1) * 2 + 100
    for first in range(0, inspections, CHUNK):
        chunk = []
        for i in range(first, min(first + CHUNK, inspections)):
            site = site_rows[rng.randrange(sites)]
            finished = start + timedelta(seconds=rng.randrange(seconds))
            score = round(rng.uniform(40, 100), 1)
            if i % 50 == 0:
                review_status = "superseded"
            elif reviewed_before is not None and finished < reviewed_before:
                review_status = "approved"
            else:
                review_status = "submitted"
            chunk.append({
                "id": i + 1, "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "kind": "site",
                "content_hash": "0" * 64, "site_id": site["id"], "unit_id": site["unit_id"],
                "inspector_id": inspector_id, "checklist_version_ids": [], "site_phase": "structure",
                "started_at": finished - timedelta(minutes=20), "finished_at": finished, "received_at": finished,
                "completeness": "complete", "review_status": review_status,
                "score": score, "grade": "excellent" if score >= 85 else "pass" if score >= 71 else "fail",
                "vetoed": False, "flags": [{"code": "no_position", "details": {}}] if i % 7 == 0 else [],
                "flag_count": 1 if i % 7 == 0 else 0,
            })
        _insert(Inspection, chunk)
        kept.extend(chunk[:max(0, wanted - len(kept))])
        if progress:
            progress(min(first + CHUNK, inspections))
    inspection_rows = kept
    _seed_violations(rng, inspection_rows, items, violations, per_inspection)
    if truck_checks:
        _seed_truck_checks(rng, truck_checks, span, site_rows, units, inspector_id, first_id=inspections + 1)
    # Rows written around the ORM: the per-site statistics the write path keeps are computed once here.
    rebuild_site_stats(db.session.connection())
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return {"sites": sites, "inspections": inspections, "violations": violations, "truck_checks": truck_checks}


def _distinct_items(kind: str) -> list[ChecklistItem]:
    seen, items = set(), []
    for item in db.session.scalars(select(ChecklistItem).join(ChecklistVersion)
                                   .where(ChecklistVersion.kind == kind).order_by(ChecklistItem.id)):
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


def _seed_truck_checks(rng, count: int, span, site_rows, units, inspector_id: int, first_id: int) -> None:
    """``count`` roadside checks; about one in four fails an item, opening a violation against the
    plate and, for veto items or overload, a case (overload: 区交管队)."""
    items = {item.requirement: item for item in _distinct_items("truck")}  # form keys: truck_filed …
    missing = {"truck_filed", "truck_not_overloaded", "truck_sealed", "truck_no_spilling"} - set(items)
    assert not missing, f"the muck-truck checklist lacks {missing}"
    _insert(HaulageCompany, [{"id": i + 1, "name": f"呼和浩特市第{i + 1}渣土运输有限公司"} for i in range(20)])
    vehicle_rows = [{
        "id": i + 1, "plate": f"蒙A{10000 + i}", "plate_colour": "yellow", "company_id": 1 + i % 20,
        "approval_number": f"呼建渣核〔2026〕{i + 1:04d}号", "rated_load_t": rng.choice((18.0, 25.0, 31.0)),
        "filing_status": "filed" if i % 10 else "expired", "active": True,
    } for i in range(300)]
    _insert(Vehicle, vehicle_rows)
    start, end = span
    seconds = int((end - start).total_seconds())
    inspections, checks, results, violations, cases = [], [], [], [], []
    for n in range(count):
        inspection_id = first_id + n
        vehicle = rng.choice(vehicle_rows) if n % 25 else None  # every 25th plate is unregistered
        plate = vehicle["plate"] if vehicle else f"蒙B{20000 + n}"
        origin = rng.choice(site_rows) if n % 3 == 0 else None
        finished = start + timedelta(seconds=rng.randrange(seconds))
        unit_id = origin["unit_id"] if origin else units[n % len(units)].id
        load = round(rng.uniform(10, 36), 1)
        rated = vehicle["rated_load_t"] if vehicle else None
        overloaded = rated is not None and load > rated
        filing = None if vehicle and vehicle["filing_status"] == "filed" else (
            "expired" if vehicle else "unknown")
        failed = set()
        if filing:
            failed.add("truck_filed")
        if overloaded:
            failed.add("truck_not_overloaded")
        if rng.random() < 0.1:
            failed.add(rng.choice(("truck_sealed", "truck_no_spilling")))
        inspections.append({
            "id": inspection_id, "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "kind": "truck",
            "content_hash": "0" * 64, "site_id": None, "unit_id": unit_id, "inspector_id": inspector_id,
            "checklist_version_ids": [], "started_at": finished - timedelta(minutes=8), "finished_at": finished,
            "received_at": finished, "completeness": "complete", "review_status": "submitted",
            "score": None, "grade": None, "vetoed": bool(failed & {"truck_filed", "truck_sealed"}), "flags": [],
            "plate": plate, "vehicle_id": vehicle["id"] if vehicle else None,
        })
        checks.append({
            "inspection_id": inspection_id, "plate_colour": "yellow",
            "company_id": vehicle["company_id"] if vehicle else None,
            "origin_site_id": origin["id"] if origin else None, "filing_problem": filing,
            "rated_load_t": rated, "load_t": load, "load_source": "estimated", "overloaded": overloaded,
            "overload_ratio": round((load - rated) / rated, 4) if rated else None, "server_findings": [],
        })
        for position, item in enumerate(items.values()):
            outcome = "fail" if item.requirement in failed else "pass"
            photos = 2 if outcome == "fail" else 1 if position == 0 else 0
            results.append({
                "inspection_id": inspection_id, "item_key": item.requirement, "checklist_item_id": item.id,
                "position": position, "outcome": outcome, "note": "", "applicable": True,
                "photo_ids": [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(photos)],
            })
        for key in sorted(failed):
            item = items[key]
            violations.append({
                "site_id": None, "unit_id": unit_id, "item_key": key, "checklist_item_id": item.id,
                "opened_by_inspection_id": inspection_id, "last_failed_inspection_id": inspection_id,
                "status": "closed", "found_at": finished, "deadline": finished + timedelta(days=item.rectify_days),
                "fail_count": 1, "plate": plate, "vehicle_id": vehicle["id"] if vehicle else None,
                "company_id": vehicle["company_id"] if vehicle else None,
            })
        for authority, keys in (("bureau", failed & {"truck_filed", "truck_sealed"}),
                                ("traffic_police", failed & {"truck_not_overloaded"})):
            if keys:
                key = sorted(keys)[0]
                basis = items[key].legal_basis or {}
                cases.append({
                    "case_number": f"{'回民超载移交' if authority == 'traffic_police' else '回民渣土移'}"
                                   f"〔2026〕{inspection_id:06d}号",
                    "inspection_id": inspection_id, "site_id": None, "unit_id": unit_id,
                    "contractor": None, "status": "pending_review", "authority": authority,
                    "items": [{"item_key": key, "text_zh": items[key].text_zh, "clause": items[key].clause,
                               "reasons": ["veto"], "legal_basis": basis}],
                    "photo_ids": [], "fine_min": basis.get("fine_min"), "fine_max": basis.get("fine_max"),
                    "created_at": finished, "updated_at": finished, "plate": plate,
                    "vehicle_id": vehicle["id"] if vehicle else None,
                    "company_id": vehicle["company_id"] if vehicle else None,
                })
    _insert(Inspection, inspections)
    _insert(TruckCheck, checks)
    _insert(ItemResult, results)
    _insert(Violation, violations)
    _insert(PenaltyCase, cases)

"""Reads of roadside checks, scoped like inspections: inspectors their own, supervisors their
units (the check's unit: origin site's, else the inspector's first), enforcement and admins all."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.inspections.queries import visible_inspections
from inspect_app.penalties.models import OPEN_STATUSES, Violation
from inspect_app.trucks.models import Vehicle
from inspect_app.trucks.plates import normalize_plate


def list_roadside_checks(user: User, *, plate: str | None = None) -> Select:
    """Visible truck checks, newest first; ``plate`` matches a normalised prefix."""
    # Every truck check has its plate (validated, required): "plate IS NOT NULL" lets the planner read
    # the few truck rows through the plate index instead of walking every site inspection newest
    # first (566 ms → 1 ms at 1M site inspections and 2,000 truck checks, PostgreSQL).
    stmt = visible_inspections(user).where(Inspection.kind == "truck", Inspection.plate.is_not(None))
    if plate:
        stmt = stmt.where(Inspection.plate.startswith(normalize_plate(plate), autoescape=True))
    # The page's vehicles (and the sites each serves) in two statements, not two per row.
    return stmt.options(selectinload(Inspection.vehicle)).order_by(Inspection.finished_at.desc(),
                                                                   Inspection.id.desc())


def get_visible_roadside_check(user: User, uuid: str) -> Inspection | None:
    """One truck check by client UUID if the user may see it."""
    return db.session.scalar(visible_inspections(user).where(Inspection.kind == "truck",
                                                             Inspection.uuid == str(uuid)))


def repeat_offenders(user: User, now: datetime, days: int = 30, limit: int = 20) -> dict:
    """Vehicles (by plate, registered or not) and haulage companies ranked by failed checks in the
    last ``days`` days, then by violations open now; only those with at least one of either.

    A check counts as failed when any applicable item failed; superseded and finally rejected
    checks do not count. Supervisors see counts from their units only. Four queries in all.
    """
    since = now - timedelta(days=days)
    per_plate: dict[str, dict] = {}
    for plate, checks, failed, last_failed in db.session.execute(_check_counts(user, since)):
        per_plate[plate] = {"plate": plate, "checks": checks, "failed_checks": int(failed or 0),
                            "last_failed_at": last_failed, "open_violations": 0}
    for plate, count in db.session.execute(_open_violation_counts(user)):
        per_plate.setdefault(plate, {"plate": plate, "checks": 0, "failed_checks": 0,
                                     "last_failed_at": None, "open_violations": 0})["open_violations"] = count
    vehicles = {v.plate: v for v in db.session.scalars(select(Vehicle).where(Vehicle.plate.in_(list(per_plate))))}
    rows = []
    for plate, row in per_plate.items():
        if not row["failed_checks"] and not row["open_violations"]:
            continue
        vehicle = vehicles.get(plate)
        company = vehicle.company if vehicle else None
        rows.append({**row, "registered": vehicle is not None, "vehicle_id": vehicle.id if vehicle else None,
                     "company_id": company.id if company else None,
                     "company_name": company.name if company else None})
    rows.sort(key=lambda r: (-r["failed_checks"], -r["open_violations"], r["plate"]))
    return {"days": days, "since": since, "vehicles": rows[:limit], "companies": _companies(rows)[:limit]}


def _check_counts(user: User, since: datetime) -> Select:
    failed_ids = select(ItemResult.inspection_id).where(ItemResult.outcome == "fail",
                                                        ItemResult.applicable.is_(True))
    is_failed = Inspection.id.in_(failed_ids)
    stmt = (
        select(Inspection.plate, func.count(Inspection.id),
               func.sum(case((is_failed, 1), else_=0)),
               func.max(case((is_failed, Inspection.finished_at), else_=None)))
        .where(Inspection.kind == "truck", Inspection.plate.is_not(None), Inspection.finished_at >= since,
               Inspection.review_status != "superseded", Inspection.final_rejection.is_(False))
        .group_by(Inspection.plate)
    )
    return scope_to_units(stmt, user, Inspection.unit_id)


def _open_violation_counts(user: User) -> Select:
    stmt = (select(Violation.plate, func.count(Violation.id))
            .where(Violation.plate.is_not(None), Violation.site_id.is_(None),
                   Violation.status.in_(OPEN_STATUSES))
            .group_by(Violation.plate))
    return scope_to_units(stmt, user, Violation.unit_id)


def _companies(rows: list[dict]) -> list[dict]:
    """The vehicle rows summed per registered haulage company, ranked the same way."""
    totals: dict[int, dict] = {}
    for row in rows:
        if row["company_id"] is None:
            continue
        entry = totals.setdefault(row["company_id"], {
            "company_id": row["company_id"], "company_name": row["company_name"], "vehicles": 0,
            "checks": 0, "failed_checks": 0, "open_violations": 0})
        entry["vehicles"] += 1
        for key in ("checks", "failed_checks", "open_violations"):
            entry[key] += row[key]
    return sorted(totals.values(), key=lambda c: (-c["failed_checks"], -c["open_violations"], c["company_name"]))

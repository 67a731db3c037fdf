"""Coverage of an ISO week (Asia/Shanghai) per unit and per inspector, for the desk and the export.

Five statements whatever the number of sites, inspections or assignments (see ``coverage.py`` for
what due, done, missed and pending mean).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from inspect_app.auth.models import User
from inspect_app.core.models import Unit
from inspect_app.core.timeutil import iso_week_bounds_utc, to_local
from inspect_app.extensions import db
from inspect_app.today import queries
from inspect_app.today.coverage import DEFAULT_EVERY_DAYS, assignment_status, site_status, tally


def units_of(user: User | None, unit_code: str | None = None) -> list[Unit]:
    """The units whose coverage the user may see (all for admins and the district's scheduled
    export, ``user`` None), optionally one by code."""
    stmt = select(Unit).order_by(Unit.id)
    if user is not None and not user.sees_all_units:
        stmt = stmt.where(Unit.id.in_(user.unit_ids or [-1]))
    if unit_code:
        stmt = stmt.where(Unit.code == unit_code)
    return list(db.session.scalars(stmt))


def week_coverage(units: list[Unit], year: int, week: int, today: date) -> dict:
    """Due, done, missed and pending per unit (its sites) and per inspector (their assignments)."""
    monday = date.fromisocalendar(year, week, 1)
    sunday = monday + timedelta(days=6)
    start, end = iso_week_bounds_utc(year, week)
    unit_ids = [unit.id for unit in units]
    targets = queries.coverage_targets(unit_ids)
    per_unit: dict[int, list] = {unit.id: [] for unit in units}
    for row in queries.site_visits_around(unit_ids, start, end):
        every = targets.get(row.unit_id, DEFAULT_EVERY_DAYS)
        last = None if row.last_before is None else to_local(row.last_before).date()
        status = site_status(last_before=last, inspected_in_week=row.in_week > 0, monday=monday,
                             every_days=every, today=today, registered_on=to_local(row.created_at).date())
        per_unit[row.unit_id].append({"site_id": row.id, "name": row.name, "status": status})
    unit_views = [{"unit_id": unit.id, "code": unit.code, "name_zh": unit.name_zh, "name_en": unit.name_en,
                   "every_days": targets.get(unit.id, DEFAULT_EVERY_DAYS), "target_set": unit.id in targets,
                   **tally(site["status"] for site in per_unit[unit.id]),
                   "sites": [site for site in per_unit[unit.id] if site["status"] != "not_due"]}
                  for unit in units]
    return {"week": f"{year}-W{week:02d}", "monday": monday, "sunday": sunday, "units": unit_views,
            "inspectors": _inspector_views(unit_ids, monday, sunday, start, end, today)}


def _inspector_views(unit_ids, monday, sunday, start, end, today) -> list[dict]:
    """Every active inspector of the units (the desk assigns sites to them), and anyone assigned there."""
    assignments = queries.assignments_in(unit_ids, monday, sunday)
    visits = queries.visits_by({a.inspector_id for a in assignments}, {a.site_id for a in assignments}, start, end)
    skips = queries.skip_counts(unit_ids, monday, sunday)
    people: dict[int, dict] = {}

    def person_of(inspector) -> dict:
        return people.setdefault(inspector.id, {"inspector_id": inspector.id, "display_name": inspector.display_name,
                                                "statuses": [], "skips": skips.get(inspector.id, 0)})

    for inspector in queries.inspectors_of(unit_ids):
        person_of(inspector)
    for assignment in assignments:
        first, last = max(assignment.start_on, monday), min(assignment.end_on, sunday)
        done = any((assignment.site_id, assignment.inspector_id, first + timedelta(days=n)) in visits
                   for n in range((last - first).days + 1))
        person_of(assignment.inspector)["statuses"].append(assignment_status(last_day=last, inspected=done, today=today))
    return [{**{k: v for k, v in person.items() if k != "statuses"}, **tally(person["statuses"])}
            for person in sorted(people.values(), key=lambda p: (p["display_name"], p["inspector_id"]))]

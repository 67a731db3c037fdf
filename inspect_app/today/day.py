"""Building an inspector's day (今日任务): what must be visited, then the riskiest sites to fill it.

The fixed stops come first, in this order: follow-ups (复查) overdue then due today, complaint tasks,
alert checks (while a 重污染天气预警 binds the unit, its earthwork and demolition sites, where the
alert orders work stopped), sites a supervisor assigned for the day. Sites the inspector already inspected today
stay on the list as done. The rest of the day (``TODAY_DAY_SIZE`` stops, skipped ones not counted)
is filled with the open sites of their units with the highest risk score (``risk.py``). One stop per
site: a site on the list for several reasons shows them all. The stops still to visit are ordered
into a route from the inspector's position (``route.py``); done and skipped stops follow.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from inspect_app.auth.models import User
from inspect_app.core.i18n import translate
from inspect_app.core.timeutil import to_local
from inspect_app.today import queries
from inspect_app.today.models import SKIP_REASONS
from inspect_app.today.risk import RiskInputs, risk_score
from inspect_app.today.route import plan_route


@dataclass
class Stop:
    site: object
    kinds: list[str] = field(default_factory=list)
    follow_up_id: int | None = None
    complaint_id: int | None = None
    assignment_id: int | None = None
    risk: object = None
    status: str = "todo"  # todo | done | skipped
    skip: object = None
    order: int | None = None
    leg_m: float | None = None

    @property
    def kind(self) -> str:
        return self.kinds[0]


def _reason_view(reason) -> dict:
    return {"code": reason.code, "params": reason.params, "points": reason.points,
            "text": translate(reason.code, **reason.params)}


def stop_view(stop: Stop) -> dict:
    site = stop.site
    return {"site_id": site.id, "name": site.name, "lat": site.lat, "lon": site.lon, "phase": site.phase,
            "site_status": site.status, "unit_id": site.unit_id, "kind": stop.kind, "kinds": stop.kinds,
            "kind_labels": [translate(f"stop_{kind}") for kind in stop.kinds],
            "follow_up_id": stop.follow_up_id, "complaint_id": stop.complaint_id,
            "assignment_id": stop.assignment_id, "status": stop.status, "order": stop.order, "leg_m": stop.leg_m,
            "risk_score": stop.risk.score if stop.risk else None,
            "reasons": [_reason_view(r) for r in stop.risk.reasons] if stop.risk else [],
            "skip": None if stop.skip is None else {
                "uuid": stop.skip.uuid, "reason": stop.skip.reason, "note": stop.skip.note,
                "reason_label": translate(f"skip_reason_{stop.skip.reason}"), "at": stop.skip.created_at}}


def _risk_inputs(row, today: date, alert_units: set[int]) -> RiskInputs:
    site = row.Site
    last = row.last_inspected_at
    return RiskInputs(
        days_since=None if last is None else (today - to_local(last).date()).days,
        last_grade=row.last_grade, open_violations=row.open_violations,
        overdue_violations=row.overdue_violations, phase=site.phase, failures_90d=row.failures_90d,
        complaints_30d=row.complaints_30d, alert_in_force=site.unit_id in alert_units,
        suspended=site.status == "suspended")


def build_day(inspector: User, day: date, now: datetime, *, position: tuple[float, float] | None,
              day_size: int) -> dict:
    """The inspector's list for ``day``: stops in route order, then done and skipped ones."""
    unit_ids = inspector.unit_ids
    alert_units = queries.alert_units(unit_ids, now)
    rows = queries.risk_rows(inspector, now, unit_ids)
    risks = {row.Site.id: risk_score(_risk_inputs(row, day, alert_units)) for row in rows}
    stops: dict[int, Stop] = {}

    def add(site, kind: str, **ids) -> None:
        stop = stops.setdefault(site.id, Stop(site, risk=risks.get(site.id)))
        if kind not in stop.kinds:
            stop.kinds.append(kind)
        for name, value in ids.items():
            if getattr(stop, name) is None:
                setattr(stop, name, value)

    sites = {row.Site.id: row.Site for row in rows}
    for task in queries.follow_ups_due(inspector, day):
        site = sites.get(task.site_id)  # a closed site is not visited
        if site is not None:
            add(site, "follow_up_overdue" if task.due_on < day else "follow_up_today", follow_up_id=task.id)
    for complaint in queries.complaint_tasks(inspector):
        add(complaint.site, "complaint", complaint_id=complaint.id)
    for row in rows:
        if row.Site.unit_id in alert_units and row.Site.phase in ("earthwork", "demolition"):
            add(row.Site, "alert_check")
    for assignment in queries.assignments_on(inspector.id, day):
        add(assignment.site, "assigned", assignment_id=assignment.id)
    done = queries.inspected_on(inspector.id, day)
    for site_id in done:
        if site_id in sites and site_id not in stops:
            add(sites[site_id], "visited")
    skipped = {skip.site_id: skip for skip in queries.skips_on(inspector.id, day)}
    for site_id, skip in skipped.items():
        if site_id not in stops and site_id in sites:
            add(sites[site_id], "suggested")
    ranked = sorted((site_id for site_id in sites if site_id not in stops),
                    key=lambda site_id: (-risks[site_id].score, site_id))
    counted = sum(1 for site_id in stops if site_id not in skipped)
    for site_id in ranked[:max(day_size - counted, 0)]:
        add(sites[site_id], "suggested")
    for site_id, stop in stops.items():
        if site_id in done:
            stop.status = "done"
        elif site_id in skipped:
            stop.status, stop.skip = "skipped", skipped[site_id]
    return _with_route(list(stops.values()), position, day)


def _with_route(stops: list[Stop], position, day: date) -> dict:
    todo = [stop for stop in stops if stop.status == "todo"]
    route = plan_route(position, [(stop.site.lat, stop.site.lon) for stop in todo])
    ordered = []
    for number, (index, leg) in enumerate(zip(route.order, route.legs_m), start=1):
        stop = todo[index]
        stop.order, stop.leg_m = number, round(leg, 1)
        ordered.append(stop)
    rest = [stop for stop in stops if stop.status == "done"] + [stop for stop in stops if stop.status == "skipped"]
    counts = {status: sum(1 for stop in stops if stop.status == status) for status in ("todo", "done", "skipped")}
    return {"date": day, "position": None if position is None else {"lat": position[0], "lon": position[1]},
            "total_m": round(route.total_m, 1), "counts": counts,
            "skip_reasons": [{"code": code, "label": translate(f"skip_reason_{code}")} for code in SKIP_REASONS],
            "stops": [stop_view(stop) for stop in ordered + rest]}

"""Reads behind today's list: a fixed number of SQL statements, whatever the history holds.

Every per-site figure the risk score needs comes from one statement of aggregate subqueries grouped
by ``site_id`` (as the scorecards do); the day's fixed stops (follow-ups, complaints, assignments,
skips, what was already inspected) are one statement each. ``tests/today`` counts them.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import lazyload

from inspect_app.alerts.queries import levels_in_force
from inspect_app.auth.models import User, user_units
from inspect_app.auth.queries import scope_to_units
from inspect_app.complaints.models import Complaint
from inspect_app.core.timeutil import LOCAL_TZ, to_local
from inspect_app.extensions import db
from inspect_app.followups.models import FollowUp
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import OPEN_STATUSES, Violation
from inspect_app.scorecards.queries import counted_inspections, is_overdue
from inspect_app.sites.models import OPEN_SITE_STATUSES, Site
from inspect_app.today.models import Assignment, CoverageTarget, StopSkip

FAILURE_WINDOW = timedelta(days=90)
COMPLAINT_WINDOW = timedelta(days=30)


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a local (Asia/Shanghai) day as aware datetimes."""
    start = datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ)
    return start, start + timedelta(days=1)


def _latest_grade():
    ranked = (select(Inspection.site_id, Inspection.grade, Inspection.finished_at,
                     func.row_number().over(partition_by=Inspection.site_id,
                                            order_by=(Inspection.finished_at.desc(), Inspection.id.desc()))
                     .label("rn"))
              .where(*counted_inspections()).subquery("ranked"))
    return (select(ranked.c.site_id, ranked.c.grade.label("last_grade"),
                   ranked.c.finished_at.label("last_inspected_at"))
            .where(ranked.c.rn == 1).subquery("latest"))


def _violations(now: datetime):
    return (select(Violation.site_id,
                   func.count(case((and_(Violation.status.in_(OPEN_STATUSES), ~is_overdue(now)), Violation.id)))
                   .label("open_violations"),
                   func.count(case((and_(Violation.status.in_(OPEN_STATUSES), is_overdue(now)), Violation.id)))
                   .label("overdue_violations"),
                   func.count(case((Violation.found_at >= now - FAILURE_WINDOW, Violation.id)))
                   .label("failures_90d"))
            .where(Violation.site_id.is_not(None),
                   or_(Violation.status.in_(OPEN_STATUSES), Violation.found_at >= now - FAILURE_WINDOW))
            .group_by(Violation.site_id).subquery("viol"))


def _complaints(now: datetime):
    return (select(Complaint.site_id, func.count(Complaint.id).label("complaints_30d"))
            .where(Complaint.site_id.is_not(None), Complaint.received_at >= now - COMPLAINT_WINDOW)
            .group_by(Complaint.site_id).subquery("compl"))


def risk_rows(user: User, now: datetime, unit_ids: list[int]) -> list:
    """Every open site of the units with what the risk score reads, in one statement."""
    latest, viol, compl = _latest_grade(), _violations(now), _complaints(now)
    stmt = (select(Site, latest.c.last_grade, latest.c.last_inspected_at,
                   func.coalesce(viol.c.open_violations, 0).label("open_violations"),
                   func.coalesce(viol.c.overdue_violations, 0).label("overdue_violations"),
                   func.coalesce(viol.c.failures_90d, 0).label("failures_90d"),
                   func.coalesce(compl.c.complaints_30d, 0).label("complaints_30d"))
            .outerjoin(latest, latest.c.site_id == Site.id)
            .outerjoin(viol, viol.c.site_id == Site.id)
            .outerjoin(compl, compl.c.site_id == Site.id)
            .where(Site.status.in_(OPEN_SITE_STATUSES), Site.unit_id.in_(unit_ids))
            .order_by(Site.id))
    return list(db.session.execute(scope_to_units(stmt, user, Site.unit_id)))


def follow_ups_due(inspector: User, day: date) -> list:
    """The inspector's open site follow-ups due on or before the day (复查 today or overdue): rows of
    (id, site_id, due_on) — the task's notice and inspection are not needed here."""
    return list(db.session.execute(
        select(FollowUp.id, FollowUp.site_id, FollowUp.due_on).where(FollowUp.assignee_id == inspector.id, FollowUp.status == "open",
                               FollowUp.kind == "site", FollowUp.site_id.is_not(None), FollowUp.due_on <= day)
        .order_by(FollowUp.due_on, FollowUp.id)))


def complaint_tasks(inspector: User) -> list[Complaint]:
    """Open complaint tasks of the inspector's units that name a site (the unit's inspectors share them)."""
    stmt = (select(Complaint).options(lazyload(Complaint.inspection))
            .where(Complaint.status == "open", Complaint.site_id.is_not(None))
            .order_by(Complaint.due_at.is_(None), Complaint.due_at, Complaint.id))
    return list(db.session.scalars(scope_to_units(stmt, inspector, Complaint.unit_id)))


def assignments_on(inspector_id: int, day: date) -> list[Assignment]:
    return list(db.session.scalars(
        select(Assignment).options(lazyload(Assignment.inspector))
        .where(Assignment.inspector_id == inspector_id, Assignment.status == "active",
                                 Assignment.start_on <= day, Assignment.end_on >= day)
        .order_by(Assignment.id)))


def skips_on(inspector_id: int, day: date) -> list[StopSkip]:
    return list(db.session.scalars(
        select(StopSkip).options(lazyload(StopSkip.inspector))
        .where(StopSkip.inspector_id == inspector_id, StopSkip.day == day).order_by(StopSkip.id)))


def inspected_on(inspector_id: int, day: date) -> set[int]:
    """Sites the inspector inspected on that local day (their stops are done)."""
    start, end = local_day_bounds(day)
    return set(db.session.scalars(
        select(Inspection.site_id).distinct()
        .where(*counted_inspections(), Inspection.inspector_id == inspector_id,
               Inspection.finished_at >= start, Inspection.finished_at < end)))


def alert_units(unit_ids: list[int], at: datetime) -> set[int]:
    """Units with a heavy-pollution alert (重污染天气预警) in force at ``at``: one small query per unit
    of the inspector (one or two), whatever the number of alerts ever declared."""
    return {unit_id for unit_id in unit_ids if levels_in_force(unit_id, at)}


# ---- coverage of an ISO week (Asia/Shanghai) ----

def coverage_targets(unit_ids: list[int]) -> dict[int, int]:
    """{unit id: every_days} of the units that set a target."""
    return dict(db.session.execute(select(CoverageTarget.unit_id, CoverageTarget.every_days)
                                   .where(CoverageTarget.unit_id.in_(unit_ids))).all())


def site_visits_around(unit_ids: list[int], start: datetime, end: datetime) -> list:
    """Every open site of the units with its last inspection before ``start`` and its visits in [start, end)."""
    visits = (select(Inspection.site_id,
                     func.max(case((Inspection.finished_at < start, Inspection.finished_at))).label("last_before"),
                     func.count(case((and_(Inspection.finished_at >= start, Inspection.finished_at < end),
                                           Inspection.id))).label("in_week"))
              .where(*counted_inspections(), Inspection.finished_at < end)
              .group_by(Inspection.site_id).subquery("visits"))
    stmt = (select(Site.id, Site.name, Site.unit_id, Site.created_at, visits.c.last_before,
                   func.coalesce(visits.c.in_week, 0).label("in_week"))
            .outerjoin(visits, visits.c.site_id == Site.id)
            .where(Site.unit_id.in_(unit_ids), Site.status.in_(OPEN_SITE_STATUSES), Site.created_at < end)
            .order_by(Site.unit_id, Site.name, Site.id))
    return list(db.session.execute(stmt))


def assignments_in(unit_ids: list[int], monday: date, sunday: date) -> list[Assignment]:
    """Active assignments of the units overlapping the week."""
    return list(db.session.scalars(
        select(Assignment).where(Assignment.unit_id.in_(unit_ids), Assignment.status == "active",
                                 Assignment.start_on <= sunday, Assignment.end_on >= monday)
        .order_by(Assignment.id)))


def visits_by(inspector_ids: set[int], site_ids: set[int], start: datetime, end: datetime) -> set[tuple]:
    """(site id, inspector id, local date) of the given inspectors' inspections of the sites in [start, end)."""
    if not inspector_ids or not site_ids:
        return set()
    rows = db.session.execute(
        select(Inspection.site_id, Inspection.inspector_id, Inspection.finished_at)
        .where(*counted_inspections(), Inspection.site_id.in_(site_ids), Inspection.inspector_id.in_(inspector_ids),
               Inspection.finished_at >= start, Inspection.finished_at < end))
    return {(site_id, inspector_id, to_local(at).date()) for site_id, inspector_id, at in rows}


def inspectors_of(unit_ids: list[int]) -> list[User]:
    """Active inspectors belonging to any of the units."""
    return list(db.session.scalars(
        select(User).join(user_units, user_units.c.user_id == User.id)
        .where(User.role == "inspector", User.active.is_(True), user_units.c.unit_id.in_(unit_ids))
        .distinct().order_by(User.id)))


def skip_counts(unit_ids: list[int], monday: date, sunday: date) -> dict[int, int]:
    """{inspector id: stops skipped in the week}."""
    return dict(db.session.execute(
        select(StopSkip.inspector_id, func.count(StopSkip.id))
        .where(StopSkip.unit_id.in_(unit_ids), StopSkip.day >= monday, StopSkip.day <= sunday)
        .group_by(StopSkip.inspector_id)).all())

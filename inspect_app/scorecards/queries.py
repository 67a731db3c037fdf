"""Reads behind the scorecards: one SQL statement per page, whatever the number of sites.

Latest and previous score, grade and last inspection come from ``site_stats`` (one row per site,
kept current by the write path: ``scorecards.operations``); the 30-day figures from an aggregate
of the window only, read from a partial index; violations and cases from aggregates of their open
rows. None of it reads the whole history, and all of it works the same on SQLite and PostgreSQL.

Definitions (also in the API description):

* Counted inspections: site inspections that are not ``superseded`` (a correction replaces them).
* Latest score / grade: the newest counted inspection that has a score.
* Trend: latest score minus the previous scored inspection's score; ``up`` when it rose by at
  least :data:`TREND_STEP` points, ``down`` when it fell by at least that much, else ``flat``;
  ``None`` with fewer than two scored inspections.
* 30-day average: mean score of counted inspections finished in the last 30 days.
* Overdue violation: status ``overdue``, or still ``open`` with its deadline already past now.
* Pending penalty cases: cases still waiting for a decision (``pending_review``, ``approved``,
  ``accepted``, and ``decision_pending``: a reduced fine waiting for its second approver). Referred,
  dismissed, decided, paid, closed and withdrawn cases are not pending.
* Days since last inspection: calendar days in Asia/Shanghai between the newest counted inspection
  and today (``None`` when never inspected).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.core.i18n import translate
from inspect_app.core.pagination import paginate_rows_with_total
from inspect_app.core.models import Unit
from inspect_app.core.timeutil import to_local
from inspect_app.extensions import db
from inspect_app.inspections.models import COUNTED, Inspection
from inspect_app.penalties.models import OPEN_STATUSES, PenaltyCase, Violation
from inspect_app.scorecards import messages  # noqa: F401  (registers strings)
from inspect_app.scorecards.models import SiteStats
from inspect_app.scoring.labels import grade_label
from inspect_app.sites.models import Site

WINDOW = timedelta(days=30)
TREND_STEP = 1.0
PENDING_CASE_STATUSES = ("pending_review", "approved", "accepted", "decision_pending")
SORT_KEYS = ("score", "avg", "overdue", "days_since", "name")


def counted_inspections() -> tuple[ColumnElement, ...]:
    """The conditions that make an inspection count in statistics (``inspections.models.COUNTED``)."""
    return (COUNTED,)


def is_overdue(now: datetime) -> ColumnElement:
    """SQL condition: the violation is overdue now (marked so, or open past its deadline)."""
    return or_(Violation.status == "overdue", and_(Violation.status == "open", Violation.deadline < now))


def _only(stmt: Select, column, site_ids: list[int] | None) -> Select:
    """Narrow an aggregate to the given sites before it groups: a summary of 20 sites then reads
    their rows through the site index instead of aggregating the whole history."""
    return stmt if site_ids is None else stmt.where(column.in_(site_ids))


def _inspection_stats(since: datetime, site_ids: list[int] | None = None):
    """Per site: 30-day average and count, evidence flags in 30 days.

    Reads only the window, from the partial index on counted inspections (``finished_at`` with the
    site, score and flag count included: an index-only scan on PostgreSQL).
    """
    return _only(
        select(Inspection.site_id,
               func.avg(Inspection.score).label("avg_score_30d"),
               func.count().label("inspections_30d"),
               func.sum(Inspection.flag_count).label("flags_30d"),
               func.count(case((Inspection.flag_count > 0, 1))).label("flagged_30d"))
        .where(COUNTED, Inspection.finished_at >= since), Inspection.site_id, site_ids
    ).group_by(Inspection.site_id).subquery("stats")


def _violation_counts(now: datetime, site_ids: list[int] | None = None):
    return _only(
        select(Violation.site_id,
               func.count(Violation.id).label("open_violations"),
               func.count(case((is_overdue(now), Violation.id))).label("overdue_violations"))
        .where(Violation.status.in_(OPEN_STATUSES)), Violation.site_id, site_ids
    ).group_by(Violation.site_id).subquery("viol")


def _pending_cases(site_ids: list[int] | None = None):
    return _only(
        select(PenaltyCase.site_id, func.count(PenaltyCase.id).label("pending_cases"))
        .where(PenaltyCase.status.in_(PENDING_CASE_STATUSES)), PenaltyCase.site_id, site_ids
    ).group_by(PenaltyCase.site_id).subquery("cases")


@dataclass(frozen=True)
class ScorecardFilters:
    """What the caller narrowed the list to."""

    unit: str | None = None
    grade: str | None = None
    has_overdue: bool | None = None
    not_inspected_days: int | None = None
    q: str | None = None
    status: str = "active"


def scorecards(user: User, now: datetime, filters: ScorecardFilters = ScorecardFilters(),
               sort: str = "score", site_ids: list[int] | None = None) -> Select:
    """One row per visible site with every scorecard figure, filtered and sorted.

    ``sort`` is one of :data:`SORT_KEYS`, ``-`` in front for descending. Sites without a value
    for the sort key (never inspected) always come last, except ``-days_since`` where a site never
    inspected counts as the longest neglected and comes first. ``site_ids`` narrows to those sites
    (inside every aggregate, so the cost follows the sites asked for, not the whole history).
    """
    latest, stats = SiteStats, _inspection_stats(now - WINDOW, site_ids)
    viol, cases = _violation_counts(now, site_ids), _pending_cases(site_ids)
    overdue = func.coalesce(viol.c.overdue_violations, 0)
    stmt = (
        select(Site.id.label("site_id"), Site.name, Site.contractor, Site.phase, Site.status,
               Unit.code.label("unit_code"), Unit.name_zh.label("unit_name_zh"),
               Unit.name_en.label("unit_name_en"),
               latest.score, latest.grade, latest.previous_score,
               latest.last_inspected_at, stats.c.avg_score_30d,
               func.coalesce(stats.c.inspections_30d, 0).label("inspections_30d"),
               func.coalesce(stats.c.flags_30d, 0).label("flags_30d"),
               func.coalesce(stats.c.flagged_30d, 0).label("flagged_inspections_30d"),
               func.coalesce(viol.c.open_violations, 0).label("open_violations"),
               overdue.label("overdue_violations"),
               func.coalesce(cases.c.pending_cases, 0).label("pending_cases"))
        .join(Unit, Site.unit_id == Unit.id)
        .outerjoin(latest, latest.site_id == Site.id)
        .outerjoin(stats, stats.c.site_id == Site.id)
        .outerjoin(viol, viol.c.site_id == Site.id)
        .outerjoin(cases, cases.c.site_id == Site.id)
    )
    stmt = scope_to_units(stmt, user, Site.unit_id)
    stmt = _apply_filters(stmt, filters, now, latest=latest, stats=stats, overdue=overdue)
    columns = {"score": latest.score, "avg": stats.c.avg_score_30d, "overdue": overdue,
               "days_since": latest.last_inspected_at, "name": Site.name}
    return stmt.order_by(*_ordering(sort, columns), Site.name, Site.id)


# Sort keys whose order comes from sites and site_stats alone (no aggregate).
_STORED_SORT_KEYS = ("score", "days_since", "name")


def scorecard_page(user: User, now: datetime, filters: ScorecardFilters, sort: str, page: int,
                   page_size: int) -> dict:
    """A page of scorecards: ``{"items", "page", "page_size", "total"}`` (items are result rows).

    When the sort and the filters need only what ``sites`` and ``site_stats`` hold (lowest score,
    longest unvisited, name; no overdue filter), the page's sites are chosen first from those two
    tables and the aggregates (30-day figures, violations, cases) are computed for the page's sites
    only: two statements whose cost follows the page, not the district. Otherwise one statement
    aggregates every visible site (sorting by 30-day average or overdue count needs them all).
    Both give the same rows in the same order.
    """
    if sort.lstrip("-") not in _STORED_SORT_KEYS or filters.has_overdue is not None:
        return paginate_rows_with_total(scorecards(user, now, filters, sort), page, page_size)
    columns = {"score": SiteStats.score, "days_since": SiteStats.last_inspected_at, "name": Site.name}
    chosen = (
        select(Site.id, func.count().over().label("total"))
        .join(Unit, Site.unit_id == Unit.id)
        .outerjoin(SiteStats, SiteStats.site_id == Site.id)
    )
    chosen = _apply_filters(scope_to_units(chosen, user, Site.unit_id), filters, now, latest=SiteStats,
                            stats=None, overdue=None)
    chosen = chosen.order_by(*_ordering(sort, columns), Site.name, Site.id)
    picked = db.session.execute(chosen.limit(page_size).offset((page - 1) * page_size)).all()
    if not picked:
        total = 0 if page == 1 else db.session.scalar(
            select(func.count()).select_from(chosen.order_by(None).subquery()))
        return {"items": [], "page": page, "page_size": page_size, "total": total}
    ids = [row.id for row in picked]
    rows = {row.site_id: row for row in db.session.execute(
        scorecards(user, now, ScorecardFilters(status="all"), "name", ids).where(Site.id.in_(ids)))}
    return {"items": [rows[i] for i in ids if i in rows], "page": page, "page_size": page_size,
            "total": picked[0].total}


def _apply_filters(stmt: Select, filters: ScorecardFilters, now: datetime, *, latest, stats,
                   overdue) -> Select:
    if filters.unit:
        stmt = stmt.where(or_(Unit.code == filters.unit, Unit.name_zh == filters.unit))
    if filters.grade:
        stmt = stmt.where(latest.grade == filters.grade)
    if filters.has_overdue is True:
        stmt = stmt.where(overdue > 0)
    elif filters.has_overdue is False:
        stmt = stmt.where(overdue == 0)
    if filters.not_inspected_days is not None:
        cutoff = now - timedelta(days=filters.not_inspected_days)
        stmt = stmt.where(or_(latest.last_inspected_at.is_(None), latest.last_inspected_at < cutoff))
    if filters.q:
        text = filters.q.strip()
        stmt = stmt.where(or_(Site.name.icontains(text, autoescape=True),
                              Site.contractor.icontains(text, autoescape=True)))
    if filters.status and filters.status != "all":
        stmt = stmt.where(Site.status == filters.status)
    return stmt


def _ordering(sort: str, columns: dict) -> list:
    """ORDER BY terms with portable NULL placement (``NULLS LAST`` is not needed)."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    column = columns[key]
    if key == "days_since":
        # More days since = an older last inspection; never inspected = infinitely many days.
        nulls_first = descending
        direction = column.asc() if descending else column.desc()
    else:
        nulls_first = False
        direction = column.desc() if descending else column.asc()
    null_rank = case((column.is_(None), 0 if nulls_first else 1), else_=1 if nulls_first else 0)
    return [null_rank, direction]


def scorecard_item(row, now: datetime) -> dict:
    """A result row as the API's scorecard item, with trend and days since computed."""
    data = dict(row if isinstance(row, dict) else row._mapping)
    score, previous = data["score"], data["previous_score"]
    delta = round(score - previous, 1) if score is not None and previous is not None else None
    data["trend_delta"] = delta
    data["trend"] = trend_of(delta)
    data["trend_label"] = translate(f"scorecard_trend_{data['trend']}") if data["trend"] else None
    last = data["last_inspected_at"]
    data["days_since_inspection"] = (
        (to_local(now).date() - to_local(last).date()).days if last is not None else None
    )
    if data["avg_score_30d"] is not None:
        data["avg_score_30d"] = round(float(data["avg_score_30d"]), 1)
    data["unit"] = {"code": data.pop("unit_code"), "name_zh": data.pop("unit_name_zh"),
                    "name_en": data.pop("unit_name_en")}
    return data


def trend_of(delta: float | None) -> str | None:
    """``up``/``down``/``flat`` for a score change (``None`` without two scores)."""
    if delta is None:
        return None
    if delta >= TREND_STEP:
        return "up"
    if delta <= -TREND_STEP:
        return "down"
    return "flat"



def site_summaries(user: User, now: datetime, site_ids: list[int]) -> list[dict]:
    """Last score and grade and open/overdue violations of the given visible sites, one query.

    The inspector's site list shows these on each card; sites the user may not see are left out.
    """
    stmt = scorecards(user, now, ScorecardFilters(status="all"), "name", site_ids).where(Site.id.in_(site_ids))
    items = []
    for row in db.session.execute(stmt):
        items.append({"site_id": row.site_id, "last_score": row.score, "last_grade": row.grade,
                      "grade_label": grade_label(row.grade) if row.grade else None,
                      "last_inspected_at": row.last_inspected_at,
                      "open_violations": row.open_violations,
                      "overdue_violations": row.overdue_violations})
    return items

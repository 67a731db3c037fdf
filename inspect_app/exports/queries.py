"""Rows of the weekly export, streamed from the database (``yield_per``: never all in memory).

A week is an ISO week in Asia/Shanghai: Monday 00:00 to the next Monday 00:00 Beijing time,
so a violation found Sunday 23:59 belongs to that week and one found Monday 00:00 to the next.
Rows are scoped like every other read: supervisors get their units, enforcement and admins (and
the CLI, which runs as the district) everything.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.checklists.models import ChecklistItem
from inspect_app.core.errors import ValidationFailed
from inspect_app.core.models import Unit
from inspect_app.core.timeutil import iso_week_bounds_utc, last_complete_week, parse_iso_week, to_local, utcnow
from inspect_app.exports import messages  # noqa: F401  (registers strings)
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.penalties.models import PenaltyCase, Violation
from inspect_app.scorecards.queries import counted_inspections
from inspect_app.sites.models import Site

YIELD_PER = 2000


@dataclass(frozen=True)
class ExportContext:
    """Which week, for whom, and how photo links are written."""

    user: User | None  # None: the whole district (scheduled job)
    year: int
    week: int
    start: datetime  # UTC, inclusive (Monday 00:00 Beijing time)
    end: datetime  # UTC, exclusive (next Monday 00:00 Beijing time)
    now: datetime
    base_url: str = ""  # prefix of photo links ("" → site-relative /api/photos/...)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def first_day(self) -> date:
        return to_local(self.start).date()

    @property
    def last_day(self) -> date:
        return to_local(self.end).date() - timedelta(days=1)


def export_context(user: User | None, week: str | None, *, base_url: str = "",
                   now: datetime | None = None) -> ExportContext:
    """Resolve ``2026-W48`` (default: the last complete week) into an export context.

    A malformed or impossible week (``2026-W60``) is refused with ``bad_week`` (422).
    """
    now = now or utcnow()
    if week is None:
        year, number = last_complete_week(now)
    else:
        try:
            year, number = parse_iso_week(week.strip())
        except ValueError as exc:
            raise ValidationFailed("bad_week", week=week) from exc
    start, end = iso_week_bounds_utc(year, number)
    return ExportContext(user, year, number, start, end, now, base_url.rstrip("/"))


def _scoped(stmt: Select, ctx: ExportContext, unit_column) -> Select:
    return stmt if ctx.user is None else scope_to_units(stmt, ctx.user, unit_column)


def stream(stmt: Select) -> Iterator:
    """Rows of ``stmt`` fetched in batches (a server-side cursor on PostgreSQL)."""
    yield from db.session.execute(stmt.execution_options(yield_per=YIELD_PER))


def local_naive(value: datetime | None) -> datetime | None:
    """Beijing wall-clock time without a zone, to the second: what Excel stores as a date."""
    return to_local(value).replace(tzinfo=None, microsecond=0) if value is not None else None


def photo_url(ctx: ExportContext, photo_uuid: str) -> str:
    return f"{ctx.base_url}/api/photos/{photo_uuid}/display"


def effective_status(status: str, deadline: datetime, now: datetime) -> str:
    """``overdue`` also for a violation still open past its deadline (as on the scorecards)."""
    return "overdue" if status == "open" and deadline < now else status


def violations_stmt(ctx: ExportContext) -> Select:
    """Violations found in the week (void ones, from superseded inspections, left out)."""
    inspector = aliased(User)
    return _scoped(
        select(Violation.id, Unit.name_zh.label("unit"), Site.name.label("site"), Site.contractor,
               Site.lat, Site.lon, ChecklistItem.text_zh.label("item"), ChecklistItem.clause,
               Violation.item_key, Violation.found_at, Violation.deadline, Violation.status,
               Violation.fail_count, inspector.display_name.label("inspector"),
               ItemResult.photo_ids)
        .join(ChecklistItem, Violation.checklist_item_id == ChecklistItem.id)
        .join(Inspection, Violation.opened_by_inspection_id == Inspection.id)
        .join(inspector, Inspection.inspector_id == inspector.id)
        .outerjoin(Unit, Violation.unit_id == Unit.id)
        .outerjoin(Site, Violation.site_id == Site.id)
        .outerjoin(ItemResult, and_(ItemResult.inspection_id == Inspection.id,
                                    ItemResult.item_key == Violation.item_key))
        .where(Violation.found_at >= ctx.start, Violation.found_at < ctx.end, Violation.status != "void")
        .order_by(Violation.found_at, Violation.id),
        ctx, Violation.unit_id,
    )


def cases_stmt(ctx: ExportContext) -> Select:
    """Penalty cases created (queued for referral) in the week."""
    return _scoped(
        select(PenaltyCase.case_number, Unit.name_zh.label("unit"), Site.name.label("site"),
               PenaltyCase.contractor, PenaltyCase.created_at, PenaltyCase.status, PenaltyCase.authority,
               PenaltyCase.items, PenaltyCase.fine_min, PenaltyCase.fine_max, PenaltyCase.photo_ids)
        .outerjoin(Unit, PenaltyCase.unit_id == Unit.id)
        .outerjoin(Site, PenaltyCase.site_id == Site.id)
        .where(PenaltyCase.created_at >= ctx.start, PenaltyCase.created_at < ctx.end)
        .order_by(PenaltyCase.created_at, PenaltyCase.id),
        ctx, PenaltyCase.unit_id,
    )


def scores_stmt(ctx: ExportContext) -> Select:
    """Counted site inspections finished in the week, with their scores."""
    inspector = aliased(User)
    return _scoped(
        select(Inspection.finished_at, Unit.name_zh.label("unit"), Site.name.label("site"),
               Site.contractor, inspector.display_name.label("inspector"), Inspection.score,
               Inspection.grade, Inspection.vetoed, Inspection.flags, Inspection.review_status)
        .join(inspector, Inspection.inspector_id == inspector.id)
        .join(Site, Inspection.site_id == Site.id)
        .outerjoin(Unit, Inspection.unit_id == Unit.id)
        .where(*counted_inspections(), Inspection.finished_at >= ctx.start, Inspection.finished_at < ctx.end)
        .order_by(Inspection.finished_at, Inspection.id),
        ctx, Inspection.unit_id,
    )


def unit_summary(ctx: ExportContext) -> list[dict]:
    """Per unit: inspections, average and lowest score, new and overdue violations, referrals."""
    units = db.session.scalars(_scoped(select(Unit).order_by(Unit.id), ctx, Unit.id)).all()
    in_week = (Inspection.finished_at >= ctx.start, Inspection.finished_at < ctx.end)
    scores = {row.unit_id: row for row in db.session.execute(
        select(Inspection.unit_id, func.count(Inspection.id).label("inspections"),
               func.sum(Inspection.score).label("score_sum"), func.count(Inspection.score).label("scored"),
               func.min(Inspection.score).label("min_score"))
        .where(*counted_inspections(), *in_week).group_by(Inspection.unit_id))}
    overdue = or_(Violation.status == "overdue",
                  and_(Violation.status == "open", Violation.deadline < ctx.now))
    violations = {row.unit_id: row for row in db.session.execute(
        select(Violation.unit_id, func.count(Violation.id).label("violations"),
               func.count(case((overdue, Violation.id))).label("overdue"))
        .where(Violation.found_at >= ctx.start, Violation.found_at < ctx.end, Violation.status != "void")
        .group_by(Violation.unit_id))}
    cases = dict(db.session.execute(
        select(PenaltyCase.unit_id, func.count(PenaltyCase.id))
        .where(PenaltyCase.created_at >= ctx.start, PenaltyCase.created_at < ctx.end)
        .group_by(PenaltyCase.unit_id)).all())
    return [
        {"unit": unit.name_zh,
         "inspections": scores[unit.id].inspections if unit.id in scores else 0,
         "score_sum": float(scores[unit.id].score_sum or 0) if unit.id in scores else 0.0,
         "scored": scores[unit.id].scored if unit.id in scores else 0,
         "min_score": _float(scores[unit.id].min_score) if unit.id in scores else None,
         "violations": violations[unit.id].violations if unit.id in violations else 0,
         "overdue": violations[unit.id].overdue if unit.id in violations else 0,
         "cases": cases.get(unit.id, 0)}
        for unit in units
    ]



def _float(value) -> float | None:
    return float(value) if value is not None else None

"""Rows of the weekly export, streamed from the database in constant memory.

A week is an ISO week in Asia/Shanghai: Monday 00:00 to the next Monday 00:00 Beijing time,
so a violation found Sunday 23:59 belongs to that week and one found Monday 00:00 to the next.
Rows are scoped like every other read: supervisors get their units, enforcement and admins (and
the CLI, which runs as the district) everything.

How rows are read, for speed (a busy week has 100,000 violations):

* At the Core level (``stream``): plain tuples from a server-side cursor on PostgreSQL
  (``stream_results``, fetched ``YIELD_PER`` at a time), never ORM objects.
* Times come out of SQL as whole UTC seconds since 1970 (``epoch_seconds``), not through the
  ``UTCDateTime`` type decorator, and become Beijing wall-clock time by arithmetic
  (``local_from_epoch``): Asia/Shanghai has been a fixed UTC+8 without daylight saving since
  September 1991, so adding eight hours is exact for every instant from 1992 on; earlier instants
  (none in practice) still go through the tz database.
* Names that repeat on every row — units, sites, contractors, checklist items, inspectors,
  haulage companies — are read once into :class:`Lookups` (bounded by the registry, not by the
  week) instead of being joined into each row.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import islice

from flask import current_app
from sqlalchemy import BigInteger, Select, and_, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.checklists.models import ChecklistItem
from inspect_app.core.errors import ValidationFailed
from inspect_app.core.models import Unit
from inspect_app.core.timeutil import (
    LOCAL_TZ,
    iso_week_bounds_utc,
    last_complete_week,
    parse_iso_week,
    to_local,
    utcnow,
)
from inspect_app.evidence.models import Photo
from inspect_app.exports import messages  # noqa: F401  (registers strings)
from inspect_app.exports.links import LinkSigner
from inspect_app.extensions import db
from inspect_app.followups.progress import statuses_for
from inspect_app.followups.queries import tasks_of_notices
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.notices.models import Notice, NoticeService
from inspect_app.penalties.models import PenaltyCase, Violation
from inspect_app.roadside.models import TruckCheck
from inspect_app.scorecards.queries import counted_inspections
from inspect_app.sites.models import Site
from inspect_app.trucks.models import HaulageCompany, Vehicle

YIELD_PER = 2000
CASE_YIELD_PER = 250  # a case row carries its items with their legal bases (a few KB of JSON)
BATCH = 500  # truck checks whose items and cases are fetched together

# Beijing time is UTC+8 without DST from 1992 on (China's DST ended in September 1991).
BEIJING_OFFSET = timedelta(hours=8)
_LOCAL_EPOCH = datetime(1970, 1, 1) + BEIJING_OFFSET  # 1970-01-01 00:00 UTC on a Beijing wall clock
FIXED_OFFSET_SINCE = int(datetime(1992, 1, 1, tzinfo=timezone.utc).timestamp())


@dataclass(frozen=True)
class ExportContext:
    """Which week, for whom, and how photo links are signed and written."""

    user: User | None  # None: the whole district (scheduled job)
    year: int
    week: int
    start: datetime  # UTC, inclusive (Monday 00:00 Beijing time)
    end: datetime  # UTC, exclusive (next Monday 00:00 Beijing time)
    now: datetime  # UTC, whole seconds (deadlines are compared in whole seconds)
    links: LinkSigner | None = None  # signs photo links (prefix "" → site-relative /api/exports/photo-links/…)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def first_day(self) -> date:
        return to_local(self.start).date()

    @property
    def last_day(self) -> date:
        return to_local(self.end).date() - timedelta(days=1)

    @property
    def now_epoch(self) -> int:
        return int(self.now.timestamp())

    @property
    def base_url(self) -> str:
        return self.links.base_url if self.links else ""


def export_context(user: User | None, week: str | None, *, base_url: str = "",
                   now: datetime | None = None) -> ExportContext:
    """Resolve ``2026-W48`` (default: the last complete week) into an export context.

    A malformed or impossible week (``2026-W60``) is refused with ``bad_week`` (422). Photo links
    are signed with the app's ``SECRET_KEY`` and dated ``now`` (see :mod:`inspect_app.exports.links`).
    """
    now = (now or utcnow()).replace(microsecond=0)
    if week is None:
        year, number = last_complete_week(now)
    else:
        try:
            year, number = parse_iso_week(week.strip())
        except ValueError as exc:
            raise ValidationFailed("bad_week", week=week) from exc
    start, end = iso_week_bounds_utc(year, number)
    links = LinkSigner(current_app.config["SECRET_KEY"], int(now.timestamp()), base_url)
    return ExportContext(user, year, number, start, end, now, links)


def _scoped(stmt: Select, ctx: ExportContext, unit_column) -> Select:
    return stmt if ctx.user is None else scope_to_units(stmt, ctx.user, unit_column)


# ---- reading ----

class epoch_seconds(FunctionElement):
    """Whole UTC seconds since 1970 of a ``UTCDateTime`` column, computed by the database."""

    type = BigInteger()
    inherit_cache = True
    name = "epoch_seconds"


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element, compiler, **kw):
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC; strftime('%s') truncates the fraction.
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds)
def _epoch_default(element, compiler, **kw):  # PostgreSQL (timestamptz)
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})) AS BIGINT)"


def stream(stmt: Select, size: int = YIELD_PER) -> Iterator[tuple]:
    """Rows of a Core ``stmt`` as tuples, ``size`` at a time (a server-side cursor on PostgreSQL).

    At most two batches are alive at once (the one being read and the next being fetched), so
    memory is bounded by ``2 × size`` rows, however many the week has.
    """
    # Options on the statement, not the connection: Connection.execution_options() changes the
    # session's connection in place, and every later INSERT would ask for a server-side cursor.
    result = db.session.connection().execute(stmt.execution_options(stream_results=True, yield_per=size))
    for partition in result.partitions():
        yield from partition


def batched(rows: Iterator[tuple], size: int = BATCH) -> Iterator[list[tuple]]:
    """Consecutive lists of at most ``size`` rows."""
    while chunk := list(islice(rows, size)):
        yield chunk


def local_from_epoch(seconds: int | None) -> datetime | None:
    """Beijing wall-clock time (naive, whole seconds) of UTC epoch seconds: what Excel stores."""
    if seconds is None:
        return None
    if seconds >= FIXED_OFFSET_SINCE:
        return _LOCAL_EPOCH + timedelta(seconds=seconds)
    return datetime.fromtimestamp(seconds, LOCAL_TZ).replace(tzinfo=None)


def local_naive(value: datetime | None) -> datetime | None:
    """Beijing wall-clock time without a zone, to the second, of an aware (or UTC-naive) datetime."""
    return to_local(value).replace(tzinfo=None, microsecond=0) if value is not None else None


def photo_urls(ctx: ExportContext, inspection_id: int, photo_ids) -> list[str]:
    """Signed links to the display images of the photos ``inspection_id`` declared, in order."""
    url = ctx.links.url
    return [url(inspection_id, photo) for photo in photo_ids or ()]


def rectification_deadline(site_id: int | None, found_epoch: int, deadline_epoch: int) -> int | None:
    """The deadline to show, or None when the rules set none.

    A truck's violations (渣土车: unfiled, unsealed, overloaded …) are punished, not rectified: their
    checklist items have no rectification period (``rectify_days = 0``), so the stored deadline is the
    finding time itself and means nothing. A site's zero-day deadline (the ozone bans: stop at once)
    is a real deadline and is shown.
    """
    if site_id is None and deadline_epoch <= found_epoch:
        return None
    return deadline_epoch


def effective_status(status: str, deadline_epoch: int | None, now_epoch: int) -> str:
    """``overdue`` also for a violation still open past its deadline (as on the scorecards)."""
    return "overdue" if status == "open" and deadline_epoch is not None and deadline_epoch < now_epoch else status


@dataclass
class Lookups:
    """Names by id, read once per export: far cheaper than joining them into 100,000 rows."""

    units: dict[int, str] = field(default_factory=dict)
    sites: dict[int, tuple] = field(default_factory=dict)  # id → (name, contractor, lat, lon)
    items: dict[int, tuple] = field(default_factory=dict)  # checklist item id → (text_zh, clause)
    users: dict[int, str] = field(default_factory=dict)  # id → display name
    companies: dict[int, str] = field(default_factory=dict)  # haulage company id → name


def load_lookups(*, sites: bool = True) -> Lookups:
    """Every unit, site, checklist item, user and haulage company name (a few queries)."""
    execute = db.session.execute
    return Lookups(
        units=dict(execute(select(Unit.id, Unit.name_zh)).all()),
        sites={row[0]: tuple(row[1:]) for row in execute(
            select(Site.id, Site.name, Site.contractor, Site.lat, Site.lon))} if sites else {},
        items={row[0]: (row[1], row[2]) for row in execute(
            select(ChecklistItem.id, ChecklistItem.text_zh, ChecklistItem.clause))},
        users=dict(execute(select(User.id, User.display_name)).all()),
        companies=dict(execute(select(HaulageCompany.id, HaulageCompany.name)).all()),
    )


# ---- the statements ----

def violations_stmt(ctx: ExportContext) -> Select:
    """Violations found in the week (void ones, from superseded inspections, left out), by found time.

    Columns: id, unit_id, site_id, plate, company_id, checklist_item_id, item_key, found (epoch),
    deadline (epoch), status, fail_count, inspector_id, inspection_id, note, photo_ids, finish_lat,
    finish_lon (where the opening inspection ended: the roadside position of a truck).
    """
    return _scoped(
        select(Violation.id, Violation.unit_id, Violation.site_id, Violation.plate, Violation.company_id,
               Violation.checklist_item_id, Violation.item_key, epoch_seconds(Violation.found_at),
               epoch_seconds(Violation.deadline), Violation.status, Violation.fail_count,
               Inspection.inspector_id, Inspection.id, ItemResult.note, ItemResult.photo_ids,
               Inspection.finish_lat, Inspection.finish_lon)
        .join(Inspection, Violation.opened_by_inspection_id == Inspection.id)
        .outerjoin(ItemResult, and_(ItemResult.inspection_id == Inspection.id,
                                    ItemResult.item_key == Violation.item_key))
        .where(Violation.found_at >= ctx.start, Violation.found_at < ctx.end, Violation.status != "void")
        .order_by(Violation.found_at, Violation.id),
        ctx, Violation.unit_id,
    )


def cases_stmt(ctx: ExportContext) -> Select:
    """Penalty cases created (queued for referral) in the week, sites' and trucks' alike.

    Columns: case_number, unit_id, site_id, plate, party name and kind (当事人, penalties/parties.py;
    the contractor's name for a case recorded without one), created (epoch), status, authority, items,
    fine_min, fine_max, photo_ids; then the decision (issue 10):
    decision, fine_amount, decision_amounts, decision_number, decision_date, paid_on, receipt_number.
    """
    return _scoped(
        select(PenaltyCase.case_number, PenaltyCase.unit_id, PenaltyCase.site_id, PenaltyCase.plate,
               func.coalesce(PenaltyCase.party_name, PenaltyCase.contractor), PenaltyCase.party,
               epoch_seconds(PenaltyCase.created_at),
               PenaltyCase.status,
               PenaltyCase.authority, PenaltyCase.items, PenaltyCase.fine_min, PenaltyCase.fine_max,
               PenaltyCase.photo_ids, PenaltyCase.decision, PenaltyCase.fine_amount, PenaltyCase.decision_amounts,
               PenaltyCase.decision_number, PenaltyCase.decision_date, PenaltyCase.paid_on, PenaltyCase.receipt_number)
        .where(PenaltyCase.created_at >= ctx.start, PenaltyCase.created_at < ctx.end)
        .order_by(PenaltyCase.created_at, PenaltyCase.id),
        ctx, PenaltyCase.unit_id,
    )


def scores_stmt(ctx: ExportContext) -> Select:
    """Counted site inspections finished in the week, with their scores.

    Columns: finished (epoch), unit_id, site_id, inspector_id, score, grade, vetoed, flags, review_status.
    """
    return _scoped(
        select(epoch_seconds(Inspection.finished_at), Inspection.unit_id, Inspection.site_id,
               Inspection.inspector_id, Inspection.score, Inspection.grade, Inspection.vetoed, Inspection.flags,
               Inspection.review_status)
        .where(*counted_inspections(), Inspection.finished_at >= ctx.start, Inspection.finished_at < ctx.end)
        .order_by(Inspection.finished_at, Inspection.id),
        ctx, Inspection.unit_id,
    )


def truck_checks_stmt(ctx: ExportContext) -> Select:
    """Roadside truck checks finished in the week (superseded ones left out: their correction is in).

    Scoped by the check's unit, as the roadside reads are. Columns: id, unit_id, finished (epoch),
    plate, plate_colour, company_id, approval_number, filing_problem, rated_load_t, load_t,
    load_source, overloaded, overload_ratio, origin_site_id, inspector_id, review_status.
    """
    return _scoped(
        select(Inspection.id, Inspection.unit_id, epoch_seconds(Inspection.finished_at), Inspection.plate,
               TruckCheck.plate_colour, TruckCheck.company_id, Vehicle.approval_number, TruckCheck.filing_problem,
               TruckCheck.rated_load_t, TruckCheck.load_t, TruckCheck.load_source, TruckCheck.overloaded,
               TruckCheck.overload_ratio, TruckCheck.origin_site_id, Inspection.inspector_id,
               Inspection.review_status)
        .outerjoin(TruckCheck, TruckCheck.inspection_id == Inspection.id)
        .outerjoin(Vehicle, Inspection.vehicle_id == Vehicle.id)
        .where(Inspection.kind == "truck", Inspection.review_status != "superseded",
               Inspection.finished_at >= ctx.start, Inspection.finished_at < ctx.end)
        .order_by(Inspection.finished_at, Inspection.id),
        ctx, Inspection.unit_id,
    )


def notices_stmt(ctx: ExportContext) -> Select:
    """Ids of the notices (整改通知书) issued in the week, void ones included (the paper exists), by issue time."""
    return _scoped(select(Notice.id).where(Notice.issued_at >= ctx.start, Notice.issued_at < ctx.end)
                   .order_by(Notice.issued_at, Notice.id), ctx, Notice.unit_id)


def notice_details(notice_ids: list[int]) -> list[dict]:
    """Per notice of a batch: the notice, its service record (送达), its follow-up task and latest visit,
    and each item's status — a fixed number of queries per batch."""
    notices = list(db.session.scalars(select(Notice).where(Notice.id.in_(notice_ids))
                                      .order_by(Notice.issued_at, Notice.id)))
    services = {s.notice_id: s for s in db.session.scalars(
        select(NoticeService).where(NoticeService.notice_id.in_(notice_ids)))}
    tasks = tasks_of_notices(notice_ids)
    statuses = statuses_for(notices)
    return [{"notice": n, "service": services.get(n.id), "task": tasks.get(n.id), "items": statuses.get(n.id, {})}
            for n in notices]


def _photo_count(photo_ids):
    """How many photo ids a JSON list column holds (SQLite's JSON1 and PostgreSQL's json alike)."""
    return func.coalesce(func.json_array_length(photo_ids), 0)


def most_violation_photos(ctx: ExportContext) -> int:
    """The most photos any violation row of the week has: how many photo columns 违规明细 needs."""
    rows = violations_stmt(ctx).order_by(None).subquery()
    return db.session.scalar(select(func.max(_photo_count(rows.c.photo_ids)))) or 0


def most_truck_check_photos(ctx: ExportContext) -> int:
    """The most photos any roadside check of the week has (all its items'): 渣土车's photo columns."""
    checks = truck_checks_stmt(ctx).order_by(None).with_only_columns(Inspection.id).scalar_subquery()
    per_check = (select(func.sum(_photo_count(ItemResult.photo_ids)).label("photos"))
                 .where(ItemResult.inspection_id.in_(checks))
                 .group_by(ItemResult.inspection_id).subquery())
    return int(db.session.scalar(select(func.max(per_check.c.photos))) or 0)


def truck_check_details(inspection_ids: list[int]) -> tuple[dict, dict]:
    """For a batch of truck checks, two queries: their item results (checklist item id, outcome,
    applicable, photo ids, note, in form order) and their penalty cases ((case number, authority) by id)."""
    results: dict[int, list[tuple]] = {}
    for inspection_id, *rest in db.session.execute(
            select(ItemResult.inspection_id, ItemResult.checklist_item_id, ItemResult.outcome,
                   ItemResult.applicable, ItemResult.photo_ids, ItemResult.note)
            .where(ItemResult.inspection_id.in_(inspection_ids))
            .order_by(ItemResult.inspection_id, ItemResult.position, ItemResult.id)):
        results.setdefault(inspection_id, []).append(tuple(rest))
    cases: dict[int, list[tuple]] = {}
    for inspection_id, number, authority in db.session.execute(
            select(PenaltyCase.inspection_id, PenaltyCase.case_number, PenaltyCase.authority)
            .where(PenaltyCase.inspection_id.in_(inspection_ids)).order_by(PenaltyCase.id)):
        cases.setdefault(inspection_id, []).append((number, authority))
    return results, cases


def unit_summary(ctx: ExportContext) -> list[dict]:
    """Per unit: site inspections, average and lowest score, new and overdue violations (sites' and
    trucks'), referrals, roadside checks. One grouped query per table, scoped like the rows."""
    units = db.session.execute(_scoped(select(Unit.id, Unit.name_zh).order_by(Unit.id), ctx, Unit.id)).all()
    unit_ids = [unit_id for unit_id, _ in units]
    in_week = (Inspection.finished_at >= ctx.start, Inspection.finished_at < ctx.end)
    inspections = {row.unit_id: row for row in db.session.execute(
        select(Inspection.unit_id,
               func.count(case((Inspection.kind == "site", Inspection.id))).label("inspections"),
               func.sum(case((Inspection.kind == "site", Inspection.score))).label("score_sum"),
               func.count(case((Inspection.kind == "site", Inspection.score))).label("scored"),
               func.min(case((Inspection.kind == "site", Inspection.score))).label("min_score"),
               func.count(case((Inspection.kind == "truck", Inspection.id))).label("truck_checks"))
        .where(Inspection.review_status != "superseded", or_(
            Inspection.kind == "truck", and_(*counted_inspections())), *in_week,
            Inspection.unit_id.in_(unit_ids))
        .group_by(Inspection.unit_id))}
    # as the violation rows say (rectification_deadline): a truck's violation has no deadline to pass
    has_deadline = or_(Violation.site_id.is_not(None), Violation.deadline > Violation.found_at)
    overdue = or_(Violation.status == "overdue",
                  and_(Violation.status == "open", Violation.deadline < ctx.now, has_deadline))
    violations = {row.unit_id: row for row in db.session.execute(
        select(Violation.unit_id, func.count(Violation.id).label("violations"),
               func.count(case((overdue, Violation.id))).label("overdue"))
        .where(Violation.found_at >= ctx.start, Violation.found_at < ctx.end, Violation.status != "void",
               Violation.unit_id.in_(unit_ids))
        .group_by(Violation.unit_id))}
    cases = dict(db.session.execute(
        select(PenaltyCase.unit_id, func.count(PenaltyCase.id))
        .where(PenaltyCase.created_at >= ctx.start, PenaltyCase.created_at < ctx.end,
               PenaltyCase.unit_id.in_(unit_ids))
        .group_by(PenaltyCase.unit_id)).all())
    summary = []
    for unit_id, name in units:
        scores, found = inspections.get(unit_id), violations.get(unit_id)
        summary.append({
            "unit": name,
            "inspections": scores.inspections if scores else 0,
            "score_sum": float(scores.score_sum or 0) if scores else 0.0,
            "scored": scores.scored if scores else 0,
            "min_score": _float(scores.min_score) if scores else None,
            "violations": found.violations if found else 0,
            "overdue": found.overdue if found else 0,
            "cases": cases.get(unit_id, 0),
            "truck_checks": scores.truck_checks if scores else 0,
        })
    return summary


def _float(value) -> float | None:
    return float(value) if value is not None else None


def photo_for_link(inspection_id: int, photo_uuid: str):
    """The stored photo a signed export link names: that uuid, of that inspection (a photo id belongs
    to one inspection, so a link signed for another inspection's row never shows it)."""
    return db.session.scalar(select(Photo).where(Photo.uuid == photo_uuid, Photo.inspection_id == inspection_id))

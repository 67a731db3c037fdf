"""Keeping ``site_stats`` current: the write path recomputes a site's row whenever one of its counted
inspections changes.

A listener on every ORM session notes, before each flush, the inspections that are new, deleted or
changed in a field the statistics read (site, kind, review status, score, grade, finish time), and
after the flush recomputes those sites' rows in the same transaction, in two statements whatever
the number of sites:

1. insert-or-touch the rows (``ON CONFLICT DO UPDATE``), which takes their row locks in site order;
2. recompute them from the inspections and write them (``INSERT … SELECT … ON CONFLICT DO UPDATE``).

Under PostgreSQL's READ COMMITTED the second statement takes its snapshot after the lock is held,
so a writer that waited for another sees that writer's committed inspection: two inspections of
one site racing in two processes leave the row with both. SQLite runs one writer at a time.

A row is always recomputed from the history, never incremented, so it cannot drift; bulk loads that
bypass the ORM (``bench/seed.py``) call :func:`rebuild_site_stats`, as does ``flask scorecards
rebuild-stats``.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import case, event, func, inspect, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from inspect_app.inspections.models import COUNTED, Inspection
from inspect_app.scorecards.models import SiteStats
from inspect_app.sites.models import Site

_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}
# Changing any of these can change a site's statistics.
_WATCHED = ("site_id", "kind", "review_status", "score", "grade", "finished_at")
_PENDING = "scorecards.site_stats_pending"


def _insert(conn: Connection):
    insert = _INSERTS.get(conn.dialect.name)
    if insert is None:
        raise RuntimeError(f"site statistics support SQLite and PostgreSQL, not {conn.dialect.name}")
    return insert(SiteStats.__table__)


def _computed(site_ids: list[int] | None):
    """SELECT site_id, score, grade, previous_score, last_inspected_at from the history, for the
    given sites (all when None): the definitions of :class:`SiteStats`."""
    counted = select(Inspection.site_id, Inspection.finished_at, Inspection.id, Inspection.score,
                     Inspection.grade).where(COUNTED)
    if site_ids is not None:
        counted = counted.where(Inspection.site_id.in_(site_ids))
    counted = counted.subquery("counted")
    scored = select(
        counted.c.site_id, counted.c.score, counted.c.grade,
        func.row_number().over(partition_by=counted.c.site_id,
                               order_by=(counted.c.finished_at.desc(), counted.c.id.desc())).label("rn"),
    ).where(counted.c.score.is_not(None)).subquery("scored")
    latest = (
        select(scored.c.site_id,
               func.max(case((scored.c.rn == 1, scored.c.score))).label("score"),
               func.max(case((scored.c.rn == 1, scored.c.grade))).label("grade"),
               func.max(case((scored.c.rn == 2, scored.c.score))).label("previous_score"))
        .where(scored.c.rn <= 2).group_by(scored.c.site_id).subquery("latest")
    )
    last = (select(counted.c.site_id, func.max(counted.c.finished_at).label("last_inspected_at"))
            .group_by(counted.c.site_id).subquery("last"))
    stmt = (
        select(Site.id.label("site_id"), latest.c.score, latest.c.grade, latest.c.previous_score,
               last.c.last_inspected_at)
        .select_from(Site)
        .outerjoin(latest, latest.c.site_id == Site.id)
        .outerjoin(last, last.c.site_id == Site.id)
    )
    return stmt if site_ids is None else stmt.where(Site.id.in_(site_ids))


def _upsert_computed(conn: Connection, site_ids: list[int] | None) -> None:
    columns = ["site_id", "score", "grade", "previous_score", "last_inspected_at"]
    stmt = _insert(conn).from_select(columns, _computed(site_ids))
    excluded = stmt.excluded
    conn.execute(stmt.on_conflict_do_update(
        index_elements=["site_id"], set_={name: excluded[name] for name in columns[1:]}))


def refresh_site_stats(conn: Connection, site_ids: Iterable[int]) -> None:
    """Recompute the rows of ``site_ids`` from their inspections, inside the caller's transaction."""
    ids = sorted({int(i) for i in site_ids if i is not None})
    if not ids:
        return
    # 1. Lock (creating where missing) in site order, so two writers never wait on each other crosswise.
    touch = _insert(conn).values([{"site_id": i} for i in ids])
    conn.execute(touch.on_conflict_do_update(index_elements=["site_id"],
                                             set_={"site_id": touch.excluded.site_id}))
    # 2. A new statement, so a new snapshot on PostgreSQL: it sees what a writer we waited for committed.
    _upsert_computed(conn, ids)


def rebuild_site_stats(conn: Connection) -> int:
    """Recompute every site's row (and every inspection's ``flag_count``); returns the number of sites.

    For data written around the ORM. Takes a few seconds per million inspections.
    """
    if conn.dialect.name == "postgresql":  # a JSON null or scalar has no length there: count it as none
        flag_count = case((func.json_typeof(Inspection.flags) == "array", func.json_array_length(Inspection.flags)),
                          else_=0)
    else:
        flag_count = func.coalesce(func.json_array_length(Inspection.flags), 0)
    conn.execute(update(Inspection).where(Inspection.flag_count != flag_count).values(flag_count=flag_count)
                 .execution_options(synchronize_session=False))
    conn.execute(SiteStats.__table__.delete())
    _upsert_computed(conn, None)
    return conn.scalar(select(func.count()).select_from(SiteStats))


def _site_ids_touched(session: Session) -> set[int]:
    """Sites whose statistics the pending flush can change (old and new site of a moved inspection)."""
    ids: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Inspection):
            ids.add(obj)  # its site_id may be set by the flush (a relationship): read after it
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, Inspection):
            continue
        state = inspect(obj)
        if obj in session.deleted or any(state.attrs[name].history.has_changes() for name in _WATCHED):
            ids.add(obj)
            ids.update(v for v in state.attrs.site_id.history.deleted if v is not None)
    return ids


@event.listens_for(Session, "before_flush")
def _note_changed_sites(session: Session, _context, _instances) -> None:
    touched = _site_ids_touched(session)
    if touched:
        session.info.setdefault(_PENDING, set()).update(touched)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, _previous_transaction) -> None:
    # A flush that failed never reached after_flush: what it noted belongs to a transaction that is gone.
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_flush")
def _refresh_changed_sites(session: Session, _context) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    ids = {item.site_id if isinstance(item, Inspection) else item for item in pending}
    refresh_site_stats(session.connection(), (i for i in ids if i is not None))


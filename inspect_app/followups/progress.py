"""Where a notice's items stand (open / overdue / closed), one notice or a whole page of them at once,
and the date its follow-up is due. Reads only."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select

from inspect_app.extensions import db
from inspect_app.notices.models import Notice
from inspect_app.notices.queries import item_progress
from inspect_app.penalties.models import Violation


def notice_item_keys(notice: Notice) -> list[str]:
    return [item["item_key"] for item in notice.content["items"]]


def item_statuses(notice: Notice) -> dict[str, str]:
    """{item key: open | overdue | closed} for one notice, read the way notices reads it."""
    return {p.item_key: p.status for p in item_progress(notice)}


def statuses_for(notices: list[Notice]) -> dict[int, dict[str, str]]:
    """``item_statuses`` for many notices in one query (lists and the weekly export).

    Same rule as ``notices.queries.item_progress``: an item's violation is the latest one of the same
    site or plate and requirement found at or before the notice, not void, not closed before it.
    """
    if not notices:
        return {}
    keys = {key for notice in notices for key in notice_item_keys(notice)}
    site_ids = {n.site_id for n in notices if n.site_id is not None}
    plates = {n.plate for n in notices if n.site_id is None and n.plate}
    where_place = []
    if site_ids:
        where_place.append(Violation.site_id.in_(site_ids))
    if plates:
        where_place.append(and_(Violation.site_id.is_(None), Violation.plate.in_(plates)))
    rows = db.session.execute(
        select(Violation.site_id, Violation.plate, Violation.item_key, Violation.status, Violation.found_at,
               Violation.closed_at)
        .where(Violation.item_key.in_(keys), Violation.status != "void", or_(*where_place))
        .order_by(Violation.found_at, Violation.id)).all() if where_place else []
    by_place: dict[tuple, list] = {}
    for row in rows:
        place = ("site", row.site_id) if row.site_id is not None else ("plate", row.plate)
        by_place.setdefault((place, row.item_key), []).append(row)
    result = {}
    for notice in notices:
        place = ("site", notice.site_id) if notice.site_id is not None else ("plate", notice.plate)
        statuses = {}
        for key in notice_item_keys(notice):
            status = "open"
            for row in by_place.get((place, key), []):
                if row.found_at <= notice.issued_at and (row.closed_at is None or row.closed_at >= notice.issued_at):
                    status = row.status
            statuses[key] = status
        result[notice.id] = statuses
    return result


def rectified(statuses: dict[str, str]) -> bool:
    """已整改: every item of the notice is closed."""
    return bool(statuses) and all(status == "closed" for status in statuses.values())


def due_on(notice: Notice, statuses: dict[str, str]) -> date:
    """The earliest deadline (local date) of the notice's items not yet closed; of all items when
    every one is closed or nothing is known yet."""
    items = notice.content["items"]
    waiting = [item for item in items if statuses.get(item["item_key"]) != "closed"] or items
    return min(date.fromisoformat(item["deadline_date"]) for item in waiting)

"""Reads of stop-work orders: a site's history, and suspended days for the weekly export."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Select, or_, select

from inspect_app.core.timeutil import as_utc, to_local
from inspect_app.extensions import db
from inspect_app.sites.models import Site
from inspect_app.suspensions.models import SiteSuspension


def site_suspensions(site_id: int) -> list[SiteSuspension]:
    """Every stop-work order of a site, newest first."""
    return list(db.session.scalars(select(SiteSuspension).where(SiteSuspension.site_id == site_id)
                                   .order_by(SiteSuspension.started_at.desc(), SiteSuspension.id.desc())))


def suspended_days(start: datetime, end: datetime, now: datetime, site_ids=None) -> dict[int, int]:
    """Days (Beijing calendar dates) in [start, end) on which each site was suspended, by site id.

    A day counts when an order was in force at any moment of it (the day of the order and the day
    of the approved resumption both count, as a 停工 register counts them). Several orders at once
    count a day once. Sites never suspended in the period are left out. One query.
    """
    stmt = select(SiteSuspension.site_id, SiteSuspension.started_at, SiteSuspension.ended_at).where(
        SiteSuspension.started_at < end,
        or_(SiteSuspension.ended_at.is_(None), SiteSuspension.ended_at >= start))
    if site_ids is not None:
        stmt = stmt.where(SiteSuspension.site_id.in_(list(site_ids)))
    days: dict[int, set[date]] = {}
    for site_id, began, ended in db.session.execute(stmt):
        days.setdefault(site_id, set()).update(_dates(began, ended, start, end, now))
    return {site_id: len(dates) for site_id, dates in days.items() if dates}


def suspensions_in_period(start: datetime, end: datetime) -> Select:
    """Stop-work orders in force at some moment of [start, end), with their site's unit.

    Columns: site_id, unit_id, decision_number, started_at, ended_at, status; by site, then start.
    """
    return (select(SiteSuspension.site_id, Site.unit_id, SiteSuspension.decision_number,
                   SiteSuspension.started_at, SiteSuspension.ended_at, SiteSuspension.status)
            .join(Site, Site.id == SiteSuspension.site_id)
            .where(SiteSuspension.started_at < end,
                   or_(SiteSuspension.ended_at.is_(None), SiteSuspension.ended_at >= start))
            .order_by(SiteSuspension.site_id, SiteSuspension.started_at, SiteSuspension.id))


def suspension_week_rows(rows, start: datetime, end: datetime, now: datetime) -> list[dict]:
    """Per site, from :func:`suspensions_in_period` rows: its orders, first start, resumption (if all
    orders ended), and the days suspended in the period (calendar days in Beijing, as
    :func:`suspended_days` counts them)."""
    by_site: dict[int, dict] = {}
    for site_id, unit_id, number, began, ended, status in rows:
        entry = by_site.setdefault(site_id, {"site_id": site_id, "unit_id": unit_id, "numbers": [],
                                             "started_at": began, "ended_at": ended, "open": False,
                                             "dates": set()})
        entry["numbers"].append(number)
        entry["open"] = entry["open"] or ended is None
        entry["ended_at"] = None if entry["open"] else max(entry["ended_at"], ended)
        entry["dates"] |= _dates(began, ended, start, end, now)
    return [{**entry, "days": len(entry.pop("dates"))} for entry in by_site.values()]


def _dates(began, ended, start, end, now) -> set[date]:
    first = max(as_utc(began), as_utc(start))
    last = min(as_utc(ended) if ended is not None else as_utc(now), as_utc(end) - timedelta(microseconds=1))
    if last < first:
        return set()
    day, final, found = to_local(first).date(), to_local(last).date(), set()
    while day <= final:
        found.add(day)
        day += timedelta(days=1)
    return found

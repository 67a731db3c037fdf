"""Reads behind the maps: every visible open site with its last grade and open violations, one query.

The figures are the scorecards' (``scorecards.queries.scorecards``: latest grade, open and overdue
violations), with the site's stored WGS-84 position and stop-work order added. The phone converts the
position to the tiles' datum (GCJ-02 for Amap) with ``static/pwa/geo.js``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_

from inspect_app.auth.models import User
from inspect_app.core.geo import distance_m, planar_sort_key_factor
from inspect_app.core.models import Unit
from inspect_app.extensions import db
from inspect_app.scorecards.queries import ScorecardFilters, scorecards
from inspect_app.scoring.labels import grade_label
from inspect_app.sites.models import OPEN_SITE_STATUSES, Site


def map_sites(user: User, now: datetime, *, unit: str | None = None,
              near: tuple[float, float] | None = None, limit: int = 500) -> tuple[list[dict], bool]:
    """The user's open sites (active and suspended) as map points, nearest first when ``near`` is given.

    Returns the points and whether more than ``limit`` matched. One SQL statement, whatever the
    number of sites or of their inspections.
    """
    stmt = (scorecards(user, now, ScorecardFilters(status="all"), "name")
            .where(Site.status.in_(OPEN_SITE_STATUSES))
            .add_columns(Site.lat, Site.lon, Site.suspension_order_number))
    if unit:
        stmt = stmt.where(or_(Unit.code == unit, Unit.name_zh == unit))
    if near:
        k = planar_sort_key_factor(near[0])
        d_lat, d_lon = Site.lat - near[0], (Site.lon - near[1]) * k
        stmt = stmt.order_by(None).order_by(d_lat * d_lat + d_lon * d_lon, Site.id)
    rows = db.session.execute(stmt.limit(limit + 1)).all()
    return [_point(row, near) for row in rows[:limit]], len(rows) > limit


def _point(row, near: tuple[float, float] | None) -> dict:
    return {
        "site_id": row.site_id, "name": row.name, "lat": row.lat, "lon": row.lon, "phase": row.phase,
        "status": row.status, "suspension_order_number": row.suspension_order_number,
        "contractor": row.contractor,
        "unit": {"code": row.unit_code, "name_zh": row.unit_name_zh, "name_en": row.unit_name_en},
        "grade": row.grade, "grade_label": grade_label(row.grade) if row.grade else None,
        "score": row.score, "last_inspected_at": row.last_inspected_at,
        "open_violations": row.open_violations, "overdue_violations": row.overdue_violations,
        "distance_m": round(distance_m(near, (row.lat, row.lon)), 1) if near else None,
    }

"""Pure rules of complaints: due hours per category, the matching site."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from inspect_app.core.geo import distance_m

DEFAULT_DUE_HOURS = "dust:24,muck_truck:24,night_noise:12,other:48"


def due_hours(setting: str, category: str) -> int:
    """Hours a complaint of ``category`` has, from ``COMPLAINT_DUE_HOURS`` (``category:hours,…``)."""
    table = dict(_pairs(DEFAULT_DUE_HOURS))
    table.update(_pairs(setting or ""))
    return table[category]


def _pairs(text: str):
    for part in text.split(","):
        if ":" in part:
            key, hours = part.split(":", 1)
            yield key.strip(), int(hours)


def nearest_containing(sites: Iterable, point: tuple[float, float]):
    """The nearest site whose geofence contains ``point`` (WGS-84), or None."""
    inside = [(distance_m(point, (s.lat, s.lon)), s.id, s) for s in sites]
    inside = [row for row in inside if row[0] <= row[2].geofence_radius_m]
    return min(inside, key=lambda row: row[:2])[2] if inside else None


def handled_late(due_at: datetime | None, answered_at: datetime | None, now: datetime) -> bool:
    """Overdue (超期): no answering inspection by the due time — answered after it, or still unanswered
    past it. A complaint with no site yet has no due time and is not overdue (it waits on a supervisor).
    Times are aware UTC."""
    if due_at is None:
        return False
    return (answered_at or now) > due_at

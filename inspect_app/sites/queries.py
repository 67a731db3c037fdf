"""Reads of sites, always scoped to the caller's units."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, or_, select

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.core.geo import distance_m, planar_sort_key_factor
from inspect_app.core.models import Unit
from inspect_app.extensions import db
from inspect_app.sites.models import OPEN_SITE_STATUSES, Site, SitePhaseChange


def visible_sites(user: User) -> Select:
    """Every site the user may see."""
    return scope_to_units(select(Site), user, Site.unit_id)


def search_sites(user: User, *, q=None, unit=None, phase=None, status="open",
                 near: tuple[float, float] | None = None) -> Select:
    """Filtered site list; with ``near`` (WGS-84) ordered nearest first.

    Ordering uses an equirectangular squared distance in SQL (pure arithmetic, so it works on
    SQLite and PostgreSQL alike and pages correctly); exact geodesic metres are added per page.
    """
    stmt = visible_sites(user)
    if q:
        # autoescape: a "%" or "_" typed by the user is a literal character, not a wildcard.
        text = q.strip()
        stmt = stmt.where(or_(*(column.icontains(text, autoescape=True) for column in
                                (Site.name, Site.contractor, Site.address, Site.permit_number))))
    if unit:
        stmt = stmt.join(Unit, Site.unit_id == Unit.id).where(or_(Unit.code == unit, Unit.name_zh == unit))
    if phase:
        stmt = stmt.where(Site.phase == phase)
    if status == "open":
        stmt = stmt.where(Site.status.in_(OPEN_SITE_STATUSES))
    elif status and status != "all":
        stmt = stmt.where(Site.status == status)
    if near:
        lat, lon = near
        k = planar_sort_key_factor(lat)
        d_lat = Site.lat - lat
        d_lon = (Site.lon - lon) * k
        return stmt.order_by(d_lat * d_lat + d_lon * d_lon, Site.id)
    return stmt.order_by(Site.name, Site.id)


def with_distances(sites: list[Site], near: tuple[float, float]) -> list[dict]:
    """Attach geodesic distance in metres to each site of a page."""
    return [_site_with_distance(site, distance_m(near, (site.lat, site.lon))) for site in sites]


def _site_with_distance(site: Site, metres: float):
    site.distance_m = round(metres, 1)
    return site


def get_visible_site(user: User, site_id: int) -> Site | None:
    """One site if the user may see it, else None (callers answer 404, not 403)."""
    return db.session.scalar(visible_sites(user).where(Site.id == site_id))


def phase_history(site: Site) -> list[SitePhaseChange]:
    """The site's phase changes, oldest first."""
    return list(db.session.scalars(select(SitePhaseChange).where(SitePhaseChange.site_id == site.id)
                                   .order_by(SitePhaseChange.changed_at, SitePhaseChange.id)))


def phase_at(site: Site, when: datetime) -> str | None:
    """The phase the site was in at ``when`` (None before its history starts)."""
    return db.session.scalar(select(SitePhaseChange.phase)
                             .where(SitePhaseChange.site_id == site.id, SitePhaseChange.changed_at <= when)
                             .order_by(SitePhaseChange.changed_at.desc(), SitePhaseChange.id.desc()).limit(1))

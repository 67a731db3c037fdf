"""Reads of night-work permits, scoped to the sites the caller may see."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Select, select

from inspect_app.auth.models import User
from inspect_app.core.spreadsheet import cell_text
from inspect_app.extensions import db
from inspect_app.nightwork.models import NightPermit
from inspect_app.sites.models import OPEN_SITE_STATUSES, Site
from inspect_app.sites.queries import visible_sites


def site_permits(site: Site) -> list[NightPermit]:
    """Every permit of one site, the latest nights first."""
    return list(db.session.scalars(select(NightPermit).where(NightPermit.site_id == site.id)
                                   .order_by(NightPermit.valid_to.desc(), NightPermit.id.desc())))


def current_permits(user: User, today: date) -> Select:
    """Permits not revoked and not over before ``today`` (local) of the open sites the user sees —
    what a phone keeps offline to answer the night item at the gate (a night past midnight included:
    a permit that ended yesterday still covers this morning until its end time)."""
    sites = visible_sites(user).where(Site.status.in_(OPEN_SITE_STATUSES)).with_only_columns(Site.id)
    return (select(NightPermit).where(NightPermit.site_id.in_(sites.scalar_subquery()),
                                      NightPermit.revoked_at.is_(None),
                                      NightPermit.valid_to >= today - timedelta(days=1))
            .order_by(NightPermit.site_id, NightPermit.valid_from, NightPermit.id))


def get_visible_permit(user: User, permit_id: int) -> NightPermit | None:
    """One permit, if its site is one the user may see (else None: 404, not 403)."""
    sites = visible_sites(user).with_only_columns(Site.id)
    return db.session.scalar(select(NightPermit).where(NightPermit.id == permit_id,
                                                       NightPermit.site_id.in_(sites.scalar_subquery())))


def permits_by_site_and_number(pairs: list[tuple[int, str]]) -> dict[tuple[int, str], NightPermit]:
    """Existing permits for (site id, number) pairs, in one query."""
    if not pairs:
        return {}
    site_ids = sorted({site_id for site_id, _ in pairs})
    numbers = sorted({number for _, number in pairs})
    rows = db.session.scalars(select(NightPermit).where(NightPermit.site_id.in_(site_ids),
                                                        NightPermit.number.in_(numbers)))
    return {(p.site_id, p.number): p for p in rows}


def sites_for_import(user: User) -> tuple[dict[str, list[Site]], dict[str, Site]]:
    """Every site by name (several may share one) and by 施工许可证号/id text — for matching 工地 cells.

    Not scoped: a site outside the caller's units is reported as such, not as unknown.
    """
    by_name: dict[str, list[Site]] = {}
    by_code: dict[str, Site] = {}
    for site in db.session.scalars(select(Site).where(Site.status != "closed").order_by(Site.id)):
        by_name.setdefault(cell_text(site.name), []).append(site)
        by_code[str(site.id)] = site
        if site.permit_number:
            by_code.setdefault(cell_text(site.permit_number), site)
    return by_name, by_code

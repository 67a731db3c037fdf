"""The site registry as a table (CSV or XLSX) with the importer's columns, so an export edited in
Excel can be imported again. Parties are written by credit code when their record has one (which
the importer resolves exactly), else by name."""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from inspect_app.auth.models import User
from inspect_app.core.i18n import translate
from inspect_app.core.spreadsheet import write_table
from inspect_app.extensions import db
from inspect_app.sites.importer import COLUMNS, PHASE_WORDS, PROJECT_TYPE_WORDS
from inspect_app.sites.models import Site
from inspect_app.sites.queries import visible_sites

_PHASE_WORD = {code: word for word, code in PHASE_WORDS.items() if word != "装修"}
_TYPE_WORD = {code: word for word, code in PROJECT_TYPE_WORDS.items() if word not in ("房屋建筑", "其它")}


def _party(organisation, typed: str | None) -> str | None:
    if organisation is None:
        return typed
    return organisation.credit_code or organisation.name


def site_row(site: Site) -> list:
    """One site in the importer's column order."""
    values = {
        "name": site.name, "unit": site.unit.name_zh, "address": site.address, "lat": round(site.lat, 7),
        "lon": round(site.lon, 7), "datum": "WGS84", "geofence_radius_m": site.geofence_radius_m,
        "phase": _PHASE_WORD.get(site.phase, site.phase), "permit_number": site.permit_number,
        "project_type": _TYPE_WORD.get(site.project_type) if site.project_type else None,
        "planned_start": site.planned_start, "planned_finish": site.planned_finish,
        "floor_area_m2": site.floor_area_m2,
        "builder": _party(site.builder_org, site.builder), "contractor": _party(site.contractor_org, site.contractor),
        "supervisor": _party(site.supervisor_org, None),
        "project_manager_name": site.project_manager_name, "project_manager_phone": site.project_manager_phone,
        "dust_officer_name": site.dust_officer_name, "dust_officer_phone": site.dust_officer_phone,
        "dust_plan_filed": "是" if site.dust_plan_filed else "否", "dust_plan_filed_on": site.dust_plan_filed_on,
    }
    return [values[name] for name in COLUMNS]


def export_sites(user: User, fmt: str) -> bytes:
    """Every site the user may see (closed ones too), by unit and name."""
    stmt = (visible_sites(user).options(selectinload(Site.builder_org), selectinload(Site.contractor_org),
                                        selectinload(Site.supervisor_org))
            .order_by(Site.unit_id, Site.name, Site.id))
    rows = [site_row(site) for site in db.session.scalars(stmt)]
    return write_table(translate("site_export_sheet", "zh-CN"), [aliases[0] for aliases in COLUMNS.values()],
                       rows, fmt)

"""State changes of sites: create, update, close. Coordinates are converted to WGS-84 here."""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.auth.queries import units_by_code_or_name
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, ValidationFailed
from inspect_app.core.geo import to_wgs84
from inspect_app.core.signals import organisation_merged
from inspect_app.extensions import db
from inspect_app.organisations.queries import get_organisation
from inspect_app.sites import messages  # noqa: F401  (registers strings)
from inspect_app.sites.models import PARTY_COLUMNS, Site, SitePhaseChange

# DOMAIN.md: the district spans about 111.436–111.669 E, 40.788–40.948 N. The figures are
# approximate, so a margin of about 5 km keeps border sites acceptable.
DISTRICT_BOUNDS = {"lat": (40.788 - 0.05, 40.948 + 0.05), "lon": (111.436 - 0.05, 111.669 + 0.05)}

_AUDITED = ("name", "permit_number", "contractor", "builder", "address", "unit_id", "lat", "lon",
            "geofence_radius_m", "phase", "status", "status_reason", "contact_name", "contact_phone",
            "builder_org_id", "contractor_org_id", "supervisor_org_id", "project_type", "planned_start",
            "planned_finish", "floor_area_m2", "project_manager_name", "project_manager_phone",
            "dust_officer_name", "dust_officer_phone", "dust_plan_filed", "dust_plan_filed_on",
            "entered_datum")
# A party's organisation name is copied to the site's name column (cases and notices read it).
_NAME_COLUMN = {"builder": "builder", "contractor": "contractor"}


def _summary(site: Site) -> dict:
    return {name: getattr(site, name) for name in _AUDITED}


def _resolve_unit(key: str):
    unit = units_by_code_or_name([key]).get(key)
    if unit is None:
        raise ValidationFailed("unknown_unit", unit=key)
    return unit


def district_point(lat: float, lon: float, datum: str) -> tuple[float, float]:
    """The WGS-84 point, refused (site_outside_district) unless it lies in the district."""
    return _wgs84_in_district(lat, lon, datum)


def _wgs84_in_district(lat: float, lon: float, datum: str) -> tuple[float, float]:
    lat, lon = to_wgs84(lat, lon, datum)
    (lat_min, lat_max), (lon_min, lon_max) = DISTRICT_BOUNDS["lat"], DISTRICT_BOUNDS["lon"]
    if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
        raise ValidationFailed("site_outside_district")
    return lat, lon


def _attach_parties(site: Site, fields: dict) -> None:
    """Point the site at the organisation records named by ``builder_id`` / ``contractor_id`` /
    ``supervisor_id`` (None detaches) and copy their names; an unknown or merged-away one is refused."""
    for party, column in PARTY_COLUMNS.items():
        if f"{party}_id" not in fields:
            continue
        organisation_id = fields.pop(f"{party}_id")
        organisation = get_organisation(organisation_id) if organisation_id is not None else None
        if organisation_id is not None and organisation is None:
            raise ValidationFailed("unknown_organisation", id=organisation_id)
        if organisation is not None and organisation.merged_into_id is not None:
            raise Conflict("organisation_merged_away", id=organisation.merged_into_id)
        setattr(site, column, organisation_id)
        setattr(site, f"{party}_org", organisation)
        if organisation is not None and party in _NAME_COLUMN:
            setattr(site, _NAME_COLUMN[party], organisation.name)


def _party_fields(fields: dict) -> dict:
    """Take ``builder_id`` / ``contractor_id`` / ``supervisor_id`` out of ``fields``."""
    return {f"{party}_id": fields.pop(f"{party}_id") for party in PARTY_COLUMNS if f"{party}_id" in fields}


def _check_dates_and_plan(site: Site) -> None:
    if site.planned_start and site.planned_finish and site.planned_finish < site.planned_start:
        raise ValidationFailed("site_finish_before_start")
    if site.dust_plan_filed_on and not site.dust_plan_filed:
        raise ValidationFailed("site_plan_date_without_filing")


def _record_phase(actor, site: Site, previous: str | None) -> None:
    db.session.add(SitePhaseChange(site_id=site.id, phase=site.phase, previous_phase=previous,
                                   changed_by_id=getattr(actor, "id", None)))


def create_site(actor, data: dict) -> Site:
    """Register a site; coordinates may arrive as GCJ-02 and are stored as WGS-84 (the datum they
    came in is kept); parties may be organisation records; the first phase opens its history."""
    fields = dict(data)
    unit = _resolve_unit(fields.pop("unit"))
    datum = fields.pop("datum", "WGS84")
    lat, lon = _wgs84_in_district(fields.pop("lat"), fields.pop("lon"), datum)
    if fields.get("dust_plan_filed_on") and "dust_plan_filed" not in fields:
        fields["dust_plan_filed"] = True
    site = Site(unit_id=unit.id, lat=lat, lon=lon, status="active", entered_datum=datum,
                dust_plan_filed=fields.pop("dust_plan_filed", False))
    parties = _party_fields(fields)
    for name, value in fields.items():
        setattr(site, name, value)
    _attach_parties(site, parties)  # after the names: a record's name wins over a typed one
    if not site.contractor:
        raise ValidationFailed("site_contractor_required")
    _check_dates_and_plan(site)
    db.session.add(site)
    db.session.flush()
    _record_phase(actor, site, None)
    audit.record(actor, "site.create", site, after=_summary(site))
    return site


def update_site(actor, site: Site, data: dict) -> Site:
    """Change a site's details, phase or status; the audit log keeps before and after."""
    before = _summary(site)
    fields = dict(data)
    if site.status == "suspended" and fields.get("status") == "active":
        # 复工 only through resumption (application, inspection, approval), never by an edit
        raise ValidationFailed("site_suspended_resume_through_resumption")
    if site.status != "suspended" and fields.get("status") == "suspended":
        raise ValidationFailed("site_suspended_only_by_decision")
    if "unit" in fields:
        site.unit_id = _resolve_unit(fields.pop("unit")).id
    if "lat" in fields:
        site.entered_datum = fields.pop("datum", "WGS84")
        site.lat, site.lon = _wgs84_in_district(fields.pop("lat"), fields.pop("lon"), site.entered_datum)
    fields.pop("datum", None)
    if "contractor" in fields and not fields["contractor"]:
        raise ValidationFailed("site_contractor_required")
    if fields.get("status") == "active":
        fields.setdefault("status_reason", None)  # a reopened site has no closing reason
    if fields.get("dust_plan_filed") is False:
        fields["dust_plan_filed_on"] = None
    elif fields.get("dust_plan_filed_on"):
        fields.setdefault("dust_plan_filed", True)
    parties = _party_fields(fields)
    for name, value in fields.items():
        setattr(site, name, value)
    _attach_parties(site, parties)
    _check_dates_and_plan(site)
    if site.phase != before["phase"]:
        _record_phase(actor, site, before["phase"])
    db.session.flush()
    audit.record(actor, "site.update", site, before=before, after=_summary(site))
    return site


def close_site(actor, site: Site, reason: str | None = None) -> Site:
    """Close a finished site: it leaves the inspectors' lists, its history stays."""
    return update_site(actor, site, {"status": "closed", "status_reason": reason})


@organisation_merged.connect
def _move_sites_to_survivor(survivor, *, duplicate, actor, **_):
    """Sites naming the merged-away record name the survivor (their cases follow their sites)."""
    moved = 0
    for party, column in PARTY_COLUMNS.items():
        sites = db.session.scalars(select(Site).where(getattr(Site, column) == duplicate.id)).all()
        for site in sites:
            before = _summary(site)
            _attach_parties(site, {f"{party}_id": survivor.id})
            db.session.flush()
            audit.record(actor, "site.update", site, before=before, after=_summary(site))
            moved += 1
    return {"site_parties": moved}

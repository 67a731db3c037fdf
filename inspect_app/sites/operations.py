"""State changes of sites: create, update, close. Coordinates are converted to WGS-84 here."""
from __future__ import annotations

from inspect_app.auth.queries import units_by_code_or_name
from inspect_app.core import audit
from inspect_app.core.errors import ValidationFailed
from inspect_app.core.geo import to_wgs84
from inspect_app.extensions import db
from inspect_app.sites import messages  # noqa: F401  (registers strings)
from inspect_app.sites.models import Site

# DOMAIN.md: the district spans about 111.436–111.669 E, 40.788–40.948 N. The figures are
# approximate, so a margin of about 5 km keeps border sites acceptable.
DISTRICT_BOUNDS = {"lat": (40.788 - 0.05, 40.948 + 0.05), "lon": (111.436 - 0.05, 111.669 + 0.05)}

_AUDITED = ("name", "permit_number", "contractor", "builder", "address", "unit_id", "lat", "lon",
            "geofence_radius_m", "phase", "status", "contact_name", "contact_phone")


def _summary(site: Site) -> dict:
    return {name: getattr(site, name) for name in _AUDITED}


def _resolve_unit(key: str):
    unit = units_by_code_or_name([key]).get(key)
    if unit is None:
        raise ValidationFailed("unknown_unit", unit=key)
    return unit


def _wgs84_in_district(lat: float, lon: float, datum: str) -> tuple[float, float]:
    lat, lon = to_wgs84(lat, lon, datum)
    (lat_min, lat_max), (lon_min, lon_max) = DISTRICT_BOUNDS["lat"], DISTRICT_BOUNDS["lon"]
    if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
        raise ValidationFailed("site_outside_district")
    return lat, lon


def create_site(actor, data: dict) -> Site:
    """Register a site; coordinates may arrive as GCJ-02 and are stored as WGS-84."""
    fields = dict(data)
    unit = _resolve_unit(fields.pop("unit"))
    lat, lon = _wgs84_in_district(fields.pop("lat"), fields.pop("lon"), fields.pop("datum", "WGS84"))
    site = Site(unit_id=unit.id, lat=lat, lon=lon, status="active", **fields)
    db.session.add(site)
    db.session.flush()
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
        site.lat, site.lon = _wgs84_in_district(fields.pop("lat"), fields.pop("lon"),
                                                fields.pop("datum", "WGS84"))
    fields.pop("datum", None)
    for name, value in fields.items():
        setattr(site, name, value)
    db.session.flush()
    audit.record(actor, "site.update", site, before=before, after=_summary(site))
    return site


def close_site(actor, site: Site) -> Site:
    """Close a finished site: it leaves the inspectors' lists, its history stays."""
    return update_site(actor, site, {"status": "closed"})

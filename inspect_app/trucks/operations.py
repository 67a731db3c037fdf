"""State changes of the truck registry. Operations flush and audit; the caller commits."""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.core import audit
from inspect_app.core.errors import Conflict, ValidationFailed
from inspect_app.extensions import db
from inspect_app.sites.models import Site
from inspect_app.trucks import messages  # noqa: F401  (registers strings)
from inspect_app.trucks.models import HaulageCompany, Vehicle
from inspect_app.trucks.plates import check_plate_colour, validate_plate
from inspect_app.trucks.queries import get_company, get_company_by_name, get_vehicle_by_plate

# 核定载质量 above this is almost surely kilograms typed as tonnes (heavy trucks carry < 50 t).
MAX_RATED_LOAD_T = 100.0

_COMPANY_FIELDS = ("name", "licence_number", "contact_name", "contact_phone")
_VEHICLE_FIELDS = ("plate", "plate_colour", "company_id", "approval_number", "rated_load_t",
                   "filing_status", "filing_expires_on", "active")


def company_summary(company: HaulageCompany) -> dict:
    """The audited fields of a company."""
    return {name: getattr(company, name) for name in _COMPANY_FIELDS}


def vehicle_summary(vehicle: Vehicle) -> dict:
    """The audited fields of a vehicle, with the ids of the sites it serves."""
    summary = {name: getattr(vehicle, name) for name in _VEHICLE_FIELDS}
    summary["site_ids"] = sorted(site.id for site in vehicle.sites)
    return summary


# --- companies -----------------------------------------------------------------------------

def create_company(actor, data: dict) -> HaulageCompany:
    """Register a haulage company; names are unique so imports can refer to them by name."""
    name = data["name"].strip()
    if get_company_by_name(name):
        raise Conflict("company_name_taken", name=name)
    company = HaulageCompany(**{**data, "name": name})
    db.session.add(company)
    db.session.flush()
    audit.record(actor, "company.create", company, after=company_summary(company))
    return company


def update_company(actor, company: HaulageCompany, data: dict) -> HaulageCompany:
    """Change a company's name, licence or contact; a rename may not take another's name."""
    before = company_summary(company)
    fields = dict(data)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
        other = get_company_by_name(fields["name"])
        if other is not None and other.id != company.id:
            raise Conflict("company_name_taken", name=fields["name"])
    for name, value in fields.items():
        setattr(company, name, value)
    db.session.flush()
    audit.record(actor, "company.update", company, before=before, after=company_summary(company))
    return company


# --- vehicles ------------------------------------------------------------------------------

def _check_rated_load(value: float) -> float:
    if not (0 < value <= MAX_RATED_LOAD_T):
        raise ValidationFailed("rated_load_out_of_range", value=value, max=MAX_RATED_LOAD_T)
    return value


def _resolve_company_id(company_id: int | None) -> int | None:
    if company_id is not None and get_company(company_id) is None:
        raise ValidationFailed("unknown_company", company=company_id)
    return company_id


def _resolve_sites(site_ids: list[int]) -> list[Site]:
    wanted = sorted(set(site_ids))
    sites = db.session.scalars(select(Site).where(Site.id.in_(wanted))).all() if wanted else []
    missing = sorted(set(wanted) - {site.id for site in sites})
    if missing:
        raise ValidationFailed("unknown_site", site=", ".join(map(str, missing)))
    return list(sites)


def create_vehicle(actor, data: dict) -> Vehicle:
    """Register a muck truck under its normalised plate.

    The plate must be of a valid form and not registered yet; the plate colour defaults from
    the form (yellow, or green/yellow-green for new energy) and must not contradict it.
    """
    fields = dict(data)
    info = validate_plate(fields.pop("plate"))
    if get_vehicle_by_plate(info.plate) is not None:
        raise Conflict("vehicle_plate_taken", plate=info.plate)
    colour = fields.pop("plate_colour", None) or info.default_colour
    check_plate_colour(info, colour)
    vehicle = Vehicle(
        plate=info.plate,
        plate_colour=colour,
        company_id=_resolve_company_id(fields.pop("company_id", None)),
        rated_load_t=_check_rated_load(fields.pop("rated_load_t")),
        sites=_resolve_sites(fields.pop("site_ids", None) or []),
        active=True,
        **fields,
    )
    db.session.add(vehicle)
    db.session.flush()
    audit.record(actor, "vehicle.create", vehicle, after=vehicle_summary(vehicle))
    return vehicle


def update_vehicle(actor, vehicle: Vehicle, data: dict, *, action: str = "vehicle.update") -> Vehicle:
    """Change a vehicle's plate, company, filing or served sites; before and after are audited."""
    before = vehicle_summary(vehicle)
    fields = dict(data)
    if "plate" in fields:
        info = validate_plate(fields.pop("plate"))
        other = get_vehicle_by_plate(info.plate)
        if other is not None and other.id != vehicle.id:
            raise Conflict("vehicle_plate_taken", plate=info.plate)
        vehicle.plate = info.plate
    info = validate_plate(vehicle.plate)
    if fields.get("plate_colour") is None:
        fields.pop("plate_colour", None)
    check_plate_colour(info, fields.get("plate_colour", vehicle.plate_colour))
    if "company_id" in fields:
        fields["company_id"] = _resolve_company_id(fields["company_id"])
    if "rated_load_t" in fields:
        _check_rated_load(fields["rated_load_t"])
    if "site_ids" in fields:
        vehicle.sites = _resolve_sites(fields.pop("site_ids") or [])
    for name, value in fields.items():
        setattr(vehicle, name, value)
    db.session.flush()
    audit.record(actor, action, vehicle, before=before, after=vehicle_summary(vehicle))
    return vehicle


def deactivate_vehicle(actor, vehicle: Vehicle) -> Vehicle:
    """Take a truck out of service (scrapped, sold, left the district); its history stays.

    A deactivated truck still answers a plate lookup, with ``filing_valid`` false, so an
    inspector who stops it sees that it is no longer registered.
    """
    return update_vehicle(actor, vehicle, {"active": False}, action="vehicle.deactivate")


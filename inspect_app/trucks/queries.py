"""Reads of the truck registry. Vehicles are district-wide, so nothing here scopes by unit."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, select

from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.extensions import db
from inspect_app.sites.models import Site
from inspect_app.trucks.models import HaulageCompany, Vehicle, vehicle_sites
from inspect_app.trucks.plates import normalize_plate


def local_today() -> date:
    """Today's date in Asia/Shanghai: filings expire at local midnight, not UTC midnight."""
    return to_local(utcnow()).date()


def search_vehicles(*, plate=None, company_id=None, company=None, filing_status=None,
                    site_id=None, active="true") -> Select:
    """Vehicles filtered by plate prefix (normalised), company, filing status, served site."""
    stmt = select(Vehicle)
    if plate:
        stmt = stmt.where(Vehicle.plate.startswith(normalize_plate(plate), autoescape=True))
    if company_id is not None:
        stmt = stmt.where(Vehicle.company_id == company_id)
    if company:
        stmt = stmt.join(HaulageCompany, Vehicle.company_id == HaulageCompany.id).where(
            HaulageCompany.name.contains(company.strip(), autoescape=True))
    if filing_status:
        stmt = stmt.where(Vehicle.filing_status == filing_status)
    if site_id is not None:
        stmt = stmt.where(Vehicle.id.in_(
            select(vehicle_sites.c.vehicle_id).where(vehicle_sites.c.site_id == site_id)))
    if active != "all":
        stmt = stmt.where(Vehicle.active.is_(active == "true"))
    return stmt.order_by(Vehicle.plate, Vehicle.id)


def get_vehicle(vehicle_id: int) -> Vehicle | None:
    return db.session.get(Vehicle, vehicle_id)


def get_vehicle_by_plate(plate: str) -> Vehicle | None:
    """The vehicle with this plate; ``plate`` is normalised first, so any spelling matches."""
    return db.session.scalar(select(Vehicle).where(Vehicle.plate == normalize_plate(plate)))


def vehicles_by_plate(plates: list[str]) -> dict[str, Vehicle]:
    """Existing vehicles for already-normalised plates, in chunks to stay under bind limits."""
    found: dict[str, Vehicle] = {}
    for start in range(0, len(plates), 500):
        chunk = plates[start:start + 500]
        for vehicle in db.session.scalars(select(Vehicle).where(Vehicle.plate.in_(chunk))):
            found[vehicle.plate] = vehicle
    return found


def search_companies(*, q=None) -> Select:
    """Companies whose name or licence number contains ``q``."""
    stmt = select(HaulageCompany)
    if q:
        text = q.strip()
        stmt = stmt.where(HaulageCompany.name.contains(text, autoescape=True)
                          | HaulageCompany.licence_number.contains(text, autoescape=True))
    return stmt.order_by(HaulageCompany.name, HaulageCompany.id)


def get_company(company_id: int) -> HaulageCompany | None:
    return db.session.get(HaulageCompany, company_id)


def get_company_by_name(name: str) -> HaulageCompany | None:
    return db.session.scalar(select(HaulageCompany).where(HaulageCompany.name == name.strip()))


def companies_by_name() -> dict[str, HaulageCompany]:
    """Every company keyed by name (the registry holds tens to hundreds)."""
    return {c.name: c for c in db.session.scalars(select(HaulageCompany))}


def site_ids_by_name() -> dict[str, list[int]]:
    """Every site name with the ids carrying it; more than one id means the name is ambiguous."""
    index: dict[str, list[int]] = {}
    for site_id, name in db.session.execute(select(Site.id, Site.name).order_by(Site.id)):
        index.setdefault(name.strip(), []).append(site_id)
    return index


def count_vehicles() -> int:
    return db.session.scalar(select(func.count()).select_from(Vehicle))

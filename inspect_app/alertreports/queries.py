"""The alert dashboard's figures per unit: four grouped queries, however many units the alert binds."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from inspect_app.alerts.models import Alert
from inspect_app.auth.models import User
from inspect_app.checklists.models import ChecklistItem
from inspect_app.core.models import Unit
from inspect_app.core.timeutil import as_utc, utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.penalties.models import OPEN_STATUSES, Violation
from inspect_app.sites.models import Site

FIGURES = ("active_sites", "inspected_sites", "working_sites", "open_violations")


@dataclass(frozen=True)
class UnitFigures:
    unit_id: int
    name_zh: str
    name_en: str
    active_sites: int
    inspected_sites: int  # sites inspected since the alert began
    working_sites: int  # sites found working against the alert (an alert item failed while it bound)
    open_violations: int  # violations of alert items found during the alert and still open


def alert_item_keys() -> set[str]:
    """The requirements asked only under an alert (any stored checklist version)."""
    # no DISTINCT: PostgreSQL has no equality for json; the table holds a few hundred rows
    rows = db.session.execute(select(ChecklistItem.requirement, ChecklistItem.alert)).all()
    return {requirement for requirement, alert in rows if alert}


def period(alert: Alert, now: datetime | None = None) -> tuple[datetime, datetime]:
    """From the alert's start to its end (or when it was lifted), or to now while it is in force."""
    return as_utc(alert.starts_at), min(alert.effective_end, as_utc(now or utcnow()))


def report_units(user: User, alert: Alert) -> list[Unit]:
    """The units the alert binds that the caller answers for (district-wide roles: all of them)."""
    units = list(db.session.scalars(select(Unit).order_by(Unit.id))) if alert.district_wide else list(alert.units)
    return units if user.sees_all_units else [u for u in units if u.id in set(user.unit_ids)]


def _grouped(stmt) -> dict[int, int]:
    return {unit_id: count for unit_id, count in db.session.execute(stmt).all()}


def unit_figures(user: User, alert: Alert, now: datetime | None = None) -> list[UnitFigures]:
    """One row per unit of the alert the caller may see, in the district's unit order."""
    units = report_units(user, alert)
    ids = [u.id for u in units]
    start, end = period(alert, now)
    keys = sorted(alert_item_keys())
    active = _grouped(select(Site.unit_id, func.count(Site.id)).where(Site.unit_id.in_(ids), Site.status == "active")
                      .group_by(Site.unit_id))
    during = (Inspection.kind == "site", Inspection.unit_id.in_(ids), Inspection.started_at >= start,
              Inspection.started_at < end, Inspection.review_status != "superseded")
    inspected = _grouped(select(Inspection.unit_id, func.count(func.distinct(Inspection.site_id)))
                         .where(*during).group_by(Inspection.unit_id))
    working = _grouped(select(Inspection.unit_id, func.count(func.distinct(Inspection.site_id)))
                       .join(ItemResult, ItemResult.inspection_id == Inspection.id)
                       .where(*during, ItemResult.item_key.in_(keys), ItemResult.applicable.is_(True),
                              ItemResult.outcome == "fail").group_by(Inspection.unit_id))
    # opened by an inspection started while the alert bound (as the form was composed), still open
    open_violations = _grouped(select(Inspection.unit_id, func.count(Violation.id))
                               .join(Inspection, Violation.opened_by_inspection_id == Inspection.id)
                               .where(*during, Violation.item_key.in_(keys), Violation.status.in_(OPEN_STATUSES))
                               .group_by(Inspection.unit_id))
    return [UnitFigures(u.id, u.name_zh, u.name_en, active.get(u.id, 0), inspected.get(u.id, 0),
                        working.get(u.id, 0), open_violations.get(u.id, 0)) for u in units]

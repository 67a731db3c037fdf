"""Contractors (施工单位) and units (街道/镇) ranked by average score and repeat violations.

One statement per ranking. Definitions:

* Average score: mean of every counted, scored inspection in the window over the group's sites
  (weighted by inspection, not a mean of site means, so a site inspected often counts more).
* Repeat violation: a violation found in the window (not ``void``) that either failed again while
  open (``fail_count > 1``) or whose site and item already had an earlier violation, so a problem
  that was "fixed" and came back counts as a repeat.
* Contractor: the site's 施工单位 organisation record (two spellings of one record rank as one, and
  one name on two records as two); a site without a record ranks under its typed name.
* Order: higher average first (groups with no scored inspection last), then fewer repeat
  violations, then fewer violations, then name.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.core.models import Unit
from inspect_app.extensions import db
from inspect_app.inspections.models import COUNTED, Inspection
from inspect_app.organisations.models import Organisation
from inspect_app.penalties.models import Violation
from inspect_app.sites.models import Site

RANK_BY = ("contractor", "unit")


def _inspection_sums(since: datetime):
    """Per site: sum and count of scored inspections in the window (an index-only scan of it)."""
    return (
        select(Inspection.site_id, func.sum(Inspection.score).label("score_sum"),
               func.count(Inspection.score).label("inspections"))
        .where(COUNTED, Inspection.finished_at >= since)
        .group_by(Inspection.site_id)
        .subquery("insp")
    )


def _violation_repeats(since: datetime):
    """Per site: violations found in the window and how many of them repeat.

    Only the window's violations are read; "an earlier one of the same site and item" is a probe of
    the (site, item, found) index for each, not a numbering of the whole history.
    """
    earlier = aliased(Violation, name="earlier")
    had_earlier = (
        select(1).where(earlier.site_id == Violation.site_id, earlier.item_key == Violation.item_key,
                        earlier.status != "void",
                        or_(earlier.found_at < Violation.found_at,
                            and_(earlier.found_at == Violation.found_at, earlier.id < Violation.id)))
        .exists()
    )
    repeat = or_(Violation.fail_count > 1, had_earlier)
    return (
        select(Violation.site_id, func.count().label("violations"),
               func.count(case((repeat, 1))).label("repeats"))
        .where(Violation.status != "void", Violation.site_id.is_not(None), Violation.found_at >= since)
        .group_by(Violation.site_id)
        .subquery("viol")
    )


def rankings(user: User, by: str, now: datetime, days: int = 30) -> list[dict]:
    """The ranking of the caller's contractors or units over the last ``days`` days."""
    since = now - timedelta(days=days)
    insp, viol = _inspection_sums(since), _violation_repeats(since)
    if by == "contractor":
        keys = (func.coalesce(Organisation.name, Site.contractor).label("contractor"),
                Organisation.id.label("organisation_id"))
    else:
        keys = (Unit.id, Unit.code, Unit.name_zh, Unit.name_en)
    score_sum, count = func.sum(insp.c.score_sum), func.sum(insp.c.inspections)
    average = case((count > 0, score_sum / count))
    repeats = func.coalesce(func.sum(viol.c.repeats), 0)
    violations = func.coalesce(func.sum(viol.c.violations), 0)
    name = keys[0] if by == "contractor" else Unit.id
    stmt = (
        select(*keys, func.count(Site.id).label("sites"), average.label("avg_score"),
               func.coalesce(count, 0).label("inspections"), violations.label("violations"),
               repeats.label("repeat_violations"))
        .select_from(Site)
        .join(Unit, Site.unit_id == Unit.id)
        .outerjoin(Organisation, Organisation.id == Site.contractor_org_id)
        .outerjoin(insp, insp.c.site_id == Site.id)
        .outerjoin(viol, viol.c.site_id == Site.id)
        .group_by(*keys)
        .order_by(case((average.is_(None), 1), else_=0), average.desc(), repeats, violations, name)
    )
    stmt = scope_to_units(stmt, user, Site.unit_id)
    return [_ranked(position, row, by) for position, row in enumerate(db.session.execute(stmt), start=1)]


def _ranked(position: int, row, by: str) -> dict:
    data = dict(row._mapping)
    data["rank"] = position
    for key in ("sites", "inspections", "violations", "repeat_violations"):
        data[key] = int(data[key])  # PostgreSQL sums come back as Decimal
    if data["avg_score"] is not None:
        data["avg_score"] = round(float(data["avg_score"]), 1)
    if by == "unit":
        data["unit"] = {"id": data.pop("id"), "code": data.pop("code"), "name_zh": data.pop("name_zh"),
                        "name_en": data.pop("name_en")}
    return data

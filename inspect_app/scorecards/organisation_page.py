"""One organisation's page (一企一档): the sites that name it as 建设/施工/监理单位 with their last score,
its violations by status and its penalty cases — limited to the caller's units."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.extensions import db
from inspect_app.organisations.models import Organisation
from inspect_app.penalties.models import PenaltyCase, Violation
from inspect_app.scorecards.queries import site_summaries
from inspect_app.sites.models import PARTY_COLUMNS, Site

MAX_CASES = 200


def organisation_page(user: User, organisation: Organisation, now: datetime) -> dict:
    """The organisation, its visible sites (each with the roles it plays there), violations and cases."""
    columns = [getattr(Site, column) for column in PARTY_COLUMNS.values()]
    stmt = scope_to_units(select(Site).where(or_(*(c == organisation.id for c in columns))), user, Site.unit_id)
    sites = list(db.session.scalars(stmt.order_by(Site.name, Site.id)))
    ids = [site.id for site in sites]
    summaries = {s["site_id"]: s for s in site_summaries(user, now, ids)} if ids else {}
    site_rows = [{"id": site.id, "name": site.name, "unit": site.unit, "phase": site.phase,
                  "status": site.status,
                  "roles": [party for party, column in PARTY_COLUMNS.items()
                            if getattr(site, column) == organisation.id],
                  **{k: v for k, v in summaries.get(site.id, {}).items() if k != "site_id"}}
                 for site in sites]
    violations = dict(db.session.execute(
        select(Violation.status, func.count()).where(Violation.site_id.in_(ids)).group_by(Violation.status)
    ).all()) if ids else {}
    cases = list(db.session.scalars(
        select(PenaltyCase).where(PenaltyCase.site_id.in_(ids))
        .order_by(PenaltyCase.created_at.desc(), PenaltyCase.id.desc()).limit(MAX_CASES))) if ids else []
    names = {site.id: site.name for site in sites}
    return {
        "organisation": organisation,
        "sites": site_rows,
        "violations": {status: int(count) for status, count in violations.items()},
        "cases": [{"id": case.id, "case_number": case.case_number, "status": case.status,
                   "authority": case.authority, "party": case.party, "party_name": case.party_name,
                   "site_id": case.site_id, "site_name": names.get(case.site_id),
                   "created_at": case.created_at} for case in cases],
    }

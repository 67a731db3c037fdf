"""Reads for review: an inspection's review history across its corrections, and waiting-work counts."""
from __future__ import annotations

from sqlalchemy import and_, func, select

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import PenaltyCase
from inspect_app.penalties.queries import scope_to_authority
from inspect_app.review.models import ReviewEvent


def versions(inspection: Inspection) -> list[Inspection]:
    """The original and every correction of it, oldest first (a chain is a handful long)."""
    first = inspection
    while first.supersedes_id is not None:
        first = first.supersedes
    chain = [first]
    while chain[-1].review_status == "superseded" and chain[-1].corrections:
        chain.append(chain[-1].corrections[0])
    return chain


def review_history(inspection: Inspection) -> dict:
    """Every review of the inspection and of its originals and corrections, in order."""
    chain = versions(inspection)
    events = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.inspection_id.in_([i.id for i in chain]))
        .order_by(ReviewEvent.at, ReviewEvent.id)).all()
    superseded_by = inspection.corrections[0].uuid if (
        inspection.review_status == "superseded" and inspection.corrections) else None
    return {"inspection": inspection.uuid, "review_status": inspection.review_status,
            "superseded_by": superseded_by, "versions": chain, "events": events}


# Which counts each role sees; admins see all of them, district-wide.
ROLE_COUNTS = {
    "inspector": ("sent_back", "incomplete"),
    "supervisor": ("inspections_to_review", "cases_to_review", "cases_referred_out", "complaints_overdue"),
    "enforcement": ("cases_to_accept", "cases_to_decide", "cases_to_confirm"),
}
# cases_to_confirm: a reduced fine (减轻处罚) waiting for a second bureau user (decision_pending)
CASE_COUNT_STATUS = {"cases_to_review": "pending_review", "cases_to_accept": "approved",
                     "cases_to_decide": "accepted", "cases_to_confirm": "decision_pending",
                     "cases_referred_out": "referred_out"}


def notification_counts(user: User) -> dict[str, int]:
    """The caller's waiting work, in a fixed number of queries whatever the amount of data.

    Inspectors: their inspections sent back for correction, and those still missing photos.
    Supervisors: inspections awaiting review and cases awaiting their decision in their units, and
    overload cases handed to 交管 awaiting closure, and complaint tasks past their due time.
    Enforcement: approved cases to accept, accepted ones to decide, and reduced fines awaiting a
    second approver. Admins: everything, district-wide.
    """
    keys = ROLE_COUNTS.get(user.role) or tuple(k for ks in ROLE_COUNTS.values() for k in ks)
    counts: dict[str, int] = {}
    counts.update(_inspection_counts(user, [k for k in keys if k not in CASE_COUNT_STATUS
                                            and k != "complaints_overdue"]))
    counts.update(_case_counts(user, [k for k in keys if k in CASE_COUNT_STATUS]))
    if "complaints_overdue" in keys:
        # complaints comes after review in features.py: imported here, when counting, not at import time
        from inspect_app.complaints.queries import overdue_count
        counts["complaints_overdue"] = overdue_count(user)
    return {key: counts.get(key, 0) for key in keys}


def _inspection_counts(user: User, keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    conditions = {
        "inspections_to_review": Inspection.review_status == "submitted",
        "sent_back": and_(Inspection.review_status == "rejected", Inspection.final_rejection.is_(False)),
        "incomplete": and_(Inspection.completeness == "incomplete",
                           Inspection.review_status != "superseded", Inspection.final_rejection.is_(False)),
    }
    # One statement of one count per key, each with its own WHERE: a count reads the few rows
    # waiting (partial indexes), where count(*) FILTER over the scope read the whole history.
    counts = [_scoped_inspections(select(func.count()).select_from(Inspection).where(conditions[key]), user)
              .scalar_subquery().label(key) for key in keys]
    row = db.session.execute(select(*counts)).one()
    return {key: row._mapping[key] or 0 for key in keys}


def _scoped_inspections(stmt, user: User):
    if user.role == "inspector":
        return stmt.where(Inspection.inspector_id == user.id)
    return scope_to_units(stmt, user, Inspection.unit_id)


def _case_counts(user: User, keys: list[str]) -> dict[str, int]:
    if not keys:
        return {}
    statuses = [CASE_COUNT_STATUS[key] for key in keys]
    stmt = scope_to_authority(scope_to_units(
        select(PenaltyCase.status, func.count()).where(PenaltyCase.status.in_(statuses)),
        user, PenaltyCase.unit_id), user).group_by(PenaltyCase.status)  # enforcement: its authority's queue
    by_status = dict(db.session.execute(stmt).all())
    return {key: by_status.get(CASE_COUNT_STATUS[key], 0) for key in keys}

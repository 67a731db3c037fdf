"""Reads of violations and penalty cases, scoped to the caller's units."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, lazyload, load_only

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties import workflow
from inspect_app.penalties.models import CaseEvent, PenaltyCase, Violation


def list_violations(user: User, *, site_id=None, status=None) -> Select:
    """Violations in the user's units, most urgent deadline first."""
    stmt = scope_to_units(select(Violation), user, Violation.unit_id)
    if site_id:
        stmt = stmt.where(Violation.site_id == site_id)
    if status:
        stmt = stmt.where(Violation.status == status)
    # Each row names the inspection that opened it (uuid): join just that column, not the full
    # inspection with its eager collections (results, photos, cases …), which cost five statements a row.
    return stmt.options(_inspection_uuid_only(Violation.opened_by)).order_by(Violation.deadline, Violation.id)


def _inspection_uuid_only(relationship):
    """Load option: the related inspection's id and uuid in the same statement, none of its relations."""
    return joinedload(relationship).options(load_only(Inspection.id, Inspection.uuid), lazyload("*"))


def scope_to_authority(stmt: Select, user: User) -> Select:
    """An enforcement user works one authority's queue (区城管执法局, 区交管队, …) and sees only it."""
    if user.role == "enforcement":
        return stmt.where(PenaltyCase.authority == (user.authority or "bureau"))
    return stmt


def list_cases(user: User, *, status=None) -> Select:
    """Penalty cases in the user's units (an enforcement user: its authority's), newest first."""
    stmt = scope_to_authority(scope_to_units(select(PenaltyCase), user, PenaltyCase.unit_id), user)
    if status:
        stmt = stmt.where(PenaltyCase.status == status)
    # Each row names its inspection (uuid): join that column in the page's statement, not one query
    # per case and not the inspection's eager collections.
    return (stmt.options(_inspection_uuid_only(PenaltyCase.inspection))
            .order_by(PenaltyCase.created_at.desc(), PenaltyCase.id.desc()))


def get_visible_case(user: User, case_id: int) -> PenaltyCase | None:
    """One case if the user may see it: supervisors their units, enforcement their authority, admins all.

    No row lock: moves are compare-and-set on the state (operations.transition_case).
    """
    if user.role == "inspector":
        return None
    stmt = scope_to_authority(scope_to_units(select(PenaltyCase), user, PenaltyCase.unit_id), user).where(
        PenaltyCase.id == case_id)
    return db.session.scalar(stmt)


@dataclass
class CaseView:
    """A case with what its page shows beside it: evidence photos, history, the moves open to the reader."""

    case: PenaltyCase
    photos: list[dict] = field(default_factory=list)
    history: list[CaseEvent] = field(default_factory=list)
    next_states: list[str] = field(default_factory=list)

    def __getattr__(self, name):
        return getattr(self.case, name)


def case_view(user: User, case: PenaltyCase) -> CaseView:
    """Everything the case page needs, in a fixed number of queries.

    Only photos stored for the case's own inspection count as its evidence: a photo id that another
    inspection's upload took shows as not arrived here, never as that other inspection's photo.
    """
    stored = {photo.uuid: photo for photo in db.session.scalars(
        select(Photo).where(Photo.uuid.in_(case.photo_ids or []), Photo.inspection_id == case.inspection_id))}
    item_of = {pid: result.item_key for result in case.inspection.results for pid in result.photo_ids or []}
    photos = [_photo_entry(pid, item_of.get(pid), stored.get(pid)) for pid in case.photo_ids or []]
    history = list(db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at, CaseEvent.id)))
    return CaseView(case, photos, history, workflow.next_states(case.status, user.role, case.authority))


def _photo_entry(photo_id: str, item_key: str | None, photo: Photo | None) -> dict:
    if photo is None:  # declared by the inspector, not uploaded yet
        return {"id": photo_id, "item_key": item_key, "arrived": False,
                "display_url": None, "thumb_url": None, "taken_at": None, "sha256": None}
    return {"id": photo_id, "item_key": item_key or photo.item_key, "arrived": True,
            "display_url": f"/api/photos/{photo_id}/display", "thumb_url": f"/api/photos/{photo_id}/thumb",
            "taken_at": photo.taken_at, "sha256": photo.sha256}

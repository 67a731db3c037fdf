"""Suspending a site on a stop-work decision, and resuming it (复工). Operations flush only.

* ``core.signals.case_decided`` with an outcome that contains ``stop_work`` suspends the case's site
  (receiver :func:`suspend_on_decision`; idempotent: one suspension per case).
* A supervisor records the site's application to resume (:func:`apply_for_resumption`).
* ``core.signals.inspection_recorded`` at a site that applied: the latest inspection decides whether
  the site is in order (:func:`note_resumption_inspection`) — complete, not vetoed, no failed item.
* A supervisor approves (:func:`approve_resumption`): the site is ``active`` again.

Moves are compare-and-set on the rows' status (``UPDATE … WHERE status = …``), so two supervisors
approving at once resume the site once and the other gets a 409, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

from sqlalchemy import select, update

from inspect_app.core import audit
from inspect_app.core.errors import Conflict, ValidationFailed
from inspect_app.core.signals import case_decided, inspection_recorded
from inspect_app.core.timeutil import as_utc, utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import PenaltyCase
from inspect_app.sites.models import Site
from inspect_app.suspensions import messages  # noqa: F401  (registers strings)
from inspect_app.suspensions.models import OPEN_SUSPENSION_STATUSES, SiteSuspension
from inspect_app.suspensions.rules import inspection_clears_site, is_stop_work

MAX_NOTE = 1000


def open_suspensions(site_id: int) -> list[SiteSuspension]:
    """The site's stop-work orders still in force, oldest first."""
    return list(db.session.scalars(
        select(SiteSuspension).where(SiteSuspension.site_id == site_id, SiteSuspension.ended_at.is_(None))
        .order_by(SiteSuspension.started_at, SiteSuspension.id)))


@case_decided.connect
def suspend_on_decision(case: PenaltyCase, actor=None, outcome: str | None = None, **extra) -> None:
    """A stop-work decision (责令停工整治, alone or with a fine) suspends the case's site."""
    if not is_stop_work(outcome) or case.site_id is None:
        return
    site = db.session.get(Site, case.site_id)
    if site is None or site.status == "closed":
        return
    if db.session.scalar(select(SiteSuspension.id).where(SiteSuspension.case_id == case.id)) is not None:
        return  # announced twice: suspended once
    now = utcnow()
    suspension = SiteSuspension(site_id=site.id, case_id=case.id, site=site,
                                decision_number=case.decision_number or case.case_number,
                                status="suspended", started_at=case.decided_at or now,
                                ordered_by_id=getattr(actor, "id", None))
    db.session.add(suspension)
    db.session.flush()
    before = _site_state(site)
    # A new order while the site had applied to resume starts resumption over: the new order stands.
    for other in open_suspensions(site.id):
        if other.id != suspension.id and other.status != "suspended":
            _reset(actor, other)
    site.status = "suspended"
    site.suspended_since = site.suspended_since or suspension.started_at
    site.suspension_order_number = _order_numbers(site.id)
    db.session.flush()
    audit.record(actor, "suspension.order", suspension,
                 after={"site_id": site.id, "case_id": case.id, "decision_number": suspension.decision_number,
                        "outcome": outcome})
    audit.record(actor, "site.suspend", site, before=before, after=_site_state(site))


def apply_for_resumption(actor, site: Site, note: str | None) -> list[SiteSuspension]:
    """Record the site's application to resume work (a supervisor records it for the site)."""
    note = _note(note)
    current = open_suspensions(site.id)
    if site.status != "suspended" or not current:
        raise Conflict("resumption_site_not_suspended")
    if any(s.status != "suspended" for s in current):
        raise Conflict("resumption_already_applied")
    now = utcnow()
    moved = _compare_and_set(site.id, ("suspended",), status="applied", applied_at=now,
                             applied_by_id=actor.id, application_note=note)
    if not moved:
        raise Conflict("resumption_already_applied")
    for suspension in _refreshed(current):
        audit.record(actor, "suspension.apply", suspension, before={"status": "suspended"},
                     after={"status": "applied", "note": note})
    return open_suspensions(site.id)


@inspection_recorded.connect
def note_resumption_inspection(inspection: Inspection, **extra) -> None:
    """An inspection at a site that applied to resume: the latest one says whether it is in order."""
    if inspection.site_id is None:
        return
    waiting = [s for s in open_suspensions(inspection.site_id) if s.status in ("applied", "inspected")]
    # phones send whole seconds: an inspection finished in the second of the application counts
    if not waiting or any(s.applied_at is None or as_utc(inspection.finished_at) < as_utc(s.applied_at).replace(
            microsecond=0) for s in waiting):
        return
    clears = inspection_clears_site(inspection.vetoed,
                                    [(r.outcome, r.applicable) for r in inspection.results])
    target = "inspected" if clears else "applied"
    for suspension in waiting:
        before = {"status": suspension.status, "inspection_id": suspension.resumption_inspection_id}
        suspension.status = target
        suspension.resumption_inspection_id = inspection.id if clears else None
        audit.record(inspection.inspector, "suspension.inspect", suspension, before=before,
                     after={"status": target, "inspection_id": inspection.id, "in_order": clears})
    db.session.flush()


def approve_resumption(actor, site: Site, note: str | None) -> list[SiteSuspension]:
    """Approve the resumption of a site whose inspection after the application found it in order."""
    note = _note(note)
    current = open_suspensions(site.id)
    if site.status != "suspended" or not current:
        raise Conflict("resumption_site_not_suspended")
    if any(s.status == "suspended" for s in current):
        raise Conflict("resumption_not_applied")
    if any(s.status != "inspected" or not _inspection_stands(s) for s in current):
        raise Conflict("resumption_inspection_required")
    now = utcnow()
    if not _compare_and_set(site.id, ("inspected",), status="resumed", ended_at=now, approved_at=now,
                            approved_by_id=actor.id, approval_note=note):
        raise Conflict("resumption_site_not_suspended")  # another supervisor approved it first
    before = _site_state(site)
    site.status = "active"
    site.suspended_since = None
    site.suspension_order_number = None
    db.session.flush()
    resumed = _refreshed(current)
    for suspension in resumed:
        audit.record(actor, "suspension.approve", suspension, before={"status": "inspected"},
                     after={"status": "resumed", "inspection_id": suspension.resumption_inspection_id,
                            "note": note})
    audit.record(actor, "site.resume", site, before=before, after=_site_state(site))
    return resumed


def _inspection_stands(suspension: SiteSuspension) -> bool:
    """The passing inspection was not sent back or replaced since."""
    inspection = suspension.resumption_inspection
    return (inspection is not None and inspection.review_status not in ("rejected", "superseded")
            and not inspection.final_rejection)


def _compare_and_set(site_id: int, expected: tuple[str, ...], **values) -> bool:
    """Move every open suspension of the site that is still in ``expected``; True if any moved."""
    result = db.session.execute(
        update(SiteSuspension)
        .where(SiteSuspension.site_id == site_id, SiteSuspension.ended_at.is_(None),
               SiteSuspension.status.in_(expected))
        .values(**values)
        .execution_options(synchronize_session=False))
    return result.rowcount > 0


def _refreshed(rows: list[SiteSuspension]) -> list[SiteSuspension]:
    for row in rows:
        db.session.refresh(row)
    return rows


def _reset(actor, suspension: SiteSuspension) -> None:
    before = {"status": suspension.status}
    suspension.status = "suspended"
    suspension.applied_at = suspension.applied_by_id = suspension.application_note = None
    suspension.resumption_inspection_id = None
    audit.record(actor, "suspension.reset", suspension, before=before, after={"status": "suspended"})


def _order_numbers(site_id: int) -> str:
    return "、".join(dict.fromkeys(s.decision_number for s in open_suspensions(site_id)))


def _note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise ValidationFailed("resumption_note_too_long")
    return note


def _site_state(site: Site) -> dict:
    return {"status": site.status, "suspension_order_number": site.suspension_order_number}

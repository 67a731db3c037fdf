"""Planning, recording and closing 复查 (follow-ups). Flush only; the caller commits.

* A notice issued (``core.signals.notice_issued``) gets one follow-up task for the inspector who
  found the failures, due on the earliest deadline of its items. A notice issued for a follow-up
  inspection itself (items still failing) gets none: the task that visit was made for covers them.
* A follow-up is recorded as a normal inspection (``record_follow_up``), with the same
  exactly-once protocol, answering only the notice's items; penalties reacts to it as to any
  inspection — a pass closes the violation, a failure after the deadline queues a case.
* After each visit, and after a supervisor closes a violation that can never be re-checked, the
  task is settled: closed as ``rectified`` when every item of its notice is closed (已整改), as
  ``escalated`` when the visit failed an item after its deadline, else still open and due on the
  earliest deadline of what is still open.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from inspect_app.alerts.queries import levels_in_force
from inspect_app.auth.models import User
from inspect_app.checklists.forms import is_applicable
from inspect_app.checklists.queries import form_for_versions
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, NotFound, ValidationFailed
from inspect_app.core.signals import inspection_recorded, inspection_rejected, notice_issued
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from inspect_app.followups import messages  # noqa: F401  (registers strings)
from inspect_app.followups.models import FollowUp, FollowUpVisit, ViolationClosure
from inspect_app.followups.progress import due_on, item_statuses, notice_item_keys
from inspect_app.inspections.models import Inspection
from inspect_app.inspections.operations import (
    as_asked,
    attach_results,
    content_hash,
    find_by_uuid,
    form_context,
    gps_columns,
    insert_once,
    replay_or_conflict,
    validate_annotations,
    validate_answers,
)
from inspect_app.notices.models import Notice
from inspect_app.penalties.models import OPEN_STATUSES, Violation
from inspect_app.sites.queries import get_visible_site


# ---- planning ----

@notice_issued.connect
def plan_follow_up(notice: Notice, **extra) -> FollowUp | None:
    """A new notice: its 复查 task, for the inspector who found the failures (none for a follow-up's own)."""
    if db.session.scalar(select(FollowUpVisit.id).where(FollowUpVisit.inspection_id == notice.inspection_id)):
        return None
    existing = db.session.scalar(select(FollowUp).where(FollowUp.notice_id == notice.id))
    if existing is not None:
        return existing
    task = FollowUp(notice_id=notice.id, notice=notice, kind=notice.kind, site_id=notice.site_id,
                    plate=notice.plate, unit_id=notice.unit_id, assignee_id=notice.inspector_id,
                    due_on=due_on(notice, {}), status="open", created_at=utcnow())
    db.session.add(task)
    db.session.flush()
    audit.record(notice.inspection.inspector, "follow_up.plan", task,
                 after={"notice": notice.number, "assignee_id": notice.inspector_id, "due_on": task.due_on})
    return task


@inspection_recorded.connect
def cancel_for_superseded(inspection: Inspection, **extra) -> None:
    """A correction replaces an inspection: the task of the replaced one's notice is cancelled
    (its notice is void; the correction's own notice, if any, gets a new task)."""
    if not inspection.supersedes_id:
        return
    _cancel_tasks_of(inspection.supersedes_id, inspection.inspector, {"superseded_by": inspection.uuid})


@inspection_rejected.connect
def cancel_for_rejected(inspection: Inspection, actor=None, **extra) -> None:
    """A supervisor rejected the inspection for good: its notice is void, so nobody goes back to check it."""
    _cancel_tasks_of(inspection.id, actor, {"rejected": inspection.uuid})


def _cancel_tasks_of(inspection_id: int, actor, why: dict) -> None:
    tasks = db.session.scalars(select(FollowUp).join(Notice, FollowUp.notice_id == Notice.id)
                               .where(Notice.inspection_id == inspection_id, FollowUp.status == "open"))
    for task in tasks:
        task.status, task.closed_at = "cancelled", utcnow()
        audit.record(actor, "follow_up.cancel", task, before={"status": "open"},
                     after={"status": "cancelled", **why})
    db.session.flush()


def reassign(actor: User, task: FollowUp, assignee: User | None) -> FollowUp:
    """Give the task to another inspector of its unit (a supervisor's decision; audited)."""
    if assignee is None or assignee.role != "inspector" or not assignee.active:
        raise ValidationFailed("follow_up_assignee_not_inspector")
    if task.unit_id not in assignee.unit_ids:
        raise ValidationFailed("follow_up_assignee_other_unit")
    if task.status != "open":
        raise Conflict("follow_up_not_open", details={"status": task.status})
    if assignee.id == task.assignee_id:
        return task
    before = {"assignee_id": task.assignee_id}
    task.assignee_id, task.assignee = assignee.id, assignee
    db.session.flush()
    audit.record(actor, "follow_up.reassign", task, before=before, after={"assignee_id": assignee.id})
    return task


# ---- recording a follow-up visit ----

def record_follow_up(actor: User, task: FollowUp, data: dict, *, device_time: datetime | None = None
                     ) -> tuple[Inspection, bool]:
    """Store the follow-up inspection once and settle the task; returns (inspection, created).

    The submission answers only the notice's items (pass or fail, photos on fail as the checklist
    asks); every item still open and re-checkable now must be answered. A replay with equal content
    returns the stored inspection; the same UUID with other content is ``inspection_conflict``.
    """
    notice = task.notice
    keyed = {**data, "follow_up_id": task.id}
    digest = content_hash(keyed)
    existing = find_by_uuid(data["uuid"])
    if existing is not None:
        return replay_or_conflict(actor, existing, digest), False
    if task.kind != "site":
        raise Conflict("follow_up_truck_by_roadside")
    site = get_visible_site(actor, task.site_id)
    if site is None:
        raise NotFound()
    if site.status == "closed":
        raise ValidationFailed("site_not_active")
    alert_levels = levels_in_force(site.unit_id, data["started_at"])  # binding at the 复查's start
    form = _short_form(notice, data, site.phase, alert_levels)
    annotations = validate_annotations(data["items"], data.get("photo_annotations") or [])
    answers = validate_answers(form, data["items"], site.phase, data["started_at"], copies=set(annotations),
                               alert_levels=alert_levels)
    form = as_asked(form, answers, site.phase, data["started_at"], alert_levels=alert_levels)
    inspection = _build(actor, data, digest, site, notice.inspection.checklist_version_ids)
    for column, value in form_context(data).items():
        setattr(inspection, column, value)
    attach_results(inspection, form, answers, site.phase, alert_levels=alert_levels)
    stored, created = insert_once(actor, inspection)
    if not created:
        return stored, False
    visit = FollowUpVisit(follow_up_id=task.id, inspection_id=inspection.id, visited_at=inspection.finished_at,
                          result=_visit_result(answers))
    db.session.add(visit)
    db.session.flush()  # before the signal: the notice a failed visit gets is covered by this task
    audit.record(actor, "inspection.submit", inspection,
                 after={"uuid": inspection.uuid, "site_id": site.id, "follow_up_of": notice.number,
                        "result": visit.result})
    inspection_recorded.send(inspection, device_time=device_time)
    db.session.flush()
    settle(actor, task, visit=visit, inspection=inspection)
    return inspection, True


def _short_form(notice: Notice, data: dict, phase: str | None, alert_levels: frozenset[str]) -> dict:
    """The form of the notice's inspection cut down to the notice's items: those answered, and
    those still open and re-checkable now (which must be answered)."""
    keys = notice_item_keys(notice)
    for answer in data["items"]:
        if answer["key"] not in keys:
            raise ValidationFailed("follow_up_item_not_in_notice", item=answer["key"])
    answered = {answer["key"] for answer in data["items"]}
    statuses = item_statuses(notice)
    local_start = to_local(data["started_at"])
    form = form_for_versions(notice.inspection.checklist_version_ids)
    items = [item for item in form["items"] if item["key"] in keys and (
        item["key"] in answered
        or (statuses.get(item["key"]) != "closed"
            and is_applicable(item, phase, local_start, alert_levels=alert_levels)[0]))]
    return {**form, "items": items}


def _build(actor: User, data: dict, digest: str, site, version_ids: list[int]) -> Inspection:
    # Not scored: a 复查 checks the notice's items only, so it must not move the site's score.
    return Inspection(
        uuid=str(data["uuid"]), kind="site", content_hash=digest, site_id=site.id, site=site,
        unit_id=site.unit_id, inspector_id=actor.id, inspector=actor, checklist_version_ids=list(version_ids),
        site_phase=site.phase, started_at=data["started_at"], finished_at=data["finished_at"],
        received_at=utcnow(), completeness="incomplete", review_status="submitted", flags=[],
        score=None, grade=None, vetoed=False, score_breakdown=None,
        **gps_columns("start", data.get("gps_start")), **gps_columns("finish", data.get("gps_finish")))


def _visit_result(answers: dict) -> str:
    outcomes = {answer["outcome"] for answer in answers.values()}
    if outcomes == {"pass"}:
        return "passed"
    return "failed" if "pass" not in outcomes else "partial"


# ---- settling a task ----

def settle(actor, task: FollowUp, *, visit: FollowUpVisit | None = None, inspection: Inspection | None = None
           ) -> FollowUp:
    """Close the task when its notice is rectified, or escalated by a late failed visit; else re-date it."""
    if task.status != "open":
        return task
    statuses = item_statuses(task.notice)
    before = {"status": task.status, "due_on": task.due_on}
    if statuses and all(status == "closed" for status in statuses.values()):
        _close(task, "rectified")
    elif inspection is not None and _failed_after_deadline(task.notice, inspection):
        _close(task, "escalated")
    else:
        task.due_on = due_on(task.notice, statuses)
    if task.status != before["status"] or task.due_on != before["due_on"]:
        audit.record(actor, f"follow_up.{task.outcome or 'redate'}", task, before=before,
                     after={"status": task.status, "outcome": task.outcome, "due_on": task.due_on,
                            "visit": inspection.uuid if inspection is not None else None})
    return task


def _close(task: FollowUp, outcome: str) -> None:
    task.status, task.outcome, task.closed_at = "closed", outcome, utcnow()


def _failed_after_deadline(notice: Notice, inspection: Inspection) -> bool:
    """Whether the visit failed an applicable item of the notice after that item's deadline."""
    deadlines = {item["item_key"]: datetime.fromisoformat(item["deadline"]) for item in notice.content["items"]}
    return any(r.applicable and r.outcome == "fail" and r.item_key in deadlines
               and inspection.finished_at > deadlines[r.item_key] for r in inspection.results)


def settle_open_tasks(actor, *, site_id: int | None, plate: str | None) -> None:
    """Settle every open task of a site (or a truck's plate)."""
    stmt = select(FollowUp).where(FollowUp.status == "open")
    stmt = stmt.where(FollowUp.site_id == site_id) if site_id is not None else stmt.where(
        FollowUp.site_id.is_(None), FollowUp.plate == plate)
    for task in db.session.scalars(stmt.order_by(FollowUp.id)).all():
        settle(actor, task)


# ---- closing what can never be re-checked ----

def close_violation(actor: User, violation: Violation, data: dict) -> ViolationClosure:
    """A supervisor closes an open violation that can never be re-checked, saying why, with evidence.

    Evidence is a note, or photos already stored for the same site (or plate), or both. The close is
    a compare-and-set on the status, so a follow-up pass arriving meanwhile wins cleanly (409 here).
    """
    reason, note = data["reason"], (data.get("note") or "").strip() or None
    photo_ids = sorted({str(pid) for pid in data.get("photo_ids") or []})
    if not note and not photo_ids:
        raise ValidationFailed("closure_evidence_required")
    if reason == "other" and not note:
        raise ValidationFailed("closure_note_required")
    _check_photos(violation, photo_ids)
    if violation.status not in OPEN_STATUSES:
        raise Conflict("violation_not_open", details={"status": violation.status})
    before = violation.status
    now = utcnow()
    result = db.session.execute(
        update(Violation).where(Violation.id == violation.id, Violation.status.in_(OPEN_STATUSES))
        .values(status="closed", closed_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise Conflict("violation_not_open")
    set_committed_value(violation, "status", "closed")
    set_committed_value(violation, "closed_at", now)
    closure = ViolationClosure(violation_id=violation.id, actor_id=actor.id, reason=reason, note=note,
                               photo_ids=photo_ids, closed_at=now)
    db.session.add(closure)
    db.session.flush()
    audit.record(actor, "violation.close_by_supervisor", violation, before={"status": before},
                 after={"status": "closed", "reason": reason, "note": note, "photos": photo_ids})
    settle_open_tasks(actor, site_id=violation.site_id, plate=violation.plate)
    return closure


def _check_photos(violation: Violation, photo_ids: list[str]) -> None:
    """Closure photos must be stored photos of an inspection of the same site (or plate)."""
    if not photo_ids:
        return
    stmt = (select(Photo.uuid).join(Inspection, Photo.inspection_id == Inspection.id)
            .where(Photo.uuid.in_(photo_ids)))
    stmt = stmt.where(Inspection.site_id == violation.site_id) if violation.site_id is not None else stmt.where(
        Inspection.plate == violation.plate)
    found = set(db.session.scalars(stmt))
    missing = [pid for pid in photo_ids if pid not in found]
    if missing:
        raise ValidationFailed("closure_photo_unknown", photo=missing[0], details={"photo_ids": missing})

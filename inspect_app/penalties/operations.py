"""Opening, closing and escalating violations, and queueing penalty cases. Flush only.

Runs when an inspection is recorded (``core.signals.inspection_recorded``). A replayed
inspection is never recorded twice, and a case is unique per inspection, so nothing doubles.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from inspect_app.checklists.models import ChecklistItem
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, Forbidden, ValidationFailed
from inspect_app.core.signals import case_queued, inspection_recorded
from inspect_app.core.i18n import translate
from inspect_app.core.timeutil import as_utc, to_local, utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.penalties import messages  # noqa: F401  (registers strings)
from inspect_app.penalties import decisions, parties, workflow
from inspect_app.penalties.models import OPEN_STATUSES, CaseEvent, PenaltyCase, Violation
from inspect_app.penalties.rules import (
    REPEAT_WINDOW,
    UNIT,
    Finding,
    OpenViolation,
    case_item_range,
    case_range,
    decide,
    finding_route,
)


@inspection_recorded.connect
def apply_inspection(inspection: Inspection, **extra) -> None:
    """Apply a newly recorded site inspection's consequences (violations, penalty case)."""
    if inspection.site_id is None:
        return
    if inspection.supersedes_id:
        void_consequences(inspection.inspector, inspection.supersedes, reason="superseded")
    items = _checklist_items(inspection)
    findings = [site_finding(r, items[r.checklist_item_id]) for r in inspection.results if r.applicable]
    open_violations = _open_violations(inspection.site_id)
    decision = decide(
        findings,
        {key: OpenViolation(key, v.deadline) for key, v in open_violations.items()},
        _earlier_failures(inspection, [f.item_key for f in findings if f.outcome == "fail"]),
        inspection.finished_at,
    )
    results = {r.item_key: r for r in inspection.results}
    for key in decision.open_new:
        _open_violation(inspection, results[key], items[results[key].checklist_item_id])
    for key in decision.refail + decision.make_overdue:
        _refail(inspection, open_violations[key], overdue=key in decision.make_overdue)
    for key in decision.close:
        _close(inspection, open_violations[key])
    if decision.case_reasons:
        queue_case(inspection, decision.case_reasons, results, items)
    db.session.flush()


def site_finding(result: ItemResult, item: ChecklistItem) -> Finding:
    """A result as the rules see it: outcome, veto, deadline, and who enforces it against whom."""
    return Finding(result.item_key, result.outcome, item.veto, item.rectify_days,
                   **finding_route(item.legal_basis, item.liable))


def _checklist_items(inspection: Inspection) -> dict[int, ChecklistItem]:
    ids = {r.checklist_item_id for r in inspection.results}
    return {item.id: item for item in db.session.scalars(select(ChecklistItem).where(ChecklistItem.id.in_(ids)))}


def _open_violations(site_id: int) -> dict[str, Violation]:
    rows = db.session.scalars(
        select(Violation).where(Violation.site_id == site_id, Violation.status.in_(OPEN_STATUSES))
    )
    return {v.item_key: v for v in rows}


def _earlier_failures(inspection: Inspection, keys: list[str]) -> dict:
    """Failure times of the same items at the same site in the 30 days before, one query."""
    if not keys:
        return {}
    rows = db.session.execute(
        select(ItemResult.item_key, Inspection.finished_at)
        .join(Inspection, ItemResult.inspection_id == Inspection.id)
        .where(
            Inspection.site_id == inspection.site_id,
            Inspection.id != inspection.id,
            Inspection.review_status != "superseded",
            Inspection.final_rejection.is_(False),
            Inspection.finished_at >= inspection.finished_at - REPEAT_WINDOW,
            Inspection.finished_at <= inspection.finished_at,
            ItemResult.outcome == "fail",
            ItemResult.item_key.in_(keys),
        )
    )
    found: dict[str, list] = {}
    for key, when in rows:
        found.setdefault(key, []).append(when)
    return found


def _open_violation(inspection: Inspection, result: ItemResult, item: ChecklistItem) -> Violation:
    violation = Violation(
        site_id=inspection.site_id,
        unit_id=inspection.unit_id,
        item_key=result.item_key,
        checklist_item_id=item.id,
        opened_by_inspection_id=inspection.id,
        opened_by=inspection,
        last_failed_inspection_id=inspection.id,
        status="open",
        found_at=inspection.finished_at,
        deadline=inspection.finished_at + timedelta(days=item.rectify_days),
        fail_count=1,
        note=result.note,
    )
    db.session.add(violation)
    db.session.flush()
    audit.record(inspection.inspector, "violation.open", violation,
                 after={"site_id": inspection.site_id, "item": result.item_key,
                        "deadline": violation.deadline})
    return violation


def _refail(inspection: Inspection, violation: Violation, *, overdue: bool) -> None:
    before = {"status": violation.status, "fail_count": violation.fail_count}
    violation.fail_count += 1
    violation.last_failed_inspection_id = inspection.id
    if overdue:
        violation.status = "overdue"
    audit.record(inspection.inspector, "violation.refail", violation, before=before,
                 after={"status": violation.status, "fail_count": violation.fail_count})


def _close(inspection: Inspection, violation: Violation) -> None:
    before = {"status": violation.status}
    violation.status = "closed"
    violation.closed_at = inspection.finished_at
    violation.closed_by_inspection_id = inspection.id
    audit.record(inspection.inspector, "violation.close", violation, before=before,
                 after={"status": "closed", "by": inspection.uuid})


def queue_case(inspection: Inspection, case_reasons: dict[str, list[str]],
               results: dict[str, ItemResult], items: dict[int, ChecklistItem]) -> list[PenaltyCase]:
    """Queue one case per authority and liable party of the failed items (penalties/parties.py),
    carrying items, evidence and legal basis.

    The bureau's items make a case it decides; another authority's (生态环境分局 for the ozone-hour
    bans, …) make a case a supervisor refers out to it. A replayed inspection finds its cases.
    """
    routes = {key: (items[results[key].checklist_item_id].authority, items[results[key].checklist_item_id].liable)
              for key in case_reasons}
    return [_queue_site_case(inspection, authority, party, reasons, results, items)
            for (authority, party), reasons in parties.group_by_party(case_reasons, routes).items()]


def _queue_site_case(inspection: Inspection, authority: str, party: str, case_reasons: dict[str, list[str]],
                     results: dict[str, ItemResult], items: dict[int, ChecklistItem]) -> PenaltyCase:
    existing = db.session.scalar(select(PenaltyCase).where(PenaltyCase.inspection_id == inspection.id,
                                                           PenaltyCase.authority == authority,
                                                           PenaltyCase.party == party))
    if existing is not None:
        return existing
    case_items, photo_ids = [], []
    for key, reasons in case_reasons.items():
        item = items[results[key].checklist_item_id]
        case_items.append({"item_key": key, "text_zh": item.text_zh, "text_en": item.text_en,
                           "clause": item.clause, "reasons": reasons, "legal_basis": item.legal_basis,
                           "liable": item.liable, **case_item_range(item.legal_basis, UNIT, reasons)})
        photo_ids.extend(results[key].photo_ids or [])
    fine_min, fine_max = case_range(case_items)
    case = PenaltyCase(
        case_number=f"pending-{secrets.token_hex(8)}",
        inspection_id=inspection.id,
        inspection=inspection,
        site_id=inspection.site_id,
        unit_id=inspection.unit_id,
        contractor=inspection.site.contractor if inspection.site else None,
        party=party,
        party_name=parties.party_name(party, contractor=inspection.site.contractor if inspection.site else None,
                                      builder=inspection.site.builder if inspection.site else None),
        status="pending_review",
        authority=authority,
        items=case_items,
        photo_ids=photo_ids,
        fine_min=fine_min,
        fine_max=fine_max,
    )
    db.session.add(case)
    db.session.flush()
    prefix = "回民扬尘移" if authority == "bureau" else "回民扬尘移送"
    case.case_number = f"{prefix}〔{to_local(inspection.finished_at).year}〕{case.id:05d}号"
    audit.record(inspection.inspector, "penalty_case.queue", case,
                 after={"case_number": case.case_number, "authority": authority, "party": party,
                        "party_name": case.party_name, "items": list(case_reasons)})
    case_queued.send(case)
    return case


def void_consequences(actor, original: Inspection, *, reason: str = "superseded") -> None:
    """An inspection no longer counts (superseded by a correction, or rejected for good): undo what it did.

    Violations it opened lapse (void); violations it re-failed are recounted from the inspections
    that still count; violations it closed by a pass are reopened, unless another one is already
    open for the same item. A case still pending review is dismissed; a case already with the
    bureau is left to it, with a note in its history saying why its inspection no longer counts.
    """
    for violation in db.session.scalars(
        select(Violation).where(Violation.opened_by_inspection_id == original.id,
                                Violation.status.in_(OPEN_STATUSES))
    ):
        before = violation.status
        violation.status = "void"
        audit.record(actor, "violation.void", violation, before={"status": before},
                     after={"status": "void", reason: original.uuid})
    db.session.flush()
    for violation in db.session.scalars(
        select(Violation).where(Violation.last_failed_inspection_id == original.id,
                                Violation.opened_by_inspection_id != original.id,
                                Violation.status.in_(OPEN_STATUSES))
    ):
        _recount(actor, violation, original)
    for violation in db.session.scalars(
        select(Violation).where(Violation.closed_by_inspection_id == original.id, Violation.status == "closed")
    ):
        _reopen(actor, violation, original)
    for case in db.session.scalars(select(PenaltyCase).where(PenaltyCase.inspection_id == original.id)):
        _lapse_case(actor, case, original, reason)
    db.session.flush()


def _still_counting_failures(violation: Violation, excluded: Inspection) -> list[tuple[int, object]]:
    """(inspection id, finished_at) of failures of the violation's item that still count, oldest first.

    The excluded inspection's correction is left out too: it is being applied right now and will
    count its own failure.
    """
    stmt = (
        select(Inspection.id, Inspection.finished_at)
        .join(ItemResult, ItemResult.inspection_id == Inspection.id)
        .where(Inspection.site_id == violation.site_id, Inspection.id != excluded.id,
               or_(Inspection.supersedes_id.is_(None), Inspection.supersedes_id != excluded.id),
               Inspection.review_status != "superseded", Inspection.final_rejection.is_(False),
               Inspection.finished_at >= violation.found_at,
               ItemResult.item_key == violation.item_key, ItemResult.outcome == "fail",
               ItemResult.applicable.is_(True))
        .order_by(Inspection.finished_at, Inspection.id)
    )
    return list(db.session.execute(stmt))


def _recount(actor, violation: Violation, excluded: Inspection) -> None:
    """Count again without the excluded inspection: fail count, last failure, overdue or not."""
    before = {"status": violation.status, "fail_count": violation.fail_count}
    failures = _still_counting_failures(violation, excluded) or [
        (violation.opened_by_inspection_id, violation.found_at)]
    violation.fail_count = len(failures)
    violation.last_failed_inspection_id = failures[-1][0]
    overdue = any(as_utc(when) > as_utc(violation.deadline) for _, when in failures)
    violation.status = "overdue" if overdue else "open"
    audit.record(actor, "violation.recount", violation, before=before,
                 after={"status": violation.status, "fail_count": violation.fail_count,
                        "without": excluded.uuid})


def _reopen(actor, violation: Violation, excluded: Inspection) -> None:
    """The pass that closed it no longer counts: open it again (once per site and item)."""
    already_open = db.session.scalar(
        select(Violation.id).where(Violation.site_id == violation.site_id,
                                   Violation.item_key == violation.item_key,
                                   Violation.status.in_(OPEN_STATUSES)))
    if already_open is not None:
        return
    violation.status = "open"
    violation.closed_at = None
    violation.closed_by_inspection_id = None
    db.session.flush()
    _recount(actor, violation, excluded)
    audit.record(actor, "violation.reopen", violation, before={"status": "closed"},
                 after={"status": violation.status, "without": excluded.uuid})


def _lapse_case(actor, case: PenaltyCase, original: Inspection, reason: str) -> None:
    system = f"inspection_{reason}"
    if case.status == "pending_review":
        dismissed = {"status": "dismissed", "dismissal_reason": translate(system, locale="zh-CN")}
        with db.session.begin_nested():
            lapsed = _compare_and_set(case, "pending_review", dismissed)
            if lapsed:
                db.session.add(CaseEvent(case_id=case.id, actor_id=getattr(actor, "id", None),
                                         from_status="pending_review", to_status="dismissed",
                                         fields={"system": system}, at=utcnow()))
        if lapsed:
            audit.record(actor, "penalty_case.dismiss", case, before={"status": "pending_review"},
                         after={"status": "dismissed", "reason": reason, "inspection": original.uuid})
            return
        db.session.refresh(case)  # a supervisor moved it meanwhile: treat it as moved
    if case.status not in ("pending_review", "dismissed", "closed"):
        # Already with the bureau (or 交管): it decides; the history says the evidence changed.
        db.session.add(CaseEvent(case_id=case.id, actor_id=getattr(actor, "id", None), from_status=case.status,
                                 to_status=case.status, fields={"system": system}, at=utcnow()))
        audit.record(actor, "penalty_case.note", case, after={"system": system, "inspection": original.uuid})


# ---- the penalty queue: moving a case (see workflow.py for the table of moves) ----

def transition_case(actor, case: PenaltyCase, target: str, data: dict, *, request_id: str | None = None
                    ) -> tuple[PenaltyCase, bool]:
    """Move a case to ``target`` if the actor's role may, from its current state; returns (case, moved).

    Retries are safe: a repeated ``request_id``, or (without one) a case already in ``target`` by
    a move with the same data, answers with the case and changes nothing (``moved`` False).

    The move itself is a compare-and-set (``UPDATE … WHERE id = … AND status = <state we judged>``):
    when another request moved the case since we read it, no row changes, and the move is judged
    again from the state that request left — a retry of it answers 200, anything else 409. No row
    lock is needed, so this holds on SQLite with several processes as on PostgreSQL.
    """
    if not workflow.role_may_reach(actor.role, target):
        raise Forbidden("case_role_not_allowed", target=translate(f"case_{target}"))
    fields, note = _transition_fields(case, target, data)
    # Each lost race leaves the case further along (only a returned reduction goes back to accepted,
    # a move of its own): a few rounds end it, and the bound below guarantees it.
    for _ in range(len(workflow.MOVES) + 1):
        if _is_retry(case, target, fields, note, request_id):
            return case, False
        _check_move(actor, case, target)
        decisions.check_move(actor, case, target, fields, note)
        before = _case_state(case)
        event = CaseEvent(case_id=case.id, actor_id=actor.id, from_status=before["status"], to_status=target,
                          note=note, fields=fields, request_id=request_id, at=utcnow())
        try:
            with db.session.begin_nested():
                moved = _compare_and_set(case, before["status"], _moved_values(actor, case, target, fields, note))
                if moved:
                    db.session.add(event)
                    db.session.flush()
        except IntegrityError:
            # The same request_id raced us and won: answer as its retry (unless the 决定书文号 was taken).
            db.session.refresh(case)
            decisions.refuse_taken_number(case, fields)
            return case, False
        if moved:
            audit.record(actor, f"penalty_case.{target}", case, before=before, after=_case_state(case))
            decisions.after_move(actor, case, target)
            return case, True
        db.session.refresh(case)  # someone else moved it first: judge again from where they left it
    raise Conflict("case_bad_transition", current=translate(f"case_{case.status}"),
                   target=translate(f"case_{target}"))


def _check_move(actor, case: PenaltyCase, target: str) -> None:
    """Refuse a move the table does not allow from the case's state (403/409)."""
    verdict = workflow.judge(case.status, target, actor.role, case.authority)
    if verdict == workflow.FORBIDDEN:
        raise Forbidden("case_role_not_allowed", target=translate(f"case_{target}"))
    if verdict == workflow.BAD_TRANSITION:
        raise Conflict("case_bad_transition", current=translate(f"case_{case.status}"),
                       target=translate(f"case_{target}"),
                       details={"current": case.status, "target": target,
                                "allowed": workflow.next_states(case.status, actor.role, case.authority)})
    if verdict == workflow.WRONG_AUTHORITY:
        raise Conflict("case_wrong_authority", authority=translate(f"authority_{case.authority}"),
                       details={"authority": case.authority})
    if target in ("approved", "referred_out") and case.inspection.review_status in ("rejected", "superseded"):
        raise Conflict("case_inspection_under_correction")


def _compare_and_set(case: PenaltyCase, expected: str, values: dict) -> bool:
    """Write ``values`` only if the case is still in ``expected``; True if this request moved it.

    The loaded object gets the written values as its committed state (no second UPDATE).
    """
    values = {**values, "updated_at": utcnow()}
    result = db.session.execute(
        update(PenaltyCase)
        .where(PenaltyCase.id == case.id, PenaltyCase.status == expected)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    for key, value in values.items():
        set_committed_value(case, key, value)
    return True


def _transition_fields(case: PenaltyCase, target: str, data: dict) -> tuple[dict, str | None]:
    """The data a move carries, checked: a dismissal needs a reason, a decision its particulars."""
    note = (data.get("note") or "").strip() or None
    if target == "dismissed":
        reason = (data.get("reason") or "").strip()
        if not reason:
            raise ValidationFailed("dismiss_reason_required")
        return {"reason": reason}, note
    if target == "closed" and case.status == "referred_out":
        # The outside authority decided; the supervisor records what it reported back.
        outcome = (data.get("referral_outcome") or "").strip()
        if not outcome:
            raise ValidationFailed("referral_outcome_required")
        return {"referral_outcome": outcome}, note
    if target in decisions.TARGETS or target == "accepted":
        return decisions.move_fields(case, target, data), note
    return {}, note


def _is_retry(case: PenaltyCase, target: str, fields: dict, note: str | None, request_id: str | None) -> bool:
    if request_id:
        prior = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                          CaseEvent.request_id == request_id))
        if prior is not None:
            if prior.to_status != target:
                raise Conflict("case_request_reused", details={"request_id": request_id})
            return True
    if case.status != target:
        return False
    last = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                     CaseEvent.to_status == target,
                                                     CaseEvent.from_status != target)
                             .order_by(CaseEvent.id.desc()).limit(1))
    return last is not None and last.fields == fields and last.note == note


def _moved_values(actor, case: PenaltyCase, target: str, fields: dict, note: str | None) -> dict:
    """The columns a move to ``target`` writes (decisions, payment and withdrawal: see decisions.py)."""
    values: dict = {"status": target, **decisions.moved_values(actor, case, target, fields)}
    if target == "dismissed":
        values["dismissal_reason"] = fields["reason"]
    elif target == "referred_out":
        values["referral_note"] = note
    elif target == "closed":
        values["closed_at"] = utcnow()
        if fields.get("referral_outcome"):
            values["referral_outcome"] = fields["referral_outcome"]
    return values


def _case_state(case: PenaltyCase) -> dict:
    return {"status": case.status, "dismissal_reason": case.dismissal_reason, "decision": case.decision,
            "fine_amount": case.fine_amount, "decision_number": case.decision_number,
            "rectification_order": case.rectification_order, **decisions.state(case)}

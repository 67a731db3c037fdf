"""Opening, closing and escalating violations, and queueing penalty cases. Flush only.

Runs when an inspection is recorded (``core.signals.inspection_recorded``). A replayed
inspection is never recorded twice, and a case is unique per inspection, so nothing doubles.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from inspect_app.checklists.models import ChecklistItem
from inspect_app.core import audit
from inspect_app.core.signals import inspection_recorded
from inspect_app.core.timeutil import to_local
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.penalties import messages  # noqa: F401  (registers strings)
from inspect_app.penalties.models import OPEN_STATUSES, PenaltyCase, Violation
from inspect_app.penalties.rules import REPEAT_WINDOW, Finding, OpenViolation, decide


@inspection_recorded.connect
def apply_inspection(inspection: Inspection, **extra) -> None:
    """Apply a newly recorded site inspection's consequences (violations, penalty case)."""
    if inspection.site_id is None:
        return
    if inspection.supersedes_id:
        void_consequences(None, inspection.supersedes)
    items = _checklist_items(inspection)
    findings = [
        Finding(r.item_key, r.outcome, items[r.checklist_item_id].veto, items[r.checklist_item_id].rectify_days)
        for r in inspection.results if r.applicable
    ]
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
               results: dict[str, ItemResult], items: dict[int, ChecklistItem]) -> PenaltyCase:
    """Queue one case for the inspection, carrying items, evidence and legal basis."""
    existing = db.session.scalar(select(PenaltyCase).where(PenaltyCase.inspection_id == inspection.id))
    if existing is not None:
        return existing
    case_items, photo_ids = [], []
    for key, reasons in case_reasons.items():
        item = items[results[key].checklist_item_id]
        case_items.append({"item_key": key, "text_zh": item.text_zh, "text_en": item.text_en,
                           "clause": item.clause, "reasons": reasons, "legal_basis": item.legal_basis})
        photo_ids.extend(results[key].photo_ids or [])
    governing = max((c["legal_basis"] for c in case_items), key=lambda b: b.get("fine_max") or 0)
    case = PenaltyCase(
        case_number=f"pending-{secrets.token_hex(8)}",
        inspection_id=inspection.id,
        inspection=inspection,
        site_id=inspection.site_id,
        unit_id=inspection.unit_id,
        contractor=inspection.site.contractor if inspection.site else None,
        status="pending_review",
        authority=governing.get("authority", "bureau"),
        items=case_items,
        photo_ids=photo_ids,
        fine_min=governing.get("fine_min"),
        fine_max=governing.get("fine_max"),
    )
    db.session.add(case)
    db.session.flush()
    case.case_number = f"回民扬尘移〔{to_local(inspection.finished_at).year}〕{case.id:05d}号"
    audit.record(inspection.inspector, "penalty_case.queue", case,
                 after={"case_number": case.case_number, "items": list(case_reasons)})
    return case


def void_consequences(actor, original: Inspection) -> None:
    """A corrected inspection replaces the original: its open violations and pending case lapse."""
    for violation in db.session.scalars(
        select(Violation).where(Violation.opened_by_inspection_id == original.id,
                                Violation.status.in_(OPEN_STATUSES))
    ):
        violation.status = "void"
        audit.record(actor, "violation.void", violation, before={"status": "open"},
                     after={"status": "void", "superseded": original.uuid})
    for case in db.session.scalars(
        select(PenaltyCase).where(PenaltyCase.inspection_id == original.id,
                                  PenaltyCase.status == "pending_review")
    ):
        case.status = "dismissed"
        audit.record(actor, "penalty_case.dismiss", case, before={"status": "pending_review"},
                     after={"status": "dismissed", "reason": "superseded"})
    db.session.flush()

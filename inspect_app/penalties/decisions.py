"""Decisions the bureau makes on an accepted case, payment, closure and withdrawal. Flush only.

These are moves of the penalty queue (``operations.transition_case`` does the compare-and-set, the
retries and the history); this module says what each move carries and when it is allowed:

    accepted ──decide──▶ decided ──pay (缴款: date, receipt)──▶ paid ──close──▶ closed
        │  └─reduce (减轻处罚)──▶ decision_pending ──a second bureau user confirms──▶ decided
        │                              └──return, reason required──▶ accepted
        └──withdraw (撤案), reason required──▶ withdrawn   (also from decision_pending)

A decided case whose fine is unpaid closes only with a note saying why (e.g. 已申请人民法院强制执行).
After a case is decided ``core.signals.case_decided`` announces the outcome (sites suspend on it).
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from inspect_app.core.errors import Conflict, Forbidden, ValidationFailed
from inspect_app.core.signals import case_decided
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.extensions import db
from inspect_app.penalties import messages  # noqa: F401  (registers strings)
from inspect_app.penalties.decision_rules import (
    FINED,
    DecisionRefused,
    amounts_from_request,
    case_items,
    check_decision,
)
from inspect_app.penalties.models import PenaltyCase

# the moves whose data this module checks and writes
TARGETS = frozenset({"decision_pending", "decided", "paid", "withdrawn"})
APPROVAL = {"second_approval": True}  # what a confirmation of a pending reduction carries
_CLEARED = {"decision": None, "decision_number": None, "fine_amount": None, "rectification_order": None,
            "decision_amounts": None, "decision_date": None, "decision_reason_code": None,
            "decision_reason": None, "decided_by_id": None, "second_approver_id": None, "decided_at": None}


def move_fields(case: PenaltyCase, target: str, data: dict) -> dict:
    """The data a decision, payment, return or withdrawal carries, checked (stored in the case's history)."""
    if target == "withdrawn":
        return {"reason": _required(data.get("reason"), "withdraw_reason_required")}
    if target == "accepted":  # a pending reduction sent back; from other states the move carries nothing
        reason = (data.get("reason") or "").strip()
        return {"reason": reason} if reason else {}
    if target == "paid":
        return _payment_fields(case, data)
    # A confirmation carries no decision. It may read the case after a racing confirmation already
    # decided it: then it is still a confirmation (answered as that one's retry), not a bare decision.
    if target == "decided" and case.status in ("decision_pending", "decided") and not _has_decision(data):
        return dict(APPROVAL)
    return _decision_fields(case, target, data)


def _has_decision(data: dict) -> bool:
    return any(data.get(key) not in (None, "", []) for key in
               ("decision", "decision_number", "amounts", "fine_amount", "rectification_order"))


def _required(value: str | None, code: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(code)
    return value


def _decision_fields(case: PenaltyCase, target: str, data: dict) -> dict:
    outcome = data.get("decision")
    if outcome is None:
        raise ValidationFailed("decision_required")
    number = _required(data.get("decision_number"), "decision_number_required")
    today = to_local(utcnow()).date()
    decision_date = data.get("decision_date") or today
    order = (data.get("rectification_order") or "").strip() or None
    reason = (data.get("decision_reason") or "").strip() or None
    try:
        items = case_items(case.items)
        amounts = check_decision(
            outcome, items, amounts_from_request(items, data.get("amounts"), data.get("fine_amount")),
            has_site=case.site_id is not None, rectification_order=order,
            reason_code=data.get("decision_reason_code"), reason=reason, decision_date=decision_date,
            earliest=to_local(case.created_at).date(), today=today)
    except DecisionRefused as refused:
        raise _error(refused) from None
    fields = {"decision": outcome, "decision_number": number, "decision_date": decision_date.isoformat()}
    if amounts:
        fields["amounts"] = amounts
        fields["fine_amount"] = round(sum(entry["amount"] for entry in amounts), 2)
    if order:
        fields["rectification_order"] = order
    if data.get("decision_reason_code"):
        fields["reason_code"] = data["decision_reason_code"]
    if reason:
        fields["reason"] = reason
    return fields


def _payment_fields(case: PenaltyCase, data: dict) -> dict:
    receipt = _required(data.get("receipt_number"), "receipt_number_required")
    paid_on = data.get("paid_on")
    if paid_on is None:
        raise ValidationFailed("paid_on_required")
    if paid_on > to_local(utcnow()).date():
        raise ValidationFailed("paid_on_in_future", date=paid_on.isoformat())
    if case.decision_date is not None and paid_on < case.decision_date:
        raise ValidationFailed("paid_before_decision", date=paid_on.isoformat(),
                               decided=case.decision_date.isoformat())
    return {"paid_on": paid_on.isoformat(), "receipt_number": receipt}


def _error(refused: DecisionRefused) -> Exception:
    kind = Conflict if refused.conflict else ValidationFailed
    return kind(refused.code, details=refused.details, **refused.params)


def check_move(actor, case: PenaltyCase, target: str, fields: dict, note: str | None) -> None:
    """Refuse what the state the case is in now does not allow (after the table of moves said yes)."""
    pending = case.status == "decision_pending"
    if target == "decided" and pending:
        if fields != APPROVAL:
            raise Conflict("decision_awaiting_second_approver")
        if actor.id == case.decided_by_id:
            raise Forbidden("reduction_second_approver_required")
    elif target == "decided" and fields == APPROVAL:
        raise ValidationFailed("decision_required")
    elif target == "decided" and fields.get("decision") == "reduced_fine":
        raise Conflict("reduction_needs_second_approver")
    if target == "decision_pending" and fields.get("decision") != "reduced_fine":
        raise ValidationFailed("only_reduction_waits_for_approval")
    if target == "accepted" and pending and not fields.get("reason"):
        raise ValidationFailed("return_reason_required")
    if target == "paid" and case.decision not in FINED:
        raise Conflict("case_no_fine_to_pay")
    if target == "closed" and case.status == "decided" and case.decision in FINED and not note:
        raise ValidationFailed("close_unpaid_fine_needs_note")
    number = fields.get("decision_number")
    if number and target in ("decided", "decision_pending"):
        holder = db.session.scalar(select(PenaltyCase.case_number).where(
            PenaltyCase.decision_number == number, PenaltyCase.id != case.id))
        if holder is not None:
            raise Conflict("decision_number_taken", number=number, case=holder)


def moved_values(actor, case: PenaltyCase, target: str, fields: dict) -> dict:
    """The columns the move writes, judged from the state the case is in now."""
    if target == "accepted" and case.status == "decision_pending":
        return dict(_CLEARED)
    if target == "withdrawn":
        return {**_CLEARED, "withdrawal_reason": fields["reason"]}
    if target == "paid":
        return {"paid_on": date.fromisoformat(fields["paid_on"]), "receipt_number": fields["receipt_number"]}
    if target == "decided" and fields == APPROVAL:
        return {"second_approver_id": actor.id, "decided_at": utcnow()}
    if target in ("decided", "decision_pending"):
        return {"decision": fields["decision"], "decision_number": fields["decision_number"],
                "fine_amount": fields.get("fine_amount"), "rectification_order": fields.get("rectification_order"),
                "decision_amounts": fields.get("amounts"),
                "decision_date": date.fromisoformat(fields["decision_date"]),
                "decision_reason_code": fields.get("reason_code"), "decision_reason": fields.get("reason"),
                "decided_by_id": actor.id, "second_approver_id": None,
                "decided_at": utcnow() if target == "decided" else None}
    return {}


def after_move(actor, case: PenaltyCase, target: str) -> None:
    """Announce a decision once it is final (inside the transaction: receivers only flush)."""
    if target == "decided":
        case_decided.send(case, actor=actor, outcome=case.decision)


def refuse_taken_number(case: PenaltyCase, fields: dict) -> None:
    """A unique-index race lost on the 决定书文号 (not on the request id): say which number is taken."""
    number = fields.get("decision_number")
    if not number or case.decision_number == number:
        return
    holder = db.session.scalar(select(PenaltyCase.case_number).where(PenaltyCase.decision_number == number))
    if holder is not None:
        raise Conflict("decision_number_taken", number=number, case=holder)


def state(case: PenaltyCase) -> dict:
    """The decision's part of a case's state, for the audit trail."""
    return {"decision_amounts": case.decision_amounts, "decision_date": case.decision_date,
            "decision_reason_code": case.decision_reason_code, "decision_reason": case.decision_reason,
            "decided_by_id": case.decided_by_id, "second_approver_id": case.second_approver_id,
            "paid_on": case.paid_on, "receipt_number": case.receipt_number,
            "withdrawal_reason": case.withdrawal_reason}

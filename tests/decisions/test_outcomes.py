"""Every outcome the bureau can decide (《行政处罚法》), with what each needs and what it records.

Runs on SQLite and on PostgreSQL (TEST_DATABASE_URL).
"""
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.extensions import db
from inspect_app.penalties.models import CaseEvent, PenaltyCase
from tests.decisions.helpers import FINE, accepted_case, decide, two_violations
from tests.penalties.world import case_status, set_case


def _case(case_id) -> PenaltyCase:
    db.session.expire_all()
    return db.session.get(PenaltyCase, case_id)


def _actions(case_id) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "penalty_cases", AuditEvent.object_id == str(case_id)).order_by(AuditEvent.id)))


def _today() -> date:
    return to_local(utcnow()).date()


# ---- 警告 ----

def test_a_warning_is_decided_with_its_number_and_date_and_announced(bureau, decided_signals):
    case = accepted_case(bureau)
    response = decide(bureau, case.id, decision="warning", decision_number="回城管警字〔2026〕第1号")
    body = response.get_json()
    assert response.status_code == 201, body
    detail = body["decision_detail"]
    assert detail["decision"] == "warning" and detail["decision_label"] == "警告"
    assert detail["decision_number"] == "回城管警字〔2026〕第1号"
    assert detail["decision_date"] == _today().isoformat()
    assert detail["amounts"] == [] and body["fine_amount"] is None
    assert detail["decided_by"]["id"] == bureau.users["enforcement"].id
    assert detail["pdf_url"] == f"/api/penalty-cases/{case.id}/decision.pdf"
    assert decided_signals == [(case.id, bureau.users["enforcement"].id, "warning")]
    assert "penalty_case.decided" in _actions(case.id)
    # nothing to pay: a warning closes directly
    assert bureau.move(case.id, "enforcement", "paid", paid_on=_today().isoformat(),
                       receipt_number="R1").get_json()["code"] == "case_no_fine_to_pay"
    assert bureau.move(case.id, "enforcement", "closed").status_code == 201


@pytest.mark.parametrize("outcome", ["warning", "no_penalty", "stop_work"])
def test_outcomes_without_a_fine_refuse_an_amount(bureau, outcome):
    case = accepted_case(bureau, stop_work_allowed=True)
    body = {"decision": outcome, "decision_number": "文号", "fine_amount": 20000,
            "rectification_order": "整改" if outcome == "stop_work" else None,
            "decision_reason_code": "first_minor_corrected" if outcome == "no_penalty" else None}
    response = decide(bureau, case.id, **body)
    assert response.status_code == 422
    assert response.get_json()["code"] in ("fine_not_for_outcome", "fine_with_stop_work")
    assert case_status(case.id) == "accepted"


# ---- 罚款: per violation ----

def test_a_fine_on_several_violations_needs_an_amount_for_each_within_its_own_range(bureau, decided_signals):
    case = accepted_case(bureau, items=two_violations(bureau))
    first, second = (item["item_key"] for item in case.items)
    one_total = decide(bureau, case.id, **FINE, fine_amount=30000)
    assert one_total.status_code == 422
    assert one_total.get_json()["code"] == "decision_amounts_per_violation"
    assert "2 项" in one_total.get_json()["message"]
    missing = decide(bureau, case.id, **FINE, amounts=[{"item_key": first, "amount": 20000}])
    assert missing.get_json()["code"] == "fine_amount_required"
    assert missing.get_json()["details"] == {"missing": [second]}
    # 60,000 is inside the first violation's range but not inside the second's: refused for the second
    outside = decide(bureau, case.id, **FINE, amounts=[{"item_key": first, "amount": 20000},
                                                       {"item_key": second, "amount": 60000}])
    assert outside.status_code == 422
    assert outside.get_json()["code"] == "fine_out_of_range"
    assert "运输途中抛洒滴漏" in outside.get_json()["message"] and "5,000–50,000" in outside.get_json()["message"]
    assert outside.get_json()["details"]["item_key"] == second
    unknown = decide(bureau, case.id, **FINE, amounts=[{"item_key": first, "amount": 20000},
                                                       {"item_key": second, "amount": 6000},
                                                       {"item_key": "not_in_case", "amount": 6000}])
    assert unknown.get_json()["code"] == "decision_amount_unknown_item"
    assert decided_signals == [] and case_status(case.id) == "accepted"
    ok = decide(bureau, case.id, **FINE, amounts=[{"item_key": first, "amount": 20000},
                                                  {"item_key": second, "amount": 6000}])
    body = ok.get_json()
    assert ok.status_code == 201, body
    assert body["fine_amount"] == 26000
    assert [(a["item_key"], a["amount"], a["fine_min"], a["fine_max"]) for a in body["decision_detail"]["amounts"]] \
        == [(first, 20000, 10000, 100000), (second, 6000, 5000, 50000)]
    assert body["decision_detail"]["amounts"][1]["text_zh"] == "运输途中抛洒滴漏"
    assert decided_signals == [(case.id, bureau.users["enforcement"].id, "fine")]


def test_a_violation_with_no_fine_range_cannot_be_fined(bureau):
    items = two_violations(bureau)
    items[1]["governing"] = None  # an order to correct (or another authority's range): no fine of the bureau's
    case = accepted_case(bureau, items=items)
    response = decide(bureau, case.id, **FINE, amounts=[{"item_key": items[0]["item_key"], "amount": 20000},
                                                        {"item_key": items[1]["item_key"], "amount": 6000}])
    assert response.get_json()["code"] == "decision_amount_no_range"
    only_fineable = decide(bureau, case.id, **FINE, fine_amount=20000)  # one fineable violation: one amount
    assert only_fineable.status_code == 201, only_fineable.get_json()
    assert [a["item_key"] for a in only_fineable.get_json()["decision_detail"]["amounts"]] == [items[0]["item_key"]]


def test_the_range_the_case_recorded_for_the_liable_party_wins_over_the_legal_basis(bureau):
    case = bureau.veto_case()
    items = [dict(case.items[0], governing={"law": "《城市建筑垃圾管理规定》", "penalty_article": "第二十六条",
                                            "fine_min": 0, "fine_max": 200})]  # an individual: at most 200 元
    case = accepted_case(bureau, items=items)
    assert decide(bureau, case.id, **FINE, fine_amount=5000).get_json()["code"] == "fine_out_of_range"
    assert decide(bureau, case.id, **FINE, fine_amount=200).status_code == 201


# ---- 罚款并责令停工整治 / 责令停工整治 ----

def test_fine_and_stop_work_goes_together_when_the_party_refused_to_correct(bureau, decided_signals):
    case = accepted_case(bureau, stop_work_allowed=False)
    body = {**FINE, "decision": "fine_and_stop_work", "fine_amount": 20000,
            "rectification_order": "补齐围挡、覆盖裸土后申请复工"}
    refused = decide(bureau, case.id, **body)
    assert refused.status_code == 409 and refused.get_json()["code"] == "stop_work_needs_refusal"
    assert "第一百一十五条" in refused.get_json()["message"]
    set_case(case.id, items=[{**item, "stop_work_allowed": True} for item in case.items])
    no_order = decide(bureau, case.id, **{**body, "rectification_order": "  "})
    assert no_order.get_json()["code"] == "rectification_order_required"
    ok = decide(bureau, case.id, **body)
    detail = ok.get_json()["decision_detail"]
    assert ok.status_code == 201
    assert detail["decision_label"] == "罚款并责令停工整治" and detail["fine_amount"] == 20000
    assert detail["rectification_order"].startswith("补齐围挡")
    assert decided_signals == [(case.id, bureau.users["enforcement"].id, "fine_and_stop_work")]


def test_stop_work_alone_is_announced_for_the_site(bureau, decided_signals):
    case = accepted_case(bureau, stop_work_allowed=True)
    response = decide(bureau, case.id, decision="stop_work", decision_number="回城管停字〔2026〕第5号",
                      rectification_order="全面停工整治")
    assert response.status_code == 201
    assert decided_signals == [(case.id, bureau.users["enforcement"].id, "stop_work")]


def test_a_truck_case_cannot_be_ordered_to_stop_work(bureau):
    case = accepted_case(bureau, stop_work_allowed=True, site_id=None, plate="蒙A12345")
    response = decide(bureau, case.id, decision="stop_work", decision_number="文号", rectification_order="停运")
    assert response.status_code == 409 and response.get_json()["code"] == "stop_work_needs_site"


def test_a_rectification_order_belongs_only_to_stop_work(bureau):
    case = accepted_case(bureau)
    response = decide(bureau, case.id, **FINE, fine_amount=20000, rectification_order="整改")
    assert response.get_json()["code"] == "rectification_order_without_stop_work"


# ---- 不予处罚 ----

def test_no_penalty_needs_its_legal_ground(bureau, decided_signals):
    case = accepted_case(bureau)
    body = {"decision": "no_penalty", "decision_number": "回城管不罚字〔2026〕第2号"}
    missing = decide(bureau, case.id, **body)
    assert missing.status_code == 422 and missing.get_json()["code"] == "decision_reason_required"
    other = decide(bureau, case.id, **body, decision_reason_code="other")
    assert other.get_json()["code"] == "decision_reason_text_required"
    wrong_kind = decide(bureau, case.id, **body, decision_reason_code="mitigated_harm")
    assert wrong_kind.get_json()["code"] == "decision_reason_required"
    ok = decide(bureau, case.id, **body, decision_reason_code="first_minor_corrected",
                decision_reason="首次违法，当日已覆盖完毕")
    detail = ok.get_json()["decision_detail"]
    assert ok.status_code == 201
    assert detail["reason_code"] == "first_minor_corrected" and detail["reason_label"].startswith("首违不罚")
    assert decided_signals == [(case.id, bureau.users["enforcement"].id, "no_penalty")]


def test_a_legal_ground_is_refused_on_a_plain_fine(bureau):
    case = accepted_case(bureau)
    response = decide(bureau, case.id, **FINE, fine_amount=20000, decision_reason_code="first_minor_corrected")
    assert response.get_json()["code"] == "decision_reason_not_for_outcome"


# ---- 减轻处罚: a second approver ----

REDUCED = {"decision": "reduced_fine", "decision_number": "回城管罚决字〔2026〕第301号", "fine_amount": 4000,
           "decision_reason_code": "mitigated_harm", "decision_reason": "当日主动全面覆盖，未造成扬尘污染"}


def test_a_reduced_fine_waits_for_a_different_bureau_user_and_is_then_decided(bureau, decided_signals):
    case = accepted_case(bureau)
    direct = decide(bureau, case.id, **REDUCED)
    assert direct.status_code == 409 and direct.get_json()["code"] == "reduction_needs_second_approver"
    in_range = decide(bureau, case.id, to="decision_pending", **{**REDUCED, "fine_amount": 20000})
    assert in_range.get_json()["code"] == "reduction_not_below_minimum"
    no_reason = decide(bureau, case.id, to="decision_pending", **{**REDUCED, "decision_reason": None})
    assert no_reason.get_json()["code"] == "decision_reason_text_required"
    assert decide(bureau, case.id, to="decision_pending", **FINE, fine_amount=20000).get_json()["code"] == \
        "only_reduction_waits_for_approval"

    proposed = decide(bureau, case.id, to="decision_pending", **REDUCED)
    body = proposed.get_json()
    assert proposed.status_code == 201, body
    assert body["status"] == "decision_pending" and body["status_label"] == "减轻处罚待复核"
    assert body["decision_detail"]["awaiting_second_approver"] is True
    assert body["decision_detail"]["pdf_url"] is None and body["decided_at"] is None
    assert decided_signals == []  # not decided yet
    assert bureau.client.get(f"/api/penalty-cases/{case.id}/decision.pdf",
                             headers=bureau.headers["enforcement"]).status_code == 409

    same_user = decide(bureau, case.id)
    assert same_user.status_code == 403 and same_user.get_json()["code"] == "reduction_second_approver_required"
    other_decision = decide(bureau, case.id, role="enforcement2", **FINE, fine_amount=20000)
    assert other_decision.get_json()["code"] == "decision_awaiting_second_approver"
    assert case_status(case.id) == "decision_pending"

    confirmed = decide(bureau, case.id, role="enforcement2", note="同意减轻")
    body = confirmed.get_json()
    assert confirmed.status_code == 201, body
    assert body["status"] == "decided" and body["fine_amount"] == 4000
    assert body["decision_detail"]["decided_by"]["id"] == bureau.users["enforcement"].id
    assert body["decision_detail"]["second_approver"]["id"] == bureau.users["enforcement2"].id
    assert decided_signals == [(case.id, bureau.users["enforcement2"].id, "reduced_fine")]
    assert [(e["from_status"], e["to_status"]) for e in body["history"]][-2:] == [
        ("accepted", "decision_pending"), ("decision_pending", "decided")]
    assert {"penalty_case.decision_pending", "penalty_case.decided"} <= set(_actions(case.id))


def test_a_reduction_sent_back_needs_a_reason_and_frees_its_number(bureau):
    case = accepted_case(bureau)
    assert decide(bureau, case.id, to="decision_pending", **REDUCED).status_code == 201
    no_reason = decide(bureau, case.id, role="enforcement2", to="accepted")
    assert no_reason.status_code == 422 and no_reason.get_json()["code"] == "return_reason_required"
    returned = decide(bureau, case.id, role="enforcement2", to="accepted", reason="减轻情节证据不足")
    body = returned.get_json()
    assert returned.status_code == 201 and body["status"] == "accepted"
    assert body["decision"] is None and body["decision_number"] is None and body["decision_detail"] is None
    assert body["history"][-1]["fields"] == {"reason": "减轻情节证据不足"}
    again = decide(bureau, case.id, **{**FINE, "decision_number": REDUCED["decision_number"]}, fine_amount=10000)
    assert again.status_code == 201, again.get_json()


# ---- 缴款 and closure ----

def test_a_fine_is_paid_then_closed(bureau):
    case = accepted_case(bureau, created_at=utcnow() - timedelta(days=10))
    decided_on = _today() - timedelta(days=3)
    assert decide(bureau, case.id, **FINE, fine_amount=20000, decision_date=decided_on.isoformat()).status_code == 201
    for body, code in [({"paid_on": _today().isoformat()}, "receipt_number_required"),
                       ({"receipt_number": "NO.778"}, "paid_on_required"),
                       ({"paid_on": (_today() + timedelta(days=1)).isoformat(), "receipt_number": "NO.778"},
                        "paid_on_in_future"),
                       ({"paid_on": (decided_on - timedelta(days=1)).isoformat(), "receipt_number": "NO.778"},
                        "paid_before_decision")]:
        response = bureau.move(case.id, "enforcement", "paid", **body)
        assert response.status_code == 422 and response.get_json()["code"] == code, body
    paid = bureau.move(case.id, "enforcement", "paid", paid_on=_today().isoformat(), receipt_number="NO.778")
    body = paid.get_json()
    assert paid.status_code == 201 and body["status"] == "paid" and body["status_label"] == "已缴款"
    assert body["paid_on"] == _today().isoformat() and body["receipt_number"] == "NO.778"
    closed = bureau.move(case.id, "enforcement", "closed")
    assert closed.status_code == 201 and closed.get_json()["closed_at"]
    assert [a for a in _actions(case.id) if a.startswith("penalty_case.")][-3:] == [
        "penalty_case.decided", "penalty_case.paid", "penalty_case.closed"]


def test_an_unpaid_fine_closes_only_with_a_note(bureau):
    case = accepted_case(bureau)
    decide(bureau, case.id, **FINE, fine_amount=20000)
    refused = bureau.move(case.id, "enforcement", "closed")
    assert refused.status_code == 422 and refused.get_json()["code"] == "close_unpaid_fine_needs_note"
    assert bureau.move(case.id, "enforcement", "closed", note="逾期未缴，已申请人民法院强制执行").status_code == 201


# ---- 撤案 ----

def test_an_accepted_case_is_withdrawn_with_a_reason(bureau, decided_signals):
    case = accepted_case(bureau)
    refused = bureau.move(case.id, "enforcement", "withdrawn", reason="  ")
    assert refused.status_code == 422 and refused.get_json()["code"] == "withdraw_reason_required"
    withdrawn = bureau.move(case.id, "enforcement", "withdrawn", reason="当事人主体认定错误")
    body = withdrawn.get_json()
    assert withdrawn.status_code == 201 and body["status_label"] == "已撤案"
    assert body["withdrawal_reason"] == "当事人主体认定错误"
    assert "penalty_case.withdrawn" in _actions(case.id)
    assert bureau.move(case.id, "enforcement", "decided", **FINE, fine_amount=20000).status_code == 409
    assert decided_signals == []


def test_a_pending_reduction_withdrawn_frees_its_number_and_a_decided_case_cannot_be_withdrawn(bureau):
    case = accepted_case(bureau)
    decide(bureau, case.id, to="decision_pending", **REDUCED)
    assert bureau.move(case.id, "enforcement", "withdrawn", reason="移送公安机关").status_code == 201
    assert _case(case.id).decision_number is None
    other = accepted_case(bureau)
    assert decide(bureau, other.id, **{**FINE, "decision_number": REDUCED["decision_number"]},
                  fine_amount=20000).status_code == 201
    refused = bureau.move(other.id, "enforcement", "withdrawn", reason="x")
    assert refused.status_code == 409 and refused.get_json()["code"] == "case_bad_transition"


# ---- the number, the date, retries, roles ----

def test_a_decision_number_is_unique_across_cases(bureau):
    first, second = accepted_case(bureau), accepted_case(bureau)
    assert decide(bureau, first.id, **FINE, fine_amount=20000).status_code == 201
    taken = decide(bureau, second.id, **FINE, fine_amount=20000)
    assert taken.status_code == 409 and taken.get_json()["code"] == "decision_number_taken"
    assert _case(first.id).case_number in taken.get_json()["message"]
    assert case_status(second.id) == "accepted"


def test_a_decision_dated_in_the_future_or_before_the_case_is_refused(bureau):
    case = accepted_case(bureau)
    future = decide(bureau, case.id, **FINE, fine_amount=20000,
                    decision_date=(_today() + timedelta(days=1)).isoformat())
    assert future.status_code == 422 and future.get_json()["code"] == "decision_date_in_future"
    early = decide(bureau, case.id, **FINE, fine_amount=20000, decision_date="2020-01-01")
    assert early.status_code == 422 and early.get_json()["code"] == "decision_date_before_case"


def test_a_retried_decision_with_its_request_id_records_and_announces_it_once(bureau, decided_signals):
    case = accepted_case(bureau)
    first = decide(bureau, case.id, **FINE, fine_amount=20000, request_id="dec-1")
    again = decide(bureau, case.id, **FINE, fine_amount=20000, request_id="dec-1")
    assert (first.status_code, again.status_code) == (201, 200)
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                        CaseEvent.to_status == "decided")).all()
    assert len(events) == 1 and len(decided_signals) == 1


@pytest.mark.parametrize("role", ["inspector", "supervisor"])
def test_only_the_bureau_decides_pays_or_withdraws(bureau, role):
    case = accepted_case(bureau)
    for target, body in [("decided", {**FINE, "fine_amount": 20000}), ("decision_pending", REDUCED),
                         ("withdrawn", {"reason": "x"})]:
        response = bureau.move(case.id, role, target, **body)
        assert response.status_code in (403, 404), (target, response.get_json())
    assert case_status(case.id) == "accepted"

"""Conflicting decisions on one case at the same moment: exactly one lands, the case and its history agree.

Runs on SQLite and on PostgreSQL; threads share the app, processes build their own (tests/racing.py).
"""
from sqlalchemy import select

from inspect_app.extensions import db
from inspect_app.penalties.models import CaseEvent, PenaltyCase
from tests.decisions.helpers import accepted_case
from tests.racing import race_processes, race_threads

WARNING = {"to": "decided", "decision": "warning", "decision_number": "回城管警字〔2026〕第11号"}
FINE = {"to": "decided", "decision": "fine", "fine_amount": 20000, "decision_number": "回城管罚决字〔2026〕第11号"}
WITHDRAW = {"to": "withdrawn", "reason": "主体错误"}


def _posts(case_id, *pairs):
    return [("POST", f"/api/penalty-cases/{case_id}/transitions", {"json": body, "headers": headers})
            for headers, body in pairs]


def _state(case_id):
    db.session.expire_all()
    case = db.session.get(PenaltyCase, case_id)
    events = list(db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id,
                                                             CaseEvent.from_status == "accepted")))
    return case, events


def _assert_one_decision(case_id, statuses, decided_signals):
    assert sorted(statuses) == [201, 409], statuses
    case, events = _state(case_id)
    assert len(events) == 1 and events[0].to_status == case.status
    if case.status == "decided":
        assert events[0].fields["decision_number"] == case.decision_number
        assert (case.decision, case.fine_amount) in (("warning", None), ("fine", 20000))
        assert case.decision_number == (WARNING if case.decision == "warning" else FINE)["decision_number"]


def test_a_warning_and_a_fine_decided_at_once_by_two_users_land_once(app, bureau, decided_signals):
    case = accepted_case(bureau)
    statuses = race_threads(app, _posts(case.id, (bureau.headers["enforcement"], WARNING),
                                        (bureau.headers["enforcement2"], FINE)))
    _assert_one_decision(case.id, statuses, decided_signals)
    assert len(decided_signals) == 1


def test_a_decision_and_a_withdrawal_from_two_processes_let_one_win(app, bureau):
    case = accepted_case(bureau)
    statuses = race_processes(app, _posts(case.id, (bureau.headers["enforcement"], FINE),
                                          (bureau.headers["enforcement2"], WITHDRAW)))
    assert -1 not in statuses, statuses
    _assert_one_decision(case.id, statuses, [])
    case, _ = _state(case.id)
    assert (case.status == "withdrawn") == (case.decision is None)
    assert (case.status == "withdrawn") == (case.withdrawal_reason is not None)


def test_four_processes_deciding_differently_leave_one_decision(app, bureau):
    case = accepted_case(bureau)
    bodies = [WARNING, FINE, {**FINE, "fine_amount": 30000, "decision_number": "回城管罚决字〔2026〕第12号"},
              {**WARNING, "decision_number": "回城管警字〔2026〕第12号"}]
    users = ["enforcement", "enforcement2", "admin", "enforcement"]
    statuses = race_processes(app, _posts(case.id, *[(bureau.headers[u], b) for u, b in zip(users, bodies)]))
    assert sorted(statuses) == [201, 409, 409, 409], statuses
    case, events = _state(case.id)
    assert len(events) == 1 and events[0].fields["decision_number"] == case.decision_number


def test_two_cases_racing_for_one_decision_number_get_it_once(app, bureau):
    first, second = accepted_case(bureau), accepted_case(bureau)
    requests = _posts(first.id, (bureau.headers["enforcement"], FINE)) + \
        _posts(second.id, (bureau.headers["enforcement2"], FINE))
    statuses = race_processes(app, requests)
    assert sorted(statuses) == [201, 409], statuses
    db.session.expire_all()
    holders = db.session.scalars(select(PenaltyCase.status).where(PenaltyCase.id.in_((first.id, second.id)))
                                 .order_by(PenaltyCase.status)).all()
    assert holders == ["accepted", "decided"]


def test_two_second_approvers_confirming_at_once_decide_once(app, bureau, decided_signals):
    case = accepted_case(bureau)
    proposal = {"to": "decision_pending", "decision": "reduced_fine", "fine_amount": 4000,
                "decision_number": "回城管罚决字〔2026〕第13号", "decision_reason_code": "mitigated_harm",
                "decision_reason": "当日整改完毕"}
    assert bureau.client.post(f"/api/penalty-cases/{case.id}/transitions", json=proposal,
                              headers=bureau.headers["enforcement"]).status_code == 201
    statuses = race_threads(app, _posts(case.id, (bureau.headers["enforcement2"], {"to": "decided"}),
                                        (bureau.headers["admin"], {"to": "decided"})))
    assert sorted(statuses) == [200, 201], statuses  # the second is answered as a retry of the first
    db.session.expire_all()
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                        CaseEvent.to_status == "decided")).all()
    assert len(events) == 1 and len(decided_signals) == 1


def test_a_confirmation_that_reads_the_case_after_another_confirmed_it_is_answered_as_a_retry(bureau):
    """The losing approver of the race above, deterministically: it loads the case already decided."""
    case = accepted_case(bureau)
    proposal = {"to": "decision_pending", "decision": "reduced_fine", "fine_amount": 4000,
                "decision_number": "回城管罚决字〔2026〕第14号", "decision_reason_code": "mitigated_harm",
                "decision_reason": "当日整改完毕"}
    url = f"/api/penalty-cases/{case.id}/transitions"
    assert bureau.client.post(url, json=proposal, headers=bureau.headers["enforcement"]).status_code == 201
    assert bureau.client.post(url, json={"to": "decided"},
                              headers=bureau.headers["enforcement2"]).status_code == 201
    late = bureau.client.post(url, json={"to": "decided"}, headers=bureau.headers["admin"])
    assert late.status_code == 200, late.get_json()
    assert late.get_json()["status"] == "decided"
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                        CaseEvent.to_status == "decided")).all()
    assert len(events) == 1

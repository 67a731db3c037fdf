"""People moving the same case at the same moment: exactly one move wins, the history matches the case.

Runs on SQLite and on PostgreSQL: the move is a compare-and-set on the case's state, not a row lock.
"""
import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from inspect_app.core.errors import Conflict
from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.penalties import operations
from inspect_app.penalties.models import CaseEvent, PenaltyCase
from tests.penalties.world import case_status
from tests.racing import race_processes, race_threads

APPROVE = {"to": "approved"}
DISMISS = {"to": "dismissed", "reason": "已整改"}


def _moves(case_id, *pairs):
    return [("POST", f"/api/penalty-cases/{case_id}/transitions", {"json": body, "headers": headers})
            for headers, body in pairs]


def _events(case_id) -> list[CaseEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)))


def _moved_elsewhere(case_id: int, **values) -> None:
    """Another process moves the case (its own connection, committed) after we have read it."""
    with db.engine.begin() as other:
        other.execute(sa.update(PenaltyCase).where(PenaltyCase.id == case_id).values(**values))


def _assert_history_matches(case_id: int) -> None:
    case = db.session.get(PenaltyCase, case_id)
    events = _events(case_id)
    assert [(e.from_status, e.to_status) for e in events] == [("pending_review", case.status)]
    if case.status == "approved":
        assert case.dismissal_reason is None
    else:
        assert case.dismissal_reason == DISMISS["reason"]
    moves = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action.in_(("penalty_case.approved", "penalty_case.dismissed"))))
    assert moves == 1


def test_racing_identical_approvals_move_the_case_once(app, world):
    case = world.veto_case()
    body = {"to": "approved", "note": "移送"}
    statuses = race_threads(app, _moves(case.id, *[(world.headers["supervisor"], body),
                                                   (world.headers["admin"], body)] * 2))
    assert sorted(statuses).count(201) == 1 and set(statuses) == {200, 201}, statuses
    assert len(_events(case.id)) == 1


def test_racing_approval_and_dismissal_let_exactly_one_win(app, world):
    case = world.veto_case()
    statuses = race_threads(app, _moves(case.id, (world.headers["supervisor"], APPROVE),
                                        (world.headers["admin"], DISMISS)))
    assert sorted(statuses) == [201, 409], statuses
    assert case_status(case.id) in ("approved", "dismissed")
    _assert_history_matches(case.id)


def test_five_approvals_and_five_dismissals_from_five_processes_each_move_the_case_once(app, world):
    """The fault found with gunicorn -w 4 on SQLite: it ended approved with a dismissal reason."""
    case = world.veto_case()
    supervisor, admin = world.headers["supervisor"], world.headers["admin"]
    requests = _moves(case.id, *[(supervisor, APPROVE), (admin, DISMISS)] * 5)
    statuses = race_processes(app, requests)
    assert -1 not in statuses, statuses
    final = case_status(case.id)
    winners = [i for i, status in enumerate(statuses) if status == 201]
    assert len(winners) == 1, statuses
    same_move = [s for i, s in enumerate(statuses) if requests[i][2]["json"]["to"] == final and i not in winners]
    other_move = [s for i, s in enumerate(statuses) if requests[i][2]["json"]["to"] != final]
    assert same_move == [200] * 4, statuses  # the same move again: answered as a retry
    assert other_move == [409] * 5, statuses  # the other move: the case is no longer pending
    _assert_history_matches(case.id)


def test_a_move_judged_on_a_stale_read_is_refused_not_written_over(world):
    """Between our read and our write another request dismissed the case: our approval must not land."""
    case = world.veto_case()
    db.session.get(PenaltyCase, case.id)  # read: pending_review
    _moved_elsewhere(case.id, status="dismissed", dismissal_reason="已整改")
    with pytest.raises(Conflict) as refused:
        operations.transition_case(world.users["supervisor"], case, "approved", {})
    assert refused.value.code == "case_bad_transition"
    db.session.rollback()
    assert case_status(case.id) == "dismissed"
    assert _events(case.id) == []


def test_a_stale_read_of_the_same_move_answers_as_its_retry(world):
    case = world.veto_case()
    world.move(case.id, "admin", "approved")
    db.session.expire_all()
    case = db.session.get(PenaltyCase, case.id)
    # our copy still says pending_review, as it would had we read it a moment earlier
    sa.orm.attributes.set_committed_value(case, "status", "pending_review")
    moved_case, moved = operations.transition_case(world.users["supervisor"], case, "approved", {})
    assert moved is False and moved_case.status == "approved"
    db.session.commit()
    assert len(_events(case.id)) == 1


def test_a_correction_does_not_dismiss_a_case_a_supervisor_approved_meanwhile(world):
    """Superseding an inspection lapses its pending case, but only if it is still pending when written."""
    case = world.veto_case()
    inspection = case.inspection
    db.session.get(PenaltyCase, case.id)  # read: pending_review
    _moved_elsewhere(case.id, status="approved")
    operations.void_consequences(world.users["admin"], inspection, reason="superseded")
    db.session.commit()
    assert case_status(case.id) == "approved"
    case = db.session.get(PenaltyCase, case.id)
    assert case.dismissal_reason is None
    notes = [e for e in _events(case.id) if e.fields.get("system") == "inspection_superseded"]
    assert [(e.from_status, e.to_status) for e in notes] == [("approved", "approved")]

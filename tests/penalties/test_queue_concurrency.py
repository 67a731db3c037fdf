"""Two people moving the same case at the same moment (PostgreSQL row lock)."""
import threading

import pytest
from sqlalchemy import func, select

from inspect_app.extensions import db
from inspect_app.penalties.models import CaseEvent
from tests.penalties.world import case_status


@pytest.fixture
def on_postgres():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every write")


def _race(app, case_id, requests):
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []

    def fire(headers, body):
        with app.test_client() as own_client:
            barrier.wait()
            statuses.append(own_client.post(f"/api/penalty-cases/{case_id}/transitions", json=body,
                                            headers=headers).status_code)

    threads = [threading.Thread(target=fire, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    return sorted(statuses)


def test_racing_identical_approvals_move_the_case_once(app, world, on_postgres):
    case = world.veto_case()
    body = {"to": "approved", "note": "移送"}
    statuses = _race(app, case.id, [(world.headers["supervisor"], body), (world.headers["admin"], body)] * 2)
    assert statuses.count(201) == 1 and set(statuses) == {200, 201}, statuses
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == 1


def test_racing_approval_and_dismissal_let_exactly_one_win(app, world, on_postgres):
    case = world.veto_case()
    statuses = _race(app, case.id, [(world.headers["supervisor"], {"to": "approved"}),
                                    (world.headers["admin"], {"to": "dismissed", "reason": "已整改"})])
    assert statuses == [201, 409], statuses
    assert case_status(case.id) in ("approved", "dismissed")
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == 1

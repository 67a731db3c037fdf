"""A reduced fine (减轻处罚) proposed by one bureau user waits for another: the bureau's waiting work counts
it (cases_to_confirm) until it is confirmed, and it is not counted as a case to decide."""
from __future__ import annotations

from tests import factories
from tests.decisions.helpers import accepted_case, decide
from tests.penalties.world import world  # noqa: F401  (fixture)
from tests.scorecards.test_pending_cases import REDUCED


def _counts(world, role):  # noqa: F811
    response = world.client.get("/api/notifications/counts", headers=world.headers[role])
    assert response.status_code == 200, response.get_json()
    return response.get_json()["counts"]


def test_a_reduction_awaiting_its_second_approver_is_waiting_work_for_the_bureau(world, auth):  # noqa: F811
    world.users["enforcement2"] = factories.create_user("enforcement", units=())
    world.headers["enforcement2"] = auth.headers(world.users["enforcement2"])
    case = accepted_case(world)
    assert _counts(world, "enforcement2") == {"cases_to_accept": 0, "cases_to_decide": 1, "cases_to_confirm": 0}
    assert decide(world, case.id, to="decision_pending", **REDUCED).status_code == 201
    for role in ("enforcement", "enforcement2", "admin"):
        counts = _counts(world, role)
        assert (counts["cases_to_decide"], counts["cases_to_confirm"]) == (0, 1), role
    assert decide(world, case.id, role="enforcement2", note="同意减轻").status_code == 201
    assert _counts(world, "enforcement2")["cases_to_confirm"] == 0

"""Which penalty cases a scorecard counts as pending: every case still waiting for a decision,
including a reduced fine (减轻处罚) waiting for its second bureau approver (issue 10)."""
from __future__ import annotations

import pytest

from inspect_app.penalties.models import CASE_STATUSES
from inspect_app.scorecards.queries import PENDING_CASE_STATUSES
from tests import factories
from tests.decisions.helpers import accepted_case, decide
from tests.penalties.world import set_case, world  # noqa: F401  (fixture)

REDUCED = {"decision": "reduced_fine", "decision_number": "回城管罚决字〔2026〕第311号", "fine_amount": 4000,
           "decision_reason_code": "mitigated_harm", "decision_reason": "当日主动全面覆盖，未造成扬尘污染"}

# Every case status, and whether the case still waits for a decision.
PENDING = {
    "pending_review": True, "approved": True, "accepted": True, "decision_pending": True,
    "referred_out": False, "dismissed": False, "decided": False, "paid": False, "closed": False,
    "withdrawn": False,
}


def _pending_cases(world) -> int:  # noqa: F811
    response = world.client.get("/api/scorecards", query_string={"q": world.site.name},
                                headers=world.headers["supervisor"])
    assert response.status_code == 200, response.get_json()
    (card,) = [c for c in response.get_json()["items"] if c["site_id"] == world.site.id]
    return card["pending_cases"]


def test_the_table_names_every_case_status():
    assert set(PENDING) == set(CASE_STATUSES)
    assert set(PENDING_CASE_STATUSES) == {status for status, pending in PENDING.items() if pending}


def test_a_reduction_awaiting_its_second_approver_counts_as_pending_until_confirmed(world, auth):  # noqa: F811
    world.users["enforcement2"] = factories.create_user("enforcement", units=())
    world.headers["enforcement2"] = auth.headers(world.users["enforcement2"])
    case = accepted_case(world)
    assert _pending_cases(world) == 1
    proposed = decide(world, case.id, to="decision_pending", **REDUCED)
    assert proposed.status_code == 201 and proposed.get_json()["status"] == "decision_pending"
    assert _pending_cases(world) == 1  # still waiting for a decision: the second approver's
    confirmed = decide(world, case.id, role="enforcement2", note="同意减轻")
    assert confirmed.status_code == 201 and confirmed.get_json()["status"] == "decided"
    assert _pending_cases(world) == 0


@pytest.mark.parametrize("status", sorted(PENDING))
def test_a_case_counts_as_pending_by_its_status(world, status):  # noqa: F811
    case = world.veto_case()
    set_case(case.id, status=status)
    assert _pending_cases(world) == int(PENDING[status])

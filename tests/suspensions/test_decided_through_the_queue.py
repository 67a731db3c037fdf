"""The real path: a violation not corrected by its deadline and found again (拒不改正) is queued; the
bureau decides 责令停工整治 (alone or with a fine) through the case transitions; the site is suspended."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.inspections.helpers import WINTER_MORNING
from tests.suspensions.helpers import STOP_WORK_ITEM, actions, site

ITEM = "material_cover"  # 大气法 第一百一十五条: stop-work on refusal to correct; rectify in 1 day


def _refusal_case(world) -> dict:
    world.submit(outcomes={ITEM: "fail"}, started_at=WINTER_MORNING - timedelta(days=3))
    body = world.submit(outcomes={ITEM: "fail"})
    (case,) = body["penalty_cases"]
    for role, to in (("supervisor", "approved"), ("enforcement", "accepted")):
        response = world.move(case["id"], role, to)
        assert response.status_code == 201, response.get_json()
    return case


@pytest.mark.parametrize("outcome", ["stop_work", "fine_and_stop_work"])
def test_a_stop_work_decision_through_the_queue_suspends_the_site(world, outcome):
    case = _refusal_case(world)
    detail = world.case(case["id"]).get_json()
    fields = {"decision": outcome, "decision_number": f"回城执罚决字〔2026〕第{len(outcome)}号",
              "rectification_order": "停止施工，完成苫盖后申请复工"}
    if outcome == "fine_and_stop_work":
        fields["amounts"] = [{"item_key": item["item_key"], "amount": detail["fine_min"]} for item in detail["items"]]
    response = world.move(case["id"], "enforcement", "decided", **fields)
    assert response.status_code == 201, response.get_json()
    suspended = site(world)
    assert suspended.status == "suspended" and suspended.suspension_order_number == fields["decision_number"]
    assert "site.suspend" in actions("sites", world.site.id)
    keys = [i["key"] for i in world.form["items"]]
    assert STOP_WORK_ITEM in keys


def test_a_warning_through_the_queue_leaves_the_site_active(world):
    case = _refusal_case(world)
    response = world.move(case["id"], "enforcement", "decided", decision="warning", decision_number="回城执警字〔2026〕第1号")
    assert response.status_code == 201, response.get_json()
    assert site(world).status == "active"

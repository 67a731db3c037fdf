"""A stop-work decision suspends the site; inspectors see it; working under the order is a veto."""
from __future__ import annotations

from sqlalchemy import func, select

from inspect_app.core.signals import case_decided
from inspect_app.extensions import db
from inspect_app.suspensions.models import SiteSuspension
from tests.suspensions.helpers import STOP_WORK_ITEM, actions, after_now, decide_stop_work, site


def test_a_stop_work_decision_suspends_the_site_with_its_order_number(world):
    case = decide_stop_work(world)
    suspended = site(world)
    assert suspended.status == "suspended"
    assert suspended.suspension_order_number == "回民城管罚决〔2026〕第0001号"
    row = db.session.scalar(select(SiteSuspension).where(SiteSuspension.case_id == case.id))
    assert row.status == "suspended" and row.ended_at is None
    assert actions("sites", world.site.id)[-1] == "site.suspend"
    assert actions("site_suspensions", row.id) == ["suspension.order"]


def test_a_fine_with_stop_work_suspends_too_and_a_fine_alone_does_not(world):
    decide_stop_work(world, outcome="fine", number="罚决-1")
    assert site(world).status == "active"
    decide_stop_work(world, outcome="fine_and_stop_work", number="罚决-2")
    assert site(world).status == "suspended"
    assert site(world).suspension_order_number == "罚决-2"


def test_a_decision_announced_twice_suspends_once(world):
    case = decide_stop_work(world)
    case_decided.send(case, actor=world.users["enforcement"], outcome="stop_work")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SiteSuspension)) == 1


def test_two_orders_on_one_site_are_both_shown(world):
    decide_stop_work(world, number="罚决-1")
    decide_stop_work(world, number="罚决-2")
    assert site(world).suspension_order_number == "罚决-1、罚决-2"


def test_inspectors_see_the_suspended_site_in_their_list_with_the_order_number(world):
    decide_stop_work(world)
    body = world.client.get("/api/sites", headers=world.headers["inspector"]).get_json()
    (listed,) = [s for s in body["items"] if s["id"] == world.site.id]
    assert listed["status"] == "suspended"
    assert listed["suspension_order_number"] == "回民城管罚决〔2026〕第0001号"
    only_active = world.client.get("/api/sites?status=active", headers=world.headers["inspector"]).get_json()
    assert world.site.id not in [s["id"] for s in only_active["items"]]


def test_the_stop_work_item_is_asked_only_at_a_suspended_site(world):
    keys = [item["key"] for item in world.form["items"]]
    assert STOP_WORK_ITEM in keys  # on the form, with its condition
    (item,) = [i for i in world.form["items"] if i["key"] == STOP_WORK_ITEM]
    assert item["site_statuses"] == ["suspended"] and item["veto"] is True
    # active site: not required, and an answer to it does not count
    active = world.submit(outcomes={STOP_WORK_ITEM: "fail"})
    assert active["vetoed"] is False and active["penalty_cases"] == []
    decide_stop_work(world)
    # suspended site: leaving it out is refused
    missing = world.submit(expect=422)
    assert missing["code"] == "answers_missing" and STOP_WORK_ITEM in missing["details"]["missing"]


def test_work_going_on_at_a_suspended_site_is_a_veto_failure_queued_as_a_case(world):
    decide_stop_work(world)
    body = world.submit(outcomes={STOP_WORK_ITEM: "fail"}, started_at=after_now())
    assert body["vetoed"] is True
    (case,) = body["penalty_cases"]
    detail = world.case(case["id"]).get_json()
    assert STOP_WORK_ITEM in [item["item_key"] for item in detail["items"]]


def test_an_admin_cannot_edit_a_suspension_away_or_into_being(world):
    response = world.client.patch(f"/api/sites/{world.site.id}", json={"status": "suspended"},
                                  headers=world.headers["admin"])
    assert response.status_code == 422 and response.get_json()["code"] == "site_suspended_only_by_decision"
    decide_stop_work(world)
    response = world.client.patch(f"/api/sites/{world.site.id}", json={"status": "active"},
                                  headers=world.headers["admin"])
    assert response.status_code == 422
    assert response.get_json()["code"] == "site_suspended_resume_through_resumption"
    assert site(world).status == "suspended"

"""复工: the site applies (a supervisor records it), an inspector's full inspection finds it in order, a
supervisor approves — only then is the site active; every step audited; refusals and a race."""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.extensions import db
from inspect_app.suspensions.models import SiteSuspension
from tests.inspections.helpers import plain_key
from tests.racing import race_threads
from tests.suspensions.helpers import STOP_WORK_ITEM, actions, after_now, decide_stop_work, resumption, site


def _suspension(case) -> SiteSuspension:
    db.session.expire_all()
    return db.session.scalar(select(SiteSuspension).where(SiteSuspension.case_id == case.id))


def test_resumption_takes_application_passing_inspection_and_approval(world):
    case = decide_stop_work(world)
    applied = resumption(world, "application", note="已完成围挡和覆盖整改，申请复工")
    assert applied.status_code == 201, applied.get_json()
    assert applied.get_json()["suspensions"][0]["status"] == "applied"
    assert site(world).status == "suspended"  # an application does not resume anything

    early = resumption(world, "approval")
    assert early.status_code == 409 and early.get_json()["code"] == "resumption_inspection_required"

    inspection = world.submit(outcomes={STOP_WORK_ITEM: "pass"}, started_at=after_now())
    assert _suspension(case).status == "inspected"
    assert _suspension(case).resumption_inspection_id == inspection["id"]
    assert site(world).status == "suspended"  # still waiting for the supervisor

    approved = resumption(world, "approval", note="同意复工")
    assert approved.status_code == 201, approved.get_json()
    body = approved.get_json()
    assert body["site_status"] == "active" and body["suspension_order_number"] is None
    assert body["suspensions"][0]["status"] == "resumed" and body["suspensions"][0]["ended_at"]
    resumed = site(world)
    assert resumed.status == "active" and resumed.suspension_order_number is None
    row = _suspension(case)
    assert actions("site_suspensions", row.id) == [
        "suspension.order", "suspension.apply", "suspension.inspect", "suspension.approve"]
    assert actions("sites", world.site.id)[-2:] == ["site.suspend", "site.resume"]


def test_an_inspection_with_a_failure_after_the_application_does_not_clear_the_site(world):
    case = decide_stop_work(world)
    resumption(world, "application")
    world.submit(outcomes={STOP_WORK_ITEM: "pass", plain_key(world.form, world.site): "fail"},
                 started_at=after_now())
    assert _suspension(case).status == "applied"
    refused = resumption(world, "approval")
    assert refused.status_code == 409 and refused.get_json()["code"] == "resumption_inspection_required"
    # a later passing visit clears it; a failing one after that would take it back
    world.submit(outcomes={STOP_WORK_ITEM: "pass"}, started_at=after_now(30))
    assert _suspension(case).status == "inspected"
    world.submit(outcomes={STOP_WORK_ITEM: "fail"}, started_at=after_now(60))
    assert _suspension(case).status == "applied"
    assert site(world).status == "suspended"


def test_an_inspection_before_the_application_does_not_count(world):
    case = decide_stop_work(world)
    world.submit(outcomes={STOP_WORK_ITEM: "pass"})  # the winter morning, before any application
    resumption(world, "application")
    assert _suspension(case).status == "applied"
    assert resumption(world, "approval").status_code == 409


def test_a_passing_inspection_sent_back_in_review_no_longer_supports_approval(world):
    decide_stop_work(world)
    resumption(world, "application")
    inspection = world.submit(outcomes={STOP_WORK_ITEM: "pass"}, started_at=after_now())
    rejected = world.review(inspection["uuid"], status="rejected", note="照片不清楚，请重拍", send_back=True)
    assert rejected.status_code in (200, 201), rejected.get_json()
    refused = resumption(world, "approval")
    assert refused.status_code == 409 and refused.get_json()["code"] == "resumption_inspection_required"


def test_refusals_of_resumption_steps(world):
    not_suspended = resumption(world, "application")
    assert not_suspended.status_code == 409 and not_suspended.get_json()["code"] == "resumption_site_not_suspended"
    decide_stop_work(world)
    assert resumption(world, "approval").get_json()["code"] == "resumption_not_applied"
    assert resumption(world, "application", role="inspector").status_code == 403
    assert resumption(world, "application", role="enforcement").status_code == 403
    assert resumption(world, "application", role="far_supervisor").status_code == 404  # another unit
    assert resumption(world, "application", note="x" * 1001).status_code == 422
    assert resumption(world, "application").status_code == 201
    again = resumption(world, "application")
    assert again.status_code == 409 and again.get_json()["code"] == "resumption_already_applied"
    assert site(world).status == "suspended"


def test_a_new_order_while_resumption_is_under_way_starts_it_over(world):
    first = decide_stop_work(world, number="罚决-1")
    resumption(world, "application")
    world.submit(outcomes={STOP_WORK_ITEM: "pass"}, started_at=after_now())
    assert _suspension(first).status == "inspected"
    decide_stop_work(world, number="罚决-2")
    assert _suspension(first).status == "suspended"
    assert resumption(world, "approval").get_json()["code"] == "resumption_not_applied"


def test_everyone_who_sees_the_site_reads_its_orders(world):
    decide_stop_work(world)
    for role in ("inspector", "supervisor", "enforcement", "admin"):
        response = world.client.get(f"/api/sites/{world.site.id}/suspensions", headers=world.headers[role])
        assert response.status_code == 200
        (order,) = response.get_json()["suspensions"]
        assert order["decision_number"] == "回民城管罚决〔2026〕第0001号" and order["status_label"]
    far = world.client.get(f"/api/sites/{world.site.id}/suspensions", headers=world.headers["far_supervisor"])
    assert far.status_code == 404


def test_two_supervisors_approving_at_once_resume_the_site_once(app, world):
    case = decide_stop_work(world)
    resumption(world, "application")
    world.submit(outcomes={STOP_WORK_ITEM: "pass"}, started_at=after_now())
    path = f"/api/sites/{world.site.id}/resumption/approval"
    statuses = race_threads(app, [("POST", path, {"json": {}, "headers": world.headers["supervisor"]}),
                                  ("POST", path, {"json": {}, "headers": world.headers["admin"]})])
    assert sorted(statuses) == [201, 409]
    assert actions("site_suspensions", _suspension(case).id).count("suspension.approve") == 1
    assert actions("sites", world.site.id).count("site.resume") == 1

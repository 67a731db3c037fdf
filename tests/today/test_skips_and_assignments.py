"""Skipping a stop (exactly once by UUID, audited, seen by the supervisor) and assignments."""
from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.extensions import db
from inspect_app.today.models import Assignment, StopSkip
from tests import factories


def _today():
    return to_local(utcnow()).date()


def _skip(world, site, role="inspector", **extra):
    body = {"uuid": str(uuid.uuid4()), "site_id": site.id, "date": _today().isoformat(), "reason": "site_closed",
            **extra}
    return body, world.call("post", "/api/today/skips", role=role, json=body)


def _actions(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_skipped_stop_is_stored_once_audited_and_shown_to_the_supervisor(world, app):
    first = world.site("土方工地", east=1, phase="earthwork")
    world.site("基础工地", east=2, phase="foundation")
    world.site("装修工地", east=3, phase="decoration")
    app.config["TODAY_DAY_SIZE"] = 2
    try:
        assert [s["name"] for s in world.at_home()["stops"]] == ["土方工地", "基础工地"]
        body, response = _skip(world, first, reason="other", note="门卫说项目经理不在")
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["reason_label"] == "其他原因"
        replay = world.call("post", "/api/today/skips", role="inspector", json=body)  # the outbox sends again
        assert replay.status_code == 200 and replay.get_json()["uuid"] == body["uuid"]
        changed = world.call("post", "/api/today/skips", role="inspector", json={**body, "reason": "weather"})
        assert changed.status_code == 409 and changed.get_json()["code"] == "skip_conflict"
        day = world.at_home()
    finally:
        app.config["TODAY_DAY_SIZE"] = 8
    # the skipped stop leaves the route (listed last) and the next riskiest site fills the day
    assert [(s["name"], s["status"]) for s in day["stops"]] == [
        ("基础工地", "todo"), ("装修工地", "todo"), ("土方工地", "skipped")]
    skipped = day["stops"][-1]
    assert skipped["skip"]["reason"] == "other" and skipped["skip"]["note"] == "门卫说项目经理不在"
    assert skipped["order"] is None and day["counts"]["skipped"] == 1
    seen = world.today("supervisor", inspector_id=world.users["inspector"].id)
    assert seen["stops"][-1]["skip"]["reason_label"] == "其他原因"
    [event] = _actions("stop.skip")
    assert event.actor_id == world.users["inspector"].id and event.after["reason"] == "other"
    assert db.session.scalar(select(StopSkip.note)) == "门卫说项目经理不在"


def test_skip_refusals(world):
    site = world.site("土方工地", east=1, phase="earthwork")
    other = world.site("别处工地", east=1, unit="zhongshanxilu")
    _, response = _skip(world, site, reason="other")
    assert response.status_code == 422 and response.get_json()["code"] == "skip_note_required"
    _, response = _skip(world, other)
    assert response.status_code == 422 and response.get_json()["code"] == "skip_site_unknown"
    _, response = _skip(world, site, reason="bored")
    assert response.status_code == 422
    _, response = _skip(world, site, role="supervisor")
    assert response.status_code == 403
    body, response = _skip(world, site)
    assert response.status_code == 201
    # a colleague replaying someone else's UUID is a conflict, not a replay
    response = world.call("post", "/api/today/skips", role="colleague", json=body)
    assert response.status_code == 409
    assert db.session.scalar(select(StopSkip.inspector_id)) == world.users["inspector"].id


def test_a_supervisor_assigns_sites_for_a_range_and_withdraws_one(world):
    a, b = world.site("甲工地", east=1), world.site("乙工地", east=2)
    inspector = world.users["inspector"]
    response = world.call("post", "/api/assignments", json={
        "inspector_id": inspector.id, "site_ids": [a.id, b.id, a.id], "start_on": _today().isoformat(),
        "end_on": (_today() + timedelta(days=2)).isoformat(), "note": "专项检查"})
    assert response.status_code == 201, response.get_json()
    items = response.get_json()["items"]
    assert [(i["site_name"], i["inspector_name"]) for i in items] == [("甲工地", "王巡查"), ("乙工地", "王巡查")]
    assert len(_actions("assignment.create")) == 2
    listed = world.call("get", "/api/assignments", query_string={"date": _today().isoformat()}).get_json()
    assert len(listed["items"]) == 2
    assert world.call("get", "/api/assignments", role="other_supervisor").get_json()["items"] == []
    day_after = (_today() + timedelta(days=3)).isoformat()
    assert world.call("get", "/api/assignments", query_string={"date": day_after}).get_json()["items"] == []
    assert {s["kind"] for s in world.at_home()["stops"]} == {"assigned"}
    withdrawn = world.call("delete", f"/api/assignments/{items[0]['id']}")
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "cancelled"
    again = world.call("delete", f"/api/assignments/{items[0]['id']}")
    assert again.status_code == 409 and again.get_json()["code"] == "assignment_not_active"
    [event] = _actions("assignment.cancel")
    assert event.before == {"status": "active"} and event.after == {"status": "cancelled"}
    assert world.call("delete", f"/api/assignments/{items[1]['id']}", role="other_supervisor").status_code == 404
    assert db.session.get(Assignment, items[1]["id"]).status == "active"


def test_assignment_refusals(world):
    site = world.site("甲工地", east=1)
    other_site = world.site("别处工地", east=1, unit="zhongshanxilu")
    today = _today().isoformat()

    def assign(role="supervisor", **body):
        payload = {"inspector_id": world.users["inspector"].id, "site_ids": [site.id], "start_on": today, **body}
        return world.call("post", "/api/assignments", role=role, json=payload)

    assert assign(inspector_id=world.users["supervisor"].id).get_json()["code"] == "assignment_not_inspector"
    assert assign(inspector_id=world.users["other_inspector"].id).get_json()["code"] == "assignment_other_unit"
    assert assign(site_ids=[other_site.id]).status_code == 404  # not a site of the supervisor's units
    early = (_today() - timedelta(days=1)).isoformat()
    assert assign(end_on=early).get_json()["code"] == "assignment_range_invalid"
    far = (_today() + timedelta(days=200)).isoformat()
    assert assign(end_on=far).get_json()["code"] == "assignment_range_invalid"
    assert assign(site_ids=[]).status_code == 422
    assert assign(role="inspector").status_code == 403
    assert assign(role="enforcement").status_code == 403
    assert db.session.scalar(select(Assignment.id)) is None
    assert not _actions("assignment.create")


def test_a_closed_site_cannot_be_assigned(world):
    from inspect_app.sites.models import Site
    site = world.site("甲工地", east=1)
    db.session.get(Site, site.id).status = "closed"
    db.session.commit()
    response = world.call("post", "/api/assignments", json={
        "inspector_id": world.users["inspector"].id, "site_ids": [site.id], "start_on": _today().isoformat()})
    assert response.status_code == 422 and response.get_json()["code"] == "assignment_site_closed"
    assert response.get_json()["message"] == "工地 甲工地 已关闭，不能指派。"


def test_a_deactivated_inspector_cannot_be_assigned(world):
    site = world.site("甲工地", east=1)
    gone = factories.create_user("inspector")
    gone.active = False
    db.session.commit()
    response = world.call("post", "/api/assignments", json={
        "inspector_id": gone.id, "site_ids": [site.id], "start_on": _today().isoformat()})
    assert response.get_json()["code"] == "assignment_not_inspector"


def test_the_same_skip_sent_at_once_by_a_retrying_outbox_is_stored_once(world, app):
    import pytest
    from sqlalchemy import func

    from tests.racing import race_threads
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every write")
    site = world.site("土方工地", east=1, phase="earthwork")
    body = {"uuid": str(uuid.uuid4()), "site_id": site.id, "date": _today().isoformat(), "reason": "weather"}
    statuses = race_threads(app, [("POST", "/api/today/skips",
                                   {"json": body, "headers": world.headers["inspector"]})] * 5)
    assert sorted(statuses).count(201) == 1 and set(statuses) <= {200, 201}, statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(StopSkip)) == 1
    assert len(_actions("stop.skip")) == 1

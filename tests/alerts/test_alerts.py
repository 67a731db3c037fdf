"""Declaring, extending, lifting and correcting alerts: who may, what binds which unit when, the audit."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from inspect_app.alerts import queries
from inspect_app.core.audit import AuditEvent
from inspect_app.core.signals import alert_declared
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from tests.alerts.conftest import alert_body, local, unit_id


def levels_in_force(unit, at):
    """What binds ``unit`` at ``at``, read in a fresh transaction (the requests committed in theirs)."""
    db.session.commit()
    return queries.levels_in_force(unit, at)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# ---- declaring: who may, for which scope ----

def test_a_supervisor_declares_for_their_unit_in_local_time_stored_utc(alert_world):
    body = alert_body(starts_at="2026-12-01T08:00", ends_at="2026-12-03T20:00")
    response = alert_world.post("/api/alerts", body)
    assert response.status_code == 201, response.get_json()
    alert = response.get_json()
    assert alert["starts_at"] == "2026-12-01T00:00:00+00:00" and alert["ends_at"] == "2026-12-03T12:00:00+00:00"
    assert alert["scope"] == "units" and alert["unit_ids"] == [unit_id("xinhuaxilu")]
    assert alert["notice_number"] == "呼重污染指办〔2026〕12号"
    (event,) = _events("alert.declare")
    assert event.after["level"] == "orange" and event.actor_id == alert_world.users["supervisor"].id


@pytest.mark.parametrize("role,scope,units,status", [
    ("supervisor", "units", ("zhongshanxilu",), 403),       # another unit's supervisor's business
    ("supervisor", "units", ("xinhuaxilu", "zhongshanxilu"), 403),
    ("supervisor", "district", (), 403),                     # binds units they do not answer for
    ("district_supervisor", "district", (), 201),            # answers for all eight units
    ("admin", "district", (), 201),
    ("admin", "units", ("zhongshanxilu",), 201),
    ("inspector", "units", ("xinhuaxilu",), 403),
    ("enforcement", "district", (), 403),                    # the bureau does not declare alerts
])
def test_who_may_declare_for_which_scope(alert_world, role, scope, units, status):
    body = alert_body(scope=scope, unit_ids=[unit_id(code) for code in units])
    response = alert_world.post("/api/alerts", body, role)
    assert response.status_code == status, response.get_json()
    if status == 403 and role not in ("inspector", "enforcement"):
        assert response.get_json()["code"] == "alert_scope_forbidden"
    assert len(_events("alert.declare")) == (1 if status == 201 else 0)


@pytest.mark.parametrize("changes,code", [
    ({"ends_at": "2026-12-01T07:00", "starts_at": "2026-12-01T08:00"}, "alert_end_before_start"),
    ({"starts_at": "2026-12-01T08:00", "ends_at": "2027-01-15T08:00"}, "alert_too_long"),
    ({"unit_ids": []}, "alert_units_required"),
    ({"unit_ids": [99999]}, "alert_units_unknown"),
])
def test_bad_alerts_are_refused_with_a_reason(alert_world, changes, code):
    response = alert_world.post("/api/alerts", alert_body(**changes), "admin")
    assert response.status_code == 422 and response.get_json()["code"] == code
    assert response.get_json()["message"]  # a sentence for the person


@pytest.mark.parametrize("changes", [
    {"level": "purple"}, {"scope": "city"}, {"starts_at": "0001-01-01T00:00"}, {"notice_number": ""},
    {"scope": "district", "unit_ids": [1]},
])
def test_malformed_alerts_are_a_clear_422(alert_world, changes):
    response = alert_world.post("/api/alerts", alert_body(**changes), "admin")
    assert response.status_code == 422


def test_declaring_sends_alert_declared(alert_world):
    received = []

    def receiver(sender, **kwargs):
        received.append((sender.id, kwargs["actor"].id))

    with alert_declared.connected_to(receiver):
        alert = alert_world.declare()
    assert received == [(alert["id"], alert_world.users["supervisor"].id)]


# ---- which level binds which unit, when ----

def test_levels_in_force_follow_scope_hours_and_the_highest_level(alert_world):
    now = utcnow()
    xinhua, zhongshan = unit_id("xinhuaxilu"), unit_id("zhongshanxilu")
    alert_world.declare(level="yellow", scope="district", unit_ids=[], role="admin")
    assert levels_in_force(xinhua, now) == {"yellow"} and levels_in_force(None, now) == {"yellow"}
    alert_world.declare(level="red", starts_at=local(now + timedelta(hours=2)))
    assert levels_in_force(xinhua, now) == {"yellow"}  # not yet
    later = now + timedelta(hours=3)
    assert levels_in_force(xinhua, later) == {"red"}  # overlapping: the highest wins
    assert levels_in_force(zhongshan, later) == {"yellow"}  # a unit-scoped alert leaves others alone
    assert levels_in_force(None, later) == {"yellow"}  # trucks: district-wide alerts only
    assert levels_in_force(xinhua, now + timedelta(days=2)) == frozenset()


def test_a_lifted_alert_stops_binding_at_the_moment_it_was_lifted(alert_world):
    alert = alert_world.declare()
    before_lift = utcnow()
    lifted = alert_world.post(f"/api/alerts/{alert['id']}/lift", {"reason": "空气质量好转"})
    assert lifted.status_code == 200 and lifted.get_json()["lifted_at"]
    assert levels_in_force(unit_id("xinhuaxilu"), before_lift) == {"orange"}
    assert levels_in_force(unit_id("xinhuaxilu"), utcnow() + timedelta(seconds=1)) == frozenset()
    again = alert_world.post(f"/api/alerts/{alert['id']}/lift", {})
    assert again.status_code == 409 and again.get_json()["code"] == "alert_lifted"
    extend = alert_world.post(f"/api/alerts/{alert['id']}/extend", {"ends_at": local(utcnow() + timedelta(days=2))})
    assert extend.status_code == 409
    (event,) = _events("alert.lift")
    assert event.before["lifted_at"] is None and event.after["lifted_at"] and event.after["reason"] == "空气质量好转"


# ---- extending and correcting, audited with before and after ----

def test_extending_moves_the_end_later_only_and_is_audited(alert_world):
    alert = alert_world.declare()
    earlier = alert_world.post(f"/api/alerts/{alert['id']}/extend", {"ends_at": local(utcnow())})
    assert earlier.status_code == 422 and earlier.get_json()["code"] == "alert_extend_not_later"
    new_end = utcnow() + timedelta(days=3)
    response = alert_world.post(f"/api/alerts/{alert['id']}/extend", {"ends_at": local(new_end), "reason": "市级延长"})
    assert response.status_code == 200
    extended = response.get_json()
    assert extended["ends_at"] != alert["ends_at"]
    (revision,) = extended["revisions"]
    assert revision["action"] == "extend" and set(revision["after"]) == {"ends_at"}
    (event,) = _events("alert.extend")
    assert event.before["ends_at"] == revision["before"]["ends_at"] and event.after["ends_at"] == revision["after"]["ends_at"]
    assert levels_in_force(unit_id("xinhuaxilu"), new_end - timedelta(minutes=5)) == {"orange"}


def test_correcting_fixes_level_scope_and_number_with_a_reason(alert_world):
    alert = alert_world.declare()
    no_reason = alert_world.post(f"/api/alerts/{alert['id']}/correct", {"level": "red"})
    assert no_reason.status_code == 422
    same = alert_world.post(f"/api/alerts/{alert['id']}/correct", {"level": "orange", "reason": "核对"})
    assert same.status_code == 422 and same.get_json()["code"] == "alert_nothing_to_correct"
    response = alert_world.post(f"/api/alerts/{alert['id']}/correct",
                                {"level": "red", "notice_number": "呼重污染指办〔2026〕13号", "reason": "录入错误"})
    assert response.status_code == 200 and response.get_json()["level"] == "red"
    (event,) = _events("alert.correct")
    assert event.before["level"] == "orange" and event.after["level"] == "red" and event.after["reason"] == "录入错误"
    assert levels_in_force(unit_id("xinhuaxilu"), utcnow()) == {"red"}
    # widening to a unit the supervisor does not answer for is refused, and changes nothing
    wider = alert_world.post(f"/api/alerts/{alert['id']}/correct",
                             {"unit_ids": [unit_id("xinhuaxilu"), unit_id("zhongshanxilu")], "reason": "扩大"})
    assert wider.status_code == 403
    assert levels_in_force(unit_id("zhongshanxilu"), utcnow()) == frozenset()


def test_changes_are_refused_to_other_units_inspectors_and_the_bureau(alert_world):
    alert = alert_world.declare()
    for role, status in (("other_supervisor", 404), ("inspector", 403), ("enforcement", 403)):
        for action, body in (("extend", {"ends_at": local(utcnow() + timedelta(days=2))}), ("lift", {}),
                             ("correct", {"level": "red", "reason": "x"})):
            response = alert_world.post(f"/api/alerts/{alert['id']}/{action}", body, role)
            assert response.status_code == status, (role, action)
    assert _events("alert.extend") == _events("alert.lift") == _events("alert.correct") == []


# ---- reading ----

def test_the_phone_gets_what_binds_its_units_now_and_later_today(alert_world):
    now = utcnow()
    mine = alert_world.declare()
    alert_world.declare(role="other_supervisor", unit_ids=[unit_id("zhongshanxilu")])
    alert_world.declare(starts_at=local(now + timedelta(days=2)), ends_at=local(now + timedelta(days=3)))
    response = alert_world.get("/api/alerts/active", "inspector")
    assert response.status_code == 200 and "max-age" in response.headers["Cache-Control"]
    assert [a["id"] for a in response.get_json()["alerts"]] == [mine["id"]]
    other = alert_world.get("/api/alerts/active", "other_inspector").get_json()["alerts"]
    assert [a["unit_ids"] for a in other] == [[unit_id("zhongshanxilu")]]


def test_the_list_is_scoped_and_filtered(alert_world):
    mine = alert_world.declare()
    district = alert_world.declare(role="admin", scope="district", unit_ids=[], level="blue")
    theirs = alert_world.declare(role="other_supervisor", unit_ids=[unit_id("zhongshanxilu")])
    ids = lambda response: [a["id"] for a in response.get_json()["items"]]  # noqa: E731
    assert sorted(ids(alert_world.get("/api/alerts"))) == sorted([mine["id"], district["id"]])
    assert sorted(ids(alert_world.get("/api/alerts", "admin"))) == sorted([mine["id"], district["id"], theirs["id"]])
    assert ids(alert_world.get("/api/alerts", level="blue")) == [district["id"]]
    assert alert_world.get("/api/alerts", "inspector").status_code == 403
    assert alert_world.get(f"/api/alerts/{theirs['id']}").status_code == 404
    assert alert_world.get(f"/api/alerts/{mine['id']}", "enforcement").status_code == 200

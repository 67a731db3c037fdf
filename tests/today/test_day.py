"""GET /api/today: fixed stops first (复查, complaints, assignments), risk suggestions fill the day,
the stops to visit in route order from the inspector's position, done and skipped ones after."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from inspect_app.core.timeutil import to_local, utcnow
from tests.today.conftest import HOME, local_at

NON_VETO = "idle_area_cover"  # 7 days to rectify: no case on the first failure


def test_an_empty_unit_has_an_empty_day(world):
    day = world.at_home()
    assert day["stops"] == [] and day["total_m"] == 0 and day["day_size"] == 8
    assert day["skip_reasons"][0] == {"code": "site_closed", "label": "工地大门紧闭，无人开门"}
    assert [r["code"] for r in day["skip_reasons"]] == ["site_closed", "no_access", "out_of_time", "weather", "other"]
    assert day["date"] == to_local(utcnow()).date().isoformat()
    assert day["inspector_id"] == world.users["inspector"].id


def test_the_day_puts_follow_ups_complaints_and_assignments_first_then_the_riskiest_sites(world, app):
    far = world.site("远处工地", east=10, phase="structure")  # 2 km east: a follow-up overdue
    world.inspect(far, {NON_VETO: "fail"}, started_at=local_at(9))  # deadline 2 days ago
    near = world.site("近处工地", east=2, phase="structure")  # a complaint task
    response = world.call("post", "/api/complaints", json={
        "ticket_number": "H-7", "channel": "12345", "received_at": local_at(0, 8).isoformat(), "category": "dust",
        "text": "工地扬尘", "lat": near.lat, "lon": near.lon})
    assert response.status_code == 201, response.get_json()
    assigned = world.site("指派工地", east=5, phase="decoration")
    world.inspect(assigned, started_at=local_at(1))  # passed yesterday: low risk, but assigned
    response = world.call("post", "/api/assignments", json={
        "inspector_id": world.users["inspector"].id, "site_ids": [assigned.id],
        "start_on": to_local(utcnow()).date().isoformat()})
    assert response.status_code == 201, response.get_json()
    risky = world.site("土方工地", east=-3, phase="earthwork")  # never inspected, earthwork
    calm = world.site("装修工地", east=1, phase="decoration")
    world.inspect(calm, started_at=local_at(0, 8))  # the inspector's own, this morning: done
    app.config["TODAY_DAY_SIZE"] = 5
    try:
        day = world.at_home()
    finally:
        app.config["TODAY_DAY_SIZE"] = 8
    by_name = {stop["name"]: stop for stop in day["stops"]}
    assert set(by_name) == {"远处工地", "近处工地", "指派工地", "土方工地", "装修工地"}
    assert by_name["远处工地"]["kinds"][0] == "follow_up_overdue" and by_name["远处工地"]["follow_up_id"]
    assert by_name["远处工地"]["kind_labels"][0] == "复查已逾期"
    assert by_name["近处工地"]["kind"] == "complaint" and by_name["近处工地"]["complaint_id"]
    assert by_name["指派工地"]["kind"] == "assigned" and by_name["指派工地"]["assignment_id"]
    assert by_name["土方工地"]["kind"] == "suggested"
    assert [r["text"] for r in by_name["土方工地"]["reasons"]] == ["从未巡查", "土方阶段"]
    assert by_name["装修工地"]["status"] == "done" and by_name["装修工地"]["order"] is None
    # the stops to visit, in route order from home: west first (土方, 3 steps), then east along the line
    todo = [stop for stop in day["stops"] if stop["status"] == "todo"]
    assert [stop["name"] for stop in todo] == ["土方工地", "近处工地", "指派工地", "远处工地"]
    assert [stop["order"] for stop in todo] == [1, 2, 3, 4]
    assert day["stops"][-1]["name"] == "装修工地"  # done stops after the route
    assert sum(stop["leg_m"] for stop in todo) == pytest.approx(day["total_m"], abs=0.5)
    assert day["total_m"] == pytest.approx(todo[0]["leg_m"] * 16 / 3, rel=0.01)  # 3 steps west, back, 10 east
    assert day["counts"] == {"todo": 4, "done": 1, "skipped": 0}
    for stop in day["stops"]:
        assert {"site_id", "name", "lat", "lon", "reasons", "leg_m"} <= set(stop)


def test_suggestions_fill_the_day_by_risk_and_stop_at_the_day_size(world, app):
    for east in range(1, 7):
        world.site(f"主体{east}", east=east, phase="structure")
    world.site("拆除工地", east=9, phase="demolition")
    app.config["TODAY_DAY_SIZE"] = 3
    try:
        day = world.at_home()
    finally:
        app.config["TODAY_DAY_SIZE"] = 8
    names = {stop["name"] for stop in day["stops"]}
    assert len(names) == 3 and "拆除工地" in names  # demolition outranks structure; ties by site id
    assert names == {"拆除工地", "主体1", "主体2"}
    assert all(stop["kind"] == "suggested" for stop in day["stops"])


def test_english_reasons_and_no_position_starts_at_the_first_stop(world):
    world.site("土方工地", east=3, phase="earthwork")
    world.site("基础工地", east=1, phase="foundation")
    response = world.client.get("/api/today", headers={**world.headers["inspector"], "Accept-Language": "en"})
    day = response.get_json()
    assert day["position"] is None and day["stops"][0]["leg_m"] == 0
    assert day["stops"][0]["reasons"][0]["text"] == "Never inspected"
    assert day["stops"][0]["kind_labels"] == ["Suggested by risk"]


def test_a_supervisor_sees_an_inspectors_day_and_refusals(world):
    world.site("土方工地", east=3, phase="earthwork")
    inspector = world.users["inspector"]
    day = world.today("supervisor", inspector_id=inspector.id)
    assert day["inspector_id"] == inspector.id and len(day["stops"]) == 1
    assert world.today("admin", inspector_id=inspector.id)["stops"] == day["stops"]
    refused = world.today("supervisor", status=422)
    assert refused["code"] == "today_inspector_required"
    world.today("other_supervisor", status=404, inspector_id=inspector.id)
    world.today("supervisor", status=404, inspector_id=world.users["supervisor"].id)  # not an inspector
    world.today("enforcement", status=403, inspector_id=inspector.id)
    # an inspector's own day only: inspector_id is ignored for them
    assert world.today("colleague", inspector_id=inspector.id)["inspector_id"] == world.users["colleague"].id


@pytest.mark.parametrize("query", [{"lat": 40.8}, {"lon": 111.6}, {"lat": 91, "lon": 0}, {"lat": "x", "lon": 1},
                                   {"date": "0001-01-01"}, {"date": "2026-13-01"}, {"inspector_id": 0}])
def test_bad_queries_are_422(world, query):
    body = world.today(status=422, **query)
    assert body["code"] == "validation_error" and body["message"]


def test_the_day_of_another_date(world):
    site = world.site("土方工地", east=3, phase="earthwork")
    world.inspect(site, started_at=local_at(1))
    yesterday = (to_local(utcnow()).date() - timedelta(days=1)).isoformat()
    day = world.at_home(date=yesterday)
    assert day["date"] == yesterday and day["stops"][0]["status"] == "done"
    assert world.at_home()["stops"][0]["status"] == "todo"  # today it is a suggestion again


def test_sql_statements_do_not_grow_with_history(world, count_queries):
    sites = [world.site(f"工地{n}", east=n, phase="earthwork") for n in range(1, 5)]
    world.inspect(sites[0], {NON_VETO: "fail"}, started_at=local_at(9))

    def statements():
        with count_queries() as seen:
            world.at_home()
        return len(seen)

    before = statements()
    for n, site in enumerate(sites * 3):  # twelve more inspections, failures, follow-ups and skips
        world.inspect(site, {NON_VETO: "fail"} if n % 2 else None, started_at=local_at(30 - n))
    for n in range(5):
        world.call("post", "/api/complaints", json={
            "ticket_number": f"C{n}", "channel": "12345", "received_at": local_at(n).isoformat(),
            "category": "dust", "text": "扬尘", "lat": sites[n % 4].lat, "lon": sites[n % 4].lon})
    today = to_local(utcnow()).date()
    for n, site in enumerate(sites):  # assignments and skips, on this day and others
        world.call("post", "/api/assignments", json={
            "inspector_id": world.users["inspector"].id, "site_ids": [site.id],
            "start_on": (today - timedelta(days=n)).isoformat(), "end_on": today.isoformat()})
        world.call("post", "/api/today/skips", role="inspector", json={
            "uuid": str(uuid.uuid4()), "site_id": site.id, "date": (today - timedelta(days=n)).isoformat(),
            "reason": "weather"})
    after = statements()
    assert after == before, f"{before} statements with a short history, {after} with a longer one"
    assert before <= 9  # token, units, risk aggregate, follow-ups, complaints, assignments, done, skips


def test_an_alert_in_force_adds_alert_checks_and_risk_points(world):
    from tests.alerts.conftest import alert_body
    earthwork = world.site("土方工地", east=2, phase="earthwork")
    world.site("主体工地", east=1, phase="structure")
    before = {s["name"]: s["risk_score"] for s in world.at_home()["stops"]}
    response = world.call("post", "/api/alerts", json=alert_body())
    assert response.status_code == 201, response.get_json()
    day = world.at_home()
    by_name = {s["name"]: s for s in day["stops"]}
    assert by_name["土方工地"]["kinds"] == ["alert_check"] and by_name["土方工地"]["kind_labels"] == ["预警检查"]
    assert by_name["主体工地"]["kind"] == "suggested"  # no earthwork: not an alert check
    assert {name: by_name[name]["risk_score"] - before[name] for name in before} == {"土方工地": 12, "主体工地": 12}
    assert "重污染天气预警中" in [r["text"] for r in by_name["土方工地"]["reasons"]]
    assert earthwork.id == by_name["土方工地"]["site_id"]

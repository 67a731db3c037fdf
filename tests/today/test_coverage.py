"""Coverage of a hand-built week: sites due, done, missed per unit (target: every N days) and per
inspector (their assignments); targets set by supervisors, audited; who may see it."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from inspect_app.core.models import AuditEvent
from inspect_app.core.timeutil import LOCAL_TZ, iso_week_of, to_local, utcnow
from inspect_app.extensions import db
from inspect_app.sites.models import Site

LAST_WEEK = iso_week_of(utcnow() - timedelta(days=7))
MONDAY = datetime.fromisocalendar(LAST_WEEK[0], LAST_WEEK[1], 1).date()
WEEK = f"{LAST_WEEK[0]}-W{LAST_WEEK[1]:02d}"


def on(day_offset: int, hour: int = 10) -> datetime:
    """A local time ``day_offset`` days after last week's Monday."""
    return datetime.combine(MONDAY + timedelta(days=day_offset), datetime.min.time(), LOCAL_TZ).replace(hour=hour)


@pytest.fixture
def week(world):
    """The week of the module docstring, built through the API."""
    sites = {name: world.site(name, east=n + 1) for n, name in enumerate("ABCD")}
    sites["H"] = world.site("H", east=6)
    sites["F"] = world.site("F", east=1, unit="zhongshanxilu")
    sites["G"] = world.site("G", east=2, unit="zhongshanxilu")
    db.session.execute(update(Site).values(created_at=utcnow() - timedelta(days=60)))
    db.session.execute(update(Site).where(Site.id == sites["H"].id).values(status="closed"))
    db.session.commit()
    world.inspect(sites["A"], started_at=on(-5))
    world.inspect(sites["A"], started_at=on(3))
    world.inspect(sites["C"], started_at=on(-1))
    world.inspect(sites["D"], started_at=on(-2))
    world.inspect(sites["D"], started_at=on(2))
    world.inspect(sites["F"], started_at=on(-3), role="other_inspector")
    for unit, days, role in (("xinhuaxilu", 7, "supervisor"), ("zhongshanxilu", 14, "other_supervisor")):
        response = world.call("put", f"/api/coverage-targets/{unit}", role=role, json={"every_days": days})
        assert response.status_code == 200, response.get_json()
    inspector, colleague = world.users["inspector"].id, world.users["colleague"].id
    for who, site, first, last in ((inspector, "B", 1, 2), (inspector, "A", 3, 3), (colleague, "D", 2, 2)):
        response = world.call("post", "/api/assignments", json={
            "inspector_id": who, "site_ids": [sites[site].id], "start_on": (MONDAY + timedelta(days=first)).isoformat(),
            "end_on": (MONDAY + timedelta(days=last)).isoformat()})
        assert response.status_code == 201, response.get_json()
    response = world.call("post", "/api/today/skips", role="inspector", json={
        "uuid": str(uuid.uuid4()), "site_id": sites["C"].id, "date": (MONDAY + timedelta(days=4)).isoformat(),
        "reason": "out_of_time"})
    assert response.status_code == 201
    return sites


def test_coverage_per_unit_and_per_inspector_of_a_hand_built_week(world, week):
    response = world.call("get", "/api/coverage", query_string={"week": WEEK})
    assert response.status_code == 200, response.get_json()
    coverage = response.get_json()
    assert coverage["week"] == WEEK and coverage["monday"] == MONDAY.isoformat()
    [unit] = coverage["units"]  # the supervisor's one unit
    assert unit["code"] == "xinhuaxilu" and unit["every_days"] == 7 and unit["target_set"]
    assert {k: unit[k] for k in ("due", "done", "missed", "pending")} == {"due": 4, "done": 2, "missed": 2, "pending": 0}
    assert {site["name"]: site["status"] for site in unit["sites"]} == {
        "A": "done", "B": "missed", "C": "missed", "D": "done"}  # the closed site H is not counted
    people = {p["display_name"]: p for p in coverage["inspectors"]}
    assert {k: people["王巡查"][k] for k in ("due", "done", "missed", "skips")} == {
        "due": 2, "done": 1, "missed": 1, "skips": 1}
    # 李巡查 was given D on Wednesday; 王巡查 inspected it, not 李巡查
    assert {k: people["李巡查"][k] for k in ("due", "done", "missed", "skips")} == {
        "due": 1, "done": 0, "missed": 1, "skips": 0}
    assert set(people) == {"王巡查", "李巡查"}  # the unit's inspectors; another unit's are not listed


def test_an_admin_sees_every_unit_and_a_fortnightly_target(world, week):
    coverage = world.call("get", "/api/coverage", role="admin", query_string={"week": WEEK}).get_json()
    units = {unit["code"]: unit for unit in coverage["units"]}
    assert len(units) == 8
    assert units["zhongshanxilu"]["every_days"] == 14
    assert {s["name"]: s["status"] for s in units["zhongshanxilu"]["sites"]} == {"G": "missed"}  # F: not due
    assert units["youyouban"]["due"] == 0 and not units["youyouban"]["target_set"]
    assert units["youyouban"]["every_days"] == 7  # the default
    one = world.call("get", "/api/coverage", role="admin", query_string={"week": WEEK, "unit": "zhongshanxilu"})
    assert [u["code"] for u in one.get_json()["units"]] == ["zhongshanxilu"]


def test_the_current_week_has_pending_sites(world):
    world.site("A", east=1)
    coverage = world.call("get", "/api/coverage").get_json()
    assert coverage["week"] == "{}-W{:02d}".format(*iso_week_of(utcnow()))
    [unit] = coverage["units"]
    # registered today and never inspected: due today, so pending until the day is over
    assert unit["due"] == 1 and unit["pending"] == 1 and unit["missed"] == 0


def test_setting_a_target_is_audited_with_before_and_after(world):
    for days in (7, 10):
        assert world.call("put", "/api/coverage-targets/xinhuaxilu", json={"every_days": days}).status_code == 200
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "coverage_target.set")
                                     .order_by(AuditEvent.id)))
    assert [(e.before, e.after) for e in events] == [(None, {"every_days": 7}), ({"every_days": 7}, {"every_days": 10})]


@pytest.mark.parametrize(("role", "path", "method", "body", "status"), [
    ("inspector", "/api/coverage", "get", None, 403),
    ("enforcement", "/api/coverage", "get", None, 403),
    ("inspector", "/api/coverage-targets/xinhuaxilu", "put", {"every_days": 7}, 403),
    ("other_supervisor", "/api/coverage-targets/xinhuaxilu", "put", {"every_days": 7}, 404),
    ("supervisor", "/api/coverage-targets/nowhere", "put", {"every_days": 7}, 404),
    ("supervisor", "/api/coverage-targets/xinhuaxilu", "put", {"every_days": 0}, 422),
    ("supervisor", "/api/coverage-targets/xinhuaxilu", "put", {"every_days": "7"}, 422),
    ("supervisor", "/api/coverage?week=2026-W60", "get", None, 422),
    ("supervisor", "/api/coverage?week=0001-W01", "get", None, 422),
    ("inspector", "/api/assignments", "get", None, 403),
])
def test_refusals(world, role, path, method, body, status):
    kwargs = {"json": body} if body is not None else {}
    response = world.call(method, path, role=role, **kwargs)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["message"]


def test_the_weekly_export_gains_a_coverage_sheet(world, week):
    import io

    import openpyxl
    response = world.call("get", "/api/exports/weekly", query_string={"week": WEEK, "format": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames[-2:] == ["巡查覆盖", "分街道汇总"]
    rows = [list(row) for row in book["巡查覆盖"].iter_rows(values_only=True)]
    assert rows[0] == ["范围", "名称", "覆盖要求（天/次）", "应查", "已查", "漏查", "待查", "覆盖率"]
    assert rows[1] == ["街道（镇）", "新华西路街道", 7, 4, 2, 2, 0, 0.5]
    assert sorted(rows[2:]) == [["巡查员", "李巡查", None, 1, 0, 1, 0, 0], ["巡查员", "王巡查", None, 2, 1, 1, 0, 0.5]]
    assert book["巡查覆盖"].max_row == 4
    csv = world.call("get", "/api/exports/weekly", query_string={"week": WEEK, "format": "csv"})
    assert csv.status_code == 200

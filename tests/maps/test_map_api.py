"""GET /api/map/sites: the points both maps draw — open sites of the caller's units with their last grade,
open violations and stop-work order, nearest first from a position — and the tile settings; one query."""
from __future__ import annotations

from datetime import timedelta

import pytest

from inspect_app.core.geo import wgs84_to_gcj02
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.sites.models import Site
from tests.factories import create_site
from tests.scorecards.builders import add_inspection
from tests.scorecards.test_scorecards_api import _other_items, inspector, known_site  # noqa: F401


def _get(client, headers, query=""):
    return client.get(f"/api/map/sites{query}", headers=headers)


def test_points_carry_position_grade_violations_and_tile_settings(client, auth, known_site):
    never = create_site(name="从未巡查工地", lat=40.83, lon=111.66)
    response = _get(client, auth.as_role("supervisor"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["tiles"]["datum"] == "GCJ02" and "{x}" in body["tiles"]["url"]
    assert body["tiles"]["subdomains"] == "1234" and "高德" in body["tiles"]["attribution"]
    items = {item["site_id"]: item for item in body["items"]}
    known = items[known_site.id]
    assert (known["lat"], known["lon"]) == (known_site.lat, known_site.lon)  # stored WGS-84, the phone converts
    assert (known["grade"], known["grade_label"], known["score"]) == ("excellent", "优良", 85)
    assert (known["open_violations"], known["overdue_violations"]) == (3, 2)
    assert known["unit"]["code"] == "xinhuaxilu" and known["status"] == "active"
    assert items[never.id]["grade"] is None and items[never.id]["open_violations"] == 0
    assert body["truncated"] is False


def test_suspended_sites_are_drawn_with_their_order_and_closed_sites_are_not(client, auth, checklists):
    suspended = create_site(name="停工工地")
    closed = create_site(name="已关闭工地")
    suspended.status, suspended.suspension_order_number = "suspended", "回民城执罚决〔2026〕第3号"
    closed.status = "closed"
    db.session.commit()
    items = {i["site_id"]: i for i in _get(client, auth.as_role("supervisor")).get_json()["items"]}
    assert items[suspended.id]["status"] == "suspended"
    assert items[suspended.id]["suspension_order_number"] == "回民城执罚决〔2026〕第3号"
    assert closed.id not in items


def test_a_supervisor_sees_only_their_units_and_can_filter_by_unit(client, auth, checklists):
    mine = create_site("xinhuaxilu", name="本单位工地")
    other_unit_of_mine = create_site("youyouban", lat=40.84, lon=111.56, name="攸攸板工地")
    not_mine = create_site("guangminglu", lat=40.80, lon=111.62, name="光明路工地")
    headers = auth.as_role("supervisor", units=("xinhuaxilu", "youyouban"))
    ids = {i["site_id"] for i in _get(client, headers).get_json()["items"]}
    assert ids == {mine.id, other_unit_of_mine.id}
    assert not_mine.id not in ids
    only = [i["site_id"] for i in _get(client, headers, "?unit=youyouban").get_json()["items"]]
    assert only == [other_unit_of_mine.id]
    assert _get(client, headers, "?unit=guangminglu").get_json()["items"] == []  # not theirs: nothing shown


def test_inspector_gets_nearest_first_with_distances_and_a_limit(client, auth, checklists):
    far = create_site(lat=40.86, lon=111.70, name="远")
    near = create_site(lat=40.8201, lon=111.6501, name="近")
    middle = create_site(lat=40.83, lon=111.66, name="中")
    headers = auth.as_role("inspector")
    body = _get(client, headers, "?lat=40.82&lon=111.65").get_json()
    assert [i["site_id"] for i in body["items"]] == [near.id, middle.id, far.id]
    assert body["items"][0]["distance_m"] < 20 < body["items"][1]["distance_m"]
    limited = _get(client, headers, "?lat=40.82&lon=111.65&limit=2").get_json()
    assert [i["site_id"] for i in limited["items"]] == [near.id, middle.id] and limited["truncated"] is True


def test_a_gcj02_position_is_converted_before_ordering(client, auth, checklists):
    a = create_site(lat=40.8200, lon=111.6500, name="甲")
    create_site(lat=40.8230, lon=111.6560, name="乙")  # about as far from the GCJ-02 reading as 甲
    g_lat, g_lon = wgs84_to_gcj02(40.8200, 111.6500)
    body = _get(client, auth.as_role("inspector"), f"?lat={g_lat}&lon={g_lon}&datum=GCJ02").get_json()
    assert body["items"][0]["site_id"] == a.id and body["items"][0]["distance_m"] < 1


def test_query_count_does_not_grow_with_sites_or_history(client, auth, checklists, inspector, count_queries):
    headers = auth.as_role("supervisor")
    now = utcnow()
    for n in range(2):
        add_inspection(create_site(), inspector, now - timedelta(days=n + 1), 80, "pass")
    db.session.commit()
    _get(client, headers)  # warm: the token lookup caches nothing, but keep the two runs alike
    with count_queries() as small:
        assert len(_get(client, headers).get_json()["items"]) == 2
    for n in range(25):
        site = create_site()
        for days in range(3):
            add_inspection(site, inspector, now - timedelta(days=days + 1), 60 + n, "fail")
    db.session.commit()
    with count_queries() as large:
        assert len(_get(client, headers).get_json()["items"]) == 27
    assert len(large) == len(small)
    map_selects = [s for s in large if "sites.lat" in s]
    assert len(map_selects) == 1, map_selects


@pytest.mark.parametrize("query", ["?lat=40.8", "?lon=111.6", "?lat=91&lon=111", "?lat=40&lon=181",
                                   "?lat=abc&lon=1", "?limit=0", "?limit=2001", "?datum=BD09&lat=1&lon=1",
                                   "?unit=" + "x" * 41])
def test_bad_input_is_refused_with_a_422(client, auth, query):
    response = _get(client, auth.as_role("inspector"), query)
    assert response.status_code == 422, (query, response.get_json())
    assert response.get_json()["code"] == "validation_error" and response.get_json()["message"]


def test_anonymous_callers_must_log_in(client):
    assert client.get("/api/map/sites").status_code == 401


def test_a_user_with_no_units_sees_no_points(client, auth, checklists):
    create_site()
    assert _get(client, auth.as_role("supervisor", units=())).get_json()["items"] == []


def test_site_positions_are_never_changed_by_reading_the_map(client, auth, checklists):
    site = create_site(lat=40.8, lon=111.6)
    _get(client, auth.as_role("supervisor"))
    db.session.expire_all()
    assert (db.session.get(Site, site.id).lat, db.session.get(Site, site.id).lon) == (40.8, 111.6)

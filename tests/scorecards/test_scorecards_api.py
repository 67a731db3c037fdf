"""Scorecards: figures computed right, sorting/filtering/paging, scoping, constant query count."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from inspect_app.core.geo import wgs84_to_gcj02
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from tests.factories import create_site, create_user
from tests.scorecards.builders import add_case, add_inspection, add_violation, checklist_item


@pytest.fixture
def inspector():
    return create_user("inspector", display_name="巡查员甲")


@pytest.fixture
def known_site(checklists, inspector):
    """A site with a known history: the expected figures are written next to each row."""
    now = utcnow()
    site = create_site(name="甲工地", contractor="甲建设公司", contact_name="王工", contact_phone="13800000000")
    add_inspection(site, inspector, now - timedelta(days=40), 60, "fail")  # outside 30 days
    add_inspection(site, inspector, now - timedelta(days=10), 70, "fail")  # previous
    latest = add_inspection(site, inspector, now - timedelta(days=2), 85, "excellent",
                            flags=[{"code": "no_position", "photo_id": None, "details": {}},
                                   {"code": "reused_photo", "photo_id": "p1", "details": {}}],
                            failed={checklist_item().key: ["photo-a", "photo-b"]})
    add_inspection(site, inspector, now - timedelta(days=1), 20, "fail", review_status="superseded")
    items = [checklist_item()] + _other_items(3)
    add_violation(latest, items[0], deadline=now + timedelta(days=2))  # open, not yet due
    add_violation(latest, items[1], deadline=now - timedelta(hours=1))  # open, past deadline
    add_violation(latest, items[2], status="overdue")  # marked overdue
    add_violation(latest, items[3], status="closed")  # not counted
    add_case(latest, items[0], now - timedelta(days=2))  # pending_review
    other = add_inspection(site, inspector, now - timedelta(days=3), None, None)
    add_case(other, items[0], now - timedelta(days=3), status="dismissed")
    db.session.commit()
    return site


def _other_items(n):
    from sqlalchemy import select

    from inspect_app.checklists.models import ChecklistItem

    first = checklist_item()
    rows = db.session.scalars(select(ChecklistItem).where(ChecklistItem.key != first.key)
                              .order_by(ChecklistItem.id)).all()
    seen, out = {first.key}, []
    for item in rows:
        if item.key not in seen:
            seen.add(item.key)
            out.append(item)
        if len(out) == n:
            return out
    raise AssertionError("not enough checklist items")


def _list(client, headers, **params):
    response = client.get("/api/scorecards", query_string=params, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_scorecard_shows_latest_score_average_trend_violations_cases_and_flags(client, auth, known_site):
    never = create_site(name="乙工地")
    body = _list(client, auth.as_role("supervisor"))
    cards = {c["site_id"]: c for c in body["items"]}
    card = cards[known_site.id]
    assert (card["score"], card["grade"], card["previous_score"]) == (85, "excellent", 70)
    assert (card["trend"], card["trend_delta"], card["trend_label"]) == ("up", 15, "上升")
    assert card["avg_score_30d"] == 77.5  # 70 and 85; the superseded 20 and the 40-day-old 60 do not count
    assert card["inspections_30d"] == 3  # 70, 85 and the unscored one
    assert card["days_since_inspection"] == 2
    assert (card["open_violations"], card["overdue_violations"]) == (3, 2)
    assert card["pending_cases"] == 1
    assert (card["flags_30d"], card["flagged_inspections_30d"]) == (2, 1)
    assert card["unit"]["code"] == "xinhuaxilu"
    empty = cards[never.id]
    assert empty["score"] is None and empty["days_since_inspection"] is None and empty["trend"] is None
    assert body["total"] == 2


def test_trend_is_flat_within_one_point_and_down_when_falling(client, auth, checklists, inspector):
    now = utcnow()
    flat, down = create_site(name="持平"), create_site(name="下降")
    for site, scores in ((flat, (80, 80.5)), (down, (90, 72))):
        add_inspection(site, inspector, now - timedelta(days=5), scores[0])
        add_inspection(site, inspector, now - timedelta(days=1), scores[1])
    db.session.commit()
    cards = {c["name"]: c for c in _list(client, auth.as_role("admin"))["items"]}
    assert cards["持平"]["trend"] == "flat"
    assert (cards["下降"]["trend"], cards["下降"]["trend_delta"]) == ("down", -18)


@pytest.fixture
def three_sites(checklists, inspector):
    now = utcnow()
    a, b, c = create_site(name="A工地"), create_site(name="B工地"), create_site(name="C工地")
    add_inspection(a, inspector, now - timedelta(days=1), 90, "excellent")
    low = add_inspection(b, inspector, now - timedelta(days=20), 50, "fail")
    add_violation(low, checklist_item(), status="overdue")
    db.session.commit()
    return a, b, c  # c never inspected


def _names(body):
    return [c["name"] for c in body["items"]]


@pytest.mark.parametrize("sort, expected", [
    ("score", ["B工地", "A工地", "C工地"]),  # worst first, never scored last
    ("-score", ["A工地", "B工地", "C工地"]),
    ("-days_since", ["C工地", "B工地", "A工地"]),  # never inspected = most neglected
    ("days_since", ["A工地", "B工地", "C工地"]),
    ("-overdue", ["B工地", "A工地", "C工地"]),
    ("name", ["A工地", "B工地", "C工地"]),
    ("-name", ["C工地", "B工地", "A工地"]),
])
def test_scorecards_sort(client, auth, three_sites, sort, expected):
    assert _names(_list(client, auth.as_role("supervisor"), sort=sort)) == expected


@pytest.mark.parametrize("params, expected", [
    ({"grade": "fail"}, ["B工地"]),
    ({"has_overdue": "true"}, ["B工地"]),
    ({"has_overdue": "false"}, ["A工地", "C工地"]),
    ({"not_inspected_days": 7}, ["B工地", "C工地"]),
    ({"unit": "新华西路街道"}, ["A工地", "B工地", "C工地"]),
    ({"unit": "guangminglu"}, []),
    ({"q": "A工"}, ["A工地"]),
])
def test_scorecards_filter(client, auth, three_sites, params, expected):
    assert _names(_list(client, auth.as_role("supervisor"), sort="name", **params)) == expected


def test_scorecards_page_with_total(client, auth, three_sites):
    body = _list(client, auth.as_role("supervisor"), sort="name", page=2, page_size=2)
    assert (_names(body), body["total"], body["page"], body["page_size"]) == (["C工地"], 3, 2, 2)


def test_a_page_past_the_end_is_empty_but_keeps_the_total(client, auth, three_sites):
    body = _list(client, auth.as_role("supervisor"), sort="name", page=5, page_size=2)
    assert (body["items"], body["total"]) == ([], 3)


def test_no_sites_gives_an_empty_first_page(client, auth, checklists):
    body = _list(client, auth.as_role("supervisor", units=("guangminglu",)))
    assert (body["items"], body["total"]) == ([], 0)


def test_unknown_sort_is_refused_with_a_clear_code(client, auth):
    response = client.get("/api/scorecards?sort=colour", headers=auth.as_role("supervisor"))
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_error"
    assert "sort" in str(response.get_json()["details"])


def test_supervisor_sees_only_their_units_and_enforcement_the_district(client, auth, checklists):
    create_site(name="本街道工地", unit="xinhuaxilu")
    create_site(name="外街道工地", unit="guangminglu")
    assert _names(_list(client, auth.as_role("supervisor", units=("xinhuaxilu",)))) == ["本街道工地"]
    assert sorted(_names(_list(client, auth.as_role("enforcement", units=())))) == ["外街道工地", "本街道工地"]


@pytest.mark.parametrize("path", ["/api/scorecards", "/api/scorecards/rankings"])
def test_inspectors_are_refused_and_anonymous_callers_must_log_in(client, auth, path):
    assert client.get(path, headers=auth.as_role("inspector")).status_code == 403
    response = client.get(path)
    assert (response.status_code, response.get_json()["code"]) == (401, "not_authenticated")


def _seed_sites(n, inspector):
    now = utcnow()
    item = checklist_item()
    for i in range(n):
        site = create_site(name=f"批量工地{i:03d}")
        add_inspection(site, inspector, now - timedelta(days=3), 80 + i % 10)
        latest = add_inspection(site, inspector, now - timedelta(days=1), 70 + i % 20,
                                flags=[{"code": "no_position", "details": {}}])
        add_violation(latest, item, status="overdue" if i % 2 else "open")
        add_case(latest, item, now)
    db.session.commit()


def test_scorecard_query_count_does_not_grow_with_the_number_of_sites(client, auth, checklists, inspector,
                                                                       count_queries):
    headers = auth.as_role("supervisor")
    _seed_sites(3, inspector)
    with count_queries() as few:
        assert _list(client, headers, page_size=100)["total"] == 3
    _seed_sites(27, inspector)
    with count_queries() as many:
        assert _list(client, headers, page_size=100)["total"] == 30
    assert len(many) == len(few)
    assert len(few) <= 5  # token, user's units, count, page


# --- one site's page -------------------------------------------------------------------------

def test_site_page_has_history_evidence_flags_in_words_violations_and_map(client, auth, known_site):
    response = client.get(f"/api/scorecards/{known_site.id}", headers=auth.as_role("supervisor"))
    assert response.status_code == 200, response.get_json()
    page = response.get_json()
    assert [p["score"] for p in page["history"]] == [60, 70, 85]  # superseded left out, oldest first
    assert page["summary"]["score"] == 85
    newest = page["inspections"][0]
    assert [p["id"] for p in newest["photos"]] == []  # photo rows arrive by upload; none here
    assert newest["failed_items"] == [checklist_item().key]
    assert [f["message"] for f in newest["flags"]][0] == "本次巡查没有设备定位。"
    assert all(i["review_status"] != "superseded" for i in page["inspections"])
    # earliest deadline first: open past deadline, marked overdue, open and not yet due
    assert [(v["status"], v["overdue"]) for v in page["open_violations"]] == [
        ("open", True), ("overdue", True), ("open", False)]
    assert page["open_violations"][0]["text"]
    assert page["site"]["contractor"] == "甲建设公司"
    assert (page["site"]["contact_name"], page["site"]["contact_phone"]) == ("王工", "13800000000")
    lat, lon = wgs84_to_gcj02(known_site.lat, known_site.lon)
    query = parse_qs(urlparse(page["map"]["amap_url"]).query)
    assert query["position"] == [f"{lon:.6f},{lat:.6f}"]
    assert query["coordinate"] == ["gaode"] and query["name"] == ["甲工地"]
    assert (page["map"]["lat"], page["map"]["datum"]) == (known_site.lat, "WGS84")


def test_site_page_flags_speak_english_when_asked(client, auth, known_site):
    headers = auth.as_role("admin") | {"Accept-Language": "en"}
    page = client.get(f"/api/scorecards/{known_site.id}", headers=headers).get_json()
    assert page["inspections"][0]["flags"][0]["message"] == "This inspection carries no device position."


def test_site_page_of_another_unit_is_not_found(client, auth, checklists):
    site = create_site(unit="guangminglu")
    response = client.get(f"/api/scorecards/{site.id}", headers=auth.as_role("supervisor", units=("xinhuaxilu",)))
    assert response.status_code == 404


def test_site_page_lists_uploaded_photos_with_thumb_and_display_links(client, auth, known_site):
    from inspect_app.evidence.models import Photo
    from inspect_app.inspections.models import Inspection

    newest = db.session.scalars(db.select(Inspection).where(Inspection.score == 85)).one()
    db.session.add(Photo(uuid="11111111-1111-4111-8111-111111111111", inspection_id=newest.id,
                         item_key="x", sha256="a" * 64, format="jpeg", size_bytes=1, width=1, height=1,
                         original_key="o", display_key="d", thumb_key="t"))
    db.session.commit()
    page = client.get(f"/api/scorecards/{known_site.id}", headers=auth.as_role("supervisor")).get_json()
    photo = page["inspections"][0]["photos"][0]
    assert photo["thumb_url"] == "/api/photos/11111111-1111-4111-8111-111111111111/thumb"
    assert photo["display_url"] == "/api/photos/11111111-1111-4111-8111-111111111111/display"

"""Sites API: admins register and manage sites (coordinates stored as WGS-84 whatever datum they
arrive in); everyone else sees only the sites of their own units, nearest first on request."""
from __future__ import annotations

import pytest
from geopy.distance import geodesic
from sqlalchemy import select

from inspect_app.core.geo import wgs84_to_gcj02
from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.sites.models import Site
from tests.factories import create_site

SITES = "/api/sites"

# A spot in 新华西路街道 (WGS-84), and one a few km away in another unit's area.
HERE = (40.8200, 111.6500)


def _new_site(**overrides) -> dict:
    return {"name": "万达广场二期", "contractor": "内蒙古某建设有限公司", "builder": "某置业公司",
            "permit_number": "150103202600123", "address": "新华西大街 88 号",
            "unit": "xinhuaxilu", "lat": HERE[0], "lon": HERE[1], "phase": "earthwork",
            "contact_name": "张工", "contact_phone": "13800000000", **overrides}


# --- creating ---------------------------------------------------------------------------------

def test_admin_creates_a_site_with_wgs84_coordinates(client, auth):
    response = client.post(SITES, json=_new_site(), headers=auth.as_role("admin"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["name"] == "万达广场二期"
    assert body["unit"]["code"] == "xinhuaxilu"
    assert (body["lat"], body["lon"]) == HERE
    assert body["datum"] == "WGS84"
    assert body["status"] == "active"
    assert body["geofence_radius_m"] == 200.0
    site = db.session.get(Site, body["id"])
    assert (site.lat, site.lon) == HERE


def test_gcj02_coordinates_from_amap_are_stored_as_wgs84(client, auth):
    gcj_lat, gcj_lon = wgs84_to_gcj02(*HERE)
    response = client.post(SITES, json=_new_site(lat=gcj_lat, lon=gcj_lon, datum="GCJ02"),
                           headers=auth.as_role("admin"))
    assert response.status_code == 201, response.get_json()
    site = db.session.get(Site, response.get_json()["id"])
    assert geodesic((site.lat, site.lon), HERE).meters < 1.0
    # Storing the GCJ-02 figures unconverted would have put the site ~600 m off.
    assert geodesic((site.lat, site.lon), (gcj_lat, gcj_lon)).meters > 200


def test_unit_may_be_given_by_chinese_name(client, auth):
    response = client.post(SITES, json=_new_site(unit="光明路街道"), headers=auth.as_role("admin"))
    assert response.status_code == 201
    assert response.get_json()["unit"]["code"] == "guangminglu"


@pytest.mark.parametrize("lat, lon", [
    (39.9042, 116.4074),   # Beijing
    (40.70, 111.55),       # south of the district
    (40.85, 111.30),       # west of the district
    (40.85, 111.80),       # east
])
def test_sites_outside_the_district_are_refused(client, auth, lat, lon):
    response = client.post(SITES, json=_new_site(lat=lat, lon=lon), headers=auth.as_role("admin"))
    assert response.status_code == 422
    assert response.get_json()["code"] == "site_outside_district"
    assert db.session.scalar(select(Site)) is None


def test_unknown_unit_is_refused(client, auth):
    response = client.post(SITES, json=_new_site(unit="朝阳区"), headers=auth.as_role("admin"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "unknown_unit"
    assert "朝阳区" in body["message"]


@pytest.mark.parametrize("overrides, field", [
    ({"phase": "dreaming"}, "phase"),
    ({"datum": "BD09"}, "datum"),
    ({"lat": 91}, "lat"),
    ({"name": ""}, "name"),
    ({"geofence_radius_m": 0}, "geofence_radius_m"),
    ({"lat": "north"}, "lat"),
])
def test_bad_site_fields_are_named_in_a_422(client, auth, overrides, field):
    response = client.post(SITES, json=_new_site(**overrides), headers=auth.as_role("admin"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert field in body["details"]["json"]


def test_missing_required_fields_are_named(client, auth):
    response = client.post(SITES, json={"name": "x"}, headers=auth.as_role("admin"))
    assert response.status_code == 422
    assert {"contractor", "unit", "lat", "lon", "phase"} <= set(response.get_json()["details"]["json"])


@pytest.mark.parametrize("role", ["inspector", "supervisor", "enforcement"])
def test_only_admins_create_sites(client, auth, role):
    response = client.post(SITES, json=_new_site(), headers=auth.as_role(role))
    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden"
    assert db.session.scalar(select(Site)) is None


def test_site_creation_is_audited(client, auth):
    response = client.post(SITES, json=_new_site(), headers=auth.as_role("admin"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "site.create"))
    assert event.object_type == "sites" and event.object_id == str(response.get_json()["id"])
    assert event.actor_id is not None
    assert event.after["name"] == "万达广场二期" and event.after["lat"] == HERE[0]


# --- updating and closing ---------------------------------------------------------------------

def test_admin_changes_phase_and_audit_keeps_before_and_after(client, auth):
    site = create_site(phase="earthwork", geofence_radius_m=150.0, contractor="甲公司")
    response = client.patch(f"{SITES}/{site.id}", json={"phase": "structure"},
                            headers=auth.as_role("admin"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["phase"] == "structure"
    # A partial update leaves every other field alone (no schema defaults sneak in).
    assert body["geofence_radius_m"] == 150.0 and body["contractor"] == "甲公司"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "site.update"))
    assert event.before["phase"] == "earthwork" and event.after["phase"] == "structure"
    assert event.object_id == str(site.id)


def test_patch_moves_a_site_given_gcj02(client, auth):
    site = create_site()
    target = (40.8300, 111.6400)
    gcj = wgs84_to_gcj02(*target)
    response = client.patch(f"{SITES}/{site.id}", json={"lat": gcj[0], "lon": gcj[1], "datum": "GCJ02"},
                            headers=auth.as_role("admin"))
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    moved = db.session.get(Site, site.id)
    assert geodesic((moved.lat, moved.lon), target).meters < 1.0


def test_patch_needs_lat_and_lon_together(client, auth):
    site = create_site()
    response = client.patch(f"{SITES}/{site.id}", json={"lat": 40.83}, headers=auth.as_role("admin"))
    assert response.status_code == 422
    assert "lat" in response.get_json()["details"]["json"]


def test_patch_cannot_move_a_site_out_of_the_district(client, auth):
    site = create_site()
    response = client.patch(f"{SITES}/{site.id}", json={"lat": 39.9, "lon": 116.4},
                            headers=auth.as_role("admin"))
    assert response.status_code == 422
    assert response.get_json()["code"] == "site_outside_district"
    db.session.expire_all()
    assert (db.session.get(Site, site.id).lat, db.session.get(Site, site.id).lon) == (40.82, 111.65)


def test_patch_to_unknown_unit_is_refused(client, auth):
    site = create_site()
    response = client.patch(f"{SITES}/{site.id}", json={"unit": "nowhere"}, headers=auth.as_role("admin"))
    assert response.status_code == 422
    assert response.get_json()["code"] == "unknown_unit"


def test_admin_closes_a_site_and_it_leaves_the_default_list(client, auth):
    site = create_site(name="已完工小区")
    admin = auth.as_role("admin")
    response = client.post(f"{SITES}/{site.id}/close", headers=admin)
    assert response.status_code == 200
    assert response.get_json()["status"] == "closed"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "site.update"))
    assert event.before["status"] == "active" and event.after["status"] == "closed"
    assert client.get(SITES, headers=admin).get_json()["total"] == 0
    listed = client.get(f"{SITES}?status=all", headers=admin).get_json()
    assert [s["id"] for s in listed["items"]] == [site.id]
    # Its history stays reachable.
    assert client.get(f"{SITES}/{site.id}", headers=admin).status_code == 200


@pytest.mark.parametrize("role", ["inspector", "supervisor", "enforcement"])
def test_only_admins_update_or_close_sites(client, auth, role):
    site = create_site()
    headers = auth.as_role(role)
    assert client.patch(f"{SITES}/{site.id}", json={"phase": "idle"}, headers=headers).status_code == 403
    assert client.post(f"{SITES}/{site.id}/close", headers=headers).status_code == 403
    db.session.expire_all()
    assert db.session.get(Site, site.id).phase == "earthwork"
    assert db.session.get(Site, site.id).status == "active"


def test_unknown_site_is_404(client, auth):
    admin = auth.as_role("admin")
    assert client.get(f"{SITES}/999999", headers=admin).get_json()["code"] == "not_found"
    assert client.patch(f"{SITES}/999999", json={"phase": "idle"}, headers=admin).status_code == 404
    assert client.post(f"{SITES}/999999/close", headers=admin).status_code == 404


# --- nearest sites ------------------------------------------------------------------------------

def _near_sites():
    """Four sites at known offsets north of HERE, created out of distance order."""
    far = create_site(name="远", lat=HERE[0] + 0.030, lon=HERE[1])
    near = create_site(name="近", lat=HERE[0] + 0.002, lon=HERE[1])
    middle = create_site(name="中", lat=HERE[0], lon=HERE[1] - 0.012)
    nearest = create_site(name="最近", lat=HERE[0] + 0.0005, lon=HERE[1] + 0.0005)
    return [nearest, near, middle, far]


def test_near_returns_nearest_first_with_geodesic_metres(client, auth):
    expected = _near_sites()
    response = client.get(f"{SITES}?near={HERE[0]},{HERE[1]}", headers=auth.as_role("inspector"))
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [s["id"] for s in items] == [s.id for s in expected]
    for item in items:
        assert item["distance_m"] == pytest.approx(
            geodesic(HERE, (item["lat"], item["lon"])).meters, abs=1.0)
    assert items[-1]["distance_m"] == pytest.approx(3331, abs=10)  # 0.03° of latitude


def test_near_ordering_holds_across_pages(client, auth):
    expected = _near_sites()
    headers = auth.as_role("inspector")
    first = client.get(f"{SITES}?near={HERE[0]},{HERE[1]}&page_size=2", headers=headers).get_json()
    second = client.get(f"{SITES}?near={HERE[0]},{HERE[1]}&page_size=2&page=2", headers=headers).get_json()
    assert first["total"] == second["total"] == 4
    assert [s["id"] for s in first["items"] + second["items"]] == [s.id for s in expected]


def test_near_with_gcj02_converts_the_query_point(client, auth):
    """A position read off Amap is GCJ-02; unconverted it would be ~600 m off and reorder sites."""
    on_the_spot = create_site(name="原地", lat=HERE[0], lon=HERE[1])
    # A decoy where the unconverted GCJ-02 point would fall.
    gcj = wgs84_to_gcj02(*HERE)
    decoy = create_site(name="诱饵", lat=gcj[0], lon=gcj[1])
    headers = auth.as_role("inspector")
    items = client.get(f"{SITES}?near={gcj[0]},{gcj[1]}&datum=GCJ02", headers=headers).get_json()["items"]
    assert [s["id"] for s in items] == [on_the_spot.id, decoy.id]
    assert items[0]["distance_m"] < 1.0
    unconverted = client.get(f"{SITES}?near={gcj[0]},{gcj[1]}", headers=headers).get_json()["items"]
    assert unconverted[0]["id"] == decoy.id


@pytest.mark.parametrize("near", ["91,111.65", "40.82,181", "abc", "40.82", "40.82,111.65,3",
                                  "40.82;111.65", ",", "nan,nan"])
def test_bad_near_is_422_bad_near(client, auth, near):
    response = client.get(SITES, query_string={"near": near}, headers=auth.as_role("inspector"))
    assert response.status_code == 422
    assert response.get_json()["code"] == "bad_near"


def test_unknown_datum_in_query_is_422(client, auth):
    response = client.get(f"{SITES}?near=40.82,111.65&datum=BD09", headers=auth.as_role("inspector"))
    assert response.status_code == 422
    assert "datum" in response.get_json()["details"]["query"]


def test_without_near_there_is_no_distance(client, auth):
    create_site()
    item = client.get(SITES, headers=auth.as_role("inspector")).get_json()["items"][0]
    assert item.get("distance_m") is None


# --- search and pagination -------------------------------------------------------------------

def test_search_by_name(client, auth):
    create_site(name="海亮广场")
    create_site(name="万达广场")
    create_site(name="回民区第一中学")
    items = client.get(SITES, query_string={"q": "广场"}, headers=auth.as_role("inspector")).get_json()["items"]
    assert sorted(s["name"] for s in items) == ["万达广场", "海亮广场"]


def test_search_treats_percent_and_underscore_literally(client, auth):
    create_site(name="扬尘治理100%示范工地")
    create_site(name="万达广场")
    headers = auth.as_role("inspector")
    assert client.get(SITES, query_string={"q": "%"}, headers=headers).get_json()["total"] == 1
    assert client.get(SITES, query_string={"q": "_"}, headers=headers).get_json()["total"] == 0
    found = client.get(SITES, query_string={"q": "100%示范"}, headers=headers).get_json()
    assert [s["name"] for s in found["items"]] == ["扬尘治理100%示范工地"]


def test_search_by_contractor_and_phase(client, auth):
    create_site(name="甲", contractor="中建三局", phase="earthwork")
    create_site(name="乙", contractor="中建三局", phase="structure")
    create_site(name="丙", contractor="内蒙古建工", phase="earthwork")
    headers = auth.as_role("inspector")
    found = client.get(SITES, query_string={"q": "中建", "phase": "earthwork"}, headers=headers).get_json()
    assert [s["name"] for s in found["items"]] == ["甲"]


def test_pagination_reports_totals(client, auth):
    for i in range(7):
        create_site(name=f"工地{i:02d}")
    headers = auth.as_role("inspector")
    page = client.get(SITES, query_string={"page": 2, "page_size": 3}, headers=headers).get_json()
    assert page["total"] == 7 and page["page"] == 2 and page["page_size"] == 3
    assert [s["name"] for s in page["items"]] == ["工地03", "工地04", "工地05"]
    last = client.get(SITES, query_string={"page": 3, "page_size": 3}, headers=headers).get_json()
    assert [s["name"] for s in last["items"]] == ["工地06"]
    beyond = client.get(SITES, query_string={"page": 9, "page_size": 3}, headers=headers).get_json()
    assert beyond["items"] == [] and beyond["total"] == 7


@pytest.mark.parametrize("query", [{"page": 0}, {"page_size": 0}, {"page_size": 201}, {"page": "x"}])
def test_bad_paging_is_422(client, auth, query):
    response = client.get(SITES, query_string=query, headers=auth.as_role("inspector"))
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_error"


# --- unit scoping --------------------------------------------------------------------------------

@pytest.fixture
def two_units():
    """One site in 新华西路街道 and one in 攸攸板镇."""
    return {"xinhuaxilu": create_site(unit="xinhuaxilu", name="新华工地"),
            "youyouban": create_site(unit="youyouban", name="攸攸板工地", lat=40.86, lon=111.58)}


def test_inspector_never_sees_another_units_sites(client, auth, two_units):
    headers = auth.as_role("inspector", units=("xinhuaxilu",))
    listed = client.get(SITES, headers=headers).get_json()
    assert [s["name"] for s in listed["items"]] == ["新华工地"] and listed["total"] == 1
    other = two_units["youyouban"]
    response = client.get(f"{SITES}/{other.id}", headers=headers)
    assert response.status_code == 404  # not 403: its existence is not revealed
    assert response.get_json()["code"] == "not_found"
    near_other = client.get(SITES, query_string={"near": f"{other.lat},{other.lon}"}, headers=headers)
    assert [s["name"] for s in near_other.get_json()["items"]] == ["新华工地"]
    by_unit = client.get(SITES, query_string={"unit": "youyouban"}, headers=headers).get_json()
    assert by_unit["items"] == [] and by_unit["total"] == 0
    by_name = client.get(SITES, query_string={"q": "攸攸板"}, headers=headers).get_json()
    assert by_name["total"] == 0


def test_user_without_units_sees_nothing(client, auth, two_units):
    headers = auth.as_role("inspector", units=())
    assert client.get(SITES, headers=headers).get_json()["total"] == 0
    assert client.get(f"{SITES}/{two_units['xinhuaxilu'].id}", headers=headers).status_code == 404


def test_supervisor_with_several_units_sees_all_of_them(client, auth, two_units):
    create_site(unit="guangminglu", name="光明工地")
    headers = auth.as_role("supervisor", units=("xinhuaxilu", "youyouban"))
    names = {s["name"] for s in client.get(SITES, headers=headers).get_json()["items"]}
    assert names == {"新华工地", "攸攸板工地"}
    filtered = client.get(SITES, query_string={"unit": "攸攸板镇"}, headers=headers).get_json()
    assert [s["name"] for s in filtered["items"]] == ["攸攸板工地"]


@pytest.mark.parametrize("role", ["enforcement", "admin"])
def test_enforcement_and_admin_see_the_whole_district(client, auth, two_units, role):
    headers = auth.as_role(role, units=())
    assert client.get(SITES, headers=headers).get_json()["total"] == 2
    for site in two_units.values():
        assert client.get(f"{SITES}/{site.id}", headers=headers).status_code == 200


def test_listing_needs_a_token(client, two_units):
    response = client.get(SITES)
    assert response.status_code == 401
    assert response.get_json()["code"] == "not_authenticated"

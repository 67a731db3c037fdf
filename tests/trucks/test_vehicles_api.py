"""The registry API: who may read and write, plate handling, lookup from the phone, audit."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.trucks import queries
from inspect_app.trucks.models import Vehicle
from tests.factories import create_site

READ_ROLES = ("inspector", "supervisor", "enforcement", "admin")
NON_ADMIN = ("inspector", "supervisor", "enforcement")


def _vehicle_body(**extra):
    return {"plate": "蒙A12345", "rated_load_t": 18, "filing_status": "filed",
            "filing_expires_on": "2099-12-31", **extra}


# --- who may do what ------------------------------------------------------------------------

@pytest.mark.parametrize("method, url", [
    ("get", "/api/vehicles"),
    ("post", "/api/vehicles"),
    ("get", "/api/vehicles/1"),
    ("patch", "/api/vehicles/1"),
    ("post", "/api/vehicles/1/deactivate"),
    ("get", "/api/vehicles/lookup?plate=蒙A12345"),
    ("post", "/api/vehicles/import"),
    ("get", "/api/companies"),
    ("post", "/api/companies"),
    ("get", "/api/companies/1"),
    ("patch", "/api/companies/1"),
])
def test_every_registry_endpoint_refuses_callers_without_a_token(client, method, url):
    response = getattr(client, method)(url, json={})
    assert response.status_code == 401
    assert response.get_json()["code"] == "not_authenticated"


@pytest.mark.parametrize("role", NON_ADMIN)
def test_only_admins_change_the_register(client, auth, make_vehicle, make_company, role):
    vehicle, company = make_vehicle(), make_company()
    headers = auth.as_role(role)
    attempts = [
        client.post("/api/vehicles", json=_vehicle_body(plate="蒙A54321"), headers=headers),
        client.patch(f"/api/vehicles/{vehicle.id}", json={"rated_load_t": 30}, headers=headers),
        client.post(f"/api/vehicles/{vehicle.id}/deactivate", headers=headers),
        client.post("/api/vehicles/import", data="车牌号,核定载质量(吨),备案状态\n蒙A11111,18,已备案\n",
                    headers=headers),
        client.post("/api/companies", json={"name": "新公司"}, headers=headers),
        client.patch(f"/api/companies/{company.id}", json={"name": "改名"}, headers=headers),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert {r.get_json()["code"] for r in attempts} == {"forbidden"}
    assert db.session.scalar(select(Vehicle.rated_load_t)) == 18.0
    assert queries.count_vehicles() == 1


@pytest.mark.parametrize("role", READ_ROLES)
def test_every_role_can_search_and_read_the_register(client, auth, make_vehicle, make_company, role):
    company = make_company()
    vehicle = make_vehicle(company_id=company.id)
    headers = auth.as_role(role)
    assert client.get("/api/vehicles", headers=headers).get_json()["total"] == 1
    assert client.get(f"/api/vehicles/{vehicle.id}", headers=headers).status_code == 200
    assert client.get("/api/vehicles/lookup?plate=蒙A12345", headers=headers).status_code == 200
    assert client.get("/api/companies", headers=headers).get_json()["total"] == 1
    assert client.get(f"/api/companies/{company.id}", headers=headers).status_code == 200


def test_vehicles_are_district_wide_not_scoped_to_the_inspectors_unit(client, auth, make_vehicle):
    site = create_site(unit="youyouban", lat=40.85, lon=111.55)
    make_vehicle(site_ids=[site.id])
    headers = auth.as_role("inspector", units=("xinhuaxilu",))
    body = client.get("/api/vehicles/lookup?plate=蒙A12345", headers=headers).get_json()
    assert body["plate"] == "蒙A12345"
    assert body["sites"] == [{"id": site.id, "name": site.name}]


# --- admin CRUD -----------------------------------------------------------------------------

def test_admin_registers_a_truck_under_its_normalised_plate(client, admin, make_company):
    company = make_company()
    site = create_site()
    response = client.post("/api/vehicles", headers=admin, json=_vehicle_body(
        plate=" 蒙a·12345 ", company_id=company.id, approval_number="HM-2026-001", site_ids=[site.id]))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["plate"] == "蒙A12345"
    assert body["plate_kind"] == "ordinary"
    assert body["plate_colour"] == "yellow"  # defaulted: muck trucks are large vehicles
    assert body["company"] == {"id": company.id, "name": company.name}
    assert body["sites"] == [{"id": site.id, "name": site.name}]
    assert body["filing_valid"] is True and body["filing_problem"] is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "vehicle.create"))
    assert event.after["plate"] == "蒙A12345" and event.after["site_ids"] == [site.id]


def test_new_energy_truck_gets_a_yellow_green_plate_by_default(client, admin):
    body = client.post("/api/vehicles", headers=admin, json=_vehicle_body(plate="蒙A12345D")).get_json()
    assert (body["plate_kind"], body["plate_colour"]) == ("new_energy_large", "yellow_green")


def test_registering_a_malformed_plate_explains_the_expected_form(client, admin):
    response = client.post("/api/vehicles", headers={**admin, "Accept-Language": "en"},
                           json=_vehicle_body(plate="蒙O12345"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "invalid_plate"
    assert body["details"]["reason"] == "letter_i_or_o"
    assert "I and O" in body["message"] and "蒙A12345" in body["message"]


def test_the_same_plate_cannot_be_registered_twice_in_any_spelling(client, admin, make_vehicle):
    make_vehicle(plate="蒙A12345")
    response = client.post("/api/vehicles", headers=admin, json=_vehicle_body(plate="蒙 a 12345"))
    assert response.status_code == 409
    assert response.get_json()["code"] == "vehicle_plate_taken"


@pytest.mark.parametrize("body, code", [
    (_vehicle_body(rated_load_t=0), "validation_error"),
    (_vehicle_body(rated_load_t=18000), "validation_error"),  # kilograms, not tonnes
    (_vehicle_body(filing_status="approved"), "validation_error"),
    (_vehicle_body(plate_colour="green"), "plate_colour_mismatch"),
    (_vehicle_body(company_id=999), "unknown_company"),
    (_vehicle_body(site_ids=[999]), "unknown_site"),
    ({"plate": "蒙A12345"}, "validation_error"),
])
def test_bad_vehicle_data_is_refused_and_nothing_is_stored(client, admin, body, code):
    response = client.post("/api/vehicles", headers=admin, json=body)
    assert response.status_code == 422
    assert response.get_json()["code"] == code
    assert queries.count_vehicles() == 0


def test_admin_updates_a_truck_and_the_audit_keeps_before_and_after(client, admin, make_vehicle):
    vehicle = make_vehicle()
    site = create_site()
    response = client.patch(f"/api/vehicles/{vehicle.id}", headers=admin,
                            json={"rated_load_t": 25.5, "filing_status": "revoked", "site_ids": [site.id]})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["rated_load_t"] == 25.5
    assert body["filing_valid"] is False and body["filing_problem"] == "revoked"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "vehicle.update"))
    assert event.before["filing_status"] == "filed" and event.after["filing_status"] == "revoked"
    assert event.before["site_ids"] == [] and event.after["site_ids"] == [site.id]


def test_renumbering_a_truck_onto_another_trucks_plate_is_a_conflict(client, admin, make_vehicle):
    make_vehicle(plate="蒙A11111")
    second = make_vehicle(plate="蒙A22222")
    response = client.patch(f"/api/vehicles/{second.id}", headers=admin, json={"plate": "蒙a11111"})
    assert response.status_code == 409


def test_deactivated_truck_leaves_the_list_but_still_answers_a_lookup(client, admin, auth, make_vehicle):
    vehicle = make_vehicle()
    response = client.post(f"/api/vehicles/{vehicle.id}/deactivate", headers=admin)
    assert response.status_code == 200
    inspector = auth.as_role("inspector")
    assert client.get("/api/vehicles", headers=inspector).get_json()["total"] == 0
    assert client.get("/api/vehicles?active=all", headers=inspector).get_json()["total"] == 1
    body = client.get("/api/vehicles/lookup?plate=蒙A12345", headers=inspector).get_json()
    assert body["active"] is False
    assert body["filing_valid"] is False and body["filing_problem"] == "inactive"
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "vehicle.deactivate"))


def test_unknown_vehicle_id_is_404(client, admin):
    assert client.get("/api/vehicles/999", headers=admin).status_code == 404
    assert client.patch("/api/vehicles/999", headers=admin, json={"rated_load_t": 3}).status_code == 404


# --- search ---------------------------------------------------------------------------------

def test_search_by_plate_prefix_in_any_spelling_and_by_company(client, auth, make_vehicle, make_company):
    shunda, other = make_company("顺达运输"), make_company("宏远运输")
    make_vehicle(plate="蒙A12345", company_id=shunda.id)
    make_vehicle(plate="蒙A12399", company_id=other.id)
    make_vehicle(plate="蒙B12345")
    headers = auth.as_role("inspector")

    def plates(query):
        body = client.get(f"/api/vehicles?{query}", headers=headers).get_json()
        return [v["plate"] for v in body["items"]]

    assert plates("plate=蒙a 123") == ["蒙A12345", "蒙A12399"]
    assert plates("plate=蒙A1234") == ["蒙A12345"]
    assert plates(f"company_id={shunda.id}") == ["蒙A12345"]
    assert plates("company=宏远") == ["蒙A12399"]
    assert plates("plate=%25") == []  # wildcards are literal


def test_vehicle_list_is_paginated(client, auth, make_vehicle):
    for n in range(5):
        make_vehicle(plate=f"蒙A1000{n}")
    body = client.get("/api/vehicles?page=2&page_size=2", headers=auth.as_role("inspector")).get_json()
    assert (body["total"], body["page"], [v["plate"] for v in body["items"]]) == (
        5, 2, ["蒙A10002", "蒙A10003"])


def test_listing_many_vehicles_takes_a_fixed_number_of_queries(client, auth, make_vehicle,
                                                                make_company, count_queries):
    company = make_company()
    site = create_site()
    for n in range(10):
        make_vehicle(plate=f"蒙A2000{n}", company_id=company.id, site_ids=[site.id])
    headers = auth.as_role("inspector")
    with count_queries() as few:
        client.get("/api/vehicles?page_size=2", headers=headers)
    with count_queries() as many:
        client.get("/api/vehicles?page_size=10", headers=headers)
    assert len(many) == len(few)


# --- lookup from the phone ------------------------------------------------------------------

def test_lookup_of_an_unregistered_plate_says_the_vehicle_is_unknown(client, auth):
    response = client.get("/api/vehicles/lookup?plate=蒙a99999", headers=auth.as_role("inspector"))
    assert response.status_code == 404
    body = response.get_json()
    assert body["code"] == "vehicle_unknown"
    assert "蒙A99999" in body["message"]


def test_lookup_of_a_malformed_plate_asks_for_a_correction(client, auth):
    response = client.get("/api/vehicles/lookup?plate=蒙I9999", headers=auth.as_role("inspector"))
    assert response.status_code == 422
    assert response.get_json()["code"] == "invalid_plate"


def test_lookup_without_a_plate_is_refused(client, auth):
    response = client.get("/api/vehicles/lookup", headers=auth.as_role("inspector"))
    assert response.status_code == 422


def test_expired_filing_is_not_valid(client, auth, make_vehicle):
    yesterday = queries.local_today() - timedelta(days=1)
    make_vehicle(filing_expires_on=yesterday)
    body = client.get("/api/vehicles/lookup?plate=蒙A12345", headers=auth.as_role("inspector")).get_json()
    assert body["filing_status"] == "filed"
    assert body["filing_valid"] is False and body["filing_problem"] == "expired"


def test_filing_is_valid_through_its_last_day(client, auth, make_vehicle):
    make_vehicle(filing_expires_on=queries.local_today())
    body = client.get("/api/vehicles/lookup?plate=蒙A12345", headers=auth.as_role("inspector")).get_json()
    assert body["filing_valid"] is True


@pytest.mark.parametrize("status", ["unfiled", "expired", "revoked"])
def test_only_a_filed_truck_has_a_valid_filing(make_vehicle, status):
    vehicle = make_vehicle(filing_status=status)
    assert vehicle.filing_valid_on(queries.local_today()) is False
    assert vehicle.filing_problem(queries.local_today()) == status


def test_filing_expiry_is_judged_on_the_shanghai_date_not_utc(monkeypatch, make_vehicle):
    # 2026-03-31 17:30 UTC is already 1 April in Hohhot: a filing valid to 31 March has lapsed.
    monkeypatch.setattr(queries, "utcnow", lambda: datetime(2026, 3, 31, 17, 30, tzinfo=timezone.utc))
    vehicle = make_vehicle(filing_expires_on=datetime(2026, 3, 31).date())
    assert queries.local_today().isoformat() == "2026-04-01"
    assert vehicle.filing_valid_on(queries.local_today()) is False


# --- companies ------------------------------------------------------------------------------

def test_admin_registers_and_renames_a_company_with_unique_names(client, admin, make_company):
    make_company("宏远运输")
    response = client.post("/api/companies", headers=admin,
                           json={"name": " 顺达运输 ", "licence_number": "呼建运2026-01",
                                 "contact_name": "王经理", "contact_phone": "13800000000"})
    assert response.status_code == 201
    company = response.get_json()
    assert company["name"] == "顺达运输"
    assert client.post("/api/companies", headers=admin, json={"name": "宏远运输"}).status_code == 409
    rename = client.patch(f"/api/companies/{company['id']}", headers=admin, json={"name": "宏远运输"})
    assert rename.status_code == 409 and rename.get_json()["code"] == "company_name_taken"
    ok = client.patch(f"/api/companies/{company['id']}", headers=admin, json={"contact_phone": "13900000000"})
    assert ok.get_json()["contact_phone"] == "13900000000"
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions.count("company.create") == 2 and actions.count("company.update") == 1


def test_company_search_by_name(client, auth, make_company):
    make_company("顺达运输", licence_number="L-1")
    make_company("宏远运输")
    body = client.get("/api/companies?q=顺达", headers=auth.as_role("supervisor")).get_json()
    assert [c["name"] for c in body["items"]] == ["顺达运输"]

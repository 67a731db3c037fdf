"""Who may submit and read roadside checks, and who is refused."""
import uuid

from sqlalchemy import func, select

from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from tests import factories
from tests.roadside.helpers import truck_check


def test_a_supervisor_cannot_submit_a_roadside_check(client, auth, form, truck):
    supervisor = auth.as_role("supervisor", units=("xinhuaxilu",))
    response = client.post("/api/roadside-checks", json=truck_check(form), headers=supervisor)
    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden"


def test_without_a_token_nothing_is_submitted_or_read(client, form, truck):
    assert client.post("/api/roadside-checks", json=truck_check(form)).status_code == 401
    assert client.get("/api/roadside-checks").status_code == 401
    assert client.get(f"/api/roadside-checks/{uuid.uuid4()}").status_code == 401
    assert client.get("/api/roadside/repeat-offenders").status_code == 401
    assert db.session.scalar(select(func.count()).select_from(Inspection)) == 0


def test_an_origin_site_in_another_unit_is_not_found(client, headers, form, truck):
    elsewhere = factories.create_site("gangtielu")
    response = client.post("/api/roadside-checks", json=truck_check(form, origin_site_id=elsewhere.id),
                           headers=headers)
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Inspection)) == 0


def test_an_unknown_origin_site_is_not_found(client, headers, form, truck):
    response = client.post("/api/roadside-checks", json=truck_check(form, origin_site_id=999999), headers=headers)
    assert response.status_code == 404


def test_inspectors_read_their_own_checks_supervisors_their_units_enforcement_all(client, auth, headers, form,
                                                                                     truck):
    mine = truck_check(form)
    assert client.post("/api/roadside-checks", json=mine, headers=headers).status_code == 201
    other_inspector = auth.headers(factories.create_user("inspector", units=("gangtielu",)))
    theirs = truck_check(form)
    assert client.post("/api/roadside-checks", json=theirs, headers=other_inspector).status_code == 201

    def uuids(headers_, **query):
        response = client.get("/api/roadside-checks", headers=headers_, query_string=query)
        assert response.status_code == 200, response.get_json()
        return {c["uuid"] for c in response.get_json()["items"]}

    assert uuids(headers) == {mine["uuid"]}
    assert uuids(other_inspector) == {theirs["uuid"]}
    assert uuids(auth.as_role("supervisor", units=("xinhuaxilu",))) == {mine["uuid"]}
    assert uuids(auth.as_role("supervisor", units=("gangtielu",))) == {theirs["uuid"]}
    assert uuids(auth.as_role("enforcement", units=())) == {mine["uuid"], theirs["uuid"]}
    assert uuids(auth.as_role("admin", units=()), plate="蒙a1") == {mine["uuid"], theirs["uuid"]}
    assert uuids(auth.as_role("admin", units=()), plate="蒙B") == set()

    assert client.get(f"/api/roadside-checks/{mine['uuid']}", headers=headers).status_code == 200
    assert client.get(f"/api/roadside-checks/{theirs['uuid']}", headers=headers).status_code == 404


def test_a_site_inspection_is_not_a_roadside_check(client, headers, form):
    from tests.inspections.helpers import site_form, submission

    site = factories.create_site("xinhuaxilu")
    body = submission(site_form(client, headers), site)
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 201
    assert client.get(f"/api/roadside-checks/{body['uuid']}", headers=headers).status_code == 404
    assert client.get("/api/roadside-checks", headers=headers).get_json()["total"] == 0


def test_inspectors_cannot_see_the_repeat_offender_ranking(client, headers):
    response = client.get("/api/roadside/repeat-offenders", headers=headers)
    assert response.status_code == 403

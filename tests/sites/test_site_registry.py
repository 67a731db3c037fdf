"""The site registry (一企一档): parties as organisation records, project fields, status with a reason,
phase history, the datum coordinates were entered in; every edit audited with before and after."""
from __future__ import annotations

from datetime import timedelta

import pytest
from geopy.distance import geodesic
from sqlalchemy import select

from inspect_app.core.geo import wgs84_to_gcj02
from inspect_app.core.models import AuditEvent
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.organisations.models import Organisation
from inspect_app.sites.models import Site
from inspect_app.sites.queries import phase_at
from tests.factories import create_site

SITES = "/api/sites"
HERE = (40.8200, 111.6500)


def _org(name: str, code: str | None = None) -> Organisation:
    org = Organisation(name=name, credit_code=code)
    db.session.add(org)
    db.session.commit()
    return org


def _full_site(**overrides) -> dict:
    return {"name": "海西路安置房", "unit": "xinhuaxilu", "lat": HERE[0], "lon": HERE[1], "phase": "earthwork",
            "permit_number": "150103202611300101", "project_type": "building",
            "planned_start": "2026-03-01", "planned_finish": "2027-10-31", "floor_area_m2": 52000.5,
            "project_manager_name": "李建国", "project_manager_phone": "13912345678",
            "dust_officer_name": "赵扬", "dust_officer_phone": "13812345678",
            "dust_plan_filed": True, "dust_plan_filed_on": "2026-02-20", **overrides}


def test_a_site_names_its_three_parties_by_record(client, auth):
    builder, contractor, supervisor = _org("某置业有限公司"), _org("某建工集团"), _org("某监理公司")
    response = client.post(SITES, json=_full_site(builder_id=builder.id, contractor_id=contractor.id,
                                                  supervisor_id=supervisor.id), headers=auth.as_role("admin"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["contractor"] == "某建工集团" and body["builder"] == "某置业有限公司"  # names copied
    assert body["contractor_org"]["id"] == contractor.id
    assert body["supervisor_org"]["name"] == "某监理公司"
    assert (body["project_type"], body["planned_start"], body["planned_finish"]) == (
        "building", "2026-03-01", "2027-10-31")
    assert body["floor_area_m2"] == 52000.5 and body["dust_plan_filed_on"] == "2026-02-20"
    assert body["project_manager_name"] == "李建国" and body["dust_officer_phone"] == "13812345678"
    assert body["entered_datum"] == "WGS84"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "site.create"))
    assert event.after["supervisor_org_id"] == supervisor.id


def test_unknown_or_merged_away_organisations_are_refused(client, auth):
    headers = auth.as_role("admin")
    response = client.post(SITES, json=_full_site(contractor_id=987654), headers=headers)
    assert response.status_code == 422 and response.get_json()["code"] == "unknown_organisation"
    survivor = _org("甲")
    gone = _org("甲（重复）")
    gone.merged_into_id = survivor.id
    db.session.commit()
    response = client.post(SITES, json=_full_site(contractor_id=gone.id), headers=headers)
    assert response.status_code == 409 and response.get_json()["code"] == "organisation_merged_away"
    assert db.session.scalar(select(Site)) is None


def test_a_site_without_any_contractor_is_refused(client, auth):
    response = client.post(SITES, json=_full_site(), headers=auth.as_role("admin"))
    assert response.status_code == 422
    assert "contractor" in response.get_json()["details"]["json"]


@pytest.mark.parametrize("overrides, code", [
    ({"planned_start": "2027-01-01", "planned_finish": "2026-01-01"}, "site_finish_before_start"),
    ({"dust_plan_filed": False, "dust_plan_filed_on": "2026-02-20"}, "site_plan_date_without_filing"),
])
def test_inconsistent_project_fields_are_refused(client, auth, overrides, code):
    response = client.post(SITES, json=_full_site(contractor="某建工", **overrides), headers=auth.as_role("admin"))
    assert response.status_code == 422 and response.get_json()["code"] == code


def test_bad_project_type_is_refused(client, auth):
    response = client.post(SITES, json=_full_site(contractor="某建工", project_type="住宅"),
                           headers=auth.as_role("admin"))
    assert response.status_code == 422 and "project_type" in response.get_json()["details"]["json"]


def test_pasted_gcj02_is_stored_as_wgs84_and_the_datum_is_labelled(client, auth):
    gcj = wgs84_to_gcj02(*HERE)
    response = client.post(SITES, json=_full_site(contractor="某建工", lat=gcj[0], lon=gcj[1], datum="GCJ02"),
                           headers=auth.as_role("admin"))
    body = response.get_json()
    assert body["entered_datum"] == "GCJ02" and body["datum"] == "WGS84"
    assert geodesic((body["lat"], body["lon"]), HERE).meters < 1


def test_editing_parties_and_fields_is_audited_before_and_after(client, auth):
    site = create_site(contractor="手写的公司名")
    contractor = _org("正式的施工单位")
    response = client.patch(f"{SITES}/{site.id}", json={"contractor_id": contractor.id, "floor_area_m2": 100.0},
                            headers=auth.as_role("admin"))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["contractor"] == "正式的施工单位"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "site.update"))
    assert event.before["contractor"] == "手写的公司名" and event.before["contractor_org_id"] is None
    assert event.after["contractor_org_id"] == contractor.id and event.after["floor_area_m2"] == 100.0
    detached = client.patch(f"{SITES}/{site.id}", json={"contractor_id": None}, headers=auth.as_role("admin"))
    assert detached.get_json()["contractor_org"] is None and detached.get_json()["contractor"] == "正式的施工单位"


def test_phase_changes_keep_history(client, auth):
    site = create_site(phase="earthwork")
    headers = auth.as_role("admin")
    before_change = utcnow()
    client.patch(f"{SITES}/{site.id}", json={"phase": "foundation"}, headers=headers)
    client.patch(f"{SITES}/{site.id}", json={"name": "新名字"}, headers=headers)  # no phase change, no entry
    client.patch(f"{SITES}/{site.id}", json={"phase": "structure"}, headers=headers)
    history = client.get(f"{SITES}/{site.id}/phases", headers=auth.as_role("inspector")).get_json()
    assert [(h["previous_phase"], h["phase"]) for h in history] == [
        (None, "earthwork"), ("earthwork", "foundation"), ("foundation", "structure")]
    site = db.session.get(Site, site.id)
    assert phase_at(site, before_change) == "earthwork"
    assert phase_at(site, utcnow()) == "structure"
    assert phase_at(site, before_change - timedelta(days=1)) is None


def test_finishing_a_site_keeps_the_reason_until_it_reopens(client, auth):
    site = create_site()
    headers = auth.as_role("admin")
    body = client.patch(f"{SITES}/{site.id}", json={"status": "finished", "status_reason": "已竣工验收"},
                        headers=headers).get_json()
    assert (body["status"], body["status_reason"]) == ("finished", "已竣工验收")
    assert client.get(SITES, headers=headers).get_json()["items"] == []  # not an open site
    body = client.patch(f"{SITES}/{site.id}", json={"status": "active"}, headers=headers).get_json()
    assert (body["status"], body["status_reason"]) == ("active", None)
    closed = client.post(f"{SITES}/{site.id}/close", json={"reason": "项目取消"}, headers=headers).get_json()
    assert (closed["status"], closed["status_reason"]) == ("closed", "项目取消")


@pytest.mark.parametrize("role", ["inspector", "enforcement", "supervisor"])
def test_only_admins_edit_the_registry(client, auth, role):
    site = create_site()
    headers = auth.as_role(role)
    assert client.patch(f"{SITES}/{site.id}", json={"phase": "foundation"}, headers=headers).status_code == 403
    assert client.post(SITES, json=_full_site(contractor="x"), headers=headers).status_code == 403

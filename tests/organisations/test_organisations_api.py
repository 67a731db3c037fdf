"""Organisations API: admins record, edit and merge organisations (audited); supervisors read;
inspectors and enforcement are refused; a wrong credit code is refused with a sentence and a code."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.organisations.models import Organisation
from inspect_app.sites.models import Site
from tests.factories import create_site

ORGS = "/api/organisations"
VALID = "91350100M000100Y43"
OTHER_VALID = "914403001922038216"


def _create(client, headers, **overrides):
    return client.post(ORGS, json={"name": "内蒙古某建设有限公司", "credit_code": VALID,
                                   "address": "呼和浩特市回民区中山西路 1 号", "contact_name": "王经理",
                                   "contact_phone": "0471-6000000", **overrides}, headers=headers)


def _events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_admin_records_an_organisation_with_a_valid_code(client, auth):
    response = _create(client, auth.as_role("admin"), credit_code="91350100m000100y43")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["credit_code"] == VALID  # folded to upper case
    assert body["merged_into_id"] is None
    [event] = _events("organisation.create")
    assert event.after["credit_code"] == VALID and event.after["name"] == "内蒙古某建设有限公司"


def test_a_code_with_a_wrong_check_character_is_refused_with_the_reason(client, auth):
    response = _create(client, auth.as_role("admin"), credit_code="91350100M000100Y44")
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "credit_code_invalid"
    assert body["details"]["reason"] == "check"
    assert "91350100M000100Y44" in body["message"] and "校验位" in body["message"]
    english = _create(client, {**auth.as_role("admin"), "Accept-Language": "en"}, credit_code="913501")
    assert english.get_json()["message"].endswith("it must have 18 characters.")
    assert db.session.scalar(select(Organisation)) is None


def test_a_code_already_on_another_record_is_refused(client, auth):
    headers = auth.as_role("admin")
    first = _create(client, headers).get_json()
    response = _create(client, headers, name="另一个名字")
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "credit_code_taken" and str(first["id"]) in body["message"]


def test_an_organisation_without_a_code_is_allowed(client, auth):
    response = _create(client, auth.as_role("admin"), credit_code="")
    assert response.status_code == 201 and response.get_json()["credit_code"] is None


def test_admin_edits_with_before_and_after(client, auth):
    headers = auth.as_role("admin")
    org = _create(client, headers).get_json()
    response = client.patch(f"{ORGS}/{org['id']}", json={"contact_phone": "13900000000"}, headers=headers)
    assert response.status_code == 200
    [event] = _events("organisation.update")
    assert event.before["contact_phone"] == "0471-6000000" and event.after["contact_phone"] == "13900000000"
    bad = client.patch(f"{ORGS}/{org['id']}", json={"credit_code": "ABC"}, headers=headers)
    assert bad.status_code == 422 and bad.get_json()["code"] == "credit_code_invalid"


def test_supervisors_read_but_do_not_change(client, auth):
    org = _create(client, auth.as_role("admin")).get_json()
    headers = auth.as_role("supervisor")
    listed = client.get(ORGS, query_string={"q": "某建设"}, headers=headers)
    assert listed.status_code == 200 and [o["id"] for o in listed.get_json()["items"]] == [org["id"]]
    assert client.get(f"{ORGS}/{org['id']}", headers=headers).status_code == 200
    assert _create(client, headers, credit_code=OTHER_VALID).status_code == 403
    assert client.patch(f"{ORGS}/{org['id']}", json={"name": "x"}, headers=headers).status_code == 403


@pytest.mark.parametrize("role", ["inspector", "enforcement"])
def test_inspectors_and_enforcement_are_refused(client, auth, role):
    org = _create(client, auth.as_role("admin")).get_json()
    headers = auth.as_role(role)
    assert client.get(ORGS, headers=headers).status_code == 403
    assert _create(client, headers, credit_code=OTHER_VALID).status_code == 403
    assert client.patch(f"{ORGS}/{org['id']}", json={"name": "x"}, headers=headers).status_code == 403
    assert client.post(f"{ORGS}/{org['id']}/merge", json={"duplicate_id": org["id"]},
                       headers=headers).status_code == 403


# --- merging ---------------------------------------------------------------------------------

def test_merging_moves_sites_to_the_survivor_and_hides_the_duplicate(client, auth):
    headers = auth.as_role("admin")
    survivor = _create(client, headers, name="内蒙古某建设有限公司", credit_code=None,
                       contact_phone=None).get_json()
    duplicate = _create(client, headers, name="内蒙古某建设公司", credit_code=VALID).get_json()
    site = create_site(contractor_id=duplicate["id"], builder_id=duplicate["id"])
    assert site.contractor == "内蒙古某建设公司"
    response = client.post(f"{ORGS}/{survivor['id']}/merge", json={"duplicate_id": duplicate["id"]},
                           headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["credit_code"] == VALID and body["contact_phone"] == "0471-6000000"  # taken over
    db.session.expire_all()
    site = db.session.get(Site, site.id)
    assert site.contractor_org_id == survivor["id"] and site.builder_org_id == survivor["id"]
    assert site.contractor == "内蒙古某建设有限公司"
    gone = db.session.get(Organisation, duplicate["id"])
    assert gone.merged_into_id == survivor["id"] and gone.credit_code is None
    listed = client.get(ORGS, headers=headers).get_json()["items"]
    assert [o["id"] for o in listed] == [survivor["id"]]
    [merge] = _events("organisation.merge")
    assert merge.after["merged_from"] == duplicate["id"] and merge.after["moved"] == {"site_parties": 2}
    [away] = _events("organisation.merged_away")
    assert away.before["credit_code"] == VALID and away.after["merged_into_id"] == survivor["id"]
    # a merged-away record is not edited any more, nor merged again
    again = client.patch(f"{ORGS}/{duplicate['id']}", json={"name": "x"}, headers=headers)
    assert again.status_code == 409 and again.get_json()["code"] == "organisation_merged_away"


def test_records_with_different_codes_are_not_merged(client, auth):
    headers = auth.as_role("admin")
    a = _create(client, headers).get_json()
    b = _create(client, headers, name="别的公司", credit_code=OTHER_VALID).get_json()
    response = client.post(f"{ORGS}/{a['id']}/merge", json={"duplicate_id": b["id"]}, headers=headers)
    assert response.status_code == 422 and response.get_json()["code"] == "organisation_merge_codes_differ"
    assert client.post(f"{ORGS}/{a['id']}/merge", json={"duplicate_id": a["id"]},
                       headers=headers).get_json()["code"] == "organisation_merge_self"
    missing = client.post(f"{ORGS}/{a['id']}/merge", json={"duplicate_id": 999999}, headers=headers)
    assert missing.status_code == 422 and missing.get_json()["code"] == "unknown_organisation"
    assert not _events("organisation.merge")

"""GET /api/checklists for every role; the version list only for admins and supervisors."""
from __future__ import annotations

import pytest

from inspect_app.auth.models import ALL_ROLES


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_gets_the_current_site_and_truck_forms(client, auth, checklists, role):
    response = client.get("/api/checklists", headers=auth.as_role(role))
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"site", "truck"}
    site, truck = body["site"], body["truck"]
    assert site["kind"] == "site" and truck["kind"] == "truck"
    assert len(site["version_ids"]) == 7 and len(truck["version_ids"]) == 2  # + heavy-pollution(-trucks)
    assert [s["key"] for s in site["sources"]] == ["six-100", "eight-musts", "green-construction", "ozone-season",
                                                 "heavy-pollution", "night-work", "suspended-site"]
    first = site["items"][0]
    assert first["key"] == "hoarding" and first["veto"] is True
    assert set(first) >= {"key", "text_zh", "text_en", "sources", "weight", "veto", "photos_on_fail", "phases",
                          "window", "rectify_days", "legal_basis"}
    assert first["sources"][0]["checklist_item_id"] > 0
    assert first["legal_basis"]["penalty_article"] == "第一百一十五条"
    cover = next(i for i in site["items"] if i["key"] == "material_cover")
    assert [s["source_key"] for s in cover["sources"]] == ["six-100", "eight-musts"]
    ozone = next(i for i in site["items"] if i["key"].startswith("ozone_"))
    assert ozone["window"] == {"start": "05-01", "end": "09-30", "start_time": "10:00", "end_time": "17:00"}


def test_without_a_token_the_forms_are_refused(client, checklists):
    response = client.get("/api/checklists")
    assert response.status_code == 401
    assert response.get_json()["code"] == "not_authenticated"


def test_with_no_checklists_loaded_the_forms_are_empty(client, auth):
    body = client.get("/api/checklists", headers=auth.as_role("inspector")).get_json()
    assert body["site"]["items"] == [] and body["truck"]["version_ids"] == []


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_admins_and_supervisors_list_the_stored_versions(client, auth, checklists, role):
    response = client.get("/api/checklists/versions", headers=auth.as_role(role))
    assert response.status_code == 200
    rows = response.get_json()
    assert len(rows) == 9
    six = next(r for r in rows if r["source_key"] == "six-100")
    assert six["version"] == 1 and six["current"] is True and six["item_count"] == 6
    assert len(six["content_hash"]) == 64


@pytest.mark.parametrize("role", ["inspector", "enforcement"])
def test_other_roles_may_not_list_versions(client, auth, checklists, role):
    response = client.get("/api/checklists/versions", headers=auth.as_role(role))
    assert response.status_code == 403
    assert response.get_json()["code"] == "forbidden"


def test_version_list_without_a_token_is_refused(client):
    assert client.get("/api/checklists/versions").status_code == 401

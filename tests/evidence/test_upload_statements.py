"""Per-request costs of the phone's two hottest calls (issue 14): the bearer token, its user and the user's units
are one statement, and a photo upload answers from what it wrote instead of reloading the inspection with every
collection (violations, cases, the truck check) before and after its commit."""
from __future__ import annotations

import pytest

from tests import factories
from tests.evidence.uploads import fresh_jpeg, new_ids, put, submit_with_photos


@pytest.fixture
def site():
    return factories.create_site("xinhuaxilu", phase="earthwork")


def test_the_token_user_and_units_are_looked_up_in_one_statement(client, auth, count_queries):
    user = factories.create_user("inspector", units=("xinhuaxilu", "gangtielu", "youyouban"))
    headers = auth.headers(user)
    with count_queries() as statements:
        response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 200
    assert [unit["code"] for unit in response.get_json()["units"]] == ["xinhuaxilu", "gangtielu", "youyouban"]
    assert len(statements) == 1, statements


def test_a_revoked_token_is_still_refused_by_the_joined_lookup(client, auth):
    headers = auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))
    assert client.post("/api/auth/logout", headers=headers).status_code in (200, 204)
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 401 and response.get_json()["code"] == "token_invalid"


def test_a_photo_upload_answers_its_completeness_without_reloading_cases_or_violations(
        client, auth, checklists, site, count_queries):
    headers = auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))
    first, second = new_ids(2)
    inspection_uuid = submit_with_photos(client, headers, site, [first, second])["uuid"]
    with count_queries() as statements:
        response = put(client, headers, inspection_uuid, first, fresh_jpeg(site))
    assert response.status_code == 201
    assert response.get_json()["inspection"] == {"uuid": inspection_uuid, "completeness": "incomplete",
                                                 "missing_photos": [second]}
    assert not [s for s in statements if "FROM penalty_cases" in s or "FROM violations" in s], statements
    response = put(client, headers, inspection_uuid, second, fresh_jpeg(site, quality=70))
    assert response.get_json()["inspection"]["completeness"] == "complete"
    assert response.get_json()["inspection"]["missing_photos"] == []
    detail = client.get(f"/api/inspections/{inspection_uuid}", headers=headers).get_json()
    assert detail["completeness"] == "complete"

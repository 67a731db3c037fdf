"""The inspections list counts at most a capped number of rows (core/pagination.COUNT_CAP) and says
when it stopped: the total of a history of a million inspections is not re-counted for every page."""
from __future__ import annotations

import pytest

from inspect_app.core import pagination
from tests import factories
from tests.inspections.helpers import site_form, submission


@pytest.fixture
def three_inspections(client, auth, checklists):
    inspector = factories.create_user("inspector", units=("xinhuaxilu",))
    headers = auth.headers(inspector)
    form = site_form(client, headers)
    for _ in range(3):
        site = factories.create_site("xinhuaxilu")
        response = client.post("/api/inspections", json=submission(form, site), headers=headers)
        assert response.status_code == 201, response.get_json()
    return headers


def test_below_the_cap_the_total_is_exact(client, three_inspections):
    page = client.get("/api/inspections?page_size=2", headers=three_inspections).get_json()
    assert (page["total"], page["total_capped"], len(page["items"])) == (3, False, 2)


def test_above_the_cap_the_total_is_the_cap_and_says_so(client, three_inspections, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    page = client.get("/api/inspections?page_size=2", headers=three_inspections).get_json()
    assert (page["total"], page["total_capped"], len(page["items"])) == (2, True, 2)
    # the pages beyond the cap are still served
    last = client.get("/api/inspections?page_size=2&page=2", headers=three_inspections).get_json()
    assert len(last["items"]) == 1 and last["total_capped"] is True


def test_a_cap_of_exactly_the_rows_is_not_reported_as_capped(client, three_inspections, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    page = client.get("/api/inspections", headers=three_inspections).get_json()
    assert (page["total"], page["total_capped"]) == (3, False)


def test_the_api_schema_says_the_total_is_capped(client):
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["InspectionPage"]
    assert "total_capped" in schema["properties"]
    assert "10,000" in schema["properties"]["total"]["description"]

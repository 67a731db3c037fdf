"""Fixtures for notices: an inspector in 新华西路街道, a site with every party named, forms, submitting."""
from __future__ import annotations

from datetime import date

import pytest

from inspect_app.extensions import db
from inspect_app.trucks import operations as truck_ops
from tests import factories
from tests.inspections.helpers import site_form
from tests.roadside.helpers import truck_form


@pytest.fixture
def inspector():
    return factories.create_user("inspector", units=("xinhuaxilu",), display_name="王巡查")


@pytest.fixture
def headers(auth, inspector, checklists):
    return auth.headers(inspector)


@pytest.fixture
def site():
    return factories.create_site("xinhuaxilu", phase="earthwork", name="海亮广场二期",
                                 contractor="内蒙古海亮建筑工程有限公司", builder="呼和浩特海亮房地产开发有限公司",
                                 address="回民区新华西路 88 号", permit_number="150103202611250101")


@pytest.fixture
def form(client, headers):
    return site_form(client, headers)


@pytest.fixture
def truck_form_(client, headers):
    return truck_form(client, headers)


@pytest.fixture
def filed_truck():
    """蒙A12345 of 顺达渣土, filed until the end of 2027."""
    company = truck_ops.create_company(None, {"name": "呼和浩特市顺达渣土运输有限公司"})
    db.session.commit()
    vehicle = truck_ops.create_vehicle(None, {"plate": "蒙A12345", "rated_load_t": 18.0, "filing_status": "filed",
                                              "company_id": company.id, "filing_expires_on": date(2027, 12, 31)})
    db.session.commit()
    return vehicle


@pytest.fixture
def submit(client, headers):
    """POST a site inspection or roadside check; returns the response JSON (asserting success)."""
    def post(body: dict, *, truck: bool = False, expect=(200, 201)):
        response = client.post("/api/roadside-checks" if truck else "/api/inspections", json=body, headers=headers)
        assert response.status_code in expect, response.get_json()
        return response.get_json()
    return post

"""Fixtures for roadside checks: an inspector, a registered haulage company and filed truck."""
from datetime import date

import pytest

from inspect_app.extensions import db
from inspect_app.trucks import operations as truck_ops
from tests import factories
from tests.roadside.helpers import truck_form


@pytest.fixture
def inspector():
    return factories.create_user("inspector", units=("xinhuaxilu",))


@pytest.fixture
def headers(auth, inspector, checklists):
    return auth.headers(inspector)


@pytest.fixture
def form(client, headers):
    return truck_form(client, headers)


@pytest.fixture
def company():
    company = truck_ops.create_company(None, {"name": "呼和浩特市顺达渣土运输有限公司"})
    db.session.commit()
    return company


@pytest.fixture
def make_vehicle(company):
    def make(plate="蒙A12345", rated_load_t=18.0, filing_status="filed", **extra):
        data = {"plate": plate, "rated_load_t": rated_load_t, "filing_status": filing_status,
                "company_id": company.id, **extra}
        vehicle = truck_ops.create_vehicle(None, data)
        db.session.commit()
        return vehicle
    return make


@pytest.fixture
def truck(make_vehicle):
    """蒙A12345: filed until the end of 2027, rated 18 t, of 顺达渣土."""
    return make_vehicle(filing_expires_on=date(2027, 12, 31))


@pytest.fixture
def site():
    return factories.create_site("xinhuaxilu", phase="earthwork", name="海亮广场二期")

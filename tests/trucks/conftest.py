"""Helpers for the truck registry tests: registered companies and vehicles."""
import pytest

from inspect_app.extensions import db
from inspect_app.trucks import operations


@pytest.fixture
def admin(auth):
    return auth.as_role("admin", units=())


@pytest.fixture
def make_company():
    def make(name="呼和浩特市顺达渣土运输有限公司", **extra):
        company = operations.create_company(None, {"name": name, **extra})
        db.session.commit()
        return company
    return make


@pytest.fixture
def make_vehicle():
    def make(plate="蒙A12345", rated_load_t=18.0, filing_status="filed", **extra):
        vehicle = operations.create_vehicle(None, {"plate": plate, "rated_load_t": rated_load_t,
                                                   "filing_status": filing_status, **extra})
        db.session.commit()
        return vehicle
    return make

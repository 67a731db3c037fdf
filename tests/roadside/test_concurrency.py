"""Two identical roadside checks racing each other store one check and one case (PostgreSQL)."""
import pytest
from sqlalchemy import func, select

from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import PenaltyCase, Violation
from inspect_app.roadside.models import TruckCheck
from tests.racing import race_threads
from tests.roadside.helpers import truck_check


@pytest.fixture
def on_postgres():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every write")


def test_racing_duplicate_checks_store_one(app, headers, form, truck, site, on_postgres):
    body = truck_check(form, outcomes={"truck_sealed": "fail"}, measured_load_t=20, origin_site_id=site.id)
    statuses = race_threads(app, [("POST", "/api/roadside-checks", {"json": body, "headers": headers})] * 6)
    db.session.expire_all()
    assert sorted(statuses).count(201) == 1, statuses
    assert set(statuses) <= {200, 201}

    def count(model):
        return db.session.scalar(select(func.count()).select_from(model))

    assert count(Inspection) == 1 and count(TruckCheck) == 1
    assert count(PenaltyCase) == 2  # bureau (unsealed) and 交管 (overload)
    assert count(Violation) == 3  # truck_sealed, truck_not_overloaded, the site's sealed-transport

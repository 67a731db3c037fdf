"""Two identical submissions racing each other store one inspection (PostgreSQL)."""
import pytest
from sqlalchemy import func, select

from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import PenaltyCase, Violation
from tests import factories
from tests.inspections.helpers import site_form, submission, veto_key
from tests.racing import race_threads


@pytest.fixture
def on_postgres():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every write")


def test_racing_duplicates_store_one_inspection(app, client, auth, checklists, on_postgres):
    inspector = factories.create_user("inspector", units=("xinhuaxilu",))
    site = factories.create_site("xinhuaxilu")
    headers = auth.headers(inspector)
    form = site_form(client, headers)
    body = submission(form, site, outcomes={veto_key(form): "fail"})
    statuses = race_threads(app, [("POST", "/api/inspections", {"json": body, "headers": headers})] * 6)
    db.session.expire_all()
    assert sorted(statuses).count(201) == 1, statuses
    assert set(statuses) <= {200, 201}
    assert db.session.scalar(select(func.count()).select_from(Inspection)) == 1
    assert db.session.scalar(select(func.count()).select_from(PenaltyCase)) == 1
    assert db.session.scalar(select(func.count()).select_from(Violation)) == 1

"""Two supervisors recording the same permit at the same moment: one is stored, the other told so — never a 500."""
from __future__ import annotations

from sqlalchemy import func, select

from inspect_app.extensions import db
from inspect_app.nightwork.models import NightPermit
from tests.nightwork.conftest import permit_body
from tests.nightwork.test_import import ROWS, csv_text
from tests.racing import race_threads


def test_the_same_number_posted_twice_at_once_is_one_permit_and_one_409(app, headers, site, today):
    path = f"/api/sites/{site.id}/night-permits"
    statuses = race_threads(app, [("POST", path, {"json": permit_body(today), "headers": headers["supervisor"]}),
                                  ("POST", path, {"json": permit_body(today), "headers": headers["admin"]})])
    assert sorted(statuses) == [201, 409]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(NightPermit)) == 1


def test_two_imports_of_one_file_at_once_store_each_permit_once(app, headers, site):
    request = {"data": csv_text(*ROWS).encode("utf-8"), "content_type": "text/csv"}
    statuses = race_threads(app, [("POST", "/api/night-permits/import", {**request, "headers": headers["supervisor"]}),
                                  ("POST", "/api/night-permits/import", {**request, "headers": headers["admin"]})])
    assert 200 in statuses and set(statuses) <= {200, 409}
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(NightPermit)) == 2

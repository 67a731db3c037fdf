"""A savepoint never commits on its own: a request's writes are kept or lost together.

On SQLite, Python's sqlite3 module let a SAVEPOINT that came first start (and its RELEASE commit) a
transaction of its own, so an inspection row survived a rollback of everything that followed it.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select, text

from inspect_app.core.models import Unit
from inspect_app.extensions import db


def _unit(code: str) -> Unit:
    return Unit(code=code, name_zh=f"测试{code}", name_en=f"Test {code}")


def test_a_savepoint_first_in_the_transaction_is_rolled_back_with_it():
    db.session.execute(text("SELECT 1"))  # a read first, as a request's token lookup does
    with db.session.begin_nested():
        db.session.add(_unit("sp-first"))
        db.session.flush()
    db.session.add(_unit("sp-after"))
    db.session.flush()
    db.session.rollback()
    codes = set(db.session.scalars(select(Unit.code)))
    assert "sp-first" not in codes
    assert "sp-after" not in codes


def test_a_failure_after_the_inspection_insert_leaves_no_inspection(client, auth, checklists):
    """The real path: insert_once's savepoint, then a receiver of inspection_recorded fails (500)."""
    from inspect_app.core.signals import inspection_recorded
    from inspect_app.inspections.models import Inspection
    from tests.factories import create_site
    from tests.inspections.helpers import site_form, submission

    site = create_site()
    headers = auth.as_role("inspector")
    body = submission(site_form(client, headers), site)

    def explode(sender, **extra):
        raise RuntimeError("a consequence failed")

    inspection_recorded.connect(explode)
    try:
        response = client.post("/api/inspections", json=body, headers=headers)
    finally:
        inspection_recorded.disconnect(explode)
    assert response.status_code == 500
    db.session.rollback()
    assert db.session.scalar(select(Inspection.id)) is None
    # and the phone's retry is then recorded as new, not answered as a replay of a half-stored one
    retry = client.post("/api/inspections", json=body, headers=headers)
    assert retry.status_code == 201, retry.get_json()

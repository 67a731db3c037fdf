"""Contractors and units ranked by average score (30 days) and repeat violations."""
from __future__ import annotations

from datetime import timedelta

import pytest

from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from tests.factories import create_site, create_user
from tests.scorecards.builders import add_inspection, add_violation, checklist_item


@pytest.fixture
def seeded(checklists):
    """甲 averages 80 with two repeats; 乙 averages 80 with none; 丙 90; 丁 never inspected."""
    now = utcnow()
    inspector = create_user("inspector")
    item = checklist_item()
    a1 = create_site(name="甲一", contractor="甲公司")
    a2 = create_site(name="甲二", contractor="甲公司", unit="xinhuaxilu")
    b = create_site(name="乙一", contractor="乙公司")
    c = create_site(name="丙一", contractor="丙公司", unit="guangminglu")
    create_site(name="丁一", contractor="丁公司")
    first = add_inspection(a1, inspector, now - timedelta(days=20), 70)
    add_violation(first, item, status="closed")  # first time: not a repeat
    again = add_inspection(a1, inspector, now - timedelta(days=5), 90)
    add_violation(again, item)  # same site and item again: a repeat
    refailed = add_inspection(a2, inspector, now - timedelta(days=4), 80)
    add_violation(refailed, item, fail_count=2)  # failed again while open: a repeat
    add_inspection(a2, inspector, now - timedelta(days=45), 10)  # outside the window
    b_insp = add_inspection(b, inspector, now - timedelta(days=3), 80)
    add_violation(b_insp, item)
    add_inspection(b, inspector, now - timedelta(days=2), 5, review_status="superseded")
    add_inspection(c, inspector, now - timedelta(days=1), 90)
    db.session.commit()


def _ranking(client, headers, **params):
    response = client.get("/api/scorecards/rankings", query_string=params, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_contractors_rank_by_average_then_fewer_repeat_violations(client, auth, seeded):
    body = _ranking(client, auth.as_role("enforcement", units=()), by="contractor")
    rows = [(r["rank"], r["contractor"], r["avg_score"], r["repeat_violations"], r["violations"])
            for r in body["items"]]
    assert rows == [
        (1, "丙公司", 90.0, 0, 0),
        (2, "乙公司", 80.0, 0, 1),
        (3, "甲公司", 80.0, 2, 3),  # (70 + 90 + 80) / 3
        (4, "丁公司", None, 0, 0),
    ]
    assert body["items"][2]["sites"] == 2 and body["items"][2]["inspections"] == 3


def test_units_ranking_is_scoped_to_the_supervisors_units(client, auth, seeded):
    body = _ranking(client, auth.as_role("supervisor", units=("xinhuaxilu",)), by="unit")
    assert [r["unit"]["code"] for r in body["items"]] == ["xinhuaxilu"]
    assert body["items"][0]["avg_score"] == 80.0  # 70, 90, 80, 80
    everyone = _ranking(client, auth.as_role("admin"), by="unit")
    assert [r["unit"]["code"] for r in everyone["items"]] == ["guangminglu", "xinhuaxilu"]


def test_ranking_by_something_else_is_refused(client, auth):
    response = client.get("/api/scorecards/rankings?by=inspector", headers=auth.as_role("admin"))
    assert response.status_code == 422


def test_contractors_rank_by_their_organisation_record_not_the_typed_name(client, auth, checklists):
    """Two spellings of one record rank as one row; one name on two records stays two rows."""
    from inspect_app.organisations.models import Organisation

    record = Organisation(name="内蒙古某建工集团有限公司")
    twin_a, twin_b = Organisation(name="同名公司"), Organisation(name="同名公司")
    db.session.add_all([record, twin_a, twin_b])
    db.session.commit()
    inspector, now = create_user("inspector"), utcnow()
    first = create_site(name="一号", contractor="某建工")
    second = create_site(name="二号", contractor="某建工集团")
    for site in (first, second):
        site.contractor_org_id = record.id
    create_site(name="三号", contractor_id=twin_a.id)
    create_site(name="四号", contractor_id=twin_b.id)
    db.session.commit()
    add_inspection(first, inspector, now - timedelta(days=2), 60)
    add_inspection(second, inspector, now - timedelta(days=1), 80)
    db.session.commit()
    body = _ranking(client, auth.as_role("admin", units=()), by="contractor")
    rows = [(r["contractor"], r["organisation_id"], r["sites"], r["avg_score"]) for r in body["items"]]
    assert rows[0] == ("内蒙古某建工集团有限公司", record.id, 2, 70.0)
    assert sorted(rows[1:], key=lambda r: r[1]) == [("同名公司", twin_a.id, 1, None), ("同名公司", twin_b.id, 1, None)]

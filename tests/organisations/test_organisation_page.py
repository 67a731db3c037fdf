"""The organisation page (一企一档): all its sites in the caller's units with their roles and scores, its
violations and cases — and after a merge, the duplicate's sites and cases too."""
from __future__ import annotations

from datetime import timedelta

from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.organisations.models import Organisation
from tests.factories import create_site, create_user
from tests.scorecards.builders import add_case, add_inspection, add_violation, checklist_item


def _page(client, headers, organisation_id):
    return client.get(f"/api/scorecards/organisations/{organisation_id}", headers=headers)


def test_the_page_shows_sites_cases_and_follows_a_merge(client, auth, checklists):
    contractor, duplicate = Organisation(name="某建工集团"), Organisation(name="某建工集团有限公司")
    db.session.add_all([contractor, duplicate])
    db.session.commit()
    inspector, item, now = create_user("inspector"), checklist_item(), utcnow()
    own = create_site(name="甲工地", contractor_id=contractor.id, builder_id=contractor.id)
    elsewhere = create_site(name="乙工地", unit="guangminglu", lat=40.80, lon=111.64, supervisor_id=contractor.id)
    moved = create_site(name="丙工地", contractor_id=duplicate.id)
    inspection = add_inspection(own, inspector, now - timedelta(days=1), 72)
    add_violation(inspection, item)
    add_case(inspection, item, now - timedelta(days=1))
    other = add_inspection(moved, inspector, now - timedelta(days=2), 60)
    add_violation(other, item, status="closed")
    moved_case = add_case(other, item, now - timedelta(days=2))
    db.session.commit()

    admin = auth.as_role("admin")
    body = _page(client, admin, contractor.id).get_json()
    assert [(s["name"], s["roles"]) for s in body["sites"]] == [
        ("乙工地", ["supervisor"]), ("甲工地", ["builder", "contractor"])]
    assert body["sites"][1]["last_score"] == 72.0 and body["sites"][1]["open_violations"] == 1
    assert body["violations"] == {"open": 1} and len(body["cases"]) == 1

    merged = client.post(f"/api/organisations/{contractor.id}/merge", json={"duplicate_id": duplicate.id},
                         headers=admin)
    assert merged.status_code == 200
    body = _page(client, admin, contractor.id).get_json()
    assert "丙工地" in [s["name"] for s in body["sites"]]
    assert body["violations"] == {"open": 1, "closed": 1}
    assert [c["case_number"] for c in body["cases"]][-1] == moved_case.case_number

    scoped = _page(client, auth.as_role("supervisor", units=("guangminglu",)), contractor.id).get_json()
    assert [s["name"] for s in scoped["sites"]] == ["乙工地"] and scoped["cases"] == []
    assert _page(client, auth.as_role("inspector"), contractor.id).status_code == 403
    assert _page(client, auth.as_role("enforcement"), contractor.id).status_code == 403
    assert _page(client, admin, 999999).status_code == 404


def test_demo_sites_name_their_parties_by_record(app):
    """The demo loads its contractors, builders and supervisors as records with valid codes."""
    from sqlalchemy import select

    from inspect_app.demo.cli import load_demo_data
    from inspect_app.organisations.credit_code import is_valid
    from inspect_app.sites.models import Site

    load_demo_data()
    load_demo_data()  # idempotent
    sites = db.session.scalars(select(Site)).all()
    assert sites and all(s.contractor_org_id and s.builder_org_id and s.supervisor_org_id for s in sites)
    organisations = db.session.scalars(select(Organisation)).all()
    assert len(organisations) == 12 and all(is_valid(o.credit_code) for o in organisations)
    assert all(s.contractor == s.contractor_org.name for s in sites)

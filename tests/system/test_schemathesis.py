"""Property-based fuzzing of every operation in /api/openapi.json with schemathesis (issue 13, point 10).

Each operation gets a bounded number of generated requests — valid and invalid bodies, queries and
path parameters — sent in-process through the WSGI app, authenticated as a role that may call it,
against a database seeded with a site, checklists, a vehicle and a scored inspection with a case.
The test fails on any 5xx and on any response the document does not describe (undocumented status,
wrong content type, a body that does not match its schema — the error body included).

Runs in the normal suite, on SQLite and on PostgreSQL (``TEST_DATABASE_URL``). Examples are
derandomized, so CI sees the same cases on every run; raise ``SCHEMATHESIS_MAX_EXAMPLES`` locally
to search harder.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from inspect_app.auth.models import ApiToken, User
from inspect_app.auth.permissions import hash_token
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.penalties.models import PenaltyCase
from inspect_app.webhooks.models import WebhookAttempt
from inspect_app.webhooks.operations import enqueue
from tests import factories
from tests.inspections.helpers import site_form, submission

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
# The coverage phase (every boundary value the document implies) stays on; its probes of methods an
# operation lacks are left out — one handler answers those 405s and tests/core/test_errors.py checks it.
FUZZ_CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"unexpected-methods": []}}})
# Operations only an inspector may call (the phone's submissions and uploads); the rest run as admin.
INSPECTOR_OPERATIONS = {("POST", "/api/inspections"), ("POST", "/api/roadside-checks"),
                        ("PUT", "/api/inspections/{inspection_uuid}/photos/{photo_uuid}"),
                        ("PUT", "/api/inspections/{inspection_uuid}/service"),
                        ("PUT", "/api/notice-services/{service_uuid}/evidence"),
                        ("POST", "/api/follow-ups/{follow_up_id}/inspections"),
                        ("POST", "/api/today/skips")}


@pytest.fixture
def seeded(app, client, auth, checklists):
    """A small world the generated ids can find: ids start at 1 in the emptied test database."""
    inspector = factories.create_user("inspector", username="fuzz-inspector")
    admin = factories.create_user("admin", username="fuzz-admin")
    site = factories.create_site()
    inspector_headers = auth.headers(inspector)
    form = site_form(client, inspector_headers)
    failing = next(item["key"] for item in form["items"] if item["veto"])
    response = client.post("/api/inspections", headers=inspector_headers,
                           json=submission(form, site, outcomes={failing: "fail"}))
    assert response.status_code == 201, response.get_json()
    admin_headers = auth.headers(admin)
    company = client.post("/api/companies", json={"name": "呼和浩特渣土运输有限公司"}, headers=admin_headers)
    assert company.status_code == 201
    vehicle = client.post("/api/vehicles", headers=admin_headers, json={
        "plate": "蒙A12345", "rated_load_t": 25, "company_id": company.get_json()["id"],
        "filing_status": "filed", "site_ids": [site.id]})
    assert vehicle.status_code == 201, vehicle.get_json()
    complaint = client.post("/api/complaints", headers=admin_headers, json={  # matched to the site: a task
        "ticket_number": "H1", "channel": "12345", "received_at": "2026-11-20T09:00:00", "category": "dust",
        "text": "扬尘", "lat": site.lat, "lon": site.lon, "complainant_phone": "13800000000"})
    assert complaint.status_code == 201, complaint.get_json()
    alert = client.post("/api/alerts", headers=admin_headers, json={  # extend / lift / correct find alert 1
        "level": "orange", "starts_at": "2026-11-30T08:00", "ends_at": "2026-12-20T08:00", "scope": "district",
        "notice_number": "呼重污染指办〔2026〕12号"})
    assert alert.status_code == 201, alert.get_json()
    permit = client.post(f"/api/sites/{site.id}/night-permits", headers=admin_headers, json={
        "number": "回住建夜证〔2026〕1号", "issuing_office": "回民区住房和城乡建设局", "valid_from": "2026-12-01",
        "valid_to": "2026-12-10", "start_time": "22:00", "end_time": "06:00"})
    assert permit.status_code == 201, permit.get_json()
    assignment = client.post("/api/assignments", headers=admin_headers, json={  # today's list: an assigned site
        "inspector_id": inspector.id, "site_ids": [site.id], "start_on": utcnow().date().isoformat()})
    assert assignment.status_code == 201, assignment.get_json()
    # the case decided (a warning), so GET /api/penalty-cases/1/decision.pdf reaches its document
    case = db.session.get(PenaltyCase, response.get_json()["penalty_cases"][0]["id"])
    case.status, case.decision, case.decision_number = "decided", "warning", "回城管警字〔2026〕第1号"
    case.decided_at, case.decision_date, case.decided_by_id = utcnow(), utcnow().date(), admin.id
    db.session.commit()
    # a failed group-robot delivery with an attempt, so GET /api/webhooks/deliveries lists a full row
    delivery = enqueue("case_queued", "units", "fuzz", "【扬尘巡查】测试")
    db.session.add(WebhookAttempt(delivery_id=delivery.id, at=utcnow(), duration_ms=5, http_status=500, ok=False,
                                  error="HTTP 500"))
    db.session.commit()
    return {"inspector": inspector.id, "admin": admin.id}


def fresh_headers(user_id: int, role: str) -> dict:
    """A new token for the fuzz user of ``role``, which the fuzzer itself may have logged out,
    deactivated or given a new password: every case starts authenticated as that role."""
    db.session.rollback()
    user = db.session.get(User, user_id)
    user.active, user.role = True, role
    token = secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token),
                            expires_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api_schema(app, seeded):
    """The document the app serves, loaded through the app itself (no network)."""
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=FUZZ_CONFIG)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented_and_never_5xx(case, seeded):
    role = "inspector" if (case.method.upper(), case.path) in INSPECTOR_OPERATIONS else "admin"
    case.call_and_validate(headers=fresh_headers(seeded[role], role), checks=CHECKS)

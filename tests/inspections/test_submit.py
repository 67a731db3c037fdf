"""Submitting inspections: exactly once, validated, scored, with violations and penalty cases."""
import uuid

import pytest
from sqlalchemy import func, select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.penalties.models import PenaltyCase, Violation
from tests import factories
from tests.inspections.helpers import plain_key, site_form, submission, veto_key


@pytest.fixture
def inspector():
    return factories.create_user("inspector", units=("xinhuaxilu",))


@pytest.fixture
def site():
    return factories.create_site("xinhuaxilu", phase="earthwork")


@pytest.fixture
def headers(auth, inspector, checklists):
    return auth.headers(inspector)


@pytest.fixture
def form(client, headers):
    return site_form(client, headers)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_all_pass_scores_full_marks_and_opens_nothing(client, headers, form, site):
    response = client.post("/api/inspections", json=submission(form, site), headers=headers)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["score"] == 100.0
    assert body["grade"] is not None and body["vetoed"] is False
    assert body["completeness"] == "complete" and body["missing_photos"] == []
    assert body["violations_opened"] == 0 and body["penalty_cases"] == []
    assert count(Violation) == 0


def test_failed_item_opens_violation_and_waits_for_its_photos(client, headers, form, site):
    key = plain_key(form, site)
    body = submission(form, site, outcomes={key: "fail"})
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    declared = next(i["photo_ids"] for i in body["items"] if i["key"] == key)
    assert data["score"] < 100
    assert data["completeness"] == "incomplete"
    assert data["missing_photos"] == declared
    assert data["violations_opened"] == 1
    violation = db.session.scalar(select(Violation))
    assert violation.item_key == key and violation.status == "open"
    assert violation.deadline > violation.found_at


def test_replaying_the_same_submission_creates_nothing_new(client, headers, form, site):
    body = submission(form, site, outcomes={veto_key(form): "fail"})
    first = client.post("/api/inspections", json=body, headers=headers)
    assert first.status_code == 201
    counts = [count(m) for m in (Inspection, ItemResult, Violation, PenaltyCase, AuditEvent)]
    for _ in range(3):
        again = client.post("/api/inspections", json=body, headers=headers)
        assert again.status_code == 200
        assert again.get_json()["uuid"] == first.get_json()["uuid"]
        assert again.get_json()["penalty_cases"] == first.get_json()["penalty_cases"]
    assert [count(m) for m in (Inspection, ItemResult, Violation, PenaltyCase, AuditEvent)] == counts


def test_same_uuid_with_different_content_is_refused_and_original_kept(client, headers, form, site):
    body = submission(form, site)
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 201
    changed = dict(body, items=[dict(body["items"][0], note="改过的备注")] + body["items"][1:])
    response = client.post("/api/inspections", json=changed, headers=headers)
    assert response.status_code == 409
    assert response.get_json()["code"] == "inspection_conflict"
    stored = db.session.scalar(select(ItemResult).where(ItemResult.item_key == body["items"][0]["key"]))
    assert stored.note is None
    assert count(Inspection) == 1


def test_another_inspector_reusing_a_uuid_gets_conflict(client, auth, headers, form, site):
    body = submission(form, site)
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 201
    other = auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))
    response = client.post("/api/inspections", json=body, headers=other)
    assert response.status_code == 409


def test_failed_veto_item_queues_one_case_with_legal_basis(client, headers, form, site):
    key = veto_key(form)
    response = client.post("/api/inspections", json=submission(form, site, outcomes={key: "fail"}), headers=headers)
    data = response.get_json()
    assert data["vetoed"] is True
    assert len(data["penalty_cases"]) == 1
    case = db.session.scalar(select(PenaltyCase))
    assert case.status == "pending_review"
    assert case.contractor == site.contractor
    assert case.items[0]["item_key"] == key
    assert case.items[0]["legal_basis"]["law"]
    assert case.fine_min and case.fine_max and case.fine_min <= case.fine_max
    assert case.case_number.startswith("回民扬尘移〔2026〕")
    assert case.photo_ids  # evidence links


def test_later_pass_closes_the_violation(client, headers, form, site):
    key = plain_key(form, site)
    client.post("/api/inspections", json=submission(form, site, outcomes={key: "fail"}), headers=headers)
    from datetime import timedelta

    from tests.inspections.helpers import WINTER_MORNING
    later = submission(form, site, started_at=WINTER_MORNING + timedelta(days=1))
    assert client.post("/api/inspections", json=later, headers=headers).status_code == 201
    violation = db.session.scalar(select(Violation))
    assert violation.status == "closed" and violation.closed_at is not None


def test_refail_after_deadline_makes_overdue_and_queues_case(client, headers, form, site):
    from datetime import timedelta

    from tests.inspections.helpers import WINTER_MORNING
    key = plain_key(form, site)
    client.post("/api/inspections", json=submission(form, site, outcomes={key: "fail"}), headers=headers)
    deadline_days = next(i["rectify_days"] for i in form["items"] if i["key"] == key)
    late = submission(form, site, outcomes={key: "fail"},
                      started_at=WINTER_MORNING + timedelta(days=deadline_days, hours=1))
    data = client.post("/api/inspections", json=late, headers=headers).get_json()
    assert db.session.scalar(select(Violation)).status == "overdue"
    assert len(data["penalty_cases"]) == 1
    case = db.session.scalar(select(PenaltyCase))
    assert case.items[0]["reasons"] == ["overdue_refail"]


def test_third_failure_within_thirty_days_queues_case(client, headers, form, site):
    from datetime import timedelta

    from tests.inspections.helpers import WINTER_MORNING
    key = plain_key(form, site)
    for day in (0, 1):  # inside the deadline: re-failures, no case
        body = submission(form, site, outcomes={key: "fail"}, started_at=WINTER_MORNING + timedelta(hours=day))
        assert client.post("/api/inspections", json=body, headers=headers).get_json()["penalty_cases"] == []
    third = submission(form, site, outcomes={key: "fail"}, started_at=WINTER_MORNING + timedelta(hours=2))
    data = client.post("/api/inspections", json=third, headers=headers).get_json()
    assert len(data["penalty_cases"]) == 1
    assert db.session.scalar(select(PenaltyCase)).items[0]["reasons"] == ["repeat_failures"]


def test_malformed_json_is_refused_with_a_stable_code(client, headers):
    response = client.post("/api/inspections", data="{not json", headers={**headers, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["code"] == "malformed_json"


@pytest.mark.parametrize("mutate, field", [
    (lambda b: b["gps_start"].update(lat=91), "gps_start"),
    (lambda b: b["gps_finish"].update(accuracy_m=-1), "gps_finish"),
    (lambda b: b.update(site_id="12"), "site_id"),
    (lambda b: b.update(uuid="not-a-uuid"), "uuid"),
    (lambda b: b["items"][0].update(outcome="maybe"), "items"),
    (lambda b: b.update(inspector_id=1), "inspector_id"),
    (lambda b: b.update(finished_at="2026-11-25T08:00:00+08:00"), "finished_at"),
])
def test_bad_fields_are_refused_with_details_and_nothing_stored(client, headers, form, site, mutate, field):
    body = submission(form, site)
    mutate(body)
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["code"] == "validation_error"
    assert field in response.get_json()["details"]["json"]
    assert count(Inspection) == 0


def test_unknown_item_key_is_refused(client, headers, form, site):
    body = submission(form, site)
    body["items"].append({"key": "no_such_item", "outcome": "pass", "note": "", "photo_ids": []})
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["code"] == "unknown_item"


def test_item_from_another_checklist_is_refused(client, headers, form, site):
    truck_key = client.get("/api/checklists", headers=headers).get_json()["truck"]["items"][0]["key"]
    body = submission(form, site)
    body["items"].append({"key": truck_key, "outcome": "pass", "note": "", "photo_ids": []})
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["code"] == "item_not_in_versions"


def test_failed_item_without_photos_is_refused(client, headers, form, site):
    key = plain_key(form, site)
    body = submission(form, site, outcomes={key: "fail"}, photos={key: []})
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["code"] == "photos_required"


def test_missing_answers_are_listed(client, headers, form, site):
    body = submission(form, site)
    dropped = body["items"].pop()
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["code"] == "answers_missing"
    assert dropped["key"] in response.get_json()["details"]["missing"]


def test_another_units_site_is_not_found(client, headers, form):
    foreign = factories.create_site("youyouban", lat=40.84, lon=111.56)
    response = client.post("/api/inspections", json=submission(form, foreign), headers=headers)
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["supervisor", "enforcement", "admin"])
def test_only_inspectors_submit(client, auth, checklists, form, site, role):
    response = client.post("/api/inspections", json=submission(form, site), headers=auth.as_role(role))
    assert response.status_code == 403


def test_no_token_is_refused(client, form, site):
    assert client.post("/api/inspections", json=submission(form, site)).status_code == 401


def test_inspectors_list_only_their_own(client, auth, headers, form, site):
    client.post("/api/inspections", json=submission(form, site), headers=headers)
    other = auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))
    assert client.get("/api/inspections", headers=other).get_json()["total"] == 0
    assert client.get("/api/inspections", headers=headers).get_json()["total"] == 1
    supervisor = auth.as_role("supervisor", units=("xinhuaxilu",))
    assert client.get("/api/inspections", headers=supervisor).get_json()["total"] == 1
    far_supervisor = auth.as_role("supervisor", units=("youyouban",))
    assert client.get("/api/inspections", headers=far_supervisor).get_json()["total"] == 0


def test_listing_does_not_grow_queries_with_rows(client, headers, form, site, count_queries):
    for _ in range(2):
        client.post("/api/inspections", json=submission(form, site), headers=headers)
    with count_queries() as few:
        client.get("/api/inspections", headers=headers)
    for _ in range(6):
        client.post("/api/inspections", json=submission(form, site), headers=headers)
    with count_queries() as many:
        client.get("/api/inspections", headers=headers)
    assert len(many) == len(few)


def test_position_far_from_site_is_flagged_not_refused(client, headers, form, site):
    body = submission(form, site, lat=site.lat + 0.02)  # about 2.2 km north
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 201
    codes = [flag["code"] for flag in response.get_json()["flags"]]
    assert "off_site" in codes
    message = next(f["message"] for f in response.get_json()["flags"] if f["code"] == "off_site")
    assert "米" in message


def test_missing_gps_is_accepted(client, headers, form, site):
    body = submission(form, site, gps_start=None, gps_finish=None)
    assert client.post("/api/inspections", json=body, headers=headers).status_code == 201


def test_device_clock_far_from_server_clock_is_flagged(client, headers, form, site):
    from datetime import datetime, timedelta, timezone

    skewed = (datetime.now(timezone.utc) - timedelta(hours=2)).isoformat()
    body = submission(form, site)
    response = client.post("/api/inspections", json=body, headers={**headers, "X-Device-Time": skewed})
    assert "clock_skew" in [flag["code"] for flag in response.get_json()["flags"]]


def test_device_clock_in_step_is_not_flagged_even_for_an_old_queued_inspection(client, headers, form, site):
    from datetime import datetime, timezone

    body = submission(form, site)  # finished days ago: it waited in the outbox
    now = datetime.now(timezone.utc).isoformat()
    response = client.post("/api/inspections", json=body, headers={**headers, "X-Device-Time": now})
    assert "clock_skew" not in [flag["code"] for flag in response.get_json()["flags"]]


def test_unreadable_device_time_header_is_ignored(client, headers, form, site):
    response = client.post("/api/inspections", json=submission(form, site),
                           headers={**headers, "X-Device-Time": "yesterday-ish"})
    assert response.status_code == 201

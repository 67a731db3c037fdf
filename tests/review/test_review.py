"""Supervisors review inspections: approve, mark issues, reject, send back; corrections supersede."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import CaseEvent, PenaltyCase, Violation
from inspect_app.review.models import ReviewEvent
from tests.inspections.helpers import WINTER_MORNING, plain_key, veto_key


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_supervisor_approves_an_inspection_and_the_history_and_audit_keep_it(world):
    data = world.submit()
    response = world.review(data["uuid"], status="approved", note="资料齐全")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["inspection"]["review_status"] == "approved"
    assert body["review"]["from_status"] == "submitted" and body["review"]["to_status"] == "approved"
    assert body["review"]["to_label"] == "审核通过"
    history = world.client.get(f"/api/inspections/{data['uuid']}/reviews", headers=world.headers["inspector"])
    assert [e["to_status"] for e in history.get_json()["events"]] == ["approved"]
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "inspection.review"))
    assert audit.before["review_status"] == "submitted" and audit.after["review_status"] == "approved"
    assert audit.actor_id == world.users["supervisor"].id


def test_an_inspection_still_missing_photos_cannot_be_approved(world):
    data = world.submit(outcomes={plain_key(world.form, world.site): "fail"})
    response = world.review(data["uuid"], status="approved")
    assert response.status_code == 409
    assert response.get_json()["code"] == "review_photos_missing"
    assert world.review(data["uuid"], status="has_issues", note="照片未上传").status_code == 201


@pytest.mark.parametrize("status", ["has_issues", "rejected"])
@pytest.mark.parametrize("note", [None, "", "   "])
def test_issues_and_rejections_need_a_note(world, status, note):
    data = world.submit()
    body = {"status": status, "send_back": status == "rejected"}
    if note is not None:
        body["note"] = note
    response = world.review(data["uuid"], **body)
    assert response.status_code == 422
    assert response.get_json()["code"] == "review_note_required"
    assert count(ReviewEvent) == 0


def test_only_a_rejection_can_be_sent_back(world):
    data = world.submit()
    response = world.review(data["uuid"], status="has_issues", note="东侧围挡破损", send_back=True)
    assert response.status_code == 422
    assert response.get_json()["code"] == "review_send_back_needs_rejection"


@pytest.mark.parametrize("body", [{"status": "maybe"}, {}, {"status": "approved", "send_back": "perhaps"},
                                  {"status": "approved", "note": "x" * 2001}])
def test_malformed_reviews_are_refused_with_details(world, body):
    data = world.submit()
    response = world.review(data["uuid"], **body)
    assert response.status_code == 422 and response.get_json()["code"] == "validation_error"


@pytest.mark.parametrize("role, status", [
    ("supervisor", 201), ("admin", 201),
    ("far_supervisor", 404), ("inspector", 403), ("other_inspector", 403), ("enforcement", 403),
])
def test_who_may_review(world, role, status):
    data = world.submit()
    assert world.review(data["uuid"], role=role, status="approved").status_code == status


def test_review_needs_a_token_and_an_existing_inspection(world):
    data = world.submit()
    assert world.client.post(f"/api/inspections/{data['uuid']}/review", json={"status": "approved"}).status_code == 401
    missing = "00000000-0000-4000-8000-000000000000"
    assert world.review(missing, status="approved").status_code == 404


def test_the_same_review_sent_twice_is_recorded_once(world):
    data = world.submit()
    first = world.review(data["uuid"], status="rejected", note="照片模糊", send_back=True)
    again = world.review(data["uuid"], status="rejected", note="照片模糊", send_back=True)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["review"]["id"] == first.get_json()["review"]["id"]
    assert count(ReviewEvent) == 1
    assert count(AuditEvent, AuditEvent.action == "inspection.review") == 1


def test_a_supervisor_may_change_their_mind_and_each_change_is_kept(world):
    data = world.submit()
    world.review(data["uuid"], status="has_issues", note="覆盖不全")
    world.review(data["uuid"], status="approved", note="已补充说明")
    events = world.client.get(f"/api/inspections/{data['uuid']}/reviews",
                              headers=world.headers["supervisor"]).get_json()["events"]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        ("submitted", "has_issues"), ("has_issues", "approved")]


# ---- send back and correction ----

def test_sent_back_inspection_is_corrected_and_the_correction_supersedes_it(world):
    key = veto_key(world.form)
    original = world.submit(outcomes={key: "fail"})
    original_case = original["penalty_cases"][0]["id"]
    sent = world.review(original["uuid"], status="rejected", note="照片看不清，请重拍", send_back=True)
    assert sent.status_code == 201
    assert sent.get_json()["inspection"]["sent_back"] is True
    assert sent.get_json()["review"]["to_label"] == "已退回修改"

    correction = world.submit(outcomes={key: "fail"}, supersedes=original["uuid"],
                              started_at=WINTER_MORNING + timedelta(minutes=40))
    assert correction["supersedes"] == original["uuid"]

    # the original is kept, marked superseded, and points at its correction
    read = world.client.get(f"/api/inspections/{original['uuid']}", headers=world.headers["inspector"])
    assert read.status_code == 200
    assert read.get_json()["review_status"] == "superseded"
    assert read.get_json()["superseded_by"] == correction["uuid"]
    # its consequences lapse; the correction's apply
    original_id = db.session.scalar(select(Inspection.id).where(Inspection.uuid == original["uuid"]))
    correction_id = db.session.scalar(select(Inspection.id).where(Inspection.uuid == correction["uuid"]))
    assert {v.status for v in db.session.scalars(
        select(Violation).where(Violation.opened_by_inspection_id == original_id))} == {"void"}
    assert [v.status for v in db.session.scalars(
        select(Violation).where(Violation.opened_by_inspection_id == correction_id))] == ["open"]
    assert db.session.get(PenaltyCase, original_case).status == "dismissed"
    lapse = db.session.scalar(select(CaseEvent).where(CaseEvent.case_id == original_case))
    assert lapse.fields == {"system": "inspection_superseded"}
    assert len(correction["penalty_cases"]) == 1
    assert db.session.get(PenaltyCase, correction["penalty_cases"][0]["id"]).status == "pending_review"
    voided = count(AuditEvent, AuditEvent.action == "violation.void")
    assert voided >= 1
    assert db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "violation.void")) \
        == world.users["inspector"].id

    # the history keeps both versions and every review
    history = world.client.get(f"/api/inspections/{correction['uuid']}/reviews",
                               headers=world.headers["supervisor"]).get_json()
    assert [v["uuid"] for v in history["versions"]] == [original["uuid"], correction["uuid"]]
    assert [(e["inspection"], e["to_status"]) for e in history["events"]] == [(original["uuid"], "rejected")]
    of_original = world.client.get(f"/api/inspections/{original['uuid']}/reviews",
                                   headers=world.headers["supervisor"]).get_json()
    assert of_original["superseded_by"] == correction["uuid"]
    assert world.review(correction["uuid"], status="has_issues", note="已重拍").status_code == 201


def test_reviewing_a_superseded_inspection_is_refused(world):
    original = world.submit()
    world.review(original["uuid"], status="rejected", note="缺少远景照片", send_back=True)
    correction = world.submit(supersedes=original["uuid"])
    response = world.review(original["uuid"], status="approved")
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "review_inspection_superseded"
    assert body["details"]["superseded_by"] == correction["uuid"]
    assert correction["uuid"] in body["message"]


def test_a_correction_of_an_inspection_not_sent_back_is_refused(world):
    approved = world.submit()
    world.review(approved["uuid"], status="approved")
    body = world.submit(supersedes=approved["uuid"], expect=422)
    assert body["code"] == "supersede_not_allowed"


def test_rejection_for_good_voids_consequences_and_allows_no_correction(world):
    key = veto_key(world.form)
    data = world.submit(outcomes={key: "fail"})
    case_id = data["penalty_cases"][0]["id"]
    response = world.review(data["uuid"], status="rejected", note="照片系他处所拍", send_back=False)
    assert response.status_code == 201
    assert response.get_json()["inspection"]["sent_back"] is False
    assert {v.status for v in db.session.scalars(select(Violation))} == {"void"}
    assert db.session.get(PenaltyCase, case_id).status == "dismissed"
    assert world.submit(supersedes=data["uuid"], expect=422)["code"] == "supersede_not_allowed"
    again = world.review(data["uuid"], status="approved")
    assert again.status_code == 409 and again.get_json()["code"] == "review_final_rejection"
    # a retry of the same rejection is still answered, not refused
    assert world.review(data["uuid"], status="rejected", note="照片系他处所拍").status_code == 200


def test_a_case_already_with_the_bureau_is_kept_but_noted_when_its_inspection_is_replaced(world):
    key = veto_key(world.form)
    original = world.submit(outcomes={key: "fail"})
    case_id = original["penalty_cases"][0]["id"]
    world.move(case_id, "supervisor", "approved")
    world.move(case_id, "enforcement", "accepted")
    # A case with the bureau: the supervisor can still reject the inspection for good
    world.review(original["uuid"], status="rejected", note="重复录入", send_back=False)
    body = world.case(case_id).get_json()
    assert body["status"] == "accepted"
    assert body["history"][-1]["fields"] == {"system": "inspection_rejected"}
    assert "驳回" in body["history"][-1]["message"]


def test_a_corrected_refailure_counts_once(world):
    key = plain_key(world.form, world.site)
    world.submit(outcomes={key: "fail"})
    second = world.submit(outcomes={key: "fail"}, started_at=WINTER_MORNING + timedelta(hours=1))
    violation = db.session.scalar(select(Violation))
    assert violation.fail_count == 2
    world.review(second["uuid"], status="rejected", note="重新核对", send_back=True)
    world.submit(outcomes={key: "fail"}, supersedes=second["uuid"],
                 started_at=WINTER_MORNING + timedelta(hours=1, minutes=30))
    db.session.expire_all()
    violations = db.session.scalars(select(Violation)).all()
    assert len(violations) == 1
    assert violations[0].fail_count == 2 and violations[0].status == "open"


def test_a_pass_that_is_corrected_to_a_failure_reopens_the_violation(world):
    key = plain_key(world.form, world.site)
    world.submit(outcomes={key: "fail"})
    passing = world.submit(started_at=WINTER_MORNING + timedelta(hours=2))
    assert db.session.scalar(select(Violation)).status == "closed"
    world.review(passing["uuid"], status="rejected", note="该项实际未整改", send_back=True)
    world.submit(outcomes={key: "fail"}, supersedes=passing["uuid"],
                 started_at=WINTER_MORNING + timedelta(hours=2, minutes=30))
    db.session.expire_all()
    [violation] = db.session.scalars(select(Violation)).all()
    assert violation.status == "open" and violation.closed_at is None
    assert violation.fail_count == 2


@pytest.mark.parametrize("role, status", [
    ("inspector", 200), ("other_inspector", 404), ("supervisor", 200), ("far_supervisor", 404),
    ("enforcement", 200), ("admin", 200),
])
def test_review_history_is_scoped_like_the_inspection(world, role, status):
    data = world.submit()
    response = world.client.get(f"/api/inspections/{data['uuid']}/reviews", headers=world.headers[role])
    assert response.status_code == status

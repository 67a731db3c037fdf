"""A supervisor of the unit reassigns follow-ups, and closes violations that can never be re-checked
(with a reason and evidence); both audited; wrong roles, other units and missing reasons refused."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from inspect_app.followups.models import ViolationClosure
from inspect_app.penalties.models import Violation
from tests.followups.conftest import NON_VETO, local_morning


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _reassign(unit, task_id, assignee, role="supervisor"):
    response = unit.client.post(f"/api/follow-ups/{task_id}/assignee", headers=unit.headers[role],
                                json={"assignee_id": unit.users[assignee].id})
    return response.status_code, response.get_json()


def test_a_supervisor_reassigns_a_follow_up_to_another_inspector_of_the_unit(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))
    task_id = unit.only_task().id
    status, body = _reassign(unit, task_id, "colleague")
    assert status == 200 and body["assignee"]["display_name"] == "李巡查"
    assert unit.tasks()["items"] == [] and [t["id"] for t in unit.tasks("colleague")["items"]] == [task_id]
    [event] = _audit("follow_up.reassign")
    assert event.actor_id == unit.users["supervisor"].id
    assert event.before == {"assignee_id": unit.users["inspector"].id}
    assert event.after == {"assignee_id": unit.users["colleague"].id}


def test_reassignment_refusals(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))
    task_id = unit.only_task().id
    assert _reassign(unit, task_id, "colleague", role="inspector")[0] == 403
    assert _reassign(unit, task_id, "colleague", role="enforcement")[0] == 403
    assert _reassign(unit, task_id, "colleague", role="other_supervisor")[0] == 404
    assert _reassign(unit, task_id, "other_inspector")[1]["code"] == "follow_up_assignee_other_unit"
    assert _reassign(unit, task_id, "supervisor")[1]["code"] == "follow_up_assignee_not_inspector"
    missing = unit.client.post(f"/api/follow-ups/{task_id}/assignee", headers=unit.headers["supervisor"],
                               json={"assignee_id": 999999})
    assert missing.get_json()["code"] == "follow_up_assignee_not_inspector"
    assert unit.only_task().assignee_id == unit.users["inspector"].id and _audit("follow_up.reassign") == []


def _close(unit, violation_id, role="supervisor", **body):
    response = unit.client.post(f"/api/violations/{violation_id}/close", headers=unit.headers[role], json=body)
    return response.status_code, response.get_json()


def _violation(key: str) -> Violation:
    db.session.expire_all()
    return db.session.scalar(select(Violation).where(Violation.item_key == key))


def test_a_supervisor_closes_a_violation_that_can_never_be_rechecked_and_the_notice_is_rectified(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))
    violation = _violation(NON_VETO)
    status, body = _close(unit, violation.id, reason="phase_moved_on", note="工地已进入主体施工阶段，裸土已不存在")
    assert status == 201, body
    assert body["status"] == "closed" and body["reason_label"] == "施工阶段已变更，无法复查"
    assert _violation(NON_VETO).status == "closed" and _violation(NON_VETO).closed_at is not None
    [closure] = db.session.scalars(select(ViolationClosure)).all()
    assert closure.actor_id == unit.users["supervisor"].id and closure.note.startswith("工地已进入")
    [event] = _audit("violation.close_by_supervisor")
    assert event.actor_id == unit.users["supervisor"].id and event.after["reason"] == "phase_moved_on"
    task = unit.only_task()
    assert (task.status, task.outcome) == ("closed", "rectified")
    assert [e.after["outcome"] for e in _audit("follow_up.rectified")] == ["rectified"]


def test_closure_evidence_may_be_a_stored_photo_of_the_same_site(unit):
    inspection = unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))
    photo = Photo(uuid=str(uuid.uuid4()), inspection_id=inspection["id"], item_key=NON_VETO, sha256="0" * 64,
                  format="jpeg", size_bytes=1, width=1, height=1, original_key="o", display_key="d", thumb_key="t")
    db.session.add(photo)
    db.session.commit()
    violation_id = _violation(NON_VETO).id
    assert _close(unit, violation_id, reason="season_ended", photo_ids=[str(uuid.uuid4())])[1]["code"] == \
        "closure_photo_unknown"
    status, body = _close(unit, violation_id, reason="season_ended", photo_ids=[photo.uuid])
    assert status == 201 and body["photo_ids"] == [photo.uuid]


def test_closure_refusals(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))
    violation_id = _violation(NON_VETO).id
    note = {"reason": "season_ended", "note": "9月30日后臭氧管控时段结束"}
    assert _close(unit, violation_id, role="inspector", **note)[0] == 403
    assert _close(unit, violation_id, role="enforcement", **note)[0] == 403
    assert _close(unit, violation_id, role="other_supervisor", **note)[0] == 404
    assert _close(unit, 999999, **note)[0] == 404
    status, body = _close(unit, violation_id, note="没有原因")
    assert status == 422 and "reason" in body["details"]["json"]
    assert _close(unit, violation_id, reason="made_up", note="x")[0] == 422
    assert _close(unit, violation_id, reason="season_ended")[1]["code"] == "closure_evidence_required"
    assert _close(unit, violation_id, reason="season_ended", note="   ")[1]["code"] == "closure_evidence_required"
    assert _audit("violation.close_by_supervisor") == [] and _violation(NON_VETO).status == "open"
    assert _close(unit, violation_id, **note)[0] == 201
    assert _close(unit, violation_id, **note)[0] == 409  # closed once: a second closure is refused
    assert _close(unit, violation_id, **note)[1]["code"] == "violation_not_open"

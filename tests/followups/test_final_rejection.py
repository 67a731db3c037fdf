"""A supervisor's final rejection of an inspection voids its notice and cancels its 复查 task
(core.signals.inspection_rejected, sent by review; received by notices and follow-ups)."""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.core.signals import inspection_rejected
from inspect_app.extensions import db
from inspect_app.followups.models import FollowUp
from inspect_app.notices.models import Notice
from tests.followups.conftest import NON_VETO, local_morning


def _review(unit, uuid: str, **body):
    response = unit.client.post(f"/api/inspections/{uuid}/review", headers=unit.headers["supervisor"], json=body)
    assert response.status_code == 201, response.get_json()
    return response


def _notice_and_task() -> tuple[Notice, FollowUp]:
    db.session.expire_all()
    return db.session.scalar(select(Notice)), db.session.scalar(select(FollowUp))


def test_a_final_rejection_voids_the_notice_and_cancels_its_follow_up(unit):
    first = unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))
    notice, task = _notice_and_task()
    assert (notice.status, task.status) == ("issued", "open")
    _review(unit, first["uuid"], status="rejected", note="不在现场拍摄")
    notice, task = _notice_and_task()
    assert notice.status == "void" and notice.void_reason == "rejected" and notice.voided_at is not None
    assert task.status == "cancelled" and task.closed_at is not None
    assert unit.tasks()["items"] == []  # nothing left for the inspector to re-check
    body = unit.client.get(f"/api/notices/{notice.id}", headers=unit.headers["supervisor"]).get_json()
    assert body["status"] == "void"
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.in_(("notice.void", "follow_up.cancel")))))
    assert actions == {"notice.void", "follow_up.cancel"}


def test_sending_back_for_correction_keeps_the_notice_until_the_correction_arrives(unit):
    first = unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))
    _review(unit, first["uuid"], status="rejected", note="照片不清楚", send_back=True)
    notice, task = _notice_and_task()
    assert (notice.status, task.status) == ("issued", "open")


def test_the_signal_is_sent_once_with_the_reviewer_and_only_for_a_final_rejection(unit):
    seen = []

    def receiver(inspection, **extra):
        seen.append((inspection.uuid, extra["actor"].id))

    inspection_rejected.connect(receiver)
    try:
        approved = unit.inspect({NON_VETO: "fail"}, started_at=local_morning(2))
        _review(unit, approved["uuid"], status="has_issues", note="记录不全")
        rejected = unit.inspect({"hoarding": "fail"}, started_at=local_morning(1))
        _review(unit, rejected["uuid"], status="rejected", note="不在现场拍摄")
        again = unit.client.post(f"/api/inspections/{rejected['uuid']}/review", headers=unit.headers["supervisor"],
                                 json={"status": "rejected", "note": "不在现场拍摄"})
        assert again.status_code == 200  # the same decision again records nothing new
    finally:
        inspection_rejected.disconnect(receiver)
    assert seen == [(rejected["uuid"], unit.users["supervisor"].id)]

"""Each notice gets one 复查 task for the inspector who found it, due on its earliest open deadline;
the inspector's list counts 今日复查 / 已逾期 / upcoming; a correction cancels the replaced one's task."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from inspect_app.core.models import AuditEvent
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.extensions import db
from inspect_app.followups.models import FollowUp
from inspect_app.notices.models import Notice
from tests import factories
from tests.followups.conftest import NON_VETO, local_morning
from tests.inspections.helpers import submission


def test_a_notice_plans_one_follow_up_for_its_inspector_due_on_the_earliest_deadline(unit):
    unit.inspect({"hoarding": "fail", NON_VETO: "fail"}, started_at=local_morning(1))
    task = unit.only_task()
    notice = db.session.scalar(select(Notice))
    assert task.notice_id == notice.id and task.assignee_id == unit.users["inspector"].id
    assert task.site_id == unit.site.id and task.status == "open" and task.kind == "site"
    # hoarding: 3 days, idle cover: 7 days after yesterday morning → due in two days
    assert task.due_on.isoformat() == notice.content["items"][0]["deadline_date"]
    assert (task.due_on - to_local(utcnow()).date()).days == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "follow_up.plan")) == 1


def test_a_passing_inspection_plans_nothing(unit):
    unit.inspect({}, started_at=local_morning(1))
    assert db.session.scalar(select(func.count()).select_from(FollowUp)) == 0


def test_the_inspectors_list_counts_today_overdue_and_upcoming(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(9))     # due 2 days ago
    unit.site = factories.create_site("xinhuaxilu", phase="earthwork", name="第二工地")
    unit.inspect({"hoarding": "fail"}, started_at=local_morning(3))   # due today
    listing = unit.tasks()
    assert listing["counts"] == {"overdue": 1, "today": 1, "upcoming": 0}
    assert [t["bucket"] for t in listing["items"]] == ["overdue", "today"]
    overdue = listing["items"][0]
    assert overdue["bucket_label"] == "已逾期" and overdue["site"]["name"] == "海亮广场二期"
    assert listing["items"][1]["bucket_label"] == "今日复查" and listing["items"][1]["site"]["name"] == "第二工地"
    [item] = overdue["items"]
    assert item["key"] == NON_VETO and item["status"] == "open" and item["photos_on_fail"] == 1
    assert item["text_zh"] and item["text_en"]
    assert overdue["notice"]["number"].startswith("回民扬整")
    # a colleague has none of their own, but sees the unit's with all_units; another unit sees none
    assert unit.tasks("colleague")["counts"] == {"overdue": 0, "today": 0, "upcoming": 0}
    assert len(unit.tasks("colleague", all_units="true")["items"]) == 2
    assert unit.tasks("other_inspector", all_units="true")["items"] == []


def test_an_inspection_that_passes_the_items_rectifies_the_notice_and_drops_the_task(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(4))
    unit.inspect({}, started_at=local_morning(2))  # a full inspection: the item passes, its violation closes
    task = unit.task(unit.only_task().id)
    assert task["rectified"] is True and task["label"] == "已整改" and task["bucket"] is None
    assert unit.tasks()["items"] == []


def test_an_upcoming_task(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))
    listing = unit.tasks()
    assert listing["counts"] == {"overdue": 0, "today": 0, "upcoming": 1}
    assert listing["items"][0]["bucket_label"] == "待复查"


def test_tasks_are_scoped_to_the_unit(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))
    task_id = unit.only_task().id
    assert unit.client.get(f"/api/follow-ups/{task_id}", headers=unit.headers["other_inspector"]).status_code == 404
    assert unit.client.get(f"/api/follow-ups/{task_id}", headers=unit.headers["enforcement"]).status_code == 403
    assert unit.task(task_id, "supervisor")["assignee"]["display_name"] == "王巡查"


def test_a_correction_cancels_the_task_of_the_inspection_it_replaces(unit):
    first = unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))
    sent_back = unit.client.post(f"/api/inspections/{first['uuid']}/review", headers=unit.headers["supervisor"],
                                 json={"status": "rejected", "note": "照片不清楚", "send_back": True})
    assert sent_back.status_code == 201, sent_back.get_json()
    body = submission(unit.form, unit.site, outcomes={NON_VETO: "fail"},
                      started_at=local_morning(1) + timedelta(minutes=40), supersedes=first["uuid"])
    assert unit.client.post("/api/inspections", json=body, headers=unit.headers["inspector"]).status_code == 201
    db.session.expire_all()
    old, new = db.session.scalars(select(FollowUp).order_by(FollowUp.id)).all()
    assert old.status == "cancelled" and new.status == "open"
    assert [t["id"] for t in unit.tasks()["items"]] == [new.id]

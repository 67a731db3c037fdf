"""What the robots hear: new cases, send-backs, alerts and overdue follow-ups, in Chinese and Beijing time."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from inspect_app.extensions import db
from inspect_app.followups.models import FollowUp
from inspect_app.webhooks.operations import announce_overdue
from tests.alerts.conftest import alert_body, unit_id
from tests.inspections.helpers import WINTER_MORNING, plain_key, veto_key
from tests.webhooks.helpers import deliveries, served, submit


def test_a_new_case_is_posted_to_the_units_robot_after_the_response(world, robots):
    body = submit(world, outcomes={veto_key(world.form): "fail"})
    case_number = body["penalty_cases"][0]["case_number"]
    [post] = robots.posts
    assert post["path"] == "/xinhuaxilu" and post["query"] == {"key": ["k1"]}
    assert post["content_type"] == "application/json; charset=utf-8"
    text = post["json"]["text"]["content"]
    assert text.startswith("【扬尘巡查】新处罚案件待审核") and case_number in text
    assert world.site.name in text and "呼和浩特某建筑工程有限公司" in text
    finished = WINTER_MORNING + timedelta(minutes=20)
    assert f"巡查时间：{finished:%Y-%m-%d %H:%M}" in text and "T" not in text.split("巡查时间：")[1][:16]
    [row] = deliveries()
    assert (row.event, row.status, row.attempts, row.last_error) == ("case_queued", "delivered", 1, None)
    assert row.attempt_log[0].ok is True and row.attempt_log[0].http_status == 200


def test_a_replayed_submission_posts_nothing_more(world, robots):
    from tests.inspections.helpers import submission

    data = submission(world.form, world.site, outcomes={veto_key(world.form): "fail"})
    for expected in (201, 200):
        response = world.client.post("/api/inspections", json=data, headers=world.headers["inspector"])
        assert served(response).status_code == expected
    assert len(robots.posts) == 1 and len(deliveries()) == 1


def test_a_send_back_is_posted_with_the_reason(world, robots):
    body = submit(world)
    response = world.review(body["uuid"], status="rejected", note="照片看不清，请重拍", send_back=True)
    assert served(response).status_code == 201
    [text] = robots.texts("/xinhuaxilu")
    assert text.startswith("【扬尘巡查】巡查记录已退回修改") and "退回理由：照片看不清，请重拍" in text
    assert world.users["supervisor"].display_name in text and world.users["inspector"].display_name in text


def test_a_final_rejection_or_an_approval_posts_nothing(world, robots):
    first, second = submit(world), submit(world)
    assert served(world.review(first["uuid"], status="rejected", note="重复提交", send_back=False)).status_code == 201
    assert served(world.review(second["uuid"], status="approved")).status_code == 201
    assert robots.posts == []


def test_an_alert_is_posted_to_the_bureau_and_the_units_it_binds(world, robots):
    body = alert_body(starts_at="2026-12-01T08:00", ends_at="2026-12-03T20:00", unit_ids=[unit_id("xinhuaxilu")])
    response = world.client.post("/api/alerts", json=body, headers=world.headers["supervisor"])
    assert served(response).status_code == 201, response.get_json()
    assert sorted(p["path"] for p in robots.posts) == ["/bureau", "/xinhuaxilu"]
    text = robots.texts("/bureau")[0]
    assert "重污染天气橙色预警" in text and "2026-12-01 08:00 至 2026-12-03 20:00（北京时间）" in text
    assert "新华西路" in text and "呼重污染指办〔2026〕12号" in text and "启动橙色预警Ⅱ级响应" in text


def test_a_district_wide_alert_reaches_the_shared_robot_once(world, robots):
    body = alert_body(scope="district", unit_ids=[])
    response = world.client.post("/api/alerts", json=body, headers=world.headers["admin"])
    assert served(response).status_code == 201, response.get_json()
    assert sorted(p["path"] for p in robots.posts) == ["/bureau", "/units", "/xinhuaxilu"]
    assert "范围：全区" in robots.texts("/units")[0]


def test_nothing_is_written_when_no_robot_is_configured(world, sink, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_URLS", "")
    submit(world, outcomes={veto_key(world.form): "fail"})
    assert deliveries() == [] and sink.posts == []


def _overdue_task(world) -> FollowUp:
    submit(world, outcomes={plain_key(world.form, world.site): "fail"})
    [task] = db.session.scalars(select(FollowUp)).all()
    return task


def test_overdue_follow_ups_make_one_digest_a_day_per_unit(world, robots, app):
    task = _overdue_task(world)
    robots.posts.clear()
    later = task.due_on + timedelta(days=2)
    result = app.test_cli_runner().invoke(args=["webhooks", "overdue", "--date", later.isoformat()])
    assert result.exit_code == 0, result.output
    assert "overdue digests written: 1" in result.output and "delivered 1" in result.output
    [text] = robots.texts("/xinhuaxilu")
    assert text.startswith("【扬尘巡查】新华西路") and "逾期未复查 1 项" in text
    assert task.notice.number in text and f"应于{task.due_on.isoformat()}复查" in text
    again = app.test_cli_runner().invoke(args=["webhooks", "overdue", "--date", later.isoformat()])
    assert "overdue digests written: 0" in again.output and len(robots.posts) == 1


def test_a_task_due_today_is_not_overdue(world, robots):
    task = _overdue_task(world)
    assert announce_overdue(task.due_on) == []
    db.session.rollback()


def test_the_overdue_digest_reads_a_fixed_number_of_statements(world, robots, count_queries, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_DELIVER_AFTER_COMMIT", False)
    key = plain_key(world.form, world.site)

    def statements(on: date) -> tuple[int, str]:
        with count_queries() as seen:
            [digest] = announce_overdue(on)
        db.session.rollback()
        return len(seen), digest.text

    submit(world, outcomes={key: "fail"})
    due = db.session.scalars(select(FollowUp)).all()[0].due_on
    one, text = statements(due + timedelta(days=2))
    for _ in range(4):
        submit(world, outcomes={key: "fail"})
    five, text = statements(due + timedelta(days=2))
    assert "逾期未复查 5 项" in text and five == one

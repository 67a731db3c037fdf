"""A failing robot never blocks or loses the event: recorded attempts, backoff, retries, give-up, and
no duplicates when several deliverers run at once."""
from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update

from inspect_app.core.timeutil import as_utc, utcnow
from inspect_app.extensions import db
from inspect_app.penalties.models import PenaltyCase
from inspect_app.webhooks.delivery import deliver
from inspect_app.webhooks.models import WebhookDelivery
from inspect_app.webhooks.operations import enqueue
from tests.inspections.helpers import veto_key
from tests.webhooks.helpers import attempts, deliveries, submit


def _make_due() -> None:
    db.session.execute(update(WebhookDelivery).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_a_robot_that_fails_keeps_the_case_and_the_message_and_retries_with_backoff(world, robots):
    robots.status = 500
    before = utcnow()
    body = submit(world, outcomes={veto_key(world.form): "fail"})
    assert db.session.get(PenaltyCase, body["penalty_cases"][0]["id"]) is not None  # the change stands
    [row] = deliveries()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 500")
    assert as_utc(row.next_attempt_at) - before >= timedelta(seconds=60)  # WEBHOOK_RETRY_BASE_SECONDS
    assert deliver() == {"delivered": 0, "retry": 0, "failed": 0}  # not due yet: nothing posted
    assert len(robots.posts) == 1

    _make_due()
    assert deliver()["retry"] == 1
    [row] = deliveries()
    second_wait = as_utc(row.next_attempt_at) - utcnow()
    assert timedelta(seconds=100) < second_wait <= timedelta(seconds=120)  # doubled

    robots.status = 200
    _make_due()
    assert deliver()["delivered"] == 1
    [row] = deliveries()
    assert (row.status, row.attempts, row.last_error) == ("delivered", 3, None)
    assert [(a.ok, a.http_status, a.error) for a in attempts(row.id)] == [
        (False, 500, "HTTP 500"), (False, 500, "HTTP 500"), (True, 200, None)]
    assert len(robots.posts) == 3 and len(set(robots.texts())) == 1


def test_a_robot_refusing_with_an_errcode_is_a_failure(world, robots):
    robots.errcode = 45009  # 企业微信: rate limited, under HTTP 200
    submit(world, outcomes={veto_key(world.form): "fail"})
    [row] = deliveries()
    assert row.status == "pending" and row.last_error == "errcode 45009: bad"


def test_a_slow_robot_times_out_and_is_retried_later(world, robots, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT_SECONDS", 0.3)
    robots.delay = 1.5
    submit(world, outcomes={veto_key(world.form): "fail"})
    [row] = deliveries()
    assert row.status == "pending" and row.attempts == 1
    assert "timed out" in row.last_error or "Timeout" in row.last_error
    assert attempts(row.id)[0].duration_ms < 1400


def test_an_unreachable_robot_is_recorded(world, robots, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_URLS", "xinhuaxilu=http://127.0.0.1:9/closed")
    submit(world, outcomes={veto_key(world.form): "fail"})
    [row] = deliveries()
    assert row.status == "pending" and "URLError" in row.last_error
    assert attempts(row.id)[0].http_status is None


def test_after_the_last_attempt_the_row_is_given_up_but_kept(world, robots):
    robots.status = 502
    submit(world, outcomes={veto_key(world.form): "fail"})
    for _ in range(2):  # WEBHOOK_MAX_ATTEMPTS = 3 in these tests
        _make_due()
        deliver()
    [row] = deliveries()
    assert (row.status, row.attempts) == ("failed", 3) and len(attempts(row.id)) == 3
    _make_due()
    deliver()
    assert len(robots.posts) == 3  # a given-up row is not posted again


def test_a_robot_removed_from_the_settings_is_a_recorded_failure_until_it_is_back(world, robots, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_DELIVER_AFTER_COMMIT", False)
    submit(world, outcomes={veto_key(world.form): "fail"})
    assert robots.posts == [] and deliveries()[0].attempts == 0  # waits for the cron deliverer
    monkeypatch.setitem(app.config, "WEBHOOK_URLS", f"bureau={robots.url}/bureau")
    deliver()
    [row] = deliveries()
    assert row.status == "pending" and row.last_error == "未配置该对象的群机器人（WEBHOOK_URLS）"
    monkeypatch.setitem(app.config, "WEBHOOK_URLS", f"xinhuaxilu={robots.url}/again")
    _make_due()
    result = app.test_cli_runner().invoke(args=["webhooks", "deliver"])
    assert result.exit_code == 0 and "delivered 1" in result.output
    assert [p["path"] for p in robots.posts] == ["/again"]


def test_a_dingtalk_secret_signs_each_post(world, robots, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_URLS", f"xinhuaxilu={robots.url}/robot/send?access_token=t")
    monkeypatch.setitem(app.config, "WEBHOOK_SECRETS", "xinhuaxilu=SECtest")
    submit(world, outcomes={veto_key(world.form): "fail"})
    [post] = robots.posts
    stamp = post["query"]["timestamp"][0]
    expected = base64.b64encode(hmac.new(b"SECtest", f"{stamp}\nSECtest".encode(), hashlib.sha256).digest()).decode()
    assert post["query"]["sign"] == [expected] and post["query"]["access_token"] == ["t"]
    assert abs(int(stamp) / 1000 - utcnow().timestamp()) < 60


def test_two_deliverers_at_once_post_each_message_exactly_once(app, robots, monkeypatch):
    robots.delay = 0.05
    ids = []
    for n in range(12):
        ids.append(enqueue("overdue", "xinhuaxilu", f"race:{n}", f"【扬尘巡查】测试 {n}").id)
    db.session.commit()
    barrier = threading.Barrier(2)
    errors = []

    def run():
        with app.app_context():
            try:
                barrier.wait()
                deliver(limit=3)
            except Exception as exc:  # noqa: BLE001 — reported below
                errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    texts = robots.texts()
    assert sorted(texts) == sorted(f"【扬尘巡查】测试 {n}" for n in range(12))  # none twice, none lost
    rows = deliveries()
    assert {r.status for r in rows} == {"delivered"} and {r.attempts for r in rows} == {1}


@pytest.mark.parametrize("replays", [2])
def test_the_same_event_is_written_once(app, robots, replays):
    for _ in range(replays):
        enqueue("overdue", "units", "overdue:2026-12-01", "文本")
    db.session.commit()
    assert len(deliveries()) == 1

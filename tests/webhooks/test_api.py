"""Admins see recent deliveries and failures; nobody else does."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.webhooks.models import WebhookDelivery
from inspect_app.webhooks.operations import enqueue
from tests.inspections.helpers import veto_key
from tests.webhooks.helpers import deliveries, submit


def test_an_admin_sees_deliveries_newest_first_with_their_attempts(world, robots):
    robots.status = 500
    submit(world, outcomes={veto_key(world.form): "fail"})
    robots.status = 200
    enqueue("overdue", "bureau", "overdue:x", "【扬尘巡查】测试")
    db.session.commit()
    response = world.client.get("/api/webhooks/deliveries", headers=world.headers["admin"])
    assert response.status_code == 200
    page = response.get_json()
    assert page["total"] == 2 and [d["event"] for d in page["items"]] == ["overdue", "case_queued"]
    failed = page["items"][1]
    assert failed["status"] == "pending" and failed["status_label"] == "待发送"
    assert failed["event_label"] == "新处罚案件" and failed["last_error"] == "HTTP 500"
    assert failed["attempt_log"][0]["http_status"] == 500 and failed["attempt_log"][0]["ok"] is False
    assert len(failed["attempt_log"][0]["at_local"]) == 16 and "T" not in failed["attempt_log"][0]["at_local"]
    assert failed["text"].startswith("【扬尘巡查】新处罚案件待审核")


def test_deliveries_filter_by_status_and_event(world, robots):
    robots.status = 500
    submit(world, outcomes={veto_key(world.form): "fail"})
    get = lambda q: world.client.get(f"/api/webhooks/deliveries?{q}", headers=world.headers["admin"])  # noqa: E731
    assert get("status=pending").get_json()["total"] == 1
    assert get("status=delivered").get_json()["total"] == 0
    assert get("event=alert_declared").get_json()["total"] == 0
    bad = get("status=lost")
    assert bad.status_code == 422


@pytest.mark.parametrize("role", ["inspector", "supervisor", "enforcement"])
def test_only_admins_see_deliveries(world, role):
    response = world.client.get("/api/webhooks/deliveries", headers=world.headers[role])
    assert response.status_code == 403


def test_deliveries_need_a_login(client):
    assert client.get("/api/webhooks/deliveries").status_code == 401


def _given_up(world, robots) -> int:
    robots.status = 500
    submit(world, outcomes={veto_key(world.form): "fail"})
    db.session.execute(update(WebhookDelivery).values(status="failed", attempts=3))
    db.session.commit()
    return deliveries()[0].id


def test_an_admin_tries_a_given_up_notification_once_more_and_it_is_audited(world, robots):
    delivery_id = _given_up(world, robots)
    robots.status = 200
    response = world.client.post(f"/api/webhooks/deliveries/{delivery_id}/retry", headers=world.headers["admin"])
    assert response.status_code == 200 and response.get_json()["status"] == "pending"
    response.close()  # as a server does: the retry is posted right after the response
    [row] = deliveries()
    assert (row.status, row.attempts) == ("delivered", 4) and len(robots.posts) == 2
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "webhook_delivery.retry"))
    assert event.before["status"] == "failed" and event.after == {"status": "pending"}
    assert event.actor_id == world.users["admin"].id
    again = world.client.post(f"/api/webhooks/deliveries/{delivery_id}/retry", headers=world.headers["admin"])
    assert again.status_code == 409 and again.get_json()["code"] == "webhook_not_failed"


@pytest.mark.parametrize("role", ["inspector", "supervisor", "enforcement"])
def test_only_admins_retry(world, robots, role):
    delivery_id = _given_up(world, robots)
    response = world.client.post(f"/api/webhooks/deliveries/{delivery_id}/retry", headers=world.headers[role])
    assert response.status_code == 403 and deliveries()[0].status == "failed"


def test_retrying_an_unknown_notification_is_404(world):
    assert world.client.post("/api/webhooks/deliveries/999/retry", headers=world.headers["admin"]).status_code == 404


def test_the_summary_names_the_robots_never_their_keys_and_counts_the_outbox(app, world, robots, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_SECRETS", "bureau=SECabc")
    robots.status = 500
    submit(world, outcomes={veto_key(world.form): "fail"})
    enqueue("overdue", "bureau", "overdue:summary", "【扬尘巡查】测试")
    db.session.flush()
    db.session.execute(update(WebhookDelivery).where(WebhookDelivery.event == "overdue")
                       .values(status="failed"))
    db.session.commit()
    response = world.client.get("/api/webhooks/summary", headers=world.headers["admin"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["audiences"] == ["bureau", "units", "xinhuaxilu"] and body["signed"] == ["bureau"]
    assert body["counts"] == {"pending": 1, "delivered": 0, "failed": 1}
    assert "k1" not in response.get_data(as_text=True) and "SECabc" not in response.get_data(as_text=True)


def test_without_robots_the_summary_says_none_are_configured(world):
    body = world.client.get("/api/webhooks/summary", headers=world.headers["admin"]).get_json()
    assert body == {"audiences": [], "signed": [], "counts": {"pending": 0, "delivered": 0, "failed": 0}}


@pytest.mark.parametrize("role", ["inspector", "supervisor", "enforcement"])
def test_only_admins_read_the_summary(world, role):
    assert world.client.get("/api/webhooks/summary", headers=world.headers[role]).status_code == 403

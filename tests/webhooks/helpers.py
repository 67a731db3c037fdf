"""Requests as a WSGI server serves them: the response is closed after it is sent, which is when
the app posts the notifications the request wrote (webhooks/delivery.py)."""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.extensions import db
from inspect_app.webhooks.models import WebhookAttempt, WebhookDelivery
from tests.inspections.helpers import submission


def served(response):
    response.close()
    return response


def submit(world, expect=201, **kwargs) -> dict:
    response = world.client.post("/api/inspections", json=submission(world.form, world.site, **kwargs),
                                 headers=world.headers["inspector"])
    assert response.status_code == expect, response.get_json()
    return served(response).get_json()


def deliveries() -> list[WebhookDelivery]:
    db.session.expire_all()
    return db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


def attempts(delivery_id: int) -> list[WebhookAttempt]:
    return db.session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id)
                              .order_by(WebhookAttempt.id)).all()

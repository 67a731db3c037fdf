"""Reading the webhook outbox for admins: newest first, optionally by status or event."""
from __future__ import annotations

from sqlalchemy import Select, select

from inspect_app.webhooks.models import WebhookDelivery


def list_deliveries(status: str | None = None, event: str | None = None) -> Select:
    stmt = select(WebhookDelivery).order_by(WebhookDelivery.id.desc())
    if status:
        stmt = stmt.where(WebhookDelivery.status == status)
    if event:
        stmt = stmt.where(WebhookDelivery.event == event)
    return stmt

"""Reading the webhook outbox for admins: newest first, optionally by status or event."""
from __future__ import annotations

from sqlalchemy import Select, func, select

from inspect_app.extensions import db
from inspect_app.webhooks.models import DELIVERY_STATUSES, WebhookDelivery


def list_deliveries(status: str | None = None, event: str | None = None) -> Select:
    stmt = select(WebhookDelivery).order_by(WebhookDelivery.id.desc())
    if status:
        stmt = stmt.where(WebhookDelivery.status == status)
    if event:
        stmt = stmt.where(WebhookDelivery.event == event)
    return stmt


def status_counts() -> dict[str, int]:
    """How many notifications wait, went out, or were given up — every status, zero included."""
    rows = db.session.execute(select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status))
    return {status: 0 for status in DELIVERY_STATUSES} | dict(rows.all())

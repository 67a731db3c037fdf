"""The webhook outbox: one row per message to one group robot, and every attempt to post it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inspect_app.core.models import UTCDateTime
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db

EVENTS = ("case_queued", "sent_back", "overdue", "alert_declared")
# pending: waiting for its (next) attempt; delivered; failed: gave up after WEBHOOK_MAX_ATTEMPTS
DELIVERY_STATUSES = ("pending", "delivered", "failed")


class WebhookDelivery(db.Model):
    """A message written in the same transaction as the change it announces, posted after commit."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event: Mapped[str] = mapped_column(String(20))
    audience: Mapped[str] = mapped_column(String(40))  # bureau, units or a unit code (webhooks/rules.py)
    # the event and its subject: a replayed request, a second cron run or a racing process adds nothing
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    text: Mapped[str] = mapped_column(Text)  # as the group reads it: Chinese, Beijing time
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # a deliverer's claim (compare-and-set): nobody else posts the row until the lease runs out
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempt_log: Mapped[list[WebhookAttempt]] = relationship(
        back_populates="delivery", order_by="WebhookAttempt.id", lazy="selectin")


class WebhookAttempt(db.Model):
    """One POST to a robot: when, how long, the HTTP status and the error if it was not taken."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    duration_ms: Mapped[int] = mapped_column(Integer)
    http_status: Mapped[int | None] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    error: Mapped[str | None] = mapped_column(Text)

    delivery: Mapped[WebhookDelivery] = relationship(back_populates="attempt_log")

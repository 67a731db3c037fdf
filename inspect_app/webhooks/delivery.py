"""Posting the outbox to the robots: claim (compare-and-set), post with a short timeout, record.

Any number of deliverers may run at once — the process that just committed a change (right after
its response), and ``flask webhooks deliver`` from cron on several machines. A row is posted by the
one deliverer whose claim took it: candidates are picked (``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
so deliverers skip each other's rows instead of waiting) and claimed by an ``UPDATE … WHERE`` that
only matches a row nobody holds; the claim is a lease, so a deliverer that dies mid-post only delays
its rows. No transaction is open while posting. Every attempt is a WebhookAttempt row; a failure
waits WEBHOOK_RETRY_BASE_SECONDS × 2^(attempts−1) (capped at 6 h) and the row is given up
(``failed``) after WEBHOOK_MAX_ATTEMPTS, still listed for admins.
"""
from __future__ import annotations

import logging
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, g
from sqlalchemy import or_, select, update

from inspect_app.core.i18n import translate
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.webhooks.models import WebhookAttempt, WebhookDelivery
from inspect_app.webhooks.operations import _AFTER_RESPONSE, targets
from inspect_app.webhooks.rules import backoff_seconds, robot_body, robot_error, signed_url

log = logging.getLogger(__name__)
CLAIM_BATCH = 50


@dataclass(frozen=True)
class Claimed:
    id: int
    audience: str
    text: str
    attempts: int
    token: str


def claim(ids: list[int] | None = None, limit: int = CLAIM_BATCH) -> list[Claimed]:
    """Take up to ``limit`` due rows (only ``ids`` if given) for this deliverer and commit the claim."""
    now = utcnow()
    free = or_(WebhookDelivery.claimed_until.is_(None), WebhookDelivery.claimed_until < now)
    due = select(WebhookDelivery.id).where(WebhookDelivery.status == "pending",
                                           WebhookDelivery.next_attempt_at <= now, free)
    if ids is not None:
        due = due.where(WebhookDelivery.id.in_(ids))
    due = due.order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    candidates = db.session.scalars(due).all()
    if not candidates:
        db.session.commit()
        return []
    token = secrets.token_hex(16)
    lease = now + timedelta(seconds=2 * float(current_app.config["WEBHOOK_TIMEOUT_SECONDS"]) + 60)
    db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(candidates), WebhookDelivery.status == "pending", free)
        .values(claim_token=token, claimed_until=lease)
        .execution_options(synchronize_session=False))
    rows = db.session.execute(select(WebhookDelivery.id, WebhookDelivery.audience, WebhookDelivery.text,
                                     WebhookDelivery.attempts)
                              .where(WebhookDelivery.claim_token == token)
                              .order_by(WebhookDelivery.id)).all()
    db.session.commit()
    return [Claimed(r.id, r.audience, r.text, r.attempts, token) for r in rows]


def post(url: str, body: bytes, timeout: float) -> tuple[int | None, bytes, str | None]:
    """POST JSON; (HTTP status, response body, transport error). Never raises for network trouble."""
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured http(s) URL)
            return response.status, response.read(65536), None
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(65536) if exc.fp else b"", None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, b"", f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"[:500]


def attempt(item: Claimed) -> None:
    """Post one claimed row and record the attempt and the row's new state."""
    target = targets().get(item.audience)
    started = time.monotonic()
    status, error = None, None
    if target is None:
        error = translate("webhook_no_target", "zh-CN")
    else:
        url = signed_url(target.url, target.secret, int(time.time() * 1000))
        status, body, error = post(url, robot_body(item.text), float(current_app.config["WEBHOOK_TIMEOUT_SECONDS"]))
        error = error or robot_error(status, body)
    _record(item, status, error, int((time.monotonic() - started) * 1000))


def _record(item: Claimed, status: int | None, error: str | None, duration_ms: int) -> None:
    now = utcnow()
    attempts = item.attempts + 1
    values = {"attempts": attempts, "claim_token": None, "claimed_until": None, "last_error": error}
    if error is None:
        values.update(status="delivered", delivered_at=now)
    elif attempts >= int(current_app.config["WEBHOOK_MAX_ATTEMPTS"]):
        values.update(status="failed")
    else:
        wait = backoff_seconds(attempts, float(current_app.config["WEBHOOK_RETRY_BASE_SECONDS"]))
        values.update(next_attempt_at=now + timedelta(seconds=wait))
    changed = db.session.execute(update(WebhookDelivery)
                                 .where(WebhookDelivery.id == item.id, WebhookDelivery.claim_token == item.token)
                                 .values(**values).execution_options(synchronize_session=False)).rowcount
    db.session.add(WebhookAttempt(delivery_id=item.id, at=now, duration_ms=duration_ms, http_status=status,
                                  ok=error is None, error=error))
    db.session.commit()
    if not changed:  # our lease ran out and another deliverer took the row: its attempt will tell
        log.warning("webhook delivery %s: lease lost while posting", item.id)


def deliver(ids: list[int] | None = None, *, limit: int = CLAIM_BATCH) -> dict:
    """Deliver due rows (only ``ids`` if given) until none is left to claim; counts by result."""
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    while True:
        batch = claim(ids, limit)
        for item in batch:
            attempt(item)
            state = db.session.scalar(select(WebhookDelivery.status).where(WebhookDelivery.id == item.id))
            counts["delivered" if state == "delivered" else "failed" if state == "failed" else "retry"] += 1
        db.session.commit()
        if len(batch) < limit or ids is not None:
            return counts


def deliver_after_response(response):
    """After a request that wrote notifications: post them once the response has gone out."""
    ids = g.pop(_AFTER_RESPONSE, None)
    if ids and current_app.config.get("WEBHOOK_DELIVER_AFTER_COMMIT", True):
        app = current_app._get_current_object()
        response.call_on_close(lambda: _deliver_in_background(app, ids))
    return response


def _deliver_in_background(app, ids: list[int]) -> None:
    with app.app_context():
        try:
            deliver(ids)
        except Exception:  # noqa: BLE001 — the cron deliverer retries; never fail a closed response
            log.exception("webhook delivery after response failed; `flask webhooks deliver` will retry")
            db.session.rollback()

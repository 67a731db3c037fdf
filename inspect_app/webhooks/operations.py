"""Writing group-robot notifications into the outbox, in the transaction of the change they announce.

Signal receivers (a case queued, an inspection sent back, an alert declared) and the periodic digest
of overdue follow-ups (``flask webhooks overdue``) add one WebhookDelivery per robot that should hear
of it — only robots configured in WEBHOOK_URLS — and only flush. ``delivery.py`` posts them after the
commit and retries with backoff; a robot that is down never blocks or loses the change.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import current_app, g, has_request_context
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspect_app.alerts.models import LEVEL_NAMES_ZH, Alert
from inspect_app.core import audit
from inspect_app.core.errors import Conflict
from inspect_app.core.i18n import translate
from inspect_app.core.models import Unit
from inspect_app.core.signals import alert_declared, case_queued, inspection_sent_back
from inspect_app.core.timeutil import local_text, utcnow
from inspect_app.extensions import db
from inspect_app.followups.models import FollowUp
from inspect_app.followups.queries import local_today
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import PenaltyCase
from inspect_app.webhooks import messages  # noqa: F401  (registers strings)
from inspect_app.webhooks.models import WebhookDelivery
from inspect_app.webhooks.rules import BUREAU, parse_targets, unit_audience

ROBOT_LOCALE = "zh-CN"
OVERDUE_LINES = 15  # a digest lists this many tasks and counts the rest
_AFTER_RESPONSE = "webhook_delivery_ids"


def targets() -> dict:
    """The configured robots (WEBHOOK_URLS / WEBHOOK_SECRETS), validated when the app starts."""
    return parse_targets(current_app.config.get("WEBHOOK_URLS", ""), current_app.config.get("WEBHOOK_SECRETS", ""))


def enqueue(event: str, audience: str, dedupe_key: str, text: str) -> WebhookDelivery | None:
    """Add one message to the outbox (flush only), unless the same event already went to that robot.

    A savepoint keeps a racing duplicate (the unique ``dedupe_key``) from undoing the caller's change.
    """
    key = f"{dedupe_key}:{audience}"[:120]
    if db.session.scalar(select(WebhookDelivery.id).where(WebhookDelivery.dedupe_key == key)) is not None:
        return None
    delivery = WebhookDelivery(event=event, audience=audience, dedupe_key=key, text=text, status="pending",
                               attempts=0, next_attempt_at=utcnow(), created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(delivery)
    except IntegrityError:
        return None
    if has_request_context():  # posted right after the response (delivery.py)
        g.setdefault(_AFTER_RESPONSE, []).append(delivery.id)
    return delivery


def _unit_code(unit_id: int | None) -> str | None:
    return db.session.scalar(select(Unit.code).where(Unit.id == unit_id)) if unit_id else None


def _subject(inspection: Inspection | None, *, plate: str | None = None) -> str:
    if inspection is not None and inspection.site is not None:
        return inspection.site.name
    return f"渣土车 {plate or (inspection.plate if inspection is not None else '')}".strip()


def _say(code: str, **params) -> str:
    return translate(code, ROBOT_LOCALE, **params)


def retry(actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """An admin gives a notification that was given up (``failed``) one more attempt, now (audited)."""
    if delivery.status != "failed":
        raise Conflict("webhook_not_failed")
    before = {"status": delivery.status, "attempts": delivery.attempts, "last_error": delivery.last_error}
    delivery.status, delivery.next_attempt_at = "pending", utcnow()
    delivery.claim_token = delivery.claimed_until = None
    db.session.flush()
    audit.record(actor, "webhook_delivery.retry", delivery, before=before, after={"status": "pending"})
    if has_request_context():
        g.setdefault(_AFTER_RESPONSE, []).append(delivery.id)
    return delivery


# ---- events ----

def announce_case(case: PenaltyCase) -> None:
    """A case queued for review: the robot of its unit's supervisors."""
    configured = targets()
    audience = unit_audience(configured, _unit_code(case.unit_id)) if configured else None
    if audience is None:
        return
    inspection = case.inspection
    items = "；".join(item.get("text_zh") or item.get("item_key", "") for item in case.items or [])
    text = _say("webhook_case_queued", number=case.case_number, subject=_subject(inspection, plate=case.plate),
                party=case.party_name or "", items=items,
                time=local_text(inspection.finished_at if inspection is not None else None))
    enqueue("case_queued", audience, f"case_queued:{case.id}", text)


def announce_send_back(inspection: Inspection, actor, event) -> None:
    """An inspection sent back for correction: the robot of its unit."""
    configured = targets()
    audience = unit_audience(configured, _unit_code(inspection.unit_id)) if configured else None
    if audience is None:
        return
    text = _say("webhook_sent_back", subject=_subject(inspection), inspector=inspection.inspector.display_name,
                time=local_text(inspection.finished_at), reviewer=actor.display_name, note=event.note or "")
    enqueue("sent_back", audience, f"sent_back:{event.id}", text)


def announce_alert(alert: Alert) -> None:
    """An alert declared: the bureau and the robot of every unit it binds (district-wide: all)."""
    configured = targets()
    if not configured:
        return
    units = db.session.scalars(select(Unit).order_by(Unit.id)).all() if alert.district_wide else alert.units
    audiences = {BUREAU} if BUREAU in configured else set()
    audiences |= {a for a in (unit_audience(configured, unit.code) for unit in units) if a}
    if not audiences:
        return
    scope = _say("webhook_alert_district") if alert.district_wide else "、".join(u.name_zh for u in alert.units)
    text = _say("webhook_alert_declared", level=LEVEL_NAMES_ZH.get(alert.level, alert.level),
                start=local_text(alert.starts_at), end=local_text(alert.ends_at), scope=scope,
                notice=alert.notice_number, note=_say("webhook_alert_note", note=alert.note) if alert.note else "")
    for audience in sorted(audiences):
        enqueue("alert_declared", audience, f"alert_declared:{alert.id}", text)


def announce_overdue(today: date | None = None) -> list[WebhookDelivery]:
    """Once a day per unit robot: the open follow-ups past their due date, oldest first.

    Run by cron (``flask webhooks overdue``); running it again the same day adds nothing.
    """
    today = today or local_today()
    configured = targets()
    if not configured:
        return []
    tasks = db.session.scalars(select(FollowUp).where(FollowUp.status == "open", FollowUp.due_on < today)
                               .order_by(FollowUp.due_on, FollowUp.id)).all()
    by_audience: dict[str, list[FollowUp]] = defaultdict(list)
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    for task in tasks:
        audience = unit_audience(configured, units[task.unit_id].code if task.unit_id in units else None)
        if audience:
            by_audience[audience].append(task)
    created = []
    for audience, group in sorted(by_audience.items()):
        unit_names = {units[t.unit_id].name_zh for t in group if t.unit_id in units}
        lines = [_say("webhook_overdue_line", subject=_subject(t.notice.inspection, plate=t.plate),
                      number=t.notice.number, due=t.due_on.isoformat(), inspector=t.assignee.display_name)
                 for t in group[:OVERDUE_LINES]]
        if len(group) > OVERDUE_LINES:
            lines.append(_say("webhook_overdue_more", count=len(group) - OVERDUE_LINES))
        text = _say("webhook_overdue", unit="、".join(sorted(unit_names)), count=len(group), today=today.isoformat(),
                    lines="\n".join(lines))
        delivery = enqueue("overdue", audience, f"overdue:{today.isoformat()}", text)
        if delivery is not None:
            created.append(delivery)
    return created


@case_queued.connect
def _on_case_queued(case, **_):
    announce_case(case)


@inspection_sent_back.connect
def _on_sent_back(inspection, actor=None, event=None, **_):
    announce_send_back(inspection, actor, event)


@alert_declared.connect
def _on_alert_declared(alert, **_):
    announce_alert(alert)

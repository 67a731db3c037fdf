"""Putting a site under a stop-work order and taking it through resumption, as the bureau would."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.core.signals import case_decided
from inspect_app.core.timeutil import LOCAL_TZ, utcnow
from inspect_app.extensions import db
from inspect_app.penalties.models import PenaltyCase
from inspect_app.sites.models import Site
from tests.inspections.helpers import veto_key

STOP_WORK_ITEM = "no_work_while_suspended"


def decide_stop_work(world, *, outcome="stop_work", number="回民城管罚决〔2026〕第0001号") -> PenaltyCase:
    """A case at the world's site decided with ``outcome``, announced the way penalties announce it."""
    body = world.submit(outcomes={veto_key(world.form): "fail", STOP_WORK_ITEM: "pass"})
    case = db.session.get(PenaltyCase, body["penalty_cases"][0]["id"])
    case.status, case.decision, case.decision_number = "decided", outcome, number
    case.decided_at = utcnow()
    db.session.flush()
    case_decided.send(case, actor=world.users["enforcement"], outcome=outcome)
    db.session.commit()
    return case


def site(world) -> Site:
    db.session.expire_all()
    return db.session.get(Site, world.site.id)


def actions(object_type: str, object_id) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id)).order_by(AuditEvent.seq)))


def after_now(minutes: int = 5) -> datetime:
    """A start time after the application was recorded (the resumption inspection comes after it)."""
    return (datetime.now(LOCAL_TZ) + timedelta(minutes=minutes)).replace(microsecond=0)


def resumption(world, step: str, role="supervisor", **body):
    return world.client.post(f"/api/sites/{world.site.id}/resumption/{step}", json=body,
                             headers=world.headers[role])

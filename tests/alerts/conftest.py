"""Two units (新华西路街道, 中山西路街道) with their users, an admin, and a helper to declare alerts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from inspect_app.core.models import UNIT_NAMES, Unit
from inspect_app.core.timeutil import LOCAL_TZ, to_local, utcnow
from inspect_app.extensions import db
from tests import factories


def unit_id(code: str) -> int:
    return db.session.scalar(select(Unit.id).where(Unit.code == code))


def local(dt: datetime) -> str:
    """A time as a person types it: Asia/Shanghai, no offset."""
    return to_local(dt).replace(tzinfo=None).isoformat(timespec="minutes")


def alert_body(**extra) -> dict:
    now = utcnow()
    body = {"level": "orange", "starts_at": local(now - timedelta(hours=1)),
            "ends_at": local(now + timedelta(hours=23)), "scope": "units", "unit_ids": [unit_id("xinhuaxilu")],
            "notice_number": "呼重污染指办〔2026〕12号", "note": "启动橙色预警Ⅱ级响应"}
    return {**body, **extra}


@dataclass
class AlertWorld:
    client: object
    users: dict
    headers: dict

    def post(self, path: str, body: dict, role: str = "supervisor"):
        return self.client.post(path, json=body, headers=self.headers[role])

    def get(self, path: str, role: str = "supervisor", **query):
        return self.client.get(path, query_string=query, headers=self.headers[role])

    def declare(self, role: str = "supervisor", **extra) -> dict:
        response = self.post("/api/alerts", alert_body(**extra), role)
        assert response.status_code == 201, response.get_json()
        return response.get_json()


@pytest.fixture
def alert_world(client, auth):
    all_units = tuple(code for code, _, _ in UNIT_NAMES)
    users = {
        "inspector": factories.create_user("inspector"),
        "supervisor": factories.create_user("supervisor"),
        "enforcement": factories.create_user("enforcement"),
        "admin": factories.create_user("admin"),
        "other_supervisor": factories.create_user("supervisor", units=("zhongshanxilu",)),
        "other_inspector": factories.create_user("inspector", units=("zhongshanxilu",)),
        "district_supervisor": factories.create_user("supervisor", units=all_units),
    }
    headers = {role: auth.headers(user) for role, user in users.items()}
    return AlertWorld(client, users, headers)


def local_today_at(hour: int, minute: int = 0) -> datetime:
    today = to_local(utcnow()).date()
    return datetime.combine(today, datetime.min.time(), LOCAL_TZ).replace(hour=hour, minute=minute)

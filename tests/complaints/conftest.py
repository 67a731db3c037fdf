"""A unit (新华西路街道) with its inspector, supervisor, enforcement and admin; another unit's users; a site."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from inspect_app.core.timeutil import LOCAL_TZ, to_local, utcnow
from tests import factories
from tests.inspections.helpers import site_form, submission


def local_morning(days_ago: int) -> datetime:
    """09:00 Asia/Shanghai, ``days_ago`` days before today."""
    today = to_local(utcnow()).date()
    return datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), LOCAL_TZ).replace(hour=9)


def ticket(number: str = "H20261120001", **extra) -> dict:
    body = {"ticket_number": number, "channel": "12345", "received_at": "2026-11-20T09:00:00",
            "category": "dust", "text": "工地夜间未覆盖，扬尘严重", "address": "新华西街与通道街交叉口",
            "complainant_name": "张女士", "complainant_phone": "13800000000"}
    return {**body, **extra}


@dataclass
class World:
    client: object
    site: object
    form: dict
    users: dict
    headers: dict

    def post(self, path: str, body: dict, role: str = "supervisor"):
        return self.client.post(path, json=body, headers=self.headers[role])

    def get(self, path: str, role: str = "supervisor", **query):
        return self.client.get(path, query_string=query, headers=self.headers[role])

    def enter(self, role: str = "supervisor", **extra) -> dict:
        response = self.post("/api/complaints", ticket(**extra), role)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def inspect(self, *, started_at: datetime, site=None) -> dict:
        site = site or self.site
        response = self.client.post("/api/inspections", json=submission(self.form, site, started_at=started_at),
                                    headers=self.headers["inspector"])
        assert response.status_code == 201, response.get_json()
        return response.get_json()


@pytest.fixture
def world(client, auth, checklists):
    users = {
        "inspector": factories.create_user("inspector"),
        "supervisor": factories.create_user("supervisor"),
        "enforcement": factories.create_user("enforcement"),
        "admin": factories.create_user("admin"),
        "other_inspector": factories.create_user("inspector", units=("zhongshanxilu",)),
        "other_supervisor": factories.create_user("supervisor", units=("zhongshanxilu",)),
    }
    site = factories.create_site("xinhuaxilu", phase="earthwork", name="海亮广场二期")
    headers = {role: auth.headers(user) for role, user in users.items()}
    return World(client, site, site_form(client, headers["inspector"]), users, headers)

"""新华西路街道 with an inspector, a colleague, a supervisor; sites on a line east of the inspector."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from inspect_app.core.timeutil import LOCAL_TZ, to_local, utcnow
from tests import factories
from tests.inspections.helpers import site_form, submission

HOME = (40.8200, 111.6500)  # where the inspector stands (WGS-84)
STEP = 0.0024  # about 200 m of longitude at this latitude


def local_at(days_ago: int, hour: int = 9) -> datetime:
    """``hour``:00 Asia/Shanghai, ``days_ago`` local days before today."""
    today = to_local(utcnow()).date()
    return datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), LOCAL_TZ).replace(hour=hour)


@dataclass
class World:
    client: object
    form: dict
    users: dict
    headers: dict
    sites: list

    def site(self, name: str, east: int, phase: str = "structure", unit: str = "xinhuaxilu", **extra):
        site = factories.create_site(unit, lat=HOME[0], lon=HOME[1] + east * STEP, phase=phase, name=name, **extra)
        self.sites.append(site)
        return site

    def inspect(self, site, outcomes=None, *, started_at, role="inspector", status=201):
        body = submission(self.form, site, outcomes=outcomes or {}, started_at=started_at)
        response = self.client.post("/api/inspections", json=body, headers=self.headers[role])
        assert response.status_code == status, response.get_json()
        return response.get_json()

    def today(self, role="inspector", status=200, **query):
        response = self.client.get("/api/today", query_string=query, headers=self.headers[role])
        assert response.status_code == status, response.get_json()
        return response.get_json()

    def at_home(self, role="inspector", **query):
        return self.today(role, lat=HOME[0], lon=HOME[1], **query)

    def call(self, method, path, role="supervisor", **kwargs):
        return getattr(self.client, method)(path, headers=self.headers[role], **kwargs)


@pytest.fixture
def world(client, auth, checklists):
    users = {
        "inspector": factories.create_user("inspector", display_name="王巡查"),
        "colleague": factories.create_user("inspector", display_name="李巡查"),
        "supervisor": factories.create_user("supervisor"),
        "admin": factories.create_user("admin", units=()),
        "enforcement": factories.create_user("enforcement"),
        "other_inspector": factories.create_user("inspector", units=("zhongshanxilu",)),
        "other_supervisor": factories.create_user("supervisor", units=("zhongshanxilu",)),
    }
    headers = {role: auth.headers(user) for role, user in users.items()}
    return World(client, site_form(client, headers["inspector"]), users, headers, [])

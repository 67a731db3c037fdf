"""A unit (新华西路街道) with an inspector, a colleague, a supervisor; a site; follow-up helpers."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from inspect_app.core.timeutil import LOCAL_TZ, to_local, utcnow
from inspect_app.extensions import db
from inspect_app.followups.models import FollowUp
from tests import factories
from tests.inspections.helpers import site_form, submission

NON_VETO = "idle_area_cover"  # 7 days to rectify, one photo on fail, not a veto: no case on the first failure


def local_morning(days_ago: int) -> datetime:
    """09:00 Asia/Shanghai, ``days_ago`` days before today (so deadlines fall on known local dates)."""
    today = to_local(utcnow()).date()
    return datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), LOCAL_TZ).replace(hour=9)


def follow_up_body(task: dict, outcomes: dict, *, started_at: datetime, site, photos: dict | None = None) -> dict:
    """A follow-up as the phone sends it: the given items, photos on fail as the task's items ask."""
    photos = photos or {}
    needed = {item["key"]: item["photos_on_fail"] for item in task["items"]}
    items = [{"key": key, "outcome": outcome, "note": "",
              "photo_ids": photos.get(key, [str(uuid.uuid4()) for _ in range(needed.get(key, 1))]
                                      if outcome == "fail" else [])}
             for key, outcome in outcomes.items()]
    finished_at = started_at + timedelta(minutes=10)
    gps = {"lat": site.lat, "lon": site.lon, "accuracy_m": 8.0, "datum": "WGS84"}
    return {"uuid": str(uuid.uuid4()), "started_at": started_at.isoformat(), "finished_at": finished_at.isoformat(),
            "gps_start": {**gps, "captured_at": started_at.isoformat()},
            "gps_finish": {**gps, "captured_at": finished_at.isoformat()}, "items": items}


@dataclass
class Unit:
    client: object
    site: object
    form: dict
    users: dict
    headers: dict

    def inspect(self, outcomes: dict, *, started_at: datetime, role: str = "inspector") -> dict:
        body = submission(self.form, self.site, outcomes=outcomes, started_at=started_at)
        response = self.client.post("/api/inspections", json=body, headers=self.headers[role])
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def tasks(self, role: str = "inspector", **query) -> dict:
        response = self.client.get("/api/follow-ups", query_string=query, headers=self.headers[role])
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def task(self, task_id: int, role: str = "inspector") -> dict:
        response = self.client.get(f"/api/follow-ups/{task_id}", headers=self.headers[role])
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def follow_up(self, task_id: int, body: dict, role: str = "inspector"):
        return self.client.post(f"/api/follow-ups/{task_id}/inspections", json=body, headers=self.headers[role])

    def only_task(self) -> FollowUp:
        db.session.expire_all()
        [task] = db.session.scalars(select(FollowUp)).all()
        return task


@pytest.fixture
def unit(client, auth, checklists):
    users = {
        "inspector": factories.create_user("inspector", display_name="王巡查"),
        "colleague": factories.create_user("inspector", display_name="李巡查"),
        "supervisor": factories.create_user("supervisor"),
        "enforcement": factories.create_user("enforcement"),
        "other_inspector": factories.create_user("inspector", units=("zhongshanxilu",)),
        "other_supervisor": factories.create_user("supervisor", units=("zhongshanxilu",)),
    }
    site = factories.create_site("xinhuaxilu", phase="earthwork", name="海亮广场二期",
                                 builder="呼和浩特海亮房地产开发有限公司")
    headers = {role: auth.headers(user) for role, user in users.items()}
    return Unit(client, site, site_form(client, headers["inspector"]), users, headers)

"""A small district for review and penalty-queue tests: one site, one person of every role.

Cases are made the real way: an inspector submits an inspection whose veto item fails.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from inspect_app.extensions import db
from inspect_app.penalties.models import PenaltyCase
from tests import factories
from tests.inspections.helpers import site_form, submission, veto_key


@dataclass
class World:
    client: object
    site: object
    form: dict
    users: dict
    headers: dict

    def submit(self, *, role="inspector", expect=201, **kwargs) -> dict:
        """Submit an inspection (all pass unless told) as ``role``; returns the response body."""
        body = submission(self.form, self.site, **kwargs)
        response = self.client.post("/api/inspections", json=body, headers=self.headers[role])
        assert response.status_code == expect, response.get_json()
        return response.get_json()

    def veto_case(self, **kwargs) -> PenaltyCase:
        """A pending case, queued by a failed veto item."""
        data = self.submit(outcomes={veto_key(self.form): "fail"}, **kwargs)
        case_id = data["penalty_cases"][0]["id"]
        return db.session.get(PenaltyCase, case_id)

    def review(self, uuid, role="supervisor", **body):
        return self.client.post(f"/api/inspections/{uuid}/review", json=body, headers=self.headers[role])

    def move(self, case_id, role, to, **body):
        return self.client.post(f"/api/penalty-cases/{case_id}/transitions", json={"to": to, **body},
                                headers=self.headers[role])

    def case(self, case_id, role="admin", lang="zh-CN"):
        return self.client.get(f"/api/penalty-cases/{case_id}",
                               headers={**self.headers[role], "Accept-Language": lang})


def set_case(case_id: int, **values) -> None:
    """Put a case straight into a state (for the role matrix), bypassing the queue."""
    case = db.session.get(PenaltyCase, case_id)
    for key, value in values.items():
        setattr(case, key, value)
    db.session.commit()
    db.session.expire_all()


def case_status(case_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(select(PenaltyCase.status).where(PenaltyCase.id == case_id))


@pytest.fixture
def world(client, auth, checklists) -> World:
    site = factories.create_site("xinhuaxilu", phase="earthwork", contractor="呼和浩特某建筑工程有限公司")
    users = {
        "inspector": factories.create_user("inspector", units=("xinhuaxilu",)),
        "other_inspector": factories.create_user("inspector", units=("xinhuaxilu",)),
        "supervisor": factories.create_user("supervisor", units=("xinhuaxilu",)),
        "far_supervisor": factories.create_user("supervisor", units=("youyouban",)),
        "enforcement": factories.create_user("enforcement", units=()),
        "admin": factories.create_user("admin", units=()),
    }
    headers = {role: auth.headers(user) for role, user in users.items()}
    return World(client, site, site_form(client, headers["inspector"]), users, headers)

"""The night items over the real API: asked only 22:00–06:00 (by the inspection's start), scored as additional
items, and a failure referred to 区住建局 under 《噪声污染防治法》, never queued as a bureau fine."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.extensions import db
from inspect_app.penalties.models import PenaltyCase
from tests.inspections.helpers import site_form, submission
from tests.roadside.conftest import form, headers, inspector  # noqa: F401  (fixtures)

NIGHT_KEYS = {"night_work_permit", "night_work_notice_posted", "noise_monitoring_networked"}


@pytest.fixture
def night_site():
    from tests.factories import create_site

    return create_site(name="夜间浇筑工地", phase="structure")


def submit(client, headers, body, status=201):
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("hour, minute, asked", [(21, 59, False), (22, 0, True), (3, 0, True), (5, 59, True),
                                                  (6, 0, False)])
def test_the_night_items_are_required_only_at_night(client, headers, checklists, night_site, hour, minute, asked):
    form = site_form(client, headers)
    started = datetime(2026, 12, 3, hour, minute, tzinfo=LOCAL_TZ)
    body = submission(form, night_site, started_at=started)
    answered = {item["key"] for item in body["items"]}
    assert (NIGHT_KEYS <= answered) is asked and (not NIGHT_KEYS & answered) is (not asked)
    if asked:  # leaving them out at night is refused, naming them
        body["items"] = [i for i in body["items"] if i["key"] not in NIGHT_KEYS]
        refused = submit(client, headers, body, status=422)
        assert refused["code"] == "answers_missing" and NIGHT_KEYS <= set(refused["details"]["missing"])
    else:
        submit(client, headers, body)


def test_night_work_without_a_permit_is_referred_to_housing_under_the_noise_law(client, headers, checklists, night_site):
    form = site_form(client, headers)
    body = submit(client, headers, submission(form, night_site, started_at=datetime(2026, 12, 3, 23, 30, tzinfo=LOCAL_TZ),
                                              outcomes={"night_work_permit": "fail"}))
    assert body["score"] < 100
    [case] = db.session.scalars(select(PenaltyCase)).all()
    assert case.authority == "housing" and case.items[0]["item_key"] == "night_work_permit"
    assert case.items[0]["reasons"] == ["referral"]

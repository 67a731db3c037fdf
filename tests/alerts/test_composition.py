"""The form follows the alert: alert items are asked only while an alert binds the site's unit (the district,
for a truck) at the inspection's start; a failed alert item is a violation like any other."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import PenaltyCase
from tests import factories
from tests.alerts.conftest import local
from tests.inspections.helpers import site_form, submission
from tests.roadside.helpers import truck_check, truck_form

EARTHWORK, SPRINKLING = "alert_no_earthwork", "alert_more_sprinkling"
ALERT_KEYS = ("alert_no_earthwork", "alert_no_demolition", "alert_no_outdoor_spraying_cutting", SPRINKLING)


@pytest.fixture
def sites(checklists):
    return {"xinhua": factories.create_site("xinhuaxilu", phase="earthwork", name="海亮广场二期"),
            "zhongshan": factories.create_site("zhongshanxilu", phase="earthwork", name="万达广场")}


@pytest.fixture
def inspectors(auth):
    return {"xinhua": auth.headers(factories.create_user("inspector")),
            "zhongshan": auth.headers(factories.create_user("inspector", units=("zhongshanxilu",)))}


def _inspect(client, headers, site, started_at, outcomes=None, minutes=20):
    form = site_form(client, headers)
    body = submission(form, site, outcomes=outcomes or {}, started_at=started_at, minutes=minutes)
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _asked(inspection: dict) -> dict:
    """{alert item key: applicable} of what was answered."""
    return {item["key"]: item["applicable"] for item in inspection["items"] if item["key"] in ALERT_KEYS}


def _answer_all_alert_items(outcome="pass", **override):
    return {key: override.get(key, outcome) for key in ALERT_KEYS}


def test_alert_items_count_only_during_an_alert_in_scope(alert_world, client, sites, inspectors):
    now = utcnow()
    started = now - timedelta(minutes=40)
    # no alert: the phone may answer the items, they are kept but not asked (not scored)
    quiet = _inspect(client, inspectors["xinhua"], sites["xinhua"], started, _answer_all_alert_items())
    assert set(_asked(quiet).values()) == {False}
    alert_world.declare(level="orange", starts_at=local(now - timedelta(hours=2)))
    during = _inspect(client, inspectors["xinhua"], sites["xinhua"], started, _answer_all_alert_items())
    assert _asked(during) == {key: True for key in ALERT_KEYS}
    assert {row["key"]: row["reason"] for row in quiet["breakdown"] if row["key"] in ALERT_KEYS} == {
        key: "no_alert_in_force" for key in ALERT_KEYS}
    # a unit-scoped alert leaves the other unit's sites untouched
    other = _inspect(client, inspectors["zhongshan"], sites["zhongshan"], started, _answer_all_alert_items())
    assert set(_asked(other).values()) == {False}


def test_the_level_decides_which_alert_items_are_asked(alert_world, client, sites, inspectors):
    now = utcnow()
    alert_world.declare(level="yellow", starts_at=local(now - timedelta(hours=2)))
    inspection = _inspect(client, inspectors["xinhua"], sites["xinhua"], now - timedelta(minutes=40),
                          _answer_all_alert_items())
    assert _asked(inspection) == {**{key: False for key in ALERT_KEYS}, SPRINKLING: True}


def test_an_inspection_started_before_the_alert_is_composed_without_it(alert_world, client, sites, inspectors):
    now = utcnow()
    alert_world.declare(level="red", starts_at=local(now - timedelta(minutes=30)))
    inspection = _inspect(client, inspectors["xinhua"], sites["xinhua"], now - timedelta(minutes=60),
                          _answer_all_alert_items("fail"), minutes=50)  # finished 10 minutes ago, under the alert
    assert set(_asked(inspection).values()) == {False}
    assert inspection["violations_opened"] == 0 and not inspection["vetoed"]


def test_a_failed_alert_item_is_a_violation_and_queues_a_case(alert_world, client, sites, inspectors):
    now = utcnow()
    alert_world.declare(level="orange", starts_at=local(now - timedelta(hours=2)))
    inspection = _inspect(client, inspectors["xinhua"], sites["xinhua"], now - timedelta(minutes=40),
                          _answer_all_alert_items(**{EARTHWORK: "fail"}))
    assert inspection["vetoed"] and inspection["violations_opened"] == 1
    (case,) = inspection["penalty_cases"]
    stored = db.session.get(PenaltyCase, case["id"])
    assert stored.authority == "bureau" and stored.items[0]["item_key"] == EARTHWORK


def test_a_phone_that_did_not_know_the_alert_is_not_refused(alert_world, client, sites, inspectors):
    """An alert declared after the phone last fetched it: the form it filled lacks the alert items. The
    submission is stored (nothing is lost); the unasked items are neither scored nor a violation."""
    now = utcnow()
    alert_world.declare(level="red", starts_at=local(now - timedelta(hours=2)))
    inspection = _inspect(client, inspectors["xinhua"], sites["xinhua"], now - timedelta(minutes=40))
    assert _asked(inspection) == {} and inspection["violations_opened"] == 0
    assert not any(row["key"] in ALERT_KEYS for row in inspection["breakdown"])
    db.session.commit()
    stored = db.session.scalar(select(Inspection).where(Inspection.uuid == inspection["uuid"]))
    assert stored.score == inspection["score"]


# ---- trucks: district-wide alerts only ----

@pytest.fixture
def truck_headers(auth, checklists):
    return auth.headers(factories.create_user("inspector"))


def _check(client, headers, started_at, outcome):
    form = truck_form(client, headers)
    body = truck_check(form, started_at=started_at, outcomes={"alert_truck_off_road": outcome})
    response = client.post("/api/roadside-checks", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return next(item for item in response.get_json()["items"] if item["key"] == "alert_truck_off_road")


def test_trucks_follow_district_wide_red_alerts_only(alert_world, client, truck_headers):
    now = utcnow()
    started = now - timedelta(minutes=30)
    alert_world.declare(level="red", starts_at=local(now - timedelta(hours=2)))  # 新华西路街道 only
    assert _check(client, truck_headers, started, "pass")["applicable"] is False
    alert_world.declare(level="orange", scope="district", unit_ids=[], role="admin")
    assert _check(client, truck_headers, started, "pass")["applicable"] is False  # orange: not off the road
    alert_world.declare(level="red", scope="district", unit_ids=[], role="admin",
                        starts_at=local(now - timedelta(hours=2)))
    assert _check(client, truck_headers, started, "fail")["applicable"] is True

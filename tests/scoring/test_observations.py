"""Observations (liable = "none", e.g. the haul route of clause 11.3) are answered but never scored:
an observation about the surroundings is not the contractor's failure."""
from __future__ import annotations

from datetime import datetime

import pytest

from inspect_app.checklists.forms import compose_form, is_applicable
from inspect_app.checklists.queries import current_form
from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.scoring.labels import reason_label
from inspect_app.scoring.rules import score_sheet
from tests import factories
from tests.inspections.helpers import site_form, submission

WINTER_NOON = datetime(2025, 1, 10, 12, 0, tzinfo=LOCAL_TZ)
HAUL_ROUTE = "haul_route_paved_cleaned"


def item(key, weight, *, observation=False, phases=("all",)):
    return {"key": key, "weight": weight, "veto": False, "phases": list(phases), "window": None,
            "observation": observation}


FORM = [item("hoarding", 15), item("cover", 10), item("haul_route", 5, observation=True),
        item("demolition_only_route", 5, observation=True, phases=("demolition",))]


# answers → (score, weight counted, haul route counted, haul route reason)
@pytest.mark.parametrize("answers, expected", [
    ({"hoarding": "pass", "cover": "pass", "haul_route": "fail"}, (100.0, 25.0, False, "observation")),
    ({"hoarding": "pass", "cover": "pass", "haul_route": "pass"}, (100.0, 25.0, False, "observation")),
    ({"hoarding": "pass", "cover": "fail", "haul_route": "pass"}, (60.0, 25.0, False, "observation")),
    ({"hoarding": "pass", "cover": "fail", "haul_route": "fail"}, (60.0, 25.0, False, "observation")),
    ({"hoarding": "pass", "cover": "pass", "haul_route": "na"}, (100.0, 25.0, False, "observation")),
])
def test_an_observation_never_counts_whatever_its_answer(answers, expected):
    result = score_sheet(FORM, answers, "earthwork", WINTER_NOON)
    row = next(r for r in result.breakdown if r["key"] == "haul_route")
    assert (result.score, result.weight_counted, row["counted"], row["reason"]) == expected
    assert row["applicable"] is True and row["points"] == 0.0 and row["outcome"] == answers["haul_route"]
    assert result.vetoed is False


def test_an_observation_outside_its_phase_keeps_the_phase_reason():
    answers = {"hoarding": "pass", "cover": "pass", "haul_route": "fail"}
    result = score_sheet(FORM, answers, "earthwork", WINTER_NOON)
    row = next(r for r in result.breakdown if r["key"] == "demolition_only_route")
    assert (row["applicable"], row["counted"], row["reason"]) == (False, False, "not_in_phase")


def test_a_sheet_of_observations_only_has_no_score():
    result = score_sheet([item("haul_route", 5, observation=True)], {"haul_route": "fail"}, None, WINTER_NOON)
    assert (result.score, result.grade, result.weight_counted) == (None, None, 0.0)


def test_the_reason_reads_as_an_observation_in_both_languages():
    assert reason_label("observation", "zh-CN") == "周边情况观察项，不计分"
    assert "observation" in reason_label("observation", "en").lower()


def _source(key, liable, position=0):
    return {"key": key, "kind": "site", "position": position, "title_zh": key, "title_en": key,
            "clause": "x", "window": None,
            "items": [{"key": f"{key}_route", "requirement": "route", "text_zh": "线路", "text_en": "route",
                       "clause": "x", "weight": 5, "veto": False, "photos_on_fail": 1, "phases": ["all"],
                       "window": None, "rectify_days": 7, "legal_basis": {}, "liable": liable}]}


@pytest.mark.parametrize("liables, observation", [
    (("none",), True), (("contractor",), False), (("none", "none"), True),
    (("none", "contractor"), False), (("contractor", "none"), False), (("builder",), False),
])
def test_a_shared_requirement_is_an_observation_only_if_every_source_says_so(liables, observation):
    form = compose_form("site", [_source(f"s{i}", liable, i) for i, liable in enumerate(liables)])
    assert form["items"][0]["observation"] is observation


def test_the_real_haul_route_item_is_an_observation_and_does_not_move_the_score(checklists):
    form = current_form("site")
    observations = {i["key"] for i in form["items"] if i["observation"]}
    assert observations == {HAUL_ROUTE}
    answers = {i["key"]: "pass" for i in form["items"] if is_applicable(i, "earthwork", WINTER_NOON)[0]}
    clean = score_sheet(form["items"], answers, "earthwork", WINTER_NOON)
    failed = score_sheet(form["items"], answers | {HAUL_ROUTE: "fail"}, "earthwork", WINTER_NOON)
    assert clean.score == failed.score == 100.0
    assert clean.weight_counted == failed.weight_counted


def test_an_inspection_failing_only_the_haul_route_scores_100_through_the_api(client, auth, checklists):
    site = factories.create_site("xinhuaxilu", phase="earthwork")
    headers = auth.as_role("inspector")
    form = site_form(client, headers)
    assert next(i for i in form["items"] if i["key"] == HAUL_ROUTE)["observation"] is True
    response = client.post("/api/inspections", json=submission(form, site, outcomes={HAUL_ROUTE: "fail"}),
                           headers=headers)
    body = response.get_json()
    assert response.status_code == 201, body
    assert body["score"] == 100.0 and body["grade"] == "excellent"

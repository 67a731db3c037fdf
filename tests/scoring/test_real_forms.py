"""Scoring the real site and truck forms as they are stored."""
from __future__ import annotations

from datetime import datetime

from inspect_app.checklists.forms import is_applicable
from inspect_app.checklists.queries import current_form
from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.scoring.rules import score_sheet

SUMMER_MORNING = datetime(2025, 7, 8, 11, 0, tzinfo=LOCAL_TZ)
SUMMER_EVENING = datetime(2025, 7, 8, 18, 0, tzinfo=LOCAL_TZ)


def all_pass(form, phase, when, **overrides):
    answers = {item["key"]: "pass" for item in form["items"] if is_applicable(item, phase, when)[0]}
    answers.update(overrides)
    return answers


def test_a_clean_earthwork_site_on_a_summer_morning_scores_100_with_ozone_items(checklists):
    form = current_form("site")
    result = score_sheet(form["items"], all_pass(form, "earthwork", SUMMER_MORNING), "earthwork", SUMMER_MORNING)
    assert result.score == 100.0 and result.grade == "excellent"
    counted = {row["key"] for row in result.breakdown if row["counted"]}
    additional = {row["key"] for row in result.breakdown if row["additional"] and row["reason"] == "additional"}
    assert "wet_earthwork" in counted and "wet_demolition" not in counted
    assert "ozone_no_cutting_welding" in additional and not counted & additional


def test_rule_1_counted_the_ozone_items_on_a_summer_morning(checklists):
    form = current_form("site")
    result = score_sheet(form["items"], all_pass(form, "earthwork", SUMMER_MORNING), "earthwork", SUMMER_MORNING,
                         rule=1)
    counted = {row["key"] for row in result.breakdown if row["counted"]}
    assert "ozone_no_cutting_welding" in counted and "wet_earthwork" in counted


def test_ozone_items_drop_out_after_17_00(checklists):
    form = current_form("site")
    result = score_sheet(form["items"], all_pass(form, "earthwork", SUMMER_EVENING), "earthwork", SUMMER_EVENING)
    ozone_rows = [row for row in result.breakdown if row["key"].startswith("ozone_")]
    assert len(ozone_rows) == 6 and not any(row["counted"] for row in ozone_rows)
    assert {row["reason"] for row in ozone_rows} == {"outside_hours"}


def test_missing_hoarding_vetoes_an_otherwise_good_site(checklists):
    form = current_form("site")
    answers = all_pass(form, "structure", SUMMER_EVENING, hoarding="fail")
    result = score_sheet(form["items"], answers, "structure", SUMMER_EVENING)
    assert result.score > 85 and result.vetoed and result.grade == "fail"


def test_an_unsealed_truck_is_vetoed_and_an_overloaded_one_is_not(checklists):
    form = current_form("truck")
    unsealed = score_sheet(form["items"], all_pass(form, None, SUMMER_EVENING, truck_sealed="fail"), None,
                           SUMMER_EVENING)
    overloaded = score_sheet(form["items"], all_pass(form, None, SUMMER_EVENING, truck_not_overloaded="fail"), None,
                             SUMMER_EVENING)
    assert unsealed.vetoed and unsealed.grade == "fail"
    assert not overloaded.vetoed and overloaded.score == 85.0 and overloaded.grade == "excellent"

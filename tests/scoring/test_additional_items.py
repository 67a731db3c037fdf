"""Rule 2: windowed (ozone-hour, night) and alert items are additional requirements.

A failure deducts its weight from the base score (and vetoes where the item says so), a pass adds
nothing, and they never enter the denominator — so the hour of the visit no longer moves the score.
"""
from __future__ import annotations

from datetime import datetime

import pytest

from inspect_app.checklists.forms import is_applicable
from inspect_app.checklists.queries import current_form
from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.scoring.labels import additional_deductions, reason_label, rule_label
from inspect_app.scoring.rules import CURRENT_RULE, is_additional, score_sheet

OZONE = {"start": "05-01", "end": "09-30", "start_time": "10:00", "end_time": "17:00"}
JULY_11 = datetime(2026, 7, 8, 11, 0, tzinfo=LOCAL_TZ)
JULY_18 = datetime(2026, 7, 8, 18, 0, tzinfo=LOCAL_TZ)
THREE_FAILURES = {"material_cover": "fail", "vehicle_washing": "fail", "wet_earthwork": "fail"}


def item(key, weight, veto=False, window=None, alert=None, phases=("all",)):
    row = {"key": key, "weight": weight, "veto": veto, "phases": list(phases), "window": window}
    if alert:
        row["alert"] = alert
    return row


FORM = [
    item("hoarding", 40, veto=True),
    item("cover", 30),
    item("washing", 30),
    item("ozone_no_welding", 10, window=OZONE),
    item("ozone_no_spraying", 25, veto=True, window=OZONE),
    item("alert_no_earthwork", 20, alert=["orange", "red"]),
]
BASE_PASS = {"hoarding": "pass", "cover": "pass", "washing": "pass"}
ORANGE = frozenset({"orange"})  # an orange alert binds the site: its alert item is asked


def row(result, key):
    return next(r for r in result.breakdown if r["key"] == key)


@pytest.mark.parametrize("answers, score, base, deductions, grade, vetoed", [
    # additional items all pass: nothing added, base alone
    ({**BASE_PASS, "ozone_no_welding": "pass", "ozone_no_spraying": "pass", "alert_no_earthwork": "pass"},
     100.0, 100.0, 0, "excellent", False),
    # one base failure: 70 of 100 counted; additional passes do not lift it
    ({**BASE_PASS, "cover": "fail", "ozone_no_welding": "pass", "ozone_no_spraying": "pass",
      "alert_no_earthwork": "pass"}, 70.0, 70.0, 0, "fail", False),
    # an additional failure deducts its weight from the base score
    ({**BASE_PASS, "ozone_no_welding": "fail", "ozone_no_spraying": "pass", "alert_no_earthwork": "pass"},
     90.0, 100.0, 10, "excellent", False),
    ({**BASE_PASS, "ozone_no_welding": "fail", "ozone_no_spraying": "pass", "alert_no_earthwork": "fail"},
     70.0, 100.0, 30, "fail", False),
    # "na" on an additional item deducts nothing
    ({**BASE_PASS, "ozone_no_welding": "na", "ozone_no_spraying": "na", "alert_no_earthwork": "na"},
     100.0, 100.0, 0, "excellent", False),
    # a veto additional item that fails vetoes, and still deducts
    ({**BASE_PASS, "ozone_no_welding": "pass", "ozone_no_spraying": "fail", "alert_no_earthwork": "pass"},
     75.0, 100.0, 25, "fail", True),
    # the score floors at 0
    ({"hoarding": "pass", "cover": "fail", "washing": "fail", "ozone_no_welding": "fail",
      "ozone_no_spraying": "pass", "alert_no_earthwork": "fail"}, 10.0, 40.0, 30, "fail", False),
    ({"hoarding": "fail", "cover": "fail", "washing": "fail", "ozone_no_welding": "fail",
      "ozone_no_spraying": "pass", "alert_no_earthwork": "fail"}, 0.0, 0.0, 30, "fail", True),
])
def test_additional_items_deduct_on_failure_and_never_enter_the_denominator(answers, score, base, deductions,
                                                                            grade, vetoed):
    result = score_sheet(FORM, answers, "structure", JULY_11, alert_levels=ORANGE)
    assert (result.score, result.base_score, result.deductions) == (score, base, deductions)
    assert (result.grade, result.vetoed, result.rule) == (grade, vetoed, 2)
    assert result.weight_counted == sum(30 if k != "hoarding" else 40 for k in BASE_PASS
                                        if answers.get(k) in ("pass", "fail"))


def test_outside_its_window_an_additional_item_is_not_asked_and_deducts_nothing():
    answers = {**BASE_PASS, "cover": "fail", "alert_no_earthwork": "pass"}
    evening = score_sheet(FORM, answers, "structure", JULY_18, alert_levels=ORANGE)
    assert evening.score == 70.0 and evening.deductions == 0
    assert row(evening, "ozone_no_welding") | {"outcome": None} == {
        "key": "ozone_no_welding", "weight": 10.0, "veto": False, "outcome": None, "applicable": False,
        "counted": False, "reason": "outside_hours", "points": 0.0, "additional": True, "deduction": 0.0}


def test_breakdown_marks_additional_rows_with_their_deduction():
    answers = {**BASE_PASS, "ozone_no_welding": "fail", "ozone_no_spraying": "pass", "alert_no_earthwork": "pass"}
    result = score_sheet(FORM, answers, "structure", JULY_11, alert_levels=ORANGE)
    assert row(result, "ozone_no_welding") == {
        "key": "ozone_no_welding", "weight": 10.0, "veto": False, "outcome": "fail", "applicable": True,
        "counted": False, "reason": "additional", "points": 0.0, "additional": True, "deduction": 10.0}
    assert row(result, "ozone_no_spraying")["deduction"] == 0.0
    assert row(result, "hoarding")["additional"] is False and row(result, "hoarding")["counted"] is True
    assert [d["key"] for d in additional_deductions(result.breakdown)] == ["ozone_no_welding"]


def test_a_sheet_with_no_base_but_an_additional_failure_has_no_score_and_grades_only_by_veto():
    nothing_counted = {"hoarding": "na", "cover": "na", "washing": "na"}
    plain = score_sheet(FORM, {**nothing_counted, "ozone_no_welding": "fail", "ozone_no_spraying": "pass",
                               "alert_no_earthwork": "pass"}, "structure", JULY_11)
    assert (plain.score, plain.grade, plain.vetoed, plain.deductions) == (None, None, False, 10)
    veto = score_sheet(FORM, {**nothing_counted, "ozone_no_welding": "pass", "ozone_no_spraying": "fail",
                              "alert_no_earthwork": "pass"}, "structure", JULY_11)
    assert (veto.score, veto.grade, veto.vetoed) == (None, "fail", True)


def test_rule_1_still_counts_windowed_items_in_the_denominator():
    answers = {**BASE_PASS, "cover": "fail", "ozone_no_welding": "pass", "ozone_no_spraying": "pass",
               "alert_no_earthwork": "pass"}
    result = score_sheet(FORM, answers, "structure", JULY_11, rule=1, alert_levels=ORANGE)
    assert result.rule == 1 and result.weight_counted == 155 and result.score == round(100 * 125 / 155, 2)
    assert "additional" not in result.breakdown[0]


def test_only_window_and_alert_items_are_additional():
    assert [is_additional(i) for i in FORM] == [False, False, False, True, True, True]
    assert is_additional(item("x", 5, window=None, alert=[])) is False


def all_pass(form, when, **overrides):
    answers = {i["key"]: "pass" for i in form["items"] if is_applicable(i, "earthwork", when)[0]}
    return answers | overrides


def test_the_same_three_failures_grade_the_same_at_11_and_18_in_july(checklists):
    form = current_form("site")
    morning = score_sheet(form["items"], all_pass(form, JULY_11, **THREE_FAILURES), "earthwork", JULY_11)
    evening = score_sheet(form["items"], all_pass(form, JULY_18, **THREE_FAILURES), "earthwork", JULY_18)
    assert (morning.score, morning.grade) == (evening.score, evening.grade) == (65.38, "fail")
    # under rule 1 the passing ozone items lifted the morning into 合格 (the bug of issue 11)
    old_morning = score_sheet(form["items"], all_pass(form, JULY_11, **THREE_FAILURES), "earthwork", JULY_11,
                              rule=1)
    old_evening = score_sheet(form["items"], all_pass(form, JULY_18, **THREE_FAILURES), "earthwork", JULY_18,
                              rule=1)
    assert (old_morning.grade, old_evening.grade) == ("pass", "fail")


def test_an_ozone_failure_in_july_at_11_deducts_its_weight(checklists):
    form = current_form("site")
    answers = all_pass(form, JULY_11, **THREE_FAILURES, ozone_no_cutting_welding="fail")
    result = score_sheet(form["items"], answers, "earthwork", JULY_11)
    assert result.base_score == 65.38 and result.deductions == 5.0 and result.score == 60.38
    assert row(result, "ozone_no_cutting_welding")["deduction"] == 5.0


def test_rule_and_additional_labels_in_both_languages():
    assert CURRENT_RULE == 2
    assert "2026" in rule_label(2, "zh-CN") and "附加" in rule_label(2, "zh-CN")
    assert "2026" in rule_label(1, "zh-CN") and "earlier rule" in rule_label(1, "en")
    assert rule_label(None, "zh-CN") == ""
    assert "不计入总分" in reason_label("additional", "zh-CN")
    breakdown = [{"key": "k", "deduction": 5.0, "veto": False}]
    assert additional_deductions(breakdown, "zh-CN")[0]["label"] == "附加项不合格，扣5分"
    assert additional_deductions(breakdown, "en")[0]["label"] == "Additional requirement failed: −5 points"

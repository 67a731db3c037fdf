"""Scoring a sheet: what counts, the window edges, "na", vetoes, and the grade bands."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.scoring.labels import grade_label, reason_label
from inspect_app.scoring.rules import (
    DEFAULT_BANDS,
    ScoringInputError,
    grade_for,
    lowest_grade,
    parse_bands,
    score_sheet,
)

RULE_1 = {"rule": 1}  # the rule stored inspections graded before 2026 keep: windows join the denominator

OZONE_WINDOW = {"start": "05-01", "end": "09-30", "start_time": "10:00", "end_time": "17:00"}


def item(key, weight, phases=("all",), veto=False, window=None):
    return {"key": key, "weight": weight, "veto": veto, "phases": list(phases), "window": window}


FORM = [
    item("hoarding", 15, veto=True),
    item("wet_earthwork", 15, phases=("earthwork", "foundation")),
    item("wet_demolition", 10, phases=("demolition",)),
    item("cover", 10),
    item("ozone_no_welding", 10, window=OZONE_WINDOW),
]
WINTER_NOON = datetime(2025, 1, 10, 12, 0, tzinfo=LOCAL_TZ)


def local(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


def outcome(result, key):
    return next(row for row in result.breakdown if row["key"] == key)


def test_score_is_the_share_of_counted_weight_that_passed():
    answers = {"hoarding": "pass", "wet_earthwork": "fail", "cover": "pass"}
    result = score_sheet(FORM, answers, "earthwork", WINTER_NOON)
    assert result.weight_counted == 40 and result.weight_passed == 25
    assert result.score == 62.5 and result.grade == "fail" and result.vetoed is False


@pytest.mark.parametrize("phase, counted", [
    ("earthwork", {"hoarding", "wet_earthwork", "cover"}),
    ("foundation", {"hoarding", "wet_earthwork", "cover"}),
    ("demolition", {"hoarding", "wet_demolition", "cover"}),
    ("structure", {"hoarding", "cover"}),
    ("idle", {"hoarding", "cover"}),
])
def test_only_items_of_the_sites_phase_count(phase, counted):
    answers = {key: "pass" for key in ("hoarding", "wet_earthwork", "wet_demolition", "cover")}
    result = score_sheet(FORM, answers, phase, WINTER_NOON)
    assert {row["key"] for row in result.breakdown if row["counted"]} == counted
    assert result.score == 100.0
    for row in result.breakdown:
        if row["key"] not in counted and row["key"] != "ozone_no_welding":
            assert row["applicable"] is False and row["reason"] == "not_in_phase"


@pytest.mark.parametrize("when, counted, reason", [
    (local(2025, 4, 30, 23, 59), False, "out_of_season"),
    (local(2025, 5, 1, 0, 0), False, "outside_hours"),
    (local(2025, 5, 1, 9, 59), False, "outside_hours"),
    (local(2025, 5, 1, 10, 0), True, None),
    (local(2025, 6, 15, 16, 59), True, None),
    (local(2025, 6, 15, 17, 0), False, "outside_hours"),
    (local(2025, 9, 30, 12, 0), True, None),
    (local(2025, 10, 1, 12, 0), False, "out_of_season"),
])
def test_rule_1_ozone_items_count_only_inside_1_may_to_30_sep_10_to_17_local(when, counted, reason):
    answers = {"hoarding": "pass", "cover": "pass", "ozone_no_welding": "fail"}
    result = score_sheet(FORM, answers, "structure", when, **RULE_1)
    row = outcome(result, "ozone_no_welding")
    assert (row["counted"], row["reason"]) == (counted, reason)
    assert result.score == (round(100 * 25 / 35, 2) if counted else 100.0)


def test_window_is_judged_in_local_time_even_when_given_utc():
    answers = {"hoarding": "pass", "cover": "pass", "ozone_no_welding": "fail"}
    # 01:59 UTC = 09:59 Hohhot (not asked); 02:00 UTC = 10:00 (asked: its failure deducts)
    before = score_sheet(FORM, answers, "structure", datetime(2025, 6, 1, 1, 59, tzinfo=timezone.utc))
    at = score_sheet(FORM, answers, "structure", datetime(2025, 6, 1, 2, 0, tzinfo=timezone.utc))
    assert outcome(before, "ozone_no_welding")["deduction"] == 0 and before.score == 100.0
    assert outcome(at, "ozone_no_welding")["deduction"] == 10 and at.score == 90.0


def test_an_inapplicable_item_need_not_be_answered_and_an_answer_to_it_never_counts():
    result = score_sheet(FORM, {"hoarding": "pass", "cover": "pass", "wet_demolition": "fail"}, "structure",
                         WINTER_NOON)
    assert result.score == 100.0
    assert outcome(result, "wet_demolition")["outcome"] == "fail"
    assert outcome(result, "wet_demolition")["counted"] is False
    assert outcome(result, "wet_earthwork")["outcome"] is None


def test_na_leaves_the_denominator():
    result = score_sheet(FORM, {"hoarding": "pass", "wet_earthwork": "na", "cover": "fail"}, "earthwork",
                         WINTER_NOON)
    assert result.weight_counted == 25 and result.score == 60.0
    row = outcome(result, "wet_earthwork")
    assert row["applicable"] is True and row["counted"] is False and row["reason"] == "answered_na"


def test_a_failed_veto_item_gives_the_lowest_grade_whatever_the_score():
    form = [item("hoarding", 5, veto=True)] + [item(f"x{i}", 20) for i in range(5)]
    answers = {"hoarding": "fail", **{f"x{i}": "pass" for i in range(5)}}
    result = score_sheet(form, answers, "structure", WINTER_NOON)
    assert result.score == pytest.approx(95.24)
    assert result.vetoed is True and result.grade == "fail"
    assert result.failed_veto_items == ("hoarding",)


def test_a_veto_item_answered_na_or_out_of_phase_does_not_veto():
    form = [item("hoarding", 15, veto=True, phases=("earthwork",)), item("cover", 10)]
    na = score_sheet(form, {"hoarding": "na", "cover": "pass"}, "earthwork", WINTER_NOON)
    out_of_phase = score_sheet(form, {"hoarding": "fail", "cover": "pass"}, "idle", WINTER_NOON)
    assert (na.vetoed, na.grade) == (False, "excellent")
    assert (out_of_phase.vetoed, out_of_phase.grade) == (False, "excellent")


def test_nothing_applicable_gives_no_score_and_no_grade():
    form = [item("wet_demolition", 10, phases=("demolition",)), item("cover", 10)]
    result = score_sheet(form, {"cover": "na"}, "earthwork", WINTER_NOON)
    assert (result.score, result.grade, result.vetoed) == (None, None, False)
    assert score_sheet([], {}, "earthwork", WINTER_NOON).score is None


def test_trucks_have_no_phase_and_every_item_counts():
    form = [item("truck_sealed", 25, veto=True), item("truck_not_overloaded", 15)]
    result = score_sheet(form, {"truck_sealed": "pass", "truck_not_overloaded": "fail"}, None, WINTER_NOON)
    assert result.score == 62.5


@pytest.mark.parametrize("answers, code", [
    ({"hoarding": "pass"}, "answer_missing"),  # cover is applicable and unanswered
    ({"hoarding": "pass", "cover": "pass", "ghost": "pass"}, "unknown_item"),
    ({"hoarding": "ok", "cover": "pass"}, "bad_outcome"),
])
def test_answers_that_do_not_fit_the_form_are_refused(answers, code):
    with pytest.raises(ScoringInputError) as info:
        score_sheet(FORM, answers, "structure", WINTER_NOON)
    assert info.value.code == code


def test_breakdown_is_plain_json():
    import json

    answers = {"hoarding": "pass", "wet_earthwork": "fail", "cover": "pass"}
    result = score_sheet(FORM, answers, "earthwork", WINTER_NOON)
    rows = json.loads(json.dumps(result.breakdown))
    assert rows[0] == {"key": "hoarding", "weight": 15.0, "veto": True, "outcome": "pass", "applicable": True,
                       "counted": True, "reason": None, "points": 15.0, "additional": False, "deduction": 0.0}
    assert outcome(result, "ozone_no_welding")["additional"] is True


def test_rule_1_breakdown_rows_are_the_ones_stored_before_rule_2():
    answers = {"hoarding": "pass", "wet_earthwork": "fail", "cover": "pass"}
    result = score_sheet(FORM, answers, "earthwork", WINTER_NOON, **RULE_1)
    assert result.rule == 1
    assert set(result.breakdown[0]) == {"key", "weight", "veto", "outcome", "applicable", "counted", "reason",
                                        "points"}


def test_an_unknown_rule_is_a_programming_error():
    with pytest.raises(ValueError):
        score_sheet(FORM, {"hoarding": "pass", "cover": "pass"}, "idle", WINTER_NOON, rule=3)


@pytest.mark.parametrize("score, grade", [
    (100, "excellent"), (85, "excellent"), (84.99, "pass"), (71, "pass"), (70.99, "fail"), (0, "fail"),
    (None, None),
])
def test_default_band_edges(score, grade):
    assert grade_for(score, DEFAULT_BANDS) == grade


def test_the_grade_follows_the_rounded_score_shown():
    # 84.999...% rounds to 85.0, and the sheet is graded on the 85.0 it shows
    form = [item("a", 84.999999), item("b", 15.000001)]
    result = score_sheet(form, {"a": "pass", "b": "fail"}, None, WINTER_NOON)
    assert result.score == 85.0 and result.grade == "excellent"


def test_parse_bands_reads_the_config_format():
    bands = parse_bands("85:优良,71:合格,0:不合格")
    assert [(b.min_score, b.code, b.label_zh, b.label_en) for b in bands] == [
        (85, "excellent", "优良", "Excellent"), (71, "pass", "合格", "Pass"), (0, "fail", "不合格", "Fail")]
    assert parse_bands(" 0:fail , 90:excellent,60:pass ") == parse_bands("90:优良,60:合格,0:不合格")
    assert lowest_grade(bands) == "fail"


def test_custom_bands_carry_their_own_labels():
    bands = parse_bands("90:top:特优:Outstanding,85:优良,71:合格,0:不合格")
    assert grade_for(95, bands) == "top" and grade_for(86, bands) == "excellent"
    assert grade_label("top", bands, "en") == "Outstanding"


@pytest.mark.parametrize("text", ["", "85:优良,71:合格", "abc:优良,0:不合格", "85:很好,0:不合格",
                                  "85:优良,85:合格,0:不合格", "120:优良,0:不合格", "85:优良,0:优良"])
def test_bad_grade_bands_are_refused_with_a_reason(text):
    with pytest.raises(ValueError) as info:
        parse_bands(text)
    assert "GRADE_BANDS" in str(info.value)


def test_the_configured_bands_parse(app):
    assert parse_bands(app.config["GRADE_BANDS"]) == DEFAULT_BANDS


def test_grade_and_reason_labels_in_both_languages():
    assert grade_label("excellent", locale="zh-CN") == "优良"
    assert grade_label("fail", locale="en") == "Fail"
    assert grade_label(None) == ""
    assert reason_label("outside_hours", "en") == "Outside the control hours"
    assert reason_label(None) == ""

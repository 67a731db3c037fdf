"""Composing a form from several sources, and when an item is asked at all."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from inspect_app.checklists.forms import FormCompositionError, compose_form, is_applicable
from inspect_app.core.timeutil import LOCAL_TZ

BASIS = {"law": "法", "obligation_article": "一", "penalty_article": "二", "fine_min": 1, "fine_max": 2,
         "authority": "bureau", "note_zh": None, "note_en": None}


def item(key, requirement=None, **extra):
    base = {"key": key, "requirement": requirement or key, "text_zh": f"{key}中文", "text_en": key,
            "clause": f"clause {key}", "weight": 10.0, "veto": False, "photos_on_fail": 1,
            "phases": ["earthwork"], "rectify_days": 3, "window": None, "legal_basis": BASIS}
    base.update(extra)
    return base


def source(key, items, position=100, kind="site", window=None):
    return {"key": key, "kind": kind, "version": 1, "version_id": None, "position": position,
            "title_zh": key, "title_en": key, "clause": key, "window": window, "items": items}


def test_a_shared_requirement_takes_the_strictest_of_its_sources():
    form = compose_form("site", [
        source("a", [item("cover_a", "cover", weight=10, veto=False, photos_on_fail=1, rectify_days=3,
                          phases=["earthwork"])], position=1),
        source("b", [item("cover_b", "cover", weight=15, veto=True, photos_on_fail=2, rectify_days=1,
                          phases=["idle", "foundation"])], position=2),
    ])
    (merged,) = form["items"]
    assert merged["key"] == "cover"
    assert (merged["weight"], merged["veto"], merged["photos_on_fail"], merged["rectify_days"]) == (15, True, 2, 1)
    assert merged["phases"] == ["earthwork", "foundation", "idle"]  # construction order
    assert [(s["source_key"], s["item_key"]) for s in merged["sources"]] == [("a", "cover_a"), ("b", "cover_b")]
    assert merged["text_zh"] == "cover_a中文"  # wording of the first source


def test_all_phases_in_any_source_makes_the_item_asked_in_every_phase():
    form = compose_form("site", [source("a", [item("x", phases=["earthwork"])]),
                                 source("b", [item("y", "x", phases=["all"])])])
    assert form["items"][0]["phases"] == ["all"]


def test_sources_order_by_position_and_other_kinds_are_left_out():
    form = compose_form("site", [source("late", [item("l")], position=50), source("early", [item("e")], position=5),
                                 source("truck", [item("t")], kind="truck")])
    assert [s["key"] for s in form["sources"]] == ["early", "late"]
    assert [i["key"] for i in form["items"]] == ["e", "l"]


def test_a_source_window_applies_to_its_items():
    summer = {"start": "05-01", "end": "09-30"}
    form = compose_form("site", [source("s", [item("x")], window=summer)])
    assert form["items"][0]["window"] == summer


def test_stored_sources_with_conflicting_windows_refuse_to_merge():
    with pytest.raises(FormCompositionError):
        compose_form("site", [source("a", [item("x")]),
                              source("b", [item("y", "x")], window={"start": "05-01", "end": "09-30"})])


OZONE = {"key": "ozone", "phases": ["all"],
         "window": {"start": "05-01", "end": "09-30", "start_time": "10:00", "end_time": "17:00"}}


def local(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize("phase, expected", [
    ("earthwork", (True, "applicable")),
    ("foundation", (True, "applicable")),
    ("structure", (False, "not_in_phase")),
    ("idle", (False, "not_in_phase")),
    (None, (True, "applicable")),  # trucks have no phase
])
def test_phase_decides_applicability(phase, expected):
    wet = {"key": "wet_earthwork", "phases": ["earthwork", "foundation"], "window": None}
    assert is_applicable(wet, phase, local(2025, 1, 5, 12, 0)) == expected


@pytest.mark.parametrize("when, expected", [
    (local(2025, 4, 30, 23, 59), (False, "out_of_season")),
    (local(2025, 5, 1, 0, 0), (False, "outside_hours")),
    (local(2025, 5, 1, 9, 59), (False, "outside_hours")),
    (local(2025, 5, 1, 10, 0), (True, "applicable")),
    (local(2025, 7, 15, 16, 59), (True, "applicable")),
    (local(2025, 7, 15, 17, 0), (False, "outside_hours")),
    (local(2025, 9, 30, 16, 59), (True, "applicable")),
    (local(2025, 10, 1, 10, 0), (False, "out_of_season")),
])
def test_the_ozone_window_is_inclusive_dates_and_half_open_hours(when, expected):
    assert is_applicable(OZONE, "structure", when) == expected


NIGHT = {"key": "night", "phases": ["all"], "window": {"start_time": "22:00", "end_time": "06:00"}}


@pytest.mark.parametrize("hour, minute, asked", [
    (21, 59, False), (22, 0, True), (23, 59, True), (0, 0, True), (3, 0, True), (5, 59, True), (6, 0, False),
    (12, 0, False),
])
def test_a_night_window_wraps_midnight(hour, minute, asked):
    # 《噪声污染防治法》第八十八条: 夜间 is 22:00 to 06:00 the next morning — [22:00, 24:00) ∪ [00:00, 06:00)
    expected = (True, "applicable") if asked else (False, "outside_hours")
    assert is_applicable(NIGHT, "structure", local(2026, 1, 15, hour, minute)) == expected


def test_a_night_window_is_judged_in_asia_shanghai():
    # 14:00 UTC is 22:00 in Hohhot, 21:59 UTC is 05:59 the next morning, 22:00 UTC is 06:00
    assert is_applicable(NIGHT, None, datetime(2026, 1, 15, 14, 0, tzinfo=timezone.utc))[0] is True
    assert is_applicable(NIGHT, None, datetime(2026, 1, 15, 21, 59, tzinfo=timezone.utc))[0] is True
    assert is_applicable(NIGHT, None, datetime(2026, 1, 15, 22, 0, tzinfo=timezone.utc))[0] is False
    assert is_applicable(NIGHT, None, datetime(2026, 1, 15, 13, 59, tzinfo=timezone.utc))[0] is False


def test_utc_times_are_judged_in_asia_shanghai():
    # 02:00 UTC is 10:00 in Hohhot; 09:00 UTC is 17:00
    assert is_applicable(OZONE, None, datetime(2025, 6, 1, 2, 0, tzinfo=timezone.utc)) == (True, "applicable")
    assert is_applicable(OZONE, None, datetime(2025, 6, 1, 9, 0, tzinfo=timezone.utc))[0] is False
    # 30 Sep 20:00 UTC is already 1 Oct 04:00 local: out of season
    assert is_applicable(OZONE, None, datetime(2025, 9, 30, 20, 0, tzinfo=timezone.utc)) == (False, "out_of_season")


def test_a_naive_time_is_taken_as_local():
    assert is_applicable(OZONE, None, datetime(2025, 6, 1, 10, 0)) == (True, "applicable")


def test_a_windowed_item_needs_a_time():
    with pytest.raises(ValueError):
        is_applicable(OZONE, None, None)


# ---- the alert condition: asked only while such an alert binds at the inspection's start ----


@pytest.mark.parametrize("levels, expected", [
    (frozenset(), (False, "no_alert_in_force")),
    (frozenset({"yellow"}), (False, "no_alert_in_force")),
    (frozenset({"orange"}), (True, "applicable")),
    (frozenset({"red"}), (True, "applicable")),
])
def test_an_alert_item_is_asked_only_under_its_levels(levels, expected):
    alert_item = {"key": "stop", "phases": ["all"], "alert": ["orange", "red"]}
    assert is_applicable(alert_item, "earthwork", local(2026, 12, 1, 9, 0), alert_levels=levels) == expected


def test_items_without_an_alert_condition_ignore_alerts():
    plain = {"key": "hoarding", "phases": ["all"], "alert": None}
    assert is_applicable(plain, "earthwork", None) == (True, "applicable")
    assert is_applicable(plain, "earthwork", None, alert_levels=frozenset({"red"})) == (True, "applicable")


def test_ozone_and_alert_items_are_asked_together_inside_both():
    alert_item = {"key": "stop", "phases": ["all"], "alert": ["orange", "red"]}
    summer_noon, summer_evening = local(2026, 7, 1, 11, 0), local(2026, 7, 1, 18, 0)
    red = frozenset({"red"})
    assert is_applicable(OZONE, "earthwork", summer_noon, alert_levels=red) == (True, "applicable")
    assert is_applicable(alert_item, "earthwork", summer_noon, alert_levels=red) == (True, "applicable")
    assert is_applicable(OZONE, "earthwork", summer_evening, alert_levels=red) == (False, "outside_hours")
    assert is_applicable(alert_item, "earthwork", summer_evening, alert_levels=red) == (True, "applicable")
    # an item may carry both: asked only inside the window *and* under the alert
    both = {**OZONE, "alert": ["red"]}
    assert is_applicable(both, "earthwork", summer_noon, alert_levels=frozenset())[1] == "no_alert_in_force"
    assert is_applicable(both, "earthwork", summer_evening, alert_levels=red)[1] == "outside_hours"


def test_the_form_item_carries_its_alert_levels_in_level_order_and_sources_must_agree():
    form = compose_form("site", [source("a", [item("x", alert=["red", "orange"])]),
                                 source("b", [item("y", "x", alert=["orange", "red"])])])
    assert form["items"][0]["alert"] == ["orange", "red"]
    assert compose_form("site", [source("a", [item("z")])])["items"][0]["alert"] is None
    with pytest.raises(FormCompositionError):
        compose_form("site", [source("a", [item("x", alert=["red"])]), source("b", [item("y", "x")])])

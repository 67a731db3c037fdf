"""The risk score: each factor's points, the caps, and the top reasons in words."""
from __future__ import annotations

import pytest

from inspect_app.core.i18n import translate
from inspect_app.today.risk import RiskInputs, risk_score

BASE = dict(days_since=0, phase="finished")  # a site that scores nothing


@pytest.mark.parametrize(("change", "score"), [
    ({}, 0),
    ({"days_since": 5}, 5),
    ({"days_since": 32}, 32),
    ({"days_since": 400}, 40),  # capped: a year unvisited is not ten times a month
    ({"days_since": None}, 40),  # never inspected
    ({"last_grade": "fail"}, 15),
    ({"last_grade": "pass"}, 5),
    ({"last_grade": "excellent"}, 0),
    ({"overdue_violations": 2}, 24),
    ({"overdue_violations": 9}, 36),
    ({"open_violations": 3}, 12),
    ({"open_violations": 10}, 16),
    ({"phase": "earthwork"}, 15),
    ({"phase": "demolition"}, 15),
    ({"phase": "foundation"}, 8),
    ({"phase": "idle"}, 6),
    ({"phase": "structure"}, 5),
    ({"phase": "decoration"}, 3),
    ({"failures_90d": 2}, 6),
    ({"failures_90d": 20}, 15),
    ({"complaints_30d": 1}, 8),
    ({"complaints_30d": 5}, 24),
    ({"alert_in_force": True}, 12),
    ({"suspended": True}, 20),
    ({"days_since": 32, "overdue_violations": 2, "phase": "earthwork", "complaints_30d": 1}, 32 + 24 + 15 + 8),
])
def test_each_factor_adds_its_points(change, score):
    assert risk_score(RiskInputs(**{**BASE, **change})).score == score


def test_the_top_three_reasons_largest_first_in_words():
    risk = risk_score(RiskInputs(days_since=32, overdue_violations=2, phase="earthwork", complaints_30d=1,
                                 last_grade="pass"))
    assert [r.code for r in risk.reasons] == ["risk_days_since", "risk_overdue_violations", "risk_phase_earthwork"]
    words = " · ".join(translate(r.code, "zh-CN", **r.params) for r in risk.reasons)
    assert words == "32 天未巡查 · 2 项逾期未整改 · 土方阶段"
    assert translate(risk.reasons[1].code, "en", **risk.reasons[1].params) == "2 overdue violations"


def test_ties_keep_the_tables_order_and_zero_point_factors_are_no_reason():
    # 15 points each: the last grade comes before the phase in the table
    risk = risk_score(RiskInputs(days_since=0, last_grade="fail", phase="demolition"))
    assert [r.code for r in risk.reasons] == ["risk_last_grade_fail", "risk_phase_demolition"]
    assert risk_score(RiskInputs(**BASE)).reasons == ()


def test_a_never_inspected_site_outranks_a_recently_passed_one():
    never = risk_score(RiskInputs(days_since=None, phase="structure"))
    recent = risk_score(RiskInputs(days_since=2, last_grade="pass", phase="structure"))
    assert never.score > recent.score and never.reasons[0].code == "risk_never_inspected"


def test_every_reason_code_has_chinese_and_english_words():
    from inspect_app.core.i18n import catalogue
    from inspect_app.sites.models import PHASES
    codes = {"risk_never_inspected", "risk_days_since", "risk_last_grade_fail", "risk_last_grade_pass",
             "risk_overdue_violations", "risk_open_violations", "risk_failures_90d", "risk_complaints_30d",
             "risk_alert_in_force", "risk_suspended"} | {f"risk_phase_{p}" for p in PHASES if p != "finished"}
    assert codes <= set(catalogue())

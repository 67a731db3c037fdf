"""The rectification and penalty rules, exhaustively, as pure functions."""
from datetime import datetime, timedelta, timezone

import pytest

from inspect_app.penalties.rules import Finding, OpenViolation, count_in_window, decide

AT = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


def finding(key="cover", outcome="fail", veto=False, days=3):
    return Finding(key, outcome, veto, days)


def test_first_failure_opens_a_violation_without_a_case():
    decision = decide([finding()], {}, {}, AT)
    assert decision.open_new == ["cover"]
    assert decision.case_reasons == {}


def test_failed_veto_item_queues_a_case_at_once():
    decision = decide([finding("hoarding", veto=True)], {}, {}, AT)
    assert decision.open_new == ["hoarding"]
    assert decision.case_reasons == {"hoarding": ["veto"]}


def test_pass_closes_the_open_violation():
    decision = decide([finding(outcome="pass")], {"cover": OpenViolation("cover", AT + timedelta(days=1))}, {}, AT)
    assert decision.close == ["cover"]
    assert decision.open_new == []


@pytest.mark.parametrize("outcome", ["pass", "na"])
def test_pass_or_na_without_violation_does_nothing(outcome):
    decision = decide([finding(outcome=outcome)], {}, {}, AT)
    assert (decision.open_new, decision.close, decision.case_reasons) == ([], [], {})


def test_refailure_before_deadline_is_counted_not_escalated():
    decision = decide([finding()], {"cover": OpenViolation("cover", AT)}, {}, AT)
    assert decision.refail == ["cover"] and decision.make_overdue == []
    assert decision.case_reasons == {}


def test_refailure_after_deadline_makes_it_overdue_and_queues_a_case():
    deadline = AT - timedelta(seconds=1)
    decision = decide([finding()], {"cover": OpenViolation("cover", deadline)}, {}, AT)
    assert decision.make_overdue == ["cover"]
    assert decision.case_reasons == {"cover": ["overdue_refail"]}


def test_third_failure_in_thirty_days_queues_a_case():
    earlier = [AT - timedelta(days=10), AT - timedelta(days=20)]
    decision = decide([finding()], {"cover": OpenViolation("cover", AT + timedelta(days=1))},
                      {"cover": earlier}, AT)
    assert decision.case_reasons == {"cover": ["repeat_failures"]}


def test_second_failure_in_thirty_days_is_not_enough():
    decision = decide([finding()], {}, {"cover": [AT - timedelta(days=3)]}, AT)
    assert decision.case_reasons == {}


@pytest.mark.parametrize("age, counted", [
    (timedelta(days=30), True),
    (timedelta(days=30, seconds=1), False),
    (timedelta(0), True),
])
def test_thirty_day_window_edges(age, counted):
    assert count_in_window([AT - age], AT) == (1 if counted else 0)


def test_failure_exactly_thirty_days_earlier_still_makes_three():
    earlier = [AT - timedelta(days=30), AT - timedelta(days=1)]
    assert decide([finding()], {}, {"cover": earlier}, AT).case_reasons == {"cover": ["repeat_failures"]}
    earlier = [AT - timedelta(days=30, seconds=1), AT - timedelta(days=1)]
    assert decide([finding()], {}, {"cover": earlier}, AT).case_reasons == {}


def test_reasons_accumulate_for_one_item():
    earlier = [AT - timedelta(days=5), AT - timedelta(days=6)]
    decision = decide([finding("hoarding", veto=True)], {"hoarding": OpenViolation("hoarding", AT - timedelta(days=1))},
                      {"hoarding": earlier}, AT)
    assert decision.case_reasons == {"hoarding": ["veto", "overdue_refail", "repeat_failures"]}

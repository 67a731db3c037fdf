"""Coverage status of one site (or assignment) in an ISO week, against a hand-built week."""
from __future__ import annotations

from datetime import date

import pytest

from inspect_app.today.coverage import assignment_status, site_status, tally

MONDAY = date(2026, 11, 23)  # ISO week 2026-W48, Monday 23 – Sunday 29 November
WED, THU, SUN, NEXT_MON = date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 29), date(2026, 11, 30)


@pytest.mark.parametrize(("last_before", "inspected", "every_days", "today", "status"), [
    (None, False, 7, NEXT_MON, "missed"),  # never inspected: due Monday, week over
    (None, True, 7, NEXT_MON, "done"),
    (None, False, 7, MONDAY, "pending"),  # due today, the day is not over
    (date(2026, 11, 18), False, 7, WED, "pending"),  # last Wednesday: due this Wednesday
    (date(2026, 11, 18), False, 7, THU, "missed"),  # Wednesday has passed
    (date(2026, 11, 18), True, 7, THU, "done"),  # late but done
    (date(2026, 11, 20), False, 14, NEXT_MON, "not_due"),  # fortnightly: due 4 December
    (date(2026, 11, 20), True, 14, NEXT_MON, "not_due"),  # an extra visit is not a due one
    (date(2026, 11, 1), False, 7, NEXT_MON, "missed"),  # long overdue: due from Monday
    (date(2026, 11, 22), False, 7, SUN, "pending"),  # last Sunday: due this Sunday, the 29th
    (date(2026, 11, 22), False, 8, NEXT_MON, "not_due"),  # every 8 days: due next Monday
])
def test_site_status_table(last_before, inspected, every_days, today, status):
    assert site_status(last_before=last_before, inspected_in_week=inspected, monday=MONDAY,
                       every_days=every_days, today=today) == status


def test_a_site_registered_in_the_week_is_due_from_that_day():
    assert site_status(last_before=None, inspected_in_week=False, monday=MONDAY, every_days=7, today=THU,
                       registered_on=WED) == "missed"
    assert site_status(last_before=None, inspected_in_week=False, monday=MONDAY, every_days=7, today=WED,
                       registered_on=WED) == "pending"
    assert site_status(last_before=None, inspected_in_week=False, monday=MONDAY, every_days=7, today=SUN,
                       registered_on=NEXT_MON) == "not_due"


@pytest.mark.parametrize(("last_day", "inspected", "today", "status"), [
    (WED, True, WED, "done"),
    (WED, False, WED, "pending"),
    (WED, False, THU, "missed"),
    (SUN, False, THU, "pending"),
])
def test_assignment_status_table(last_day, inspected, today, status):
    assert assignment_status(last_day=last_day, inspected=inspected, today=today) == status


def test_tally_counts_due_as_everything_but_not_due():
    assert tally(["done", "missed", "pending", "not_due", "done"]) == {"due": 4, "done": 2, "missed": 1, "pending": 1}

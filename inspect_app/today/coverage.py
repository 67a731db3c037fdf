"""Coverage of a unit's sites in one ISO week (pure: dates in, a status out).

A unit's target says every open site is inspected at least once every ``every_days`` days. A site
falls *due* on the day after ``every_days`` have passed since its last inspection before the week
(a site never inspected is due from the week's Monday, or from the day it was registered if later).
In the week it is then:

* ``not_due`` — its due day comes after Sunday;
* ``done`` — due this week and inspected on a day of the week (late or not);
* ``missed`` — due, not inspected, and its due day has passed (all of it: ``today`` is after it);
* ``pending`` — due, not inspected yet, and still on or before its due day.

Per inspector, the same words apply to the sites a supervisor assigned them for days of the week:
an assignment is *due*, *done* when that inspector inspected the site on one of its days, *missed*
when its last day in the week has passed without that.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

DEFAULT_EVERY_DAYS = 7
STATUSES = ("done", "missed", "pending", "not_due")


def site_status(*, last_before: date | None, inspected_in_week: bool, monday: date, every_days: int,
                today: date, registered_on: date | None = None) -> str:
    """The coverage status of one site in the week starting ``monday``."""
    sunday = monday + timedelta(days=6)
    if last_before is None:
        due_day = max(monday, registered_on or monday)
    else:
        due_day = max(monday, last_before + timedelta(days=every_days))
    if due_day > sunday:
        return "not_due"
    if inspected_in_week:
        return "done"
    return "missed" if today > due_day else "pending"


def assignment_status(*, last_day: date, inspected: bool, today: date) -> str:
    """An assigned site: done when the inspector inspected it on one of its days, else missed or pending."""
    if inspected:
        return "done"
    return "missed" if today > last_day else "pending"


def tally(statuses: Iterable[str]) -> dict[str, int]:
    """Due, done, missed and pending counts (``due`` counts everything that is not ``not_due``)."""
    counts = Counter(statuses)
    return {"due": sum(n for status, n in counts.items() if status != "not_due"),
            "done": counts["done"], "missed": counts["missed"], "pending": counts["pending"]}

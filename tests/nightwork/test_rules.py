"""When a permit covers a moment: nights inclusive, hours across midnight, revocation from its time."""
from __future__ import annotations

from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest

from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.nightwork.rules import covers, parse_hours, permit_status


def permit(start="22:00", end="06:00", valid_from=date(2026, 12, 1), valid_to=date(2026, 12, 10), revoked_at=None):
    return SimpleNamespace(start_time=start, end_time=end, valid_from=valid_from, valid_to=valid_to,
                           revoked_at=revoked_at)


def local(*args):
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize("when, covered", [
    (local(2026, 12, 1, 3, 0), False),    # the morning of the 1st belongs to the night of 30 Nov
    (local(2026, 12, 1, 21, 59), False),  # before the hours
    (local(2026, 12, 1, 22, 0), True),    # the first night begins
    (local(2026, 12, 2, 5, 59), True),
    (local(2026, 12, 2, 6, 0), False),    # the hours end
    (local(2026, 12, 10, 23, 30), True),  # the last night
    (local(2026, 12, 11, 3, 0), True),    # …runs into the morning of the 11th
    (local(2026, 12, 11, 22, 0), False),  # the 11th is no longer a night of the permit
    (local(2026, 12, 5, 12, 0), False),   # day work is not what it permits
])
def test_a_night_permit_covers_its_nights_inclusive_across_midnight(when, covered):
    assert covers(permit(), when) is covered


def test_hours_that_end_at_two_cover_only_until_two():
    short = permit(end="02:00")
    assert covers(short, local(2026, 12, 3, 1, 59))
    assert not covers(short, local(2026, 12, 3, 2, 0))
    assert not covers(short, local(2026, 12, 3, 4, 0))


def test_hours_within_one_day_do_not_wrap():
    early = permit(start="00:00", end="06:00")
    assert covers(early, local(2026, 12, 1, 3, 0))       # the 1st's own early hours
    assert not covers(early, local(2026, 12, 11, 3, 0))  # the 11th is after the last date
    assert not covers(early, local(2026, 12, 1, 22, 0))


def test_utc_instants_are_judged_in_asia_shanghai():
    # 14:00 UTC on 1 December is 22:00 in Hohhot
    assert covers(permit(), datetime(2026, 12, 1, 14, 0, tzinfo=timezone.utc))
    assert not covers(permit(), datetime(2026, 12, 1, 13, 59, tzinfo=timezone.utc))


def test_a_revoked_permit_covers_nothing_from_its_revocation_on():
    revoked = permit(revoked_at=datetime(2026, 12, 3, 15, 0, tzinfo=timezone.utc))  # 23:00 on the 3rd
    assert covers(revoked, local(2026, 12, 3, 22, 30))  # before it was revoked
    assert not covers(revoked, local(2026, 12, 3, 23, 0))
    assert not covers(revoked, local(2026, 12, 5, 23, 0))
    assert permit_status(revoked, local(2026, 12, 3, 22, 30)) == "valid"
    assert permit_status(revoked, local(2026, 12, 4, 12, 0)) == "revoked"


@pytest.mark.parametrize("now, status", [
    (local(2026, 11, 30, 12, 0), "not_yet_valid"),
    (local(2026, 12, 1, 3, 0), "not_yet_valid"),  # still the night of 30 November
    (local(2026, 12, 1, 12, 0), "valid"),
    (local(2026, 12, 10, 12, 0), "valid"),
    (local(2026, 12, 11, 5, 0), "valid"),          # the last night is not over yet
    (local(2026, 12, 11, 12, 0), "expired"),
])
def test_status_is_derived_from_the_local_date(now, status):
    assert permit_status(permit(), now) == status


@pytest.mark.parametrize("text, hours", [
    ("22:00–06:00", ("22:00", "06:00")), ("22:00-6:00", ("22:00", "06:00")), ("22:00~02:00", ("22:00", "02:00")),
    ("22时至次日6时", ("22:00", "06:00")), ("22：00—06：00", ("22:00", "06:00")), ("22:30 至 次日 05:30", ("22:30", "05:30")),
])
def test_hours_as_clerks_write_them(text, hours):
    assert parse_hours(text) == hours


@pytest.mark.parametrize("text", ["", "夜间", "22:00", "22:00-22:00", "25:00-06:00", "24:00-06:00", "22:61-06:00"])
def test_unreadable_or_empty_hours_are_refused(text):
    with pytest.raises(ValueError):
        parse_hours(text)

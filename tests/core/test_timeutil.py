"""Weeks are ISO weeks counted in Asia/Shanghai: weekly scorecards cut at local Monday 00:00,
not at UTC midnight (which is 08:00 in Hohhot)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from inspect_app.core.timeutil import (
    LOCAL_TZ,
    as_utc,
    iso_week_bounds_utc,
    iso_week_of,
    last_complete_week,
    parse_iso_week,
    to_local,
)


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def test_week_bounds_start_at_local_monday_midnight():
    start, end = iso_week_bounds_utc(2026, 48)
    assert start == datetime(2026, 11, 22, 16, 0, tzinfo=timezone.utc)  # Mon 23 Nov 00:00 +08
    assert end == datetime(2026, 11, 29, 16, 0, tzinfo=timezone.utc)
    assert start.tzinfo is not None and start.utcoffset() == timedelta(0)


def test_sunday_2359_local_and_monday_0000_local_fall_in_different_weeks():
    sunday_night = local(2026, 11, 29, 23, 59)
    monday_morning = local(2026, 11, 30, 0, 0)
    # Both are Sunday in UTC, so a UTC-based week would wrongly put them together.
    assert as_utc(sunday_night).weekday() == as_utc(monday_morning).weekday() == 6
    assert iso_week_of(sunday_night) == (2026, 48)
    assert iso_week_of(monday_morning) == (2026, 49)
    start, end = iso_week_bounds_utc(2026, 48)
    assert start <= sunday_night < end
    assert not (start <= monday_morning < end)
    assert monday_morning == end


def test_naive_datetimes_are_taken_as_utc():
    naive = datetime(2026, 11, 29, 16, 0)  # = Monday 00:00 in Hohhot
    assert iso_week_of(naive) == (2026, 49)
    assert to_local(naive) == local(2026, 11, 30, 0, 0)
    assert as_utc(naive).tzinfo == timezone.utc


def test_week_53_of_2026_exists_and_runs_into_january():
    assert parse_iso_week("2026-W53") == (2026, 53)
    start, end = iso_week_bounds_utc(2026, 53)
    assert to_local(start) == local(2026, 12, 28)
    assert to_local(end) == local(2027, 1, 4)
    assert iso_week_bounds_utc(2027, 1)[0] == end
    assert iso_week_of(local(2027, 1, 3, 23, 59)) == (2026, 53)


@pytest.mark.parametrize("text", [
    "2025-W53",   # 2025 has only 52 ISO weeks
    "2026-W00",
    "2026-W54",
    "2026-48",
    "2026W48",
    "2026-W4",
    "26-W48",
    "2026-w48",
    " 2026-W48",
    "2026-W48 ",
    "2026-W48\n",
    "",
    None,
])
def test_bad_week_strings_are_refused(text):
    with pytest.raises(ValueError):
        parse_iso_week(text)


def test_good_week_string_parses():
    assert parse_iso_week("2026-W01") == (2026, 1)
    assert parse_iso_week("2026-W48") == (2026, 48)


@pytest.mark.parametrize("now, expected", [
    (local(2026, 11, 30, 0, 30), (2026, 48)),   # just after local Monday midnight
    (local(2026, 11, 29, 23, 30), (2026, 47)),  # still Sunday locally: W48 is not complete
    (local(2026, 12, 2, 12, 0), (2026, 48)),
    (local(2027, 1, 4, 8, 0), (2026, 53)),      # first Monday of 2027 -> the 53rd week
    (local(2027, 1, 10, 23, 59), (2026, 53)),
])
def test_last_complete_week_is_the_local_week_before_now(now, expected):
    assert last_complete_week(now) == expected
    assert last_complete_week(now.astimezone(timezone.utc)) == expected


def test_last_complete_week_defaults_to_now():
    year, week = last_complete_week()
    start, end = iso_week_bounds_utc(year, week)
    now = datetime.now(timezone.utc)
    assert end <= now < end + timedelta(days=7)

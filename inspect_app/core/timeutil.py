"""Time helpers: store UTC, show Asia/Shanghai, weeks are ISO weeks in Asia/Shanghai."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_WEEK_RE = re.compile(r"([0-9]{4})-W([0-9]{2})")


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def as_utc(value: datetime) -> datetime:
    """Normalise a datetime to aware UTC; naive values are taken as UTC (how SQLite returns them)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def to_local(value: datetime) -> datetime:
    """The same instant in Asia/Shanghai, for display and for local-time rules."""
    return as_utc(value).astimezone(LOCAL_TZ)


def in_hours(start_time: str, end_time: str, now: time) -> bool:
    """Whether a local wall-clock ``now`` is in [start_time, end_time) ("HH:MM", end "24:00" allowed).

    An end at or before the start wraps midnight: 22:00–06:00 is [22:00, 24:00) ∪ [00:00, 06:00)
    (夜间, 《噪声污染防治法》第八十八条). Checklist windows and night-work permits both use this.
    """
    now = now.replace(tzinfo=None)
    start = time.fromisoformat(start_time)
    if end_time == "24:00":
        return now >= start
    end = time.fromisoformat(end_time)
    if end <= start:
        return now >= start or now < end
    return start <= now < end


def parse_iso_week(text: str) -> tuple[int, int]:
    """Parse ``2026-W48`` into (year, week); raises ValueError for anything else."""
    match = _WEEK_RE.fullmatch(text or "")  # fullmatch: "$" would accept a trailing newline
    if not match:
        raise ValueError(f"not an ISO week: {text!r}")
    year, week = int(match.group(1)), int(match.group(2))
    date.fromisocalendar(year, week, 1)  # validates week 53 etc.
    return year, week


def iso_week_bounds_utc(year: int, week: int) -> tuple[datetime, datetime]:
    """[start, end) of an ISO week in Asia/Shanghai, as UTC instants."""
    monday = date.fromisocalendar(year, week, 1)
    start_local = datetime.combine(monday, time(0, 0), tzinfo=LOCAL_TZ)
    end_local = start_local + timedelta(days=7)
    return start_local.astimezone(timezone.utc), end_local.astimezone(timezone.utc)


def iso_week_of(value: datetime) -> tuple[int, int]:
    """The (year, week) an instant falls in, counted in Asia/Shanghai."""
    local = to_local(value)
    iso = local.isocalendar()
    return iso.year, iso.week


def last_complete_week(now: datetime | None = None) -> tuple[int, int]:
    """The ISO week before the current one in Asia/Shanghai."""
    now = now or utcnow()
    return iso_week_of(as_utc(now) - timedelta(days=7))


def local_text(value: datetime | None) -> str:
    """An instant as a person reads it: Beijing time, ``2026-11-30 19:12`` ("" for None)."""
    return "" if value is None else f"{to_local(value):%Y-%m-%d %H:%M}"

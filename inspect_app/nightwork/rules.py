"""When a night-work permit covers a moment: pure functions over plain values.

Dates are the permit's *nights*, inclusive: a permit valid 1–10 December for 22:00–06:00 covers from
22:00 on 1 December to 06:00 on 11 December. The hours after midnight of a window that wraps belong to
the night that began the evening before, so 03:00 on 1 December is the night of 30 November (not
covered) and 03:00 on 11 December is the night of 10 December (covered). A revoked permit covers
nothing from the moment it was revoked.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

from inspect_app.core.timeutil import LOCAL_TZ, as_utc, in_hours

VALID, EXPIRED, NOT_YET_VALID, REVOKED = "valid", "expired", "not_yet_valid", "revoked"
STATUSES = (VALID, EXPIRED, NOT_YET_VALID, REVOKED)
HHMM = re.compile(r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")
# 22:00–06:00, 22:00-6:00, 22：00至次日06：00, 22时至次日6时 (NFKC folds the full-width colon and dash)
_HOURS = re.compile(r"^\s*(\d{1,2})\s*[:时点]\s*(\d{2})?\s*分?\s*(?:-|–|—|~|～|至|到)+\s*(?:次日|翌日)?\s*"
                    r"(\d{1,2})\s*[:时点]\s*(\d{2})?\s*分?\s*$")


def wraps_midnight(start_time: str, end_time: str) -> bool:
    """22:00–06:00 wraps; 22:00–24:00 and 00:00–06:00 do not."""
    return end_time != "24:00" and end_time <= start_time


def night_of(local: datetime, start_time: str, end_time: str) -> date:
    """The date of the night a local moment belongs to (after midnight of a wrapping window: the day before)."""
    if wraps_midnight(start_time, end_time) and local.time().replace(tzinfo=None) < time.fromisoformat(end_time):
        return local.date() - timedelta(days=1)
    return local.date()


def covers(permit, at: datetime) -> bool:
    """Whether ``permit`` (anything with the model's fields) allows work at the instant ``at`` (aware)."""
    if permit.revoked_at is not None and as_utc(permit.revoked_at) <= as_utc(at):
        return False
    local = as_utc(at).astimezone(LOCAL_TZ)
    if not in_hours(permit.start_time, permit.end_time, local.time()):
        return False
    return permit.valid_from <= night_of(local, permit.start_time, permit.end_time) <= permit.valid_to


def permit_status(permit, now: datetime) -> str:
    """valid / expired / not_yet_valid / revoked on the local date of ``now`` (a night past 24:00 included)."""
    if permit.revoked_at is not None and as_utc(permit.revoked_at) <= as_utc(now):
        return REVOKED
    local = as_utc(now).astimezone(LOCAL_TZ)
    night = night_of(local, permit.start_time, permit.end_time)
    if night < permit.valid_from:
        return NOT_YET_VALID
    if night > permit.valid_to:
        return EXPIRED
    return VALID


def parse_hours(text: str) -> tuple[str, str]:
    """"22:00–06:00" (or 22:00-6:00, 22时至次日6时) as ("22:00", "06:00"); ValueError if unreadable or empty."""
    match = _HOURS.match(unicodedata.normalize("NFKC", text or ""))
    if not match:
        raise ValueError(text)
    start_h, start_m, end_h, end_m = match.groups()
    start, end = f"{int(start_h):02d}:{start_m or '00'}", f"{int(end_h):02d}:{end_m or '00'}"
    if not HHMM.match(start) or not HHMM.match(end) or start == "24:00" or start == end:
        raise ValueError(text)
    return start, end

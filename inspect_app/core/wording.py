"""How evidence facts read to a person: the one place a flag, a distance or a flag's time becomes words.

Every screen and document shows evidence flags through :func:`flag_text` (the phone's twin is
``flagText`` in ``static/pwa/ui.js``): times in Beijing wall-clock (``2022-08-14 19:12``), distances in
metres below 1 km and in kilometres above ("766 米", "1.4 公里"), zh-CN first, English second. The flag
wordings themselves (``flag_<code>``) are registered by the evidence feature's messages; this module only
knows their placeholders, so inspections, penalties and exports can word a flag without importing evidence.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from inspect_app.core.i18n import catalogue, register_messages, translate
from inspect_app.core.timeutil import local_text

# Detail fields holding an instant (ISO text, UTC) and a distance in metres, as the checks store them.
TIME_FIELDS = ("taken_at", "started_at", "received_at", "device_time")
# field in details (metres) → placeholder in the wording (already in m or km)
DISTANCE_FIELDS = {"distance_m": "distance", "geofence_m": "geofence", "accuracy_m": "accuracy",
                   "limit_m": "limit"}

register_messages({
    "distance_metres": ("{value} 米", "{value} m"),
    "distance_kilometres": ("{value} 公里", "{value} km"),
})


def distance_text(metres: float | None, locale: str | None = None) -> str:
    """A distance as people say it: whole metres below 1 km, kilometres with one decimal from 1 km.

    The switch is on the rounded metre count, so 999.6 m reads "1 公里", never "1000 米".
    """
    if metres is None:
        return ""
    whole = round(float(metres))
    if whole < 1000:
        return translate("distance_metres", locale, value=whole)
    km = round(whole / 1000, 1)
    value = int(km) if km.is_integer() else km
    return translate("distance_kilometres", locale, value=value)


def time_text(value) -> str:
    """An instant (datetime or ISO text) in Beijing time, ``2022-08-14 19:12``; unreadable text as is."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    return local_text(value)


def flag_text(flag: Mapping, locale: str | None = None) -> str:
    """An evidence flag as one sentence in the reader's language (``flag_<code>`` or its reason's wording)."""
    details = dict(flag.get("details") or {})
    key = f"flag_{flag['code']}"
    reason = details.get("reason")
    if reason and f"{key}_{reason}" in catalogue():
        key = f"{key}_{reason}"
    for name in TIME_FIELDS:
        if name in details:
            details[name] = time_text(details[name])
    for name, placeholder in DISTANCE_FIELDS.items():
        if details.get(name) is not None:
            details[placeholder] = distance_text(details[name], locale)
    return translate(key, locale, **details)

"""Composing the form an inspector fills from one or more checklist sources. Pure functions.

Several documents ask for the same thing (six-100 ② and eight-musts ② both want stockpiles covered);
the form asks such a *requirement* once and lists every source it satisfies. Merging is strict in
the direction of the site's obligations: the heaviest weight, a veto if any source vetoes, the most
photos, the shortest rectification deadline, and every phase any source names. A requirement is an
*observation* (no liable party, never scored: ``liable = "none"``) only if every source says so.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from inspect_app.checklists.file_schema import OBSERVATION as OBSERVATION_LIABLE
from inspect_app.checklists.loader import ALL_PHASES, alert_condition, effective_window
from inspect_app.core.timeutil import LOCAL_TZ, in_hours
from inspect_app.sites.models import PHASES

# Reasons an item is (not) asked; stable codes stored in score breakdowns.
APPLICABLE = "applicable"
NOT_IN_PHASE = "not_in_phase"
OUT_OF_SEASON = "out_of_season"
OUTSIDE_HOURS = "outside_hours"
NOT_FOR_SITE_STATUS = "not_for_site_status"  # e.g. the 停工 check, asked only at suspended sites
NO_ALERT_IN_FORCE = "no_alert_in_force"  # an alert-response item, and no such alert bound at the start


class FormCompositionError(ValueError):
    """Stored sources disagree about a shared requirement (the loader prevents this for files)."""


def compose_form(kind: str, sources: Iterable[Mapping]) -> dict:
    """The form for ``kind`` from plain source dicts (see ``LoadedSource.as_form_source``).

    Sources are ordered by their ``position`` then key; items keep their file order, and a
    requirement appears where its first source puts it, with that source's wording and legal basis.
    """
    chosen = sorted((s for s in sources if s["kind"] == kind), key=lambda s: (s["position"], s["key"]))
    merged: dict[str, dict] = {}
    for source in chosen:
        for item in source["items"]:
            window = effective_window(item, source.get("window"))
            entry = merged.get(item["requirement"])
            if entry is None:
                merged[item["requirement"]] = _new_form_item(item, window, len(merged))
                entry = merged[item["requirement"]]
            else:
                _merge_into(entry, item, window)
            entry["sources"].append({
                "source_key": source["key"],
                "source_title_zh": source["title_zh"],
                "source_title_en": source["title_en"],
                "item_key": item["key"],
                "clause": item["clause"],
                "text_zh": item["text_zh"],
                "text_en": item["text_en"],
                "checklist_item_id": item.get("checklist_item_id"),
            })
    for entry in merged.values():
        entry["phases"] = _canonical_phases(entry["phases"])
    return {
        "kind": kind,
        "version_ids": [s["version_id"] for s in chosen if s.get("version_id") is not None],
        "sources": [
            {"key": s["key"], "version": s.get("version"), "version_id": s.get("version_id"),
             "title_zh": s["title_zh"], "title_en": s["title_en"], "clause": s["clause"],
             "window": s.get("window")}
            for s in chosen
        ],
        "items": list(merged.values()),
    }


def _new_form_item(item: Mapping, window: dict | None, position: int) -> dict:
    return {
        "key": item["requirement"],
        "position": position,
        "text_zh": item["text_zh"],
        "text_en": item["text_en"],
        "sources": [],
        "weight": float(item["weight"]),
        "veto": bool(item["veto"]),
        "photos_on_fail": int(item["photos_on_fail"]),
        "phases": set(item["phases"]),
        "window": window,
        "rectify_days": int(item["rectify_days"]),
        "legal_basis": dict(item["legal_basis"]),
        "site_statuses": list(item["site_statuses"]) if item.get("site_statuses") else None,
        "observation": item.get("liable") == OBSERVATION_LIABLE,
        "alert": alert_condition(item),
    }


def _merge_into(entry: dict, item: Mapping, window: dict | None) -> None:
    if window != entry["window"]:
        raise FormCompositionError(
            f"requirement {item['requirement']!r} has different windows in its sources"
        )
    if alert_condition(item) != entry["alert"]:
        raise FormCompositionError(
            f"requirement {item['requirement']!r} has different alert conditions in its sources"
        )
    entry["weight"] = max(entry["weight"], float(item["weight"]))
    entry["veto"] = entry["veto"] or bool(item["veto"])
    entry["photos_on_fail"] = max(entry["photos_on_fail"], int(item["photos_on_fail"]))
    entry["rectify_days"] = min(entry["rectify_days"], int(item["rectify_days"]))
    entry["phases"] |= set(item["phases"])
    entry["observation"] = entry["observation"] and item.get("liable") == OBSERVATION_LIABLE
    if (item.get("site_statuses") or None) != entry["site_statuses"]:
        if item.get("site_statuses") and entry["site_statuses"]:
            entry["site_statuses"] = sorted(set(entry["site_statuses"]) | set(item["site_statuses"]))
        else:  # one source asks it at every site: so does the form
            entry["site_statuses"] = None


def _canonical_phases(phases: set[str]) -> list[str]:
    """``["all"]`` if any source says all, else the phases in construction order."""
    if ALL_PHASES in phases:
        return [ALL_PHASES]
    return [p for p in PHASES if p in phases]


def is_applicable(form_item: Mapping, phase: str | None, local_datetime: datetime | None,
                  site_status: str | None = None, *, alert_levels: frozenset[str] = frozenset()
                  ) -> tuple[bool, str]:
    """Whether ``form_item`` is asked at a site in ``phase`` at ``local_datetime``, and why.

    ``phase`` None (a truck, or a site whose phase is unknown) skips the phase test. An item that
    names ``site_statuses`` is asked only at a site in one of them (``site_status`` None — a truck,
    or a caller that does not know — never is). An aware
    datetime is converted to Asia/Shanghai; a naive one is taken as already local. Window dates
    are inclusive; hours are [start_time, end_time) — 17:00:00 is already outside 10:00–17:00 — and
    a window whose end is before its start wraps midnight: 22:00–06:00 is [22:00, 24:00) ∪ [00:00, 06:00).
    ``alert_levels`` are the alert levels binding the site's unit (the district, for a truck) at the
    inspection's start (``alerts.queries.levels_in_force``); an item naming ``alert`` levels is asked
    only while one of them binds.
    """
    phases = form_item.get("phases") or [ALL_PHASES]
    if phase is not None and ALL_PHASES not in phases and phase not in phases:
        return False, NOT_IN_PHASE
    statuses = form_item.get("site_statuses")
    if statuses and site_status not in statuses:
        return False, NOT_FOR_SITE_STATUS
    alert = form_item.get("alert")
    if alert and not set(alert) & set(alert_levels):
        return False, NO_ALERT_IN_FORCE
    window = form_item.get("window")
    if not window:
        return True, APPLICABLE
    if local_datetime is None:
        raise ValueError(f"item {form_item.get('key')!r} has a window; a local time is needed")
    local = local_datetime.astimezone(LOCAL_TZ) if local_datetime.tzinfo else local_datetime
    if "start" in window and not _in_dates(window, local):
        return False, OUT_OF_SEASON
    if "start_time" in window and not _in_hours(window, local):
        return False, OUTSIDE_HOURS
    return True, APPLICABLE


def _in_dates(window: Mapping, local: datetime) -> bool:
    start = tuple(int(x) for x in window["start"].split("-"))
    end = tuple(int(x) for x in window["end"].split("-"))
    return start <= (local.month, local.day) <= end


def _in_hours(window: Mapping, local: datetime) -> bool:
    """[start_time, end_time); a window ending at or before its start wraps midnight (夜间 22:00–06:00)."""
    return in_hours(window["start_time"], window["end_time"], local.time())

"""Building realistic submissions from the form the API serves, as the phone app does."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from inspect_app.checklists.forms import is_applicable
from inspect_app.core.timeutil import LOCAL_TZ

# A winter morning: the ozone-season items do not apply.
WINTER_MORNING = datetime(2026, 11, 25, 9, 30, tzinfo=LOCAL_TZ)


def site_form(client, headers) -> dict:
    response = client.get("/api/checklists", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["site"]


def submission(form: dict, site, *, outcomes: dict | None = None, started_at: datetime = WINTER_MORNING,
               minutes: int = 20, lat: float | None = None, lon: float | None = None,
               accuracy_m: float = 8.0, photos: dict | None = None, inspection_uuid: str | None = None,
               **extra) -> dict:
    """A complete submission answering every applicable item ``pass`` unless told otherwise.

    A failed item gets as many fresh photo ids as its rule needs, unless ``photos`` says which.
    """
    outcomes = outcomes or {}
    photos = photos or {}
    local = started_at.astimezone(LOCAL_TZ)
    items = []
    for item in form["items"]:
        if not is_applicable(item, site.phase, local)[0] and item["key"] not in outcomes:
            continue
        outcome = outcomes.get(item["key"], "pass")
        photo_ids = photos.get(item["key"])
        if photo_ids is None:
            photo_ids = [str(uuid.uuid4()) for _ in range(item["photos_on_fail"])] if outcome == "fail" else []
        items.append({"key": item["key"], "outcome": outcome, "note": "", "photo_ids": photo_ids})
    finished_at = started_at + timedelta(minutes=minutes)
    gps = {"lat": site.lat if lat is None else lat, "lon": site.lon if lon is None else lon,
           "accuracy_m": accuracy_m, "datum": "WGS84"}
    body = {
        "uuid": inspection_uuid or str(uuid.uuid4()),
        "site_id": site.id,
        "checklist_version_ids": form["version_ids"],
        "started_at": started_at.isoformat(),
        "finished_at": finished_at.isoformat(),
        "gps_start": {**gps, "captured_at": started_at.isoformat()},
        "gps_finish": {**gps, "captured_at": finished_at.isoformat()},
        "items": items,
    }
    body.update(extra)
    return body


def veto_key(form: dict) -> str:
    return next(item["key"] for item in form["items"] if item["veto"])


def plain_key(form: dict, site) -> str:
    """An applicable, non-veto item key (for the winter morning)."""
    local = WINTER_MORNING
    return next(item["key"] for item in form["items"]
                if not item["veto"] and is_applicable(item, site.phase, local)[0])

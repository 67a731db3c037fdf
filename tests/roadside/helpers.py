"""Building roadside truck checks from the truck form the API serves, as the phone app does."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from tests import factories
from tests.inspections.helpers import WINTER_MORNING

PLATE_PHOTO_ITEM = "truck_documents_carried"  # the plate photo goes with the plates-and-papers item
WEIGHBRIDGE_ITEM = "truck_not_overloaded"  # the weighbridge ticket photo of a measured load goes here


def truck_form(client, headers) -> dict:
    response = client.get("/api/checklists", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["truck"]


def truck_check(form: dict, plate: str = "蒙A12345", *, outcomes: dict | None = None,
                started_at: datetime = WINTER_MORNING, minutes: int = 8, check_uuid: str | None = None,
                plate_photo: bool = True, photos: dict | None = None, **extra) -> dict:
    """A complete truck check answering every item ``pass`` unless told otherwise.

    One photo of the plate is declared on the plates item; a failed item gets as many fresh photo
    ids as its rule needs unless ``photos`` says which.
    """
    outcomes = outcomes or {}
    photos = photos or {}
    items = []
    for item in form["items"]:
        outcome = outcomes.get(item["key"], "pass")
        photo_ids = photos.get(item["key"])
        if photo_ids is None:
            photo_ids = [str(uuid.uuid4()) for _ in range(item["photos_on_fail"])] if outcome == "fail" else []
            if item["key"] == PLATE_PHOTO_ITEM and plate_photo and not photo_ids:
                photo_ids = [str(uuid.uuid4())]
            # a weighed load comes with its weighbridge ticket photo on the overload item
            if item["key"] == WEIGHBRIDGE_ITEM and extra.get("measured_load_t") is not None and not photo_ids:
                photo_ids = [str(uuid.uuid4())]
        items.append({"key": item["key"], "outcome": outcome, "note": "", "photo_ids": photo_ids})
    finished_at = started_at + timedelta(minutes=minutes)
    gps = {"lat": factories.DEFAULT_LAT, "lon": factories.DEFAULT_LON, "accuracy_m": 6.0, "datum": "WGS84"}
    body = {
        "uuid": check_uuid or str(uuid.uuid4()),
        "plate": plate,
        "checklist_version_ids": form["version_ids"],
        "started_at": started_at.isoformat(),
        "finished_at": finished_at.isoformat(),
        "gps_start": {**gps, "captured_at": started_at.isoformat()},
        "gps_finish": {**gps, "captured_at": finished_at.isoformat()},
        "items": items,
    }
    body.update(extra)
    return body


def item(body: dict, key: str) -> dict:
    """The answer (request) or result (response) for ``key``."""
    return next(i for i in body["items"] if i["key"] == key)

"""Uploading photos through the API as the phone does: shared by the evidence, inspection and case tests."""
from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from tests.evidence import images
from tests.inspections.helpers import WINTER_MORNING, plain_key, site_form, submission

OCTET = {"Content-Type": "application/octet-stream"}


def put(client, headers, inspection_uuid, photo_id, data):
    """PUT one photo's raw bytes."""
    return client.put(f"/api/inspections/{inspection_uuid}/photos/{photo_id}", data=data,
                      headers={**headers, **OCTET})


def put_request(headers, inspection_uuid, photo_id, data) -> tuple[str, str, dict]:
    """The same PUT as a request for tests.racing."""
    return ("PUT", f"/api/inspections/{inspection_uuid}/photos/{photo_id}",
            {"data": data, "headers": {**headers, **OCTET}})


def fresh_jpeg(site, **extra) -> bytes:
    """A photo taken on site five minutes into the winter-morning inspection."""
    taken = (WINTER_MORNING + timedelta(minutes=5)).replace(tzinfo=None)
    fields = {"taken_at": taken, "offset": "+08:00", "lat": site.lat, "lon": site.lon}
    fields.update(extra)
    return images.jpeg(**fields)


def new_ids(count: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(count)]


def submit_with_photos(client, headers, site, photo_ids: list[str], *, form=None, key=None) -> dict:
    """Submit an inspection of ``site`` whose one failed item declares ``photo_ids``; returns the request."""
    form = form or site_form(client, headers)
    key = key or plain_key(form, site)
    body = submission(form, site, outcomes={key: "fail"}, photos={key: photo_ids})
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return body


def photo_files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["PHOTO_DIR"]).rglob("*") if p.is_file())

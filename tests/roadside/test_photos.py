"""Photos of the plate and the load go through the ordinary photo endpoint, watermarked with the plate."""
from datetime import timedelta

import pytest

from inspect_app.evidence import operations as evidence_operations
from tests import factories
from tests.evidence import images
from tests.inspections.helpers import WINTER_MORNING
from tests.roadside.helpers import PLATE_PHOTO_ITEM, item, truck_check


@pytest.fixture
def watermarks(monkeypatch):
    """The watermark each processed photo was given."""
    seen = []
    real = evidence_operations.process_photo

    def spy(data, **kwargs):
        seen.append(kwargs["watermark"])
        return real(data, **kwargs)

    monkeypatch.setattr(evidence_operations, "process_photo", spy)
    return seen


def fresh_jpeg():
    taken = (WINTER_MORNING + timedelta(minutes=2)).replace(tzinfo=None)
    return images.jpeg(taken_at=taken, offset="+08:00", lat=factories.DEFAULT_LAT, lon=factories.DEFAULT_LON)


def test_the_plate_photo_uploads_completes_the_check_and_is_watermarked_with_the_plate(
        client, headers, form, truck, watermarks):
    body = truck_check(form, plate="蒙a 12345")
    assert client.post("/api/roadside-checks", json=body, headers=headers).status_code == 201
    [photo_id] = item(body, PLATE_PHOTO_ITEM)["photo_ids"]
    url = f"/api/inspections/{body['uuid']}/photos/{photo_id}"
    upload_headers = {**headers, "Content-Type": "application/octet-stream"}
    response = client.put(url, data=fresh_jpeg(), headers=upload_headers)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["inspection"]["completeness"] == "complete"
    assert [w.site_name for w in watermarks] == ["蒙A12345"]
    assert client.put(url, data=fresh_jpeg(), headers=upload_headers).status_code == 200  # replay

    check = client.get(f"/api/roadside-checks/{body['uuid']}", headers=headers).get_json()
    assert check["completeness"] == "complete" and check["missing_photos"] == []
    assert client.get(f"/api/photos/{photo_id}/thumb", headers=headers).status_code == 200

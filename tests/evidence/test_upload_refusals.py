"""Hostile and broken uploads through the API (issue 13 points 3, 4 and 8): refused with a clear code and
nothing left behind, or — for absurd EXIF times — stored and flagged instead of crashing."""
import threading
import time

import pytest
from sqlalchemy import func, select

from inspect_app.evidence.imaging import DecoderBusy, heavy_decode_gate
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from tests import factories
from tests.evidence import images
from tests.evidence.uploads import new_ids, photo_files, put, submit_with_photos


@pytest.fixture
def site():
    return factories.create_site("xinhuaxilu", phase="earthwork")


@pytest.fixture
def headers(auth, checklists):
    return auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))


@pytest.fixture
def declared(client, headers, site):
    """(inspection uuid, one declared photo id)."""
    photo_id = new_ids(1)[0]
    return submit_with_photos(client, headers, site, [photo_id])["uuid"], photo_id


def stored_photos() -> int:
    return db.session.scalar(select(func.count()).select_from(Photo))


@pytest.mark.parametrize("data", [
    pytest.param(lambda: images.jpeg_cut_with_end_marker(images.camera_jpeg((1600, 1200)), 1 / 3), id="jpeg-third"),
    pytest.param(lambda: images.heic_cut_at_slice((1600, 1200)), id="heic-half"),
])
def test_a_cut_photo_the_decoder_would_complete_is_refused_and_nothing_is_kept(app, client, headers, declared,
                                                                              data):
    inspection_uuid, photo_id = declared
    files = photo_files(app)
    response = put(client, headers, inspection_uuid, photo_id, data())
    assert response.status_code == 422
    assert response.get_json()["code"] == "image_corrupt"
    assert stored_photos() == 0 and photo_files(app) == files
    read = client.get(f"/api/inspections/{inspection_uuid}", headers=headers).get_json()
    assert read["completeness"] == "incomplete" and read["missing_photos"] == [photo_id]


def test_a_png_of_10000_by_10000_pixels_is_refused_before_decoding(app, client, headers, declared):
    inspection_uuid, photo_id = declared
    files = photo_files(app)
    response = put(client, headers, inspection_uuid, photo_id, images.png_blank(10000, 10000))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "image_too_many_pixels"
    assert body["details"] == {"width": 10000, "height": 10000, "format": "png"}
    assert "25" in body["message"]
    assert stored_photos() == 0 and photo_files(app) == files


def test_a_png_waits_for_a_free_decode_slot_and_is_answered_503_when_none_frees(app, client, headers, declared,
                                                                               monkeypatch):
    inspection_uuid, photo_id = declared
    monkeypatch.setitem(app.config, "HEAVY_DECODE_WAIT_SECONDS", 0.2)
    gate = heavy_decode_gate(app.config["HEAVY_DECODE_CONCURRENCY"], 0.2)  # this process's slots
    release = threading.Event()
    slots = app.config["HEAVY_DECODE_CONCURRENCY"]
    holders = [threading.Thread(target=_hold, args=(gate, release)) for _ in range(slots)]
    for holder in holders:
        holder.start()
    try:
        _wait_until_full(gate)
        busy = put(client, headers, inspection_uuid, photo_id, images.png((400, 300)))
        assert busy.status_code == 503
        assert busy.get_json()["code"] == "photo_decoder_busy"
    finally:
        release.set()
        for holder in holders:
            holder.join()
    assert put(client, headers, inspection_uuid, photo_id, images.png((400, 300))).status_code == 201


def _hold(gate, release):
    with gate():
        release.wait(10)


def _wait_until_full(gate):
    """Block until every slot is taken (a probe that gets one gives it straight back)."""
    for _ in range(100):
        try:
            with gate():
                pass
        except DecoderBusy:
            return
        time.sleep(0.01)
    raise AssertionError("the holders never took every slot")


def test_a_photo_dated_at_the_end_of_year_9999_is_stored_and_flagged_as_undated(client, headers, site, declared):
    inspection_uuid, photo_id = declared
    data = images.jpeg(taken_at="9999:12:31 23:59:59", offset="-12:00", lat=site.lat, lon=site.lon)
    response = put(client, headers, inspection_uuid, photo_id, data)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["photo"]["taken_at"] is None
    flags = client.get(f"/api/inspections/{inspection_uuid}", headers=headers).get_json()["flags"]
    assert [(f["code"], f["details"].get("reason")) for f in flags if f.get("photo_id") == photo_id] == [
        ("photo_not_fresh", "no_capture_time")]

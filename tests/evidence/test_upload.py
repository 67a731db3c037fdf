"""Uploading photo evidence through the API: idempotent, sniffed, size-limited, never orphaned."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from inspect_app.core.storage import LocalDiskStorage, StorageError
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from tests import factories
from tests.evidence import images
from tests.evidence.uploads import fresh_jpeg, photo_files, put
from tests.inspections.helpers import WINTER_MORNING, plain_key, site_form, submission


@pytest.fixture
def inspector():
    return factories.create_user("inspector", units=("xinhuaxilu",))


@pytest.fixture
def site():
    return factories.create_site("xinhuaxilu", phase="earthwork")


@pytest.fixture
def headers(auth, inspector, checklists):
    return auth.headers(inspector)


@pytest.fixture
def failed(client, headers, site):
    """A submitted inspection with one failed item and its declared photo ids."""
    form = site_form(client, headers)
    key = plain_key(form, site)
    body = submission(form, site, outcomes={key: "fail"})
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 201
    photo_ids = next(i["photo_ids"] for i in body["items"] if i["key"] == key)
    return body["uuid"], photo_ids, key


def test_upload_completes_the_inspection(client, headers, failed, site):
    inspection_uuid, photo_ids, key = failed
    response = put(client, headers, inspection_uuid, photo_ids[0], fresh_jpeg(site))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["photo"]["item_key"] == key
    assert len(body["photo"]["sha256"]) == 64
    remaining = photo_ids[1:]
    assert body["inspection"]["missing_photos"] == remaining
    assert body["inspection"]["completeness"] == ("complete" if not remaining else "incomplete")
    flags = client.get(f"/api/inspections/{inspection_uuid}", headers=headers).get_json()["flags"]
    assert not [f for f in flags if f["code"] in ("photo_not_fresh", "photo_off_site", "reused_photo")]


def test_same_photo_again_is_a_replay(app, client, headers, failed, site):
    inspection_uuid, photo_ids, _ = failed
    data = fresh_jpeg(site)
    assert put(client, headers, inspection_uuid, photo_ids[0], data).status_code == 201
    files = len(photo_files(app))
    again = put(client, headers, inspection_uuid, photo_ids[0], data)
    assert again.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 1
    assert len(photo_files(app)) == files


def test_different_bytes_for_a_stored_photo_conflict(client, headers, failed, site):
    inspection_uuid, photo_ids, _ = failed
    put(client, headers, inspection_uuid, photo_ids[0], fresh_jpeg(site))
    response = put(client, headers, inspection_uuid, photo_ids[0], fresh_jpeg(site, orientation=3))
    assert response.status_code == 409
    assert response.get_json()["code"] == "photo_conflict"


def test_undeclared_photo_id_is_refused(client, headers, failed, site):
    inspection_uuid, _, _ = failed
    response = put(client, headers, inspection_uuid, "8c1f3f1e-0000-4000-8000-000000000000", fresh_jpeg(site))
    assert response.status_code == 404
    assert response.get_json()["code"] == "photo_not_declared"


@pytest.mark.parametrize("data, status, code", [
    (images.renamed_pdf(), 415, "unsupported_image"),
    (b"just text", 415, "unsupported_image"),
    (images.truncated_jpeg(), 422, "image_corrupt"),
    (images.png_declaring(30000, 30000), 422, "image_too_many_pixels"),
], ids=["renamed_pdf", "text", "truncated_jpeg", "png_30000x30000"])
def test_bad_images_are_refused_and_nothing_stored(app, client, headers, failed, data, status, code):
    inspection_uuid, photo_ids, _ = failed
    before = photo_files(app)
    response = put(client, headers, inspection_uuid, photo_ids[0], data)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["code"] == code
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 0
    assert photo_files(app) == before


def test_oversized_upload_names_the_limit(app, client, headers, failed, site):
    inspection_uuid, photo_ids, _ = failed
    app.config["MAX_PHOTO_BYTES"] = 1024 * 1024
    try:
        response = put(client, headers, inspection_uuid, photo_ids[0], b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024))
    finally:
        app.config["MAX_PHOTO_BYTES"] = 25 * 1024 * 1024
    assert response.status_code == 413
    assert response.get_json()["code"] == "photo_too_large"
    assert "1 MB" in response.get_json()["message"]


@pytest.mark.parametrize("format_name", ["png", "webp", "heic"])
def test_other_formats_are_accepted(client, headers, failed, site, format_name):
    inspection_uuid, photo_ids, _ = failed
    data = getattr(images, format_name)()
    response = put(client, headers, inspection_uuid, photo_ids[0], data)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["photo"]["format"] == format_name


def test_storage_failure_mid_upload_leaves_nothing(app, client, headers, failed, site, monkeypatch):
    inspection_uuid, photo_ids, _ = failed
    calls = {"n": 0}
    original_put = LocalDiskStorage.put

    def failing_put(self, key, data):
        calls["n"] += 1
        if calls["n"] == 2:  # the original is written, the display image fails
            raise StorageError("disk full")
        return original_put(self, key, data)

    monkeypatch.setattr(LocalDiskStorage, "put", failing_put)
    before = photo_files(app)
    response = put(client, headers, inspection_uuid, photo_ids[0], fresh_jpeg(site))
    assert response.status_code == 503
    assert response.get_json()["code"] == "storage_unavailable"
    assert photo_files(app) == before
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 0
    monkeypatch.setattr(LocalDiskStorage, "put", original_put)
    assert put(client, headers, inspection_uuid, photo_ids[0], fresh_jpeg(site)).status_code == 201


def test_database_failure_after_files_written_removes_them(app, client, headers, failed, site, monkeypatch):
    inspection_uuid, photo_ids, _ = failed
    from inspect_app.evidence import operations

    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(operations, "_add_photo_flags", explode)
    before = photo_files(app)
    response = put(client, headers, inspection_uuid, photo_ids[0], fresh_jpeg(site))
    assert response.status_code == 500
    db.session.rollback()
    assert photo_files(app) == before


def test_old_gallery_photo_is_flagged_not_fresh(client, headers, failed, site):
    inspection_uuid, photo_ids, _ = failed
    stale = fresh_jpeg(site, taken_at=datetime(2026, 10, 1, 9, 0))
    assert put(client, headers, inspection_uuid, photo_ids[0], stale).status_code == 201
    flags = client.get(f"/api/inspections/{inspection_uuid}", headers=headers).get_json()["flags"]
    assert [f["photo_id"] for f in flags if f["code"] == "photo_not_fresh"] == [photo_ids[0]]


def test_photo_taken_elsewhere_is_flagged(client, headers, failed, site):
    inspection_uuid, photo_ids, _ = failed
    assert put(client, headers, inspection_uuid, photo_ids[0], fresh_jpeg(site, lat=site.lat + 0.05)).status_code == 201
    flags = client.get(f"/api/inspections/{inspection_uuid}", headers=headers).get_json()["flags"]
    assert "photo_off_site" in [f["code"] for f in flags]


def test_photo_reused_in_another_inspection_is_flagged(client, headers, failed, site):
    inspection_uuid, photo_ids, key = failed
    data = fresh_jpeg(site)
    put(client, headers, inspection_uuid, photo_ids[0], data)
    form = site_form(client, headers)
    second = submission(form, site, outcomes={key: "fail"}, started_at=WINTER_MORNING + timedelta(minutes=1))
    client.post("/api/inspections", json=second, headers=headers)
    second_photo = next(i["photo_ids"] for i in second["items"] if i["key"] == key)[0]
    assert put(client, headers, second["uuid"], second_photo, data).status_code == 201
    flags = client.get(f"/api/inspections/{second['uuid']}", headers=headers).get_json()["flags"]
    assert "reused_photo" in [f["code"] for f in flags]


def test_photos_are_served_only_to_those_who_may_see_them(client, auth, headers, failed, site):
    inspection_uuid, photo_ids, _ = failed
    put(client, headers, inspection_uuid, photo_ids[0], fresh_jpeg(site))
    for variant in ("original", "display", "thumb"):
        response = client.get(f"/api/photos/{photo_ids[0]}/{variant}", headers=headers)
        assert response.status_code == 200
        assert response.data[:3] == b"\xff\xd8\xff"
    assert client.get(f"/api/photos/{photo_ids[0]}/thumb").status_code == 401
    stranger = auth.as_role("inspector", units=("xinhuaxilu",))
    assert client.get(f"/api/photos/{photo_ids[0]}/display", headers=stranger).status_code == 404
    other_unit = auth.as_role("supervisor", units=("youyouban",))
    assert client.get(f"/api/photos/{photo_ids[0]}/display", headers=other_unit).status_code == 404
    own_unit = auth.as_role("supervisor", units=("xinhuaxilu",))
    assert client.get(f"/api/photos/{photo_ids[0]}/display", headers=own_unit).status_code == 200


def test_only_the_submitting_inspector_uploads(client, auth, failed, site):
    inspection_uuid, photo_ids, _ = failed
    supervisor = auth.as_role("supervisor", units=("xinhuaxilu",))
    assert put(client, supervisor, inspection_uuid, photo_ids[0], fresh_jpeg(site)).status_code == 403
    other = auth.as_role("inspector", units=("xinhuaxilu",))
    assert put(client, other, inspection_uuid, photo_ids[0], fresh_jpeg(site)).status_code == 404

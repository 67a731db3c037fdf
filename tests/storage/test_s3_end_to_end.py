"""An inspection's photos with ``PHOTO_STORAGE=s3``: uploaded through the API into the bucket, read
back through a presigned redirect issued only after the permission check, and a store that is down
answers 503 with nothing half-stored."""
from __future__ import annotations

import hashlib
import urllib.request

import pytest
from sqlalchemy import func, select

from inspect_app.core.storage_s3 import S3Storage
from inspect_app.core.timeutil import utcnow
from inspect_app.evidence.models import Photo
from inspect_app.exports.links import LinkSigner
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from tests import factories
from tests.evidence.uploads import fresh_jpeg, new_ids, put, submit_with_photos
from tests.storage.s3server import free_port


@pytest.fixture
def site():
    return factories.create_site("xinhuaxilu", phase="earthwork")


@pytest.fixture
def inspector(auth, checklists):
    return auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))


@pytest.fixture
def bucket(s3_store, use_storage):
    return use_storage(s3_store, PHOTO_STORAGE="s3", S3_PRESIGNED_READS=True, S3_PRESIGN_SECONDS=60)


@pytest.fixture
def uploaded(client, inspector, site, bucket):
    """One photo of a failed item, uploaded into the bucket: (inspection uuid, photo uuid, bytes)."""
    (photo_id,) = new_ids(1)
    inspection_uuid = submit_with_photos(client, inspector, site, [photo_id])["uuid"]
    data = fresh_jpeg(site)
    response = put(client, inspector, inspection_uuid, photo_id, data)
    assert response.status_code == 201, response.get_json()
    return inspection_uuid, photo_id, data


def _follow(location: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(location, timeout=10) as answer:
        return answer.read(), answer.headers["Content-Type"]


def test_an_uploaded_photo_lands_in_the_bucket_with_its_derivatives(bucket, uploaded):
    _, photo_id, data = uploaded
    photo = db.session.scalar(select(Photo).where(Photo.uuid == photo_id))
    stored = {item.key for item in bucket.list_objects("p/")}
    assert stored == {photo.original_key, photo.display_key, photo.thumb_key}
    assert hashlib.sha256(bucket.get(photo.original_key)).hexdigest() == photo.sha256 == \
        hashlib.sha256(data).hexdigest()


def test_a_permitted_reader_is_redirected_to_a_short_lived_url_that_serves_the_bytes(client, auth, uploaded):
    _, photo_id, data = uploaded
    supervisor = auth.headers(factories.create_user("supervisor", units=("xinhuaxilu",)))
    response = client.get(f"/api/photos/{photo_id}/original", headers=supervisor)
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "private, no-store"
    location = response.headers["Location"]
    assert "X-Amz-Expires=60" in location and "response-content-type=image%2Fjpeg" in location
    assert _follow(location) == (data, "image/jpeg")
    display = client.get(f"/api/photos/{photo_id}/display", headers=supervisor)
    body, mimetype = _follow(display.headers["Location"])
    assert mimetype == "image/jpeg" and body.startswith(b"\xff\xd8\xff") and body != data


def test_no_url_is_issued_to_a_reader_the_app_refuses(client, auth, uploaded):
    _, photo_id, _ = uploaded
    outsider = auth.headers(factories.create_user("supervisor", units=("guangminglu",)))
    response = client.get(f"/api/photos/{photo_id}/original", headers=outsider)
    assert response.status_code == 404 and "Location" not in response.headers
    anonymous = client.get(f"/api/photos/{photo_id}/original")
    assert anonymous.status_code == 401 and "Location" not in anonymous.headers


def test_with_presigned_reads_off_the_app_streams_from_the_bucket(client, inspector, uploaded, monkeypatch, app):
    _, photo_id, data = uploaded
    monkeypatch.setitem(app.config, "S3_PRESIGNED_READS", False)
    response = client.get(f"/api/photos/{photo_id}/original", headers=inspector)
    assert response.status_code == 200 and response.data == data
    assert response.headers["Cache-Control"] == "private, max-age=86400, immutable"


def test_an_export_link_redirects_only_after_its_token_is_checked(client, uploaded):
    inspection_uuid, photo_id, _ = uploaded
    inspection_id = db.session.scalar(select(Inspection.id).where(Inspection.uuid == inspection_uuid))
    url = LinkSigner("test-secret", int(utcnow().timestamp()), "").url(inspection_id, photo_id)
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Referrer-Policy"] == "no-referrer"
    body, mimetype = _follow(response.headers["Location"])
    assert mimetype == "image/jpeg" and body.startswith(b"\xff\xd8\xff")
    tampered = client.get(url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB"))
    assert tampered.status_code == 404 and "Location" not in tampered.headers


def test_a_store_that_is_down_answers_503_and_stores_nothing(client, inspector, site, use_storage, s3_endpoint):
    use_storage(S3Storage("photos-down", endpoint_url=f"http://127.0.0.1:{free_port()}", region="us-east-1",
                          addressing_style="path", max_attempts=1), S3_PRESIGNED_READS=True)
    (photo_id,) = new_ids(1)
    inspection_uuid = submit_with_photos(client, inspector, site, [photo_id])["uuid"]
    response = put(client, inspector, inspection_uuid, photo_id, fresh_jpeg(site))
    assert response.status_code == 503
    assert response.get_json()["code"] == "storage_unavailable"
    assert "存储" in response.get_json()["message"]
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 0


def test_a_read_the_store_refuses_is_503_in_words_not_a_500(client, inspector, uploaded, bucket, monkeypatch, app):
    _, photo_id, _ = uploaded
    monkeypatch.setitem(app.config, "S3_PRESIGNED_READS", False)
    for item in list(bucket.list_objects("p/")):
        bucket.delete(item.key)
    response = client.get(f"/api/photos/{photo_id}/thumb", headers={**inspector, "Accept-Language": "en"})
    assert response.status_code == 503
    assert response.get_json()["code"] == "storage_unavailable"
    assert "storage" in response.get_json()["message"]


def test_the_sweep_removes_orphans_from_the_bucket_and_keeps_referenced_objects(runner, bucket, uploaded):
    from datetime import timedelta

    from inspect_app.core.storage import new_key
    from inspect_app.evidence.operations import sweep_orphan_files

    _, photo_id, _ = uploaded
    photo = db.session.scalar(select(Photo).where(Photo.uuid == photo_id))
    orphan = new_key("p")
    bucket.put(orphan, b"bytes of a photo whose row never came")
    # Bucket objects cannot be back-dated: look from two hours ahead instead.
    report = sweep_orphan_files(older_than=timedelta(hours=1), now=utcnow() + timedelta(hours=2))
    db.session.commit()
    assert (report.scanned, report.referenced, report.orphans) == (4, 3, 1)
    assert {item.key for item in bucket.list_objects()} == {photo.original_key, photo.display_key,
                                                            photo.thumb_key}
    young = new_key("p")
    bucket.put(young, b"an upload in flight")
    assert sweep_orphan_files(older_than=timedelta(hours=1)).too_young == 4
    assert bucket.exists(young)


def _csp_sources(response, directive: str) -> set[str]:
    for part in response.headers["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        if name == directive:
            return set(sources)
    return set()


def test_the_app_may_fetch_from_the_bucket_origin_and_nowhere_else(client, bucket, s3_endpoint, monkeypatch, app):
    page = client.get("/app/")
    assert s3_endpoint in _csp_sources(page, "connect-src") and s3_endpoint in _csp_sources(page, "img-src")
    assert _csp_sources(page, "script-src") == {"'self'"}
    assert s3_endpoint not in client.get("/api/health").headers["Content-Security-Policy"]
    monkeypatch.setitem(app.config, "S3_PRESIGNED_READS", False)
    assert _csp_sources(client.get("/app/"), "connect-src") == {"'self'"}


def test_photo_storage_s3_in_the_settings_builds_the_bucket_backend(tmp_path, s3_endpoint):
    from tests.core.scratch import scratch_app

    with scratch_app(tmp_path, PHOTO_STORAGE="s3", S3_BUCKET="photos-configured", S3_ENDPOINT_URL=s3_endpoint,
                     S3_REGION="us-east-1", S3_ADDRESSING_STYLE="path") as configured:
        storage = configured.extensions["photo_storage"]
        assert isinstance(storage, S3Storage) and storage.bucket == "photos-configured"
        assert storage.presigned_url("p/00/x").startswith(f"{s3_endpoint}/photos-configured/p/00/x?")

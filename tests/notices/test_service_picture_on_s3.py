"""送达 pictures with PHOTO_STORAGE=s3: the signature lands in the bucket under ``s/`` and the desk reads it
back through a presigned redirect issued only to users who may see the notice."""
from __future__ import annotations

import urllib.request

import pytest

from inspect_app.core.storage_s3 import S3Storage
from tests import factories
from tests.notices.test_service import inspection, notice, serve, signature_png, signed, upload  # noqa: F401
from tests.storage.s3server import new_bucket, s3_endpoint  # noqa: F401


@pytest.fixture
def bucket(app, s3_endpoint, monkeypatch):  # noqa: F811
    storage = S3Storage(new_bucket(s3_endpoint), endpoint_url=s3_endpoint, region="us-east-1",
                        addressing_style="path")
    monkeypatch.setitem(app.extensions, "photo_storage", storage)
    monkeypatch.setitem(app.config, "S3_PRESIGNED_READS", True)
    return storage


def test_a_signature_in_the_bucket_is_read_through_a_presigned_redirect(client, auth, headers, inspection,  # noqa: F811
                                                                        notice, bucket):  # noqa: F811
    body = signed()
    serve(client, headers, inspection["uuid"], body)
    data = signature_png()
    assert upload(client, headers, body["uuid"], data).status_code == 201
    assert {item.key.split("/")[0] for item in bucket.list_objects()} == {"s"}
    response = client.get(f"/api/notices/{notice.id}/service/evidence", headers=headers)
    assert response.status_code == 302
    with urllib.request.urlopen(response.headers["Location"], timeout=10) as answer:
        assert answer.read() == data and answer.headers["Content-Type"] == "image/png"
    outsider = auth.headers(factories.create_user("supervisor", units=("guangminglu",)))
    refused = client.get(f"/api/notices/{notice.id}/service/evidence", headers=outsider)
    assert refused.status_code == 404 and "Location" not in refused.headers

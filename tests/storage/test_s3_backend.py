"""What only the S3 backend has to prove: bytes damaged on the way are refused, an unreachable store
is a StorageError (a 503 upstream), listings and presigned reads work against a real S3 server."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from inspect_app.core.storage import StorageError, new_key
from inspect_app.core.storage_s3 import S3Storage, content_type
from tests.storage.s3server import free_port


def _corrupt_puts(store: S3Storage) -> None:
    """Flip the body of every PutObject after the checksums were computed: damage in transit."""
    def flip(request, **kwargs):
        data = request.data
        body = data if isinstance(data, bytes) else data.read()
        request.data = bytes([body[0] ^ 0xFF]) + body[1:]

    store.client.meta.events.register("before-sign.s3.PutObject", flip)


def test_bytes_damaged_on_the_way_are_refused_and_not_left_in_the_bucket(s3_store):
    _corrupt_puts(s3_store)
    key = new_key()
    with pytest.raises(StorageError, match="other bytes"):
        s3_store.put(key, b"\xff\xd8\xff" + b"photo" * 100)
    assert not s3_store.exists(key)
    assert list(s3_store.list_objects()) == []


def test_an_unreachable_store_is_a_storage_error_for_every_operation(s3_endpoint):
    down = S3Storage("photos-down", endpoint_url=f"http://127.0.0.1:{free_port()}", region="us-east-1",
                     addressing_style="path", max_attempts=1)
    key = new_key()
    for operation in (lambda: down.put(key, b"x"), lambda: down.get(key), lambda: down.delete(key),
                      lambda: down.exists(key), lambda: list(down.list_objects("p/"))):
        with pytest.raises(StorageError):
            operation()


def test_a_missing_bucket_is_a_storage_error(s3_endpoint):
    missing = S3Storage("photos-never-created", endpoint_url=s3_endpoint, region="us-east-1",
                        addressing_style="path")
    with pytest.raises(StorageError):
        missing.put(new_key(), b"x")


def test_objects_carry_the_content_type_of_their_bytes(s3_store):
    jpeg, png, other = new_key(), new_key(), new_key()
    s3_store.put(jpeg, b"\xff\xd8\xff\xe0rest")
    s3_store.put(png, b"\x89PNG\r\n\x1a\nrest")
    s3_store.put(other, b"plain")
    heads = {key: s3_store.client.head_object(Bucket=s3_store.bucket, Key=key)["ContentType"]
             for key in (jpeg, png, other)}
    assert heads == {jpeg: "image/jpeg", png: "image/png", other: "application/octet-stream"}
    assert content_type(b"\x00\x00\x00\x18ftypheic") == "image/heic"


def test_a_presigned_url_reads_the_object_without_credentials(s3_store):
    key = new_key()
    s3_store.put(key, b"\xff\xd8\xff photo")
    url = s3_store.presigned_url(key, content_type="image/jpeg", expires_seconds=30)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=30" in url
    with urllib.request.urlopen(url, timeout=10) as answer:
        assert answer.read() == b"\xff\xd8\xff photo"
    tampered = url.replace(key, new_key())
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(tampered, timeout=10)


def test_presigned_urls_point_at_the_public_address_when_one_is_set(s3_endpoint):
    store = S3Storage("photos-public", endpoint_url=s3_endpoint, region="us-east-1", addressing_style="path",
                      public_endpoint_url="https://files.example.cn")
    assert store.presigned_url(new_key()).startswith("https://files.example.cn/photos-public/p/")
    assert store.read_origin == "https://files.example.cn"


def test_a_listing_prefix_that_escapes_is_refused(s3_store):
    with pytest.raises(StorageError):
        list(s3_store.list_objects("../"))


def test_photo_storage_s3_without_a_bucket_refuses_to_start():
    from flask import Flask

    from inspect_app.core.storage import init_storage

    app = Flask("x")
    app.config.update(PHOTO_STORAGE="s3", PHOTO_DIR="/tmp/unused", S3_BUCKET="")
    with pytest.raises(RuntimeError, match="S3_BUCKET"):
        init_storage(app)


@pytest.mark.parametrize("seconds", [0, -5, 7 * 24 * 3600 + 1])
def test_a_presign_lifetime_s3_would_refuse_stops_the_start(seconds):
    from flask import Flask

    from inspect_app.core.storage import init_storage

    app = Flask("x")
    app.config.update(PHOTO_STORAGE="local", PHOTO_DIR="/tmp/unused", S3_PRESIGN_SECONDS=seconds)
    with pytest.raises(RuntimeError, match="S3_PRESIGN_SECONDS"):
        init_storage(app)

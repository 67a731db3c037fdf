"""One storage contract, run against local disk and against a real S3-API server (moto's, in its own
process): every caller of ``get_storage()`` may rely on exactly these behaviours on either backend."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from inspect_app.core.storage import StorageError, new_key, stage_new_key
from inspect_app.extensions import db


def test_put_get_exists_delete_round_trip(store):
    key = new_key()
    assert not store.exists(key)
    store.put(key, b"\xff\xd8\xffjpeg-bytes")
    assert store.exists(key)
    assert store.get(key) == b"\xff\xd8\xffjpeg-bytes"
    store.delete(key)
    assert not store.exists(key)


def test_put_replaces_existing_content(store):
    key = new_key()
    store.put(key, b"first")
    store.put(key, b"second")
    assert store.get(key) == b"second"


def test_empty_and_binary_content_round_trip_byte_for_byte(store):
    blob = bytes(range(256)) * 300
    for data in (b"", blob):
        key = new_key()
        store.put(key, data)
        assert store.get(key) == data


def test_deleting_a_missing_key_is_not_an_error(store):
    store.delete(new_key())


def test_reading_a_missing_key_raises_storage_error(store):
    with pytest.raises(StorageError):
        store.get(new_key())


def test_a_missing_key_does_not_exist(store):
    assert store.exists(new_key()) is False


def test_content_matching_its_sha256_is_stored(store):
    key, data = new_key(), b"photo bytes"
    store.put(key, data, sha256=hashlib.sha256(data).hexdigest())
    assert store.get(key) == data


def test_content_not_matching_its_sha256_is_refused_and_nothing_is_stored(store):
    key = new_key()
    with pytest.raises(StorageError):
        store.put(key, b"photo bytes", sha256=hashlib.sha256(b"other bytes").hexdigest())
    assert not store.exists(key)
    assert list(store.list_objects("p/")) == []


@pytest.mark.parametrize("key", ["../outside.jpg", "p/../../outside.jpg", "/etc/passwd", "", ".",
                                 "p/ab/../../..", "p//double", "p/ab/\nnewline"])
def test_keys_escaping_the_root_or_malformed_are_refused(store, key):
    for operation in (lambda: store.put(key, b"x"), lambda: store.get(key),
                      lambda: store.delete(key), lambda: store.exists(key)):
        with pytest.raises(StorageError):
            operation()
    assert list(store.list_objects()) == []


def test_listing_a_prefix_gives_key_size_and_an_aware_utc_time(store):
    before = datetime.now(timezone.utc) - timedelta(seconds=5)
    photos = {new_key("p"): b"a" * 10, new_key("p"): b"b" * 20}
    other = new_key("s")
    for key, data in photos.items():
        store.put(key, data)
    store.put(other, b"signature")
    listed = {stored.key: stored for stored in store.list_objects("p/")}
    assert {key: stored.size for key, stored in listed.items()} == {k: len(v) for k, v in photos.items()}
    for stored in listed.values():
        assert stored.modified_at.tzinfo is not None
        assert before <= stored.modified_at <= datetime.now(timezone.utc) + timedelta(seconds=5)
    assert {stored.key for stored in store.list_objects()} == set(photos) | {other}
    assert list(store.list_objects("q/")) == []


def test_listing_goes_through_every_page(s3_store):
    """Buckets answer at most 1,000 keys a request: the listing follows the continuation tokens."""
    s3_store.list_page_size = 2
    keys = {new_key("p") for _ in range(5)}
    for key in keys:
        s3_store.put(key, b"x")
    assert {stored.key for stored in s3_store.list_objects("p/")} == keys


def test_rollback_deletes_keys_staged_in_the_transaction_and_commit_keeps_them(store):
    kept, dropped = new_key(), new_key()
    store.put(kept, b"committed")
    stage_new_key(db.session, store, kept)
    db.session.commit()
    db.session.execute(sa.select(1))  # a request has always read (its user) before it writes
    store.put(dropped, b"rolled back")
    stage_new_key(db.session, store, dropped)
    db.session.rollback()
    assert store.exists(kept)
    assert not store.exists(dropped)


def test_presigned_reads_are_offered_only_by_a_backend_that_has_urls(store):
    key = new_key()
    store.put(key, b"x")
    url = store.presigned_url(key, content_type="image/jpeg", expires_seconds=60)
    assert (url is None) == (store.__class__.__name__ == "LocalDiskStorage")

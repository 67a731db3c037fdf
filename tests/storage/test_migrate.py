"""``flask photos migrate --to s3``: an existing local store copied into the bucket, every copy's hash
checked, resumable after an interruption, with progress and a summary."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from inspect_app.core import storage_copy
from inspect_app.core.models import AuditEvent
from inspect_app.core.storage import LocalDiskStorage, new_key
from inspect_app.core.storage_s3 import S3Storage
from inspect_app.extensions import db


@pytest.fixture
def local(app, tmp_path, monkeypatch):
    """A local store of its own with photos, 送达 pictures and an interrupted write's temp file."""
    root = tmp_path / "photos"
    monkeypatch.setitem(app.config, "PHOTO_DIR", str(root))
    store = LocalDiskStorage(root)
    files = {new_key("p"): f"photo {n}".encode() * (n + 1) for n in range(7)}
    files[new_key("s")] = b"\x89PNG\r\n\x1a\n signature"
    for key, data in files.items():
        store.put(key, data)
    (root / "p" / ".part-interrupted").write_bytes(b"half a file")
    return files


@pytest.fixture
def bucket(app, s3_store, monkeypatch):
    """The settings point at a fresh bucket; returns a client of it to look inside."""
    for name, value in {"S3_BUCKET": s3_store.bucket, "S3_ENDPOINT_URL": s3_store.client.meta.endpoint_url,
                        "S3_REGION": "us-east-1", "S3_ADDRESSING_STYLE": "path"}.items():
        monkeypatch.setitem(app.config, name, value)
    return s3_store


def _contents(store) -> dict[str, bytes]:
    return {stored.key: store.get(stored.key) for stored in store.list_objects()}


def test_every_file_is_copied_with_its_bytes_and_the_summary_says_so(runner, local, bucket, monkeypatch):
    monkeypatch.setattr(storage_copy, "PROGRESS_EVERY", 3)
    result = runner.invoke(args=["photos", "migrate", "--to", "s3"], env={"LANG": "C"})
    assert result.exit_code == 0, result.output
    assert _contents(bucket) == local
    assert "迁移完成" in result.output and "9 个文件" in result.output and "8 个" in result.output
    assert "已处理 3/9" in result.output and "已处理 6/9" in result.output  # progress
    for key, data in local.items():
        assert bucket.stored_sha256(key) == hashlib.sha256(data).hexdigest()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "photos.migrate"))
    assert event.after == {"to": "s3", "total": 9, "copied": 8, "bytes": sum(map(len, local.values())),
                           "skipped": 0}


def test_an_interrupted_migration_resumes_where_it_stopped(runner, local, bucket, monkeypatch):
    real_put, puts = S3Storage.put, []

    def put_then_fail(self, key, data, **kwargs):
        if len(puts) == 3:
            raise storage_copy.StorageError("connection reset by peer")
        puts.append(key)
        return real_put(self, key, data, **kwargs)

    monkeypatch.setattr(S3Storage, "put", put_then_fail)
    first = runner.invoke(args=["photos", "migrate", "--to", "s3"])
    assert first.exit_code == 1
    assert "connection reset by peer" in first.output and "再次运行" in first.output
    assert set(_contents(bucket)) == set(puts) and len(puts) == 3
    monkeypatch.setattr(S3Storage, "put", real_put)
    calls = []
    monkeypatch.setattr(S3Storage, "put", lambda self, key, data, **kw: (calls.append(key), real_put(self, key, data, **kw)))
    second = runner.invoke(args=["photos", "migrate", "--to", "s3"])
    assert second.exit_code == 0, second.output
    assert _contents(bucket) == local
    assert set(calls) == set(local) - set(puts)  # the three already there were skipped, not sent again
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "photos.migrate")
                                .order_by(AuditEvent.id)).all()
    assert [e.after.get("interrupted_at") is not None for e in events] == [True, False]
    assert (events[1].after["copied"], events[1].after["skipped"]) == (5, 3)


def test_a_key_in_the_bucket_with_other_bytes_is_written_again(runner, local, bucket):
    key = next(iter(local))
    bucket.put(key, b"x" * len(local[key]))  # same size, other content
    assert runner.invoke(args=["photos", "migrate", "--to", "s3"]).exit_code == 0
    assert bucket.get(key) == local[key]


def test_a_copy_that_reads_back_wrong_is_removed_and_stops_the_run(runner, local, bucket, monkeypatch):
    monkeypatch.setattr(S3Storage, "get", lambda self, key: b"damaged")
    result = runner.invoke(args=["photos", "migrate", "--to", "s3"])
    assert result.exit_code == 1
    assert "SHA-256" in result.output
    assert list(bucket.list_objects()) == []


def test_running_it_again_copies_nothing(runner, local, bucket):
    assert runner.invoke(args=["photos", "migrate", "--to", "s3"]).exit_code == 0
    again = runner.invoke(args=["photos", "migrate", "--to", "s3"])
    assert again.exit_code == 0
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "photos.migrate")
                               .order_by(AuditEvent.id.desc())).first()
    assert (event.after["copied"], event.after["skipped"]) == (0, 8)


def test_only_s3_is_a_target(runner):
    result = runner.invoke(args=["photos", "migrate", "--to", "ftp"])
    assert result.exit_code == 2

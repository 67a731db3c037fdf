"""With ``PHOTO_STORAGE=s3`` a backup lists the bucket's objects (size and SHA-256) without copying them;
a restore checks that the bucket still holds every one before loading the database."""
from __future__ import annotations

import json

import pytest

from inspect_app.core.storage import get_storage
from tests.backups.test_backup_restore import _invoke, _record_history, _snapshot
from tests.storage.s3server import new_bucket, s3_endpoint  # noqa: F401  (the session's S3 server)


@pytest.fixture
def bucket_config(s3_endpoint):  # noqa: F811
    return {"PHOTO_STORAGE": "s3", "S3_BUCKET": new_bucket(s3_endpoint), "S3_ENDPOINT_URL": s3_endpoint,
            "S3_REGION": "us-east-1", "S3_ADDRESSING_STYLE": "path", "S3_PRESIGNED_READS": False}


def test_a_bucket_is_listed_with_hashes_and_checked_on_restore(new_instance, bucket_config, tmp_path):
    source = new_instance("source", **bucket_config)
    before = _record_history(source)
    directory = tmp_path / "backup"
    result = _invoke(source, "backup", "create", str(directory))
    assert result.exit_code == 0, result.output
    assert "不复制" in result.output
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["storage"] == {"backend": "s3", "objects_copied": False,
                                   "note": "listed only: the bucket keeps its own versions and backups"}
    assert {entry["key"]: entry["sha256"] for entry in manifest["objects"]} == before["objects"]
    assert not (directory / "objects").exists()

    fresh = new_instance("restored", migrate=False, **bucket_config)
    with fresh.app_context():
        storage = get_storage()
        missing = manifest["objects"][0]["key"]
        kept = storage.get(missing)
        storage.delete(missing)
    result = _invoke(fresh, "backup", "restore", str(directory))
    assert result.exit_code == 1 and "不在存储桶中" in result.output and missing in result.output
    with fresh.app_context():
        get_storage().put(missing, kept)
    result = _invoke(fresh, "backup", "restore", str(directory))
    assert result.exit_code == 0, result.output
    with fresh.app_context():
        after = _snapshot()
    assert after["photos"] == before["photos"] and after["inspections"] == before["inspections"]

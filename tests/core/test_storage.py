"""Photo storage: evidence photos are written whole or not at all, under random keys that no
client can steer outside the photo directory."""
from __future__ import annotations

import os
import re

import pytest

from inspect_app.core import storage as storage_module
from inspect_app.core.storage import LocalDiskStorage, StorageError, get_storage, init_storage, new_key


@pytest.fixture
def store(tmp_path):
    return LocalDiskStorage(tmp_path / "photos")


def _leftovers(root) -> list[str]:
    return [name for _, _, files in os.walk(root) for name in files if name.startswith(".part-")]


def test_put_get_exists_delete_round_trip(store):
    key = new_key()
    assert not store.exists(key)
    store.put(key, b"\xff\xd8jpeg-bytes")
    assert store.exists(key)
    assert store.get(key) == b"\xff\xd8jpeg-bytes"
    store.delete(key)
    assert not store.exists(key)


def test_put_replaces_existing_content(store):
    key = new_key()
    store.put(key, b"first")
    store.put(key, b"second")
    assert store.get(key) == b"second"


def test_deleting_a_missing_key_is_not_an_error(store):
    store.delete(new_key())


def test_reading_a_missing_key_raises_storage_error(store):
    with pytest.raises(StorageError):
        store.get(new_key())


def test_failed_write_leaves_no_partial_file(store, monkeypatch):
    """A crash mid-write (disk full, fsync error) must not leave a half photo or a temp file."""
    key = new_key()

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage_module.os, "fsync", failing_fsync)
    with pytest.raises(StorageError):
        store.put(key, b"x" * 10_000)
    assert not store.exists(key)
    assert _leftovers(store.root) == []


def test_failed_write_keeps_the_previous_photo_intact(store, monkeypatch):
    key = new_key()
    store.put(key, b"original")

    def failing_replace(src, dst):
        raise OSError(5, "I/O error")

    monkeypatch.setattr(storage_module.os, "replace", failing_replace)
    with pytest.raises(StorageError):
        store.put(key, b"replacement")
    monkeypatch.undo()
    assert store.get(key) == b"original"
    assert _leftovers(store.root) == []


def test_write_interrupted_by_non_os_error_also_cleans_up(store, monkeypatch):
    key = new_key()

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(storage_module.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        store.put(key, b"data")
    assert _leftovers(store.root) == []
    assert not store.exists(key)


@pytest.mark.parametrize("key", [
    "../outside.jpg",
    "p/../../outside.jpg",
    "/etc/passwd",
    "",
    ".",
    "p/ab/../../..",
])
def test_keys_escaping_the_root_are_refused(store, tmp_path, key):
    for operation in (lambda: store.put(key, b"x"), lambda: store.get(key),
                      lambda: store.delete(key), lambda: store.exists(key)):
        with pytest.raises(StorageError):
            operation()
    assert not (tmp_path / "outside.jpg").exists()


def test_symlink_out_of_the_root_is_refused(store, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    store.root.mkdir(parents=True, exist_ok=True)
    (store.root / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(StorageError):
        store.put("link/evil.jpg", b"x")
    assert list(outside.iterdir()) == []


def test_new_key_is_random_sharded_and_contains_nothing_from_the_client():
    keys = {new_key() for _ in range(2000)}
    assert len(keys) == 2000
    for key in list(keys)[:50]:
        match = re.fullmatch(r"p/([0-9a-f]{2})/([0-9a-f]{32})", key)
        assert match, key
        assert match.group(2).startswith(match.group(1))
    assert re.fullmatch(r"ev/[0-9a-f]{2}/[0-9a-f]{32}", new_key("ev"))


def test_app_storage_writes_under_the_configured_photo_dir(app):
    storage = get_storage()
    key = new_key()
    storage.put(key, b"abc")
    try:
        assert (app.config["PHOTO_DIR"] and
                os.path.isfile(os.path.join(app.config["PHOTO_DIR"], key)))
    finally:
        storage.delete(key)


def test_unknown_storage_backend_refuses_to_start():
    from flask import Flask

    app = Flask("x")
    app.config.update(PHOTO_STORAGE="s3-not-yet", PHOTO_DIR="/tmp/unused")
    with pytest.raises(RuntimeError, match="PHOTO_STORAGE"):
        init_storage(app)

"""Local photo storage: evidence photos are written whole or not at all, under random keys that no
client can steer outside the photo directory. What every backend must do is tests/storage/test_contract.py."""
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


def test_keys_escaping_the_root_write_nothing_outside_it(store, tmp_path):
    """The refusals themselves are the contract suite's (tests/storage), for both backends."""
    for key in ("../outside.jpg", "p/../../outside.jpg"):
        with pytest.raises(StorageError):
            store.put(key, b"x")
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

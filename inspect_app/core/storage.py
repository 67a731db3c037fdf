"""Photo storage behind one interface. Local disk now; an object store later implements the same.

Keys are generated here (random, never a user-supplied name), so nothing a client sends ever
becomes part of a path.
"""
from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app


class StorageError(Exception):
    """The backing store failed; the caller must not leave a row pointing at the key."""


@dataclass(frozen=True)
class StoredObject:
    """One stored file as a listing sees it: its key, when it was last written, its size in bytes."""

    key: str
    modified_at: datetime  # aware UTC
    size: int


class PhotoStorage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def list_objects(self, prefix: str = "") -> Iterator[StoredObject]: ...


def new_key(prefix: str = "p") -> str:
    """A fresh random storage key, sharded into two-character directories."""
    token = secrets.token_hex(16)
    return f"{prefix}/{token[:2]}/{token}"


class LocalDiskStorage:
    """Files under one root directory, written atomically (temp file + rename)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise StorageError(f"storage key escapes the root: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        """Write all bytes or nothing: readers never see a half-written file."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".part-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise StorageError(str(exc)) from exc

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except OSError as exc:
            raise StorageError(str(exc)) from exc

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(str(exc)) from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list_objects(self, prefix: str = "") -> Iterator[StoredObject]:
        """Every file whose key starts with ``prefix`` (a directory, e.g. ``"p/"``), temp files of
        interrupted writes included; files that vanish while listing are skipped."""
        top = self._path(prefix) if prefix.strip("/") else self.root
        if not top.is_dir():
            return
        stack = [top]
        while stack:
            directory = stack.pop()
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        stat = entry.stat(follow_symlinks=False)
                        yield StoredObject(
                            key=Path(entry.path).relative_to(self.root).as_posix(),
                            modified_at=datetime.fromtimestamp(stat.st_mtime, timezone.utc),
                            size=stat.st_size,
                        )
                except OSError:
                    continue


def init_storage(app: Flask) -> None:
    """Create the configured storage backend once per app."""
    kind = app.config["PHOTO_STORAGE"]
    if kind != "local":
        raise RuntimeError(f"unknown PHOTO_STORAGE {kind!r}; supported: local")
    app.extensions["photo_storage"] = LocalDiskStorage(app.config["PHOTO_DIR"])
    from sqlalchemy.orm import Session

    install_session_hooks(Session)


def get_storage() -> PhotoStorage:
    """The current app's photo storage."""
    return current_app.extensions["photo_storage"]


# --- keeping storage and database in step -------------------------------------------------
# Files are written before the row that points at them is committed. Keys written in a
# transaction are remembered on the session; if the transaction rolls back, the files are
# deleted, so a failure anywhere leaves no stored file without its row.

_SESSION_KEYS = "new_storage_keys"


def stage_new_key(session, storage: PhotoStorage, key: str) -> None:
    """Remember a freshly written key so a rollback of ``session`` deletes the file."""
    session.info.setdefault(_SESSION_KEYS, []).append((storage, key))


def _forget_keys(session, transaction) -> None:
    # Only the end of the outermost transaction settles the files: a released SAVEPOINT is not
    # durable yet. On rollback, after_rollback has already deleted them by now.
    if transaction.parent is None:
        session.info.pop(_SESSION_KEYS, None)


def _delete_staged(session, previous_transaction=None) -> None:
    for storage, key in session.info.pop(_SESSION_KEYS, []):
        try:
            storage.delete(key)
        except StorageError:
            current_app.logger.exception("could not delete orphan photo file %s", key)


def install_session_hooks(session_class) -> None:
    """Wire the rollback/transaction-end hooks on the SQLAlchemy session class once."""
    from sqlalchemy import event

    if getattr(session_class, "_storage_hooks", False):
        return
    event.listen(session_class, "after_transaction_end", _forget_keys)
    event.listen(session_class, "after_rollback", _delete_staged)
    session_class._storage_hooks = True

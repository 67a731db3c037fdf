"""Photo storage behind one interface: local disk (the default) or an S3-compatible bucket
(``PHOTO_STORAGE=s3``, core/storage_s3.py). Originals, derivatives and 送达 pictures all go through it.

Keys are generated here (random, never a user-supplied name), so nothing a client sends ever
becomes part of a path. Reads go through :func:`stored_file_response`: streamed from disk, or a
short-lived presigned redirect to the bucket, issued only after the route's permission check.
"""
from __future__ import annotations

import hashlib
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from flask import Flask, Response, current_app, redirect

from inspect_app.core.i18n import register_messages


class StorageError(Exception):
    """The backing store failed; the caller must not leave a row pointing at the key."""


@dataclass(frozen=True)
class StoredObject:
    """One stored file as a listing sees it: its key, when it was last written, its size in bytes."""

    key: str
    modified_at: datetime  # aware UTC
    size: int


class PhotoStorage(Protocol):
    def put(self, key: str, data: bytes, *, sha256: str | None = None) -> None: ...
    def get(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def exists(self, key: str) -> bool: ...
    def list_objects(self, prefix: str = "") -> Iterator[StoredObject]: ...
    def presigned_url(self, key: str, *, content_type: str | None = None,
                      expires_seconds: int = 60) -> str | None: ...


register_messages({
    "storage_unavailable": ("文件存储暂时不可用，请稍后重试（已拍的照片仍保存在手机上）。",
                            "File storage is unavailable for the moment; please try again shortly "
                            "(photos already taken stay on the phone)."),
})


def check_key(key: str) -> None:
    """Refuse a key that is empty, absolute, or has empty, ``.`` or ``..`` segments (as disk would)."""
    if not isinstance(key, str) or not key or key.startswith("/") or "\\" in key \
            or any(part in ("", ".", "..") for part in key.split("/")) \
            or any(ord(char) < 32 for char in key):
        raise StorageError(f"not a storage key: {key!r}")


def check_sha256(key: str, data: bytes, sha256: str | None) -> None:
    """Refuse to store bytes that are not the ones the caller hashed."""
    if sha256 is not None and hashlib.sha256(data).hexdigest() != sha256:
        raise StorageError(f"content of {key!r} does not match its SHA-256")


def new_key(prefix: str = "p") -> str:
    """A fresh random storage key, sharded into two-character directories."""
    token = secrets.token_hex(16)
    return f"{prefix}/{token[:2]}/{token}"


class LocalDiskStorage:
    """Files under one root directory, written atomically (temp file + rename)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        check_key(key)  # the same keys as every backend accepts
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise StorageError(f"storage key escapes the root: {key!r}")
        return path

    def put(self, key: str, data: bytes, *, sha256: str | None = None) -> None:
        """Write all bytes or nothing: readers never see a half-written file."""
        path = self._path(key)
        check_sha256(key, data, sha256)
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

    def presigned_url(self, key: str, *, content_type: str | None = None, expires_seconds: int = 60) -> None:
        """Disk has no URL of its own: the app streams the bytes."""
        return None

    def list_objects(self, prefix: str = "") -> Iterator[StoredObject]:
        """Every file whose key starts with ``prefix`` (a directory, e.g. ``"p/"``), temp files of
        interrupted writes included; files that vanish while listing are skipped."""
        top = self._path(prefix.rstrip("/")) if prefix.strip("/") else self.root
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


# S3 refuses presigned URLs valid longer than seven days; under a second none would ever work.
PRESIGN_SECONDS_RANGE = (1, 7 * 24 * 3600)


def init_storage(app: Flask) -> None:
    """Create the configured storage backend once per app (no request to it yet)."""
    low, high = PRESIGN_SECONDS_RANGE
    if not low <= int(app.config.get("S3_PRESIGN_SECONDS", 60)) <= high:
        raise RuntimeError(f"S3_PRESIGN_SECONDS must be between {low} and {high} (seven days)")
    app.extensions["photo_storage"] = make_storage(app.config)
    app.register_error_handler(StorageError, _storage_unavailable)
    from sqlalchemy.orm import Session

    install_session_hooks(Session)


def make_storage(config, kind: str | None = None) -> PhotoStorage:
    """The backend ``kind`` (default ``PHOTO_STORAGE``) built from the settings in ``config``."""
    kind = kind or config["PHOTO_STORAGE"]
    if kind == "local":
        return LocalDiskStorage(config["PHOTO_DIR"])
    if kind == "s3":
        from inspect_app.core.storage_s3 import S3Storage  # boto3 is imported only when used

        return S3Storage(config.get("S3_BUCKET", ""), endpoint_url=config.get("S3_ENDPOINT_URL"),
                         region=config.get("S3_REGION"), public_endpoint_url=config.get("S3_PUBLIC_ENDPOINT_URL"),
                         addressing_style=config.get("S3_ADDRESSING_STYLE", "auto"))
    raise RuntimeError(f"unknown PHOTO_STORAGE {kind!r}; supported: local, s3")


def _storage_unavailable(exc: StorageError):
    """A read or write the store refused: a 503 in words (writes have rolled back by now)."""
    from inspect_app.core.errors import problem

    current_app.logger.error("photo storage failed: %s", exc)
    return problem(503, "storage_unavailable")


def get_storage() -> PhotoStorage:
    """The current app's photo storage."""
    return current_app.extensions["photo_storage"]


def stored_file_response(key: str, mimetype: str, *, cache_control: str, headers: dict | None = None) -> Response:
    """A stored file for a reader the route has already allowed.

    With ``S3_PRESIGNED_READS`` and a backend that can sign URLs, a 302 to a URL valid for
    ``S3_PRESIGN_SECONDS`` (the app worker streams nothing; the redirect itself is never cached, so
    no cache replays an expired URL); otherwise the bytes, with ``cache_control``.
    """
    storage = get_storage()
    config = current_app.config
    url = None
    if config.get("S3_PRESIGNED_READS"):
        url = storage.presigned_url(key, content_type=mimetype, expires_seconds=config["S3_PRESIGN_SECONDS"])
    if url:
        response = redirect(url, 302)
        response.headers["Cache-Control"] = "private, no-store"
    else:
        response = Response(storage.get(key), mimetype=mimetype)
        response.headers["Cache-Control"] = cache_control
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.update(headers or {})
    return response


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

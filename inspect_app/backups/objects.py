"""The stored-object half of a backup: every photo, derivative, 送达 picture and PDF in the storage.

Local disk: each object is copied into ``objects/<key>`` and its size and SHA-256 recorded. An S3
bucket is only listed (size and SHA-256): the bucket keeps its own versions and backups, and copying
terabytes of photos through an app node every night is the wrong tool. A restore checks every copied
file against the manifest before anything is put back, and never overwrites an object with other bytes.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from inspect_app.backups.errors import BackupError
from inspect_app.core.storage import LocalDiskStorage, PhotoStorage, StorageError, check_key

OBJECTS_DIR = "objects"
PROGRESS_EVERY = 200

Progress = Callable[[int, int, int], None]  # done, total, bytes


@dataclass
class ObjectReport:
    entries: list[dict] = field(default_factory=list)
    total_bytes: int = 0
    written: int = 0
    present: int = 0


def is_temporary(key: str) -> bool:
    """A temp file of an interrupted disk write (``.part-*``) is not evidence."""
    return key.rsplit("/", 1)[-1].startswith(".part-")


def copies_objects(storage: PhotoStorage) -> bool:
    """Whether a backup copies the objects (local disk) or only lists them (a bucket)."""
    return isinstance(storage, LocalDiskStorage)


def back_up_objects(storage: PhotoStorage, directory: Path, progress: Progress | None = None) -> ObjectReport:
    """List (and for local disk copy) every stored object; the manifest entries, sorted by key."""
    copy = copies_objects(storage)
    listed = sorted((stored for stored in storage.list_objects() if not is_temporary(stored.key)),
                    key=lambda stored: stored.key)
    report = ObjectReport()
    for done, stored in enumerate(listed, start=1):
        if copy:
            data = storage.get(stored.key)
            _write(directory / OBJECTS_DIR / stored.key, data)
            sha256, size = hashlib.sha256(data).hexdigest(), len(data)
        else:
            sha256, size = _sha256_in(storage, stored.key), stored.size
        report.entries.append({"key": stored.key, "size": size, "sha256": sha256})
        report.total_bytes += size
        if progress and (done % PROGRESS_EVERY == 0 or done == len(listed)):
            progress(done, len(listed), report.total_bytes)
    return report


def check_backed_up_objects(entries: Iterable[dict], directory: Path, storage: PhotoStorage, *,
                            copied: bool) -> None:
    """Before anything is restored: every copied file has its manifest size and SHA-256 and no object
    of the target storage holds other bytes under its key; for a listed bucket, every object is there."""
    bad, conflicts = [], []
    for entry in entries:
        key = entry["key"]
        if copied:
            data = _read_copy(directory, key)
            if data is None or len(data) != entry["size"] or hashlib.sha256(data).hexdigest() != entry["sha256"]:
                bad.append(key)
                continue
        present = _present_sha256(storage, key)
        if copied and present is not None and present != entry["sha256"]:
            conflicts.append(key)
        elif not copied and present != entry["sha256"]:
            bad.append(key)
    if bad:
        code = "restore_object_bad" if copied else "restore_object_missing_in_bucket"
        raise BackupError(code, count=len(bad), key=bad[0])
    if conflicts:
        raise BackupError("restore_object_conflict", count=len(conflicts), key=conflicts[0])


def restore_objects(entries: list[dict], directory: Path, storage: PhotoStorage,
                    progress: Progress | None = None) -> ObjectReport:
    """Put every copied object back into ``storage`` (each write checked against its SHA-256)."""
    report = ObjectReport()
    for done, entry in enumerate(entries, start=1):
        if storage.exists(entry["key"]):
            report.present += 1  # checked equal in check_backed_up_objects
        else:
            data = _read_copy(directory, entry["key"])
            storage.put(entry["key"], data, sha256=entry["sha256"])
            report.written += 1
        report.total_bytes += entry["size"]
        if progress and (done % PROGRESS_EVERY == 0 or done == len(entries)):
            progress(done, len(entries), report.total_bytes)
    return report


def _read_copy(directory: Path, key: str) -> bytes | None:
    try:
        check_key(key)  # a key from the manifest never leaves objects/
        return (directory / OBJECTS_DIR / key).read_bytes()
    except (OSError, StorageError):
        return None


def _present_sha256(storage: PhotoStorage, key: str) -> str | None:
    """The SHA-256 of the object under ``key`` in ``storage``, None when there is none."""
    try:
        if not storage.exists(key):
            return None
        return _sha256_in(storage, key)
    except StorageError:
        return None


def _sha256_in(storage: PhotoStorage, key: str) -> str:
    """From the backend's metadata when it keeps one (S3 ``x-amz-meta-sha256``), else by reading."""
    recorded = getattr(storage, "stored_sha256", None)
    value = recorded(key) if recorded is not None else None
    return value or hashlib.sha256(storage.get(key)).hexdigest()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())

"""Copying one photo store into another (``flask photos migrate --to s3``): every object, each copy's
SHA-256 read back and compared, resumable.

Run it while the app still writes to the old store, then again after switching ``PHOTO_STORAGE``
(the second run copies only what arrived in between): a key already in the target with the same size
and SHA-256 is skipped, one with other bytes is written again (the source is the truth). Temp files of
interrupted disk writes (``.part-*``) are not evidence and are not copied. The first failure stops the
run: a store that refused one write would refuse the next thousand; running again resumes.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from inspect_app.core.i18n import register_messages
from inspect_app.core.storage import PhotoStorage, StorageError, StoredObject

register_messages({
    "photo_migrate_progress": ("已处理 {done}/{total} 个文件：复制 {copied} 个（{megabytes} MB），已存在而跳过 {skipped} 个。",
                               "{done}/{total} files: copied {copied} ({megabytes} MB), skipped {skipped} already there."),
    "photo_migrate_summary": (
        "迁移完成：源存储共 {total} 个文件，复制并校验 SHA-256 {copied} 个（{bytes} 字节），目标中已有相同内容而跳过 {skipped} 个，"
        "未复制的临时文件 {temporary} 个。",
        "Migration complete: {total} files in the source; copied and SHA-256-checked {copied} ({bytes} bytes), skipped "
        "{skipped} already in the target with the same content, left {temporary} temp files of interrupted writes."),
    "photo_migrate_interrupted": (
        "迁移中断于 {key}：{error}。已复制 {copied} 个、跳过 {skipped} 个，共 {total} 个；再次运行同一命令即可从中断处继续。",
        "Migration stopped at {key}: {error}. Copied {copied}, skipped {skipped} of {total}; run the same command "
        "again to resume."),
})

PROGRESS_EVERY = 100


class CopyInterrupted(Exception):
    """A read, write or check failed; ``report`` says how far the copy got."""

    def __init__(self, report: CopyReport, key: str, error: str):
        super().__init__(f"{key}: {error}")
        self.report, self.key, self.error = report, key, error


@dataclass
class CopyReport:
    total: int = 0
    copied: int = 0
    copied_bytes: int = 0
    skipped: int = 0
    temporary: int = 0

    @property
    def done(self) -> int:
        return self.copied + self.skipped + self.temporary


def copy_store(source: PhotoStorage, target: PhotoStorage, *,
               progress: Callable[[CopyReport], None] | None = None) -> CopyReport:
    """Copy every object of ``source`` into ``target``; raises CopyInterrupted at the first failure."""
    objects = sorted(source.list_objects(), key=lambda stored: stored.key)
    report = CopyReport(total=len(objects))
    present = {stored.key: stored.size for stored in target.list_objects()}
    for stored in objects:
        try:
            _copy_one(source, target, stored, present, report)
        except StorageError as exc:
            raise CopyInterrupted(report, stored.key, str(exc)) from exc
        if progress and report.done % PROGRESS_EVERY == 0:
            progress(report)
    return report


def _copy_one(source: PhotoStorage, target: PhotoStorage, stored: StoredObject, present: dict[str, int],
              report: CopyReport) -> None:
    if stored.key.rsplit("/", 1)[-1].startswith(".part-"):
        report.temporary += 1
        return
    data = source.get(stored.key)
    sha256 = hashlib.sha256(data).hexdigest()
    if present.get(stored.key) == len(data) and _sha256_in(target, stored.key) == sha256:
        report.skipped += 1
        return
    target.put(stored.key, data, sha256=sha256)
    if hashlib.sha256(target.get(stored.key)).hexdigest() != sha256:
        target.delete(stored.key)
        raise StorageError("the copy read back has another SHA-256")
    report.copied += 1
    report.copied_bytes += len(data)


def _sha256_in(storage: PhotoStorage, key: str) -> str | None:
    """The stored object's SHA-256: from its metadata when the backend keeps one, else by reading it."""
    recorded = getattr(storage, "stored_sha256", None)
    if recorded is not None:
        value = recorded(key)
        if value:
            return value
    return hashlib.sha256(storage.get(key)).hexdigest()

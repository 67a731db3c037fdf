"""Creating a backup directory and restoring one into a fresh instance.

A backup is written to ``DIR.partial`` and renamed to ``DIR`` only once its manifest is written, so
a crash never leaves a directory that looks complete. The manifest (``manifest.json``) holds the app
version, the alembic revision, when it was made (UTC), the database kind and file with its SHA-256,
the rows of every table and every stored object with its size and SHA-256.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from flask import current_app

from inspect_app import __version__
from inspect_app.backups import databases, messages, objects  # noqa: F401  (messages: registers the strings)
from inspect_app.backups.errors import BackupError
from inspect_app.core import audit
from inspect_app.core.audit import verify_chain
from inspect_app.core.i18n import translate
from inspect_app.core.storage import StorageError, get_storage
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db

MANIFEST = "manifest.json"
FORMAT = 1

Say = Callable[[str], None]  # a line of progress for the operator


@dataclass
class RestoreReport:
    tables: int
    rows: int
    objects: int
    written: int
    present: int
    events: int
    revision: str
    head: str


def create_backup(directory: Path, say: Say) -> dict:
    """Back up the database and every stored object into ``directory`` (which must not exist); the manifest.

    Only after the backup is complete: its audit event, in the live database (flushed; the caller commits).
    """
    directory = Path(directory)
    if directory.exists():
        raise BackupError("backup_exists", path=directory)
    partial = directory.with_name(directory.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
        say(_t("backup_partial_removed", path=partial))
    partial.mkdir(parents=True)
    try:
        say(_t("backup_database_start", kind=databases.database_kind(db.engine)))
        copy = databases.copy_database(db.engine, partial)  # first: every object its rows point at exists by now
        database_file = partial / copy.file
        if copy.revision is None:
            say(_t("backup_no_revision"))
        say(_t("backup_database_done", tables=len(copy.tables), rows=sum(copy.tables.values()),
               megabytes=_mb(database_file.stat().st_size)))
        storage = get_storage()
        stored = objects.back_up_objects(storage, partial, progress=lambda done, total, size: say(
            _t("backup_objects_progress", done=done, total=total, megabytes=_mb(size))))
    except (BackupError, StorageError):
        shutil.rmtree(partial, ignore_errors=True)  # a refusal leaves nothing; a crash leaves only DIR.partial
        raise
    manifest = {
        "format": FORMAT,
        "app_version": __version__,
        "alembic_revision": copy.revision,
        "created_at": utcnow().isoformat().replace("+00:00", "Z"),
        "database": {"kind": copy.kind, "file": copy.file, "size": database_file.stat().st_size,
                     "sha256": _file_sha256(database_file)},
        "tables": copy.tables,
        "storage": {"backend": current_app.config["PHOTO_STORAGE"],
                    "objects_copied": objects.copies_objects(storage),
                    "note": "copied into objects/" if objects.copies_objects(storage) else
                    "listed only: the bucket keeps its own versions and backups"},
        "objects": stored.entries,
    }
    _write_json(partial / MANIFEST, manifest)
    _fsync_directory(partial)
    os.rename(partial, directory)
    _fsync_directory(directory.parent)
    audit.record(None, "backup.create", None, object_type="backup", object_id=directory.name[:64], after={
        "path": str(directory.resolve()), "revision": copy.revision, "tables": len(copy.tables),
        "rows": sum(copy.tables.values()), "objects": len(stored.entries), "bytes": stored.total_bytes,
        "copied": objects.copies_objects(storage)})
    db.session.flush()
    return manifest


def restore_backup(directory: Path, say: Say) -> RestoreReport:
    """Restore ``directory`` into the configured (empty) database and storage, then prove it complete.

    Everything is checked before anything is written: the manifest, the database kind, the revision,
    that the database is empty, the database file's and every copied object's SHA-256. Then the objects
    are put back and the database loaded; after the load, the row counts are compared with the manifest
    and the audit chain verified. Its audit event is flushed; the caller commits.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    engine = db.engine
    kind = databases.database_kind(engine)
    backup_kind = manifest["database"]["kind"]
    if backup_kind != kind:
        raise BackupError("restore_kind_mismatch", backup=backup_kind, target=kind)
    head = _check_revision(manifest.get("alembic_revision"))
    tables = databases.existing_tables(engine)
    if tables:
        raise BackupError("restore_target_not_empty", count=len(tables), example=tables[0])
    database_file = directory / Path(manifest["database"]["file"]).name
    if not database_file.is_file() or database_file.stat().st_size != manifest["database"]["size"] \
            or _file_sha256(database_file) != manifest["database"]["sha256"]:
        raise BackupError("restore_database_file_bad", name=database_file.name)
    storage = get_storage()
    copied = bool(manifest["storage"]["objects_copied"])
    entries = manifest["objects"]
    objects.check_backed_up_objects(entries, directory, storage, copied=copied)
    say(_t("restore_checked", objects=len(entries)))

    # Objects first, the database last: until the database is loaded a failed run can simply be run
    # again (objects already back are found equal and skipped); pg_restore loads in one transaction.
    stored = objects.ObjectReport(present=len(entries))
    if copied:
        stored = objects.restore_objects(entries, directory, storage, progress=lambda done, total, size: say(
            _t("restore_objects_progress", done=done, total=total, megabytes=_mb(size))))
    db.session.remove()
    databases.restore_database(engine, kind, database_file)
    say(_t("restore_database_done"))

    with engine.connect() as conn:
        counts = databases.count_rows(conn)
    expected = manifest["tables"]
    wrong = sorted(set(expected) | set(counts), key=str)
    wrong = [name for name in wrong if counts.get(name) != expected.get(name)]
    if wrong:
        raise BackupError("restore_counts_mismatch", tables=", ".join(
            f"{name} {counts.get(name, '-')}≠{expected.get(name, '-')}" for name in wrong))
    chain = verify_chain()
    if not chain.ok:
        raise BackupError("restore_audit_broken", error=chain.broken)
    audit.record(None, "backup.restore", None, object_type="backup", object_id=directory.name[:64], after={
        "path": str(directory.resolve()), "revision": manifest["alembic_revision"],
        "created_at": manifest["created_at"],
        "rows": sum(counts.values()), "objects": len(entries), "written": stored.written})
    db.session.flush()
    return RestoreReport(tables=len(counts), rows=sum(counts.values()), objects=len(entries),
                         written=stored.written, present=stored.present, events=chain.checked,
                         revision=manifest["alembic_revision"], head=head)


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    if not path.is_file():
        raise BackupError("restore_no_manifest", path=directory)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        for key in ("database", "tables", "storage", "objects", "alembic_revision", "created_at"):
            manifest[key]  # noqa: B018  (present, or KeyError below)
        if manifest.get("format") != FORMAT:
            raise ValueError(f"format {manifest.get('format')!r}, this code reads {FORMAT}")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError("restore_bad_manifest", error=f"{type(exc).__name__}: {exc}") from exc
    return manifest


def _check_revision(revision: str | None) -> str:
    """Refuse a revision this code's migrations do not contain; the head revision."""
    script = ScriptDirectory.from_config(_alembic_config())
    try:
        known = revision is not None and script.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupError("restore_unknown_revision", revision=revision or "-")
    return script.get_current_head()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", current_app.extensions["migrate"].directory)
    return config


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, value: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_directory(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


_t = translate

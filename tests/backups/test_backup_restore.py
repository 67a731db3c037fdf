"""``flask backup create`` then ``flask backup restore`` into a fresh instance: every inspection, photo
(bytes and SHA-256) and audit event comes back and the audit chain still verifies; a tampered object,
a non-empty target, another database kind or an unknown revision refuse the restore."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from inspect_app.backups import objects as backup_objects
from inspect_app.core.models import AuditEvent
from inspect_app.core.storage import get_storage
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from tests import factories
from tests.evidence.uploads import fresh_jpeg, new_ids, put, submit_with_photos


def _record_history(app) -> dict:
    """Through the API: two inspections of two sites, three photos, their notices and audit events."""
    from inspect_app.checklists.operations import sync_checklists

    with app.app_context():
        sync_checklists(None, app.config["CHECKLIST_DIR"])
        db.session.commit()
        client = app.test_client()
        inspector = factories.create_user("inspector", units=("xinhuaxilu",))
        headers = factories.AuthActions(client).headers(inspector)
        for count in (2, 1):
            site = factories.create_site("xinhuaxilu", phase="earthwork")
            photo_ids = new_ids(count)
            body = submit_with_photos(client, headers, site, photo_ids)
            for n, photo_id in enumerate(photo_ids):
                response = put(client, headers, body["uuid"], photo_id, fresh_jpeg(site, size=(800 + n * 16, 600)))
                assert response.status_code == 201, response.get_json()
        return _snapshot()


def _snapshot() -> dict:
    """What a restore must bring back, read from the current app's database and storage."""
    storage = get_storage()
    photos = db.session.scalars(select(Photo).order_by(Photo.uuid)).all()
    snapshot = {
        "inspections": sorted(db.session.scalars(select(Inspection.uuid))),
        "photos": [(p.uuid, p.sha256, hashlib.sha256(storage.get(p.original_key)).hexdigest(),
                    storage.exists(p.display_key), storage.exists(p.thumb_key)) for p in photos],
        "events": [(e.seq, e.action, e.entry_hash) for e in
                   db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))],
        "objects": {s.key: hashlib.sha256(storage.get(s.key)).hexdigest() for s in storage.list_objects()
                    if not backup_objects.is_temporary(s.key)},
    }
    db.session.remove()
    return snapshot


def _invoke(app, *args):
    """Run a flask command against ``app`` (inside its context: the suite's app context is active too)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args), env={"LANG": "C"})
        db.session.remove()
    return result


@pytest.fixture(scope="module")
def original_backup(module_instances, tmp_path_factory):
    """Once per module: a source instance with history, and its backup directory."""
    source = module_instances.build("source")
    before = _record_history(source)
    target = tmp_path_factory.mktemp("backups") / "2026-11-30"
    result = _invoke(source, "backup", "create", str(target))
    assert result.exit_code == 0, result.output
    return source, before, target


@pytest.fixture
def backed_up(original_backup, tmp_path):
    """The source, what it held, and this test's own copy of its backup (tests alter their copy)."""
    source, before, directory = original_backup
    copy = tmp_path / "backups" / directory.name
    shutil.copytree(directory, copy)
    return source, before, copy


def test_a_backup_restored_into_a_fresh_instance_brings_everything_back(backed_up, new_instance):
    source, before, directory = backed_up
    assert before["inspections"] and len(before["photos"]) == 3 and before["events"]
    assert all(sha == stored_sha for _, sha, stored_sha, _, _ in before["photos"])  # the row's hash is the file's
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert not Path(f"{directory}.partial").exists()
    assert manifest["alembic_revision"] and manifest["app_version"] and manifest["created_at"].endswith("Z")
    assert manifest["tables"]["inspections"] == 2 and manifest["tables"]["photos"] == 3
    assert manifest["tables"]["audit_events"] == len(before["events"])
    assert {entry["key"]: entry["sha256"] for entry in manifest["objects"]} == before["objects"]
    assert manifest["storage"]["objects_copied"] is True
    for entry in manifest["objects"]:
        assert hashlib.sha256((directory / "objects" / entry["key"]).read_bytes()).hexdigest() == entry["sha256"]

    fresh = new_instance("restored", migrate=False)
    result = _invoke(fresh, "backup", "restore", str(directory))
    assert result.exit_code == 0, result.output
    assert "恢复完成" in result.output and "审计链完整" in result.output

    with fresh.app_context():
        after = _snapshot()
    assert after["inspections"] == before["inspections"]
    assert after["photos"] == before["photos"]
    assert after["objects"] == before["objects"]
    assert after["events"][:len(before["events"])] == before["events"]
    assert [action for _, action, _ in after["events"][len(before["events"]):]] == ["backup.restore"]
    verified = _invoke(fresh, "audit", "verify")
    assert verified.exit_code == 0 and "audit chain intact" in verified.output
    with source.app_context():  # the live database records that it was backed up
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "backup.create",
                                                           AuditEvent.object_id == directory.name))
        assert event.after["objects"] == len(manifest["objects"]) and event.after["copied"] is True
        db.session.remove()


def test_a_tampered_object_refuses_the_restore_before_anything_is_written(backed_up, new_instance):
    _, _, directory = backed_up
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    tampered = directory / "objects" / manifest["objects"][0]["key"]
    tampered.write_bytes(tampered.read_bytes()[:-1] + b"\x00")
    fresh = new_instance("restored", migrate=False)
    result = _invoke(fresh, "backup", "restore", str(directory))
    assert result.exit_code == 1
    assert "1 个备份文件缺失或已被改动" in result.output and manifest["objects"][0]["key"] in result.output
    with fresh.app_context():
        from inspect_app.backups.databases import existing_tables

        assert existing_tables(db.engine) == []  # the database was not touched
        assert list(get_storage().list_objects()) == []


def test_a_missing_object_or_altered_database_file_refuses_the_restore(backed_up, new_instance):
    _, _, directory = backed_up
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    (directory / "objects" / manifest["objects"][-1]["key"]).unlink()
    fresh = new_instance("restored", migrate=False)
    assert _invoke(fresh, "backup", "restore", str(directory)).exit_code == 1
    database_file = directory / manifest["database"]["file"]
    database_file.write_bytes(database_file.read_bytes() + b"x")
    result = _invoke(fresh, "backup", "restore", str(directory))
    assert result.exit_code == 1 and "数据库文件" in result.output


def test_a_database_that_is_not_empty_refuses_the_restore(backed_up, new_instance):
    source, before, directory = backed_up
    result = _invoke(source, "backup", "restore", str(directory))  # its own data is there
    assert result.exit_code == 1
    assert "目标数据库不是空的" in result.output and "不要先运行 flask db upgrade" in result.output
    fresh = new_instance("restored", migrate=False)
    with fresh.app_context():  # one table, even without rows, is not empty
        db.session.execute(sa.text("CREATE TABLE units (id integer)"))
        db.session.commit()
    result = _invoke(fresh, "backup", "restore", str(directory))
    assert result.exit_code == 1 and "目标数据库不是空的" in result.output
    with source.app_context():
        assert _snapshot()["inspections"] == before["inspections"]  # untouched


def test_an_unknown_revision_or_another_database_kind_refuses_the_restore(backed_up, new_instance):
    _, _, directory = backed_up
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    fresh = new_instance("restored", migrate=False)
    path.write_text(json.dumps({**manifest, "alembic_revision": "9999_from_the_future"}), encoding="utf-8")
    result = _invoke(fresh, "backup", "restore", str(directory))
    assert result.exit_code == 1 and "9999_from_the_future" in result.output
    other = "postgresql" if manifest["database"]["kind"] == "sqlite" else "sqlite"
    path.write_text(json.dumps({**manifest, "database": {**manifest["database"], "kind": other}}), encoding="utf-8")
    result = _invoke(fresh, "backup", "restore", str(directory))
    assert result.exit_code == 1 and "只支持同类数据库" in result.output


def test_a_directory_without_manifest_is_not_a_backup_and_create_never_overwrites(backed_up, new_instance,
                                                                                  tmp_path):
    source, _, directory = backed_up
    result = _invoke(source, "backup", "create", str(directory))
    assert result.exit_code == 1 and "已存在" in result.output
    interrupted = tmp_path / "interrupted.partial"
    interrupted.mkdir()
    fresh = new_instance("restored", migrate=False)
    result = _invoke(fresh, "backup", "restore", str(interrupted))
    assert result.exit_code == 1 and "没有 manifest.json" in result.output


def test_a_crash_during_create_leaves_only_a_partial_directory(backed_up, monkeypatch, tmp_path):
    source, _, _ = backed_up
    target = tmp_path / "backups" / "crashed"

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(backup_objects, "_write", crash)
    _invoke(source, "backup", "create", str(target))
    assert not target.exists() and Path(f"{target}.partial").is_dir()
    monkeypatch.undo()
    result = _invoke(source, "backup", "create", str(target))  # the next run clears the leftover
    assert result.exit_code == 0, result.output
    assert "中断留下" in result.output and (target / "manifest.json").is_file()


def test_a_store_that_fails_while_restoring_leaves_the_database_empty_and_the_same_command_resumes(
        backed_up, new_instance, monkeypatch):
    from inspect_app.core.storage import LocalDiskStorage, StorageError

    source, before, directory = backed_up
    fresh = new_instance("restored", migrate=False)
    real_put, puts = LocalDiskStorage.put, []

    def put_twice_then_fail(self, key, data, **kwargs):
        if len(puts) == 2:
            raise StorageError("disk full")
        puts.append(key)
        real_put(self, key, data, **kwargs)

    monkeypatch.setattr(LocalDiskStorage, "put", put_twice_then_fail)
    result = _invoke(fresh, "backup", "restore", str(directory))
    assert result.exit_code == 1 and "disk full" in result.output and "数据库尚未改动" in result.output
    with fresh.app_context():
        from inspect_app.backups.databases import existing_tables

        assert existing_tables(db.engine) == []
    monkeypatch.setattr(LocalDiskStorage, "put", real_put)
    result = _invoke(fresh, "backup", "restore", str(directory))
    assert result.exit_code == 0, result.output
    assert "2 个已存在" in result.output
    with fresh.app_context():
        assert _snapshot()["photos"] == before["photos"]


def test_a_store_that_fails_while_backing_up_leaves_no_directory(backed_up, monkeypatch, tmp_path):
    from inspect_app.core.storage import LocalDiskStorage, StorageError

    source, _, _ = backed_up

    def fail(self, key):
        raise StorageError("I/O error")

    monkeypatch.setattr(LocalDiskStorage, "get", fail)
    target = tmp_path / "failed"
    result = _invoke(source, "backup", "create", str(target))
    assert result.exit_code == 1 and "I/O error" in result.output and "备份未完成" in result.output
    assert not target.exists() and not Path(f"{target}.partial").exists()


def test_without_pg_dump_a_postgresql_backup_says_what_to_install(backed_up, monkeypatch, tmp_path):
    from inspect_app.backups import databases

    source, _, _ = backed_up
    with source.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("pg_dump is needed only on PostgreSQL (SQLite uses its backup API)")
    monkeypatch.setattr(databases.shutil, "which", lambda name: None)
    target = tmp_path / "no-pg-dump"
    result = _invoke(source, "backup", "create", str(target))
    assert result.exit_code == 1 and "找不到 pg_dump" in result.output and "postgresql-client" in result.output
    assert not target.exists() and not Path(f"{target}.partial").exists()

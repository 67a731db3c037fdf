"""``flask photos sweep``: files a killed upload left behind are removed, nothing else (issue 13 point 11).

The crash is real: a forked process runs an upload with its own app and dies (``os._exit``, as under
``kill -9``) at the moment the route commits — after the three files are written, before the row exists.
"""
from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inspect_app.core.models import AuditEvent
from inspect_app.core.storage import LocalDiskStorage, get_storage, new_key
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from tests import factories
from tests.evidence.uploads import fresh_jpeg, new_ids, photo_files, put, submit_with_photos

TWO_HOURS = 2 * 3600


@pytest.fixture(autouse=True)
def own_photo_dir(app, tmp_path, monkeypatch):
    """A photo directory of this test's own: other tests' files (their rows emptied away) are orphans too."""
    monkeypatch.setitem(app.config, "PHOTO_DIR", str(tmp_path / "photos"))
    monkeypatch.setitem(app.extensions, "photo_storage", LocalDiskStorage(tmp_path / "photos"))


@pytest.fixture
def site():
    return factories.create_site("xinhuaxilu", phase="earthwork")


@pytest.fixture
def headers(auth, checklists):
    return auth.headers(factories.create_user("inspector", units=("xinhuaxilu",)))


def upload_killed_before_commit(app, path: str, data: bytes, headers: dict) -> int:
    """Run one PUT in a fresh process that dies when the route commits; returns its exit code."""
    settings = {key: app.config[key] for key in
                ("SQLALCHEMY_DATABASE_URI", "PHOTO_DIR", "SECRET_KEY", "PASSWORD_HASH_METHOD")}
    process = multiprocessing.get_context("fork").Process(target=_upload_and_die,
                                                          args=(settings, path, data, headers))
    process.start()
    process.join(60)
    return process.exitcode


def _upload_and_die(settings, path, data, headers) -> None:
    from inspect_app import create_app

    child = create_app({"TESTING": True, "RATELIMIT_ENABLED": False, **settings})
    with child.app_context():
        db.session.commit = lambda: os._exit(9)  # the process is killed between file write and commit
    with child.test_client() as client:
        client.put(path, data=data, headers={**headers, "Content-Type": "application/octet-stream"})
    os._exit(0)  # not reached when the upload got as far as its commit


def age(paths, seconds: int) -> None:
    then = time.time() - seconds
    for path in paths:
        os.utime(path, (then, then))


def sweep(runner, *args):
    return runner.invoke(args=["photos", "sweep", *args])


@pytest.fixture
def crashed(app, client, headers, site):
    """A stored photo and the files of a crashed upload of another photo, all two hours old.

    Returns (files of the stored photo, files the crash left).
    """
    kept_id, lost_id = new_ids(2)
    inspection_uuid = submit_with_photos(client, headers, site, [kept_id, lost_id])["uuid"]
    assert put(client, headers, inspection_uuid, kept_id, fresh_jpeg(site)).status_code == 201
    kept = set(photo_files(app))
    assert len(kept) == 3  # original, display, thumbnail
    path = f"/api/inspections/{inspection_uuid}/photos/{lost_id}"
    assert upload_killed_before_commit(app, path, fresh_jpeg(site, quality=70), headers) == 9
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 1
    orphans = set(photo_files(app)) - kept
    assert len(orphans) == 3
    age(kept | orphans, TWO_HOURS)
    return kept, orphans


def test_sweep_deletes_the_files_of_a_crashed_upload_and_keeps_referenced_ones(app, runner, crashed):
    kept, orphans = crashed
    orphan_bytes = sum(path.stat().st_size for path in orphans)
    result = sweep(runner)
    assert result.exit_code == 0, result.output
    assert set(photo_files(app)) == kept
    assert "3" in result.output and str(orphan_bytes) in result.output
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "photos.sweep"))
    assert event.after["deleted"] == 3 and event.after["bytes"] == orphan_bytes
    # Safe to run again at any time: nothing more to do, the referenced files stay.
    again = sweep(runner)
    assert again.exit_code == 0 and set(photo_files(app)) == kept


def test_dry_run_reports_the_orphans_and_deletes_nothing(app, runner, crashed):
    kept, orphans = crashed
    result = sweep(runner, "--dry-run")
    assert result.exit_code == 0, result.output
    assert set(photo_files(app)) == kept | orphans
    assert str(sum(path.stat().st_size for path in orphans)) in result.output


def test_files_younger_than_the_threshold_are_kept_as_uploads_in_flight(app, runner, crashed):
    kept, orphans = crashed
    age(orphans, 20 * 60)  # twenty minutes: older than the 5-minute floor, younger than an hour
    assert sweep(runner).exit_code == 0
    assert set(photo_files(app)) == kept | orphans
    assert sweep(runner, "--older-than", "15m").exit_code == 0
    assert set(photo_files(app)) == kept


def test_an_interrupted_write_leaves_a_temp_file_that_is_swept_too(app, runner):
    storage = get_storage()
    key = new_key("p")
    storage.put(key, b"bytes of a photo whose row never came")
    temp = Path(app.config["PHOTO_DIR"]) / key.rsplit("/", 1)[0] / ".part-interrupted"
    temp.write_bytes(b"half a file")
    age([Path(app.config["PHOTO_DIR"]) / key, temp], TWO_HOURS)
    assert sweep(runner).exit_code == 0
    assert photo_files(app) == []


def test_files_outside_the_photo_keys_are_never_touched(app, runner):
    other = Path(app.config["PHOTO_DIR"]) / "n" / "notice.pdf"
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_bytes(b"%PDF-1.4")
    age([other], TWO_HOURS)
    assert sweep(runner).exit_code == 0
    assert other.exists()


@pytest.mark.parametrize("value", ["1m", "299", "soon", "-3h"])
def test_a_threshold_too_short_to_be_safe_or_unreadable_is_refused(runner, value):
    result = sweep(runner, "--older-than", value)
    assert result.exit_code == 2
    assert "older-than" in result.output

"""``flask photos sweep`` also sweeps the 送达 pictures' prefix (``s/``) by the photo rules: the files of a
service upload killed before its commit go, a stored record's signature stays, young files stay.

The crash is real, as in tests/evidence/test_sweep.py: a forked process uploads the signature with its
own app and dies (``os._exit``) when the route commits — after the files are written, before the row.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.core.storage import get_storage, new_key
from inspect_app.extensions import db
from inspect_app.notices.models import NoticeService
from tests.evidence.test_sweep import TWO_HOURS, age, own_photo_dir, sweep, upload_killed_before_commit  # noqa: F401
from tests.evidence.uploads import photo_files
from tests.inspections.helpers import submission
from tests.notices.test_service import serve, signature_png, signed, upload


def _service_files(app) -> set[Path]:
    return {p for p in photo_files(app) if p.relative_to(app.config["PHOTO_DIR"]).parts[0] == "s"}


def _crashed(app, client, headers, form, site, submit) -> tuple[set[Path], set[Path]]:
    """One inspection's notice served with its signature stored; another's signature upload killed
    before commit. All two hours old. Returns (files of the stored record, files the crash left)."""
    stored = signed()
    first = submission(form, site, outcomes={"hoarding": "fail"})
    submit(first)
    assert serve(client, headers, first["uuid"], stored).status_code == 201
    assert upload(client, headers, stored["uuid"], signature_png()).status_code == 201
    kept = _service_files(app)
    assert len(kept) == 2  # the original PNG and the JPEG the PDF shows

    lost = signed()
    second = submission(form, site, outcomes={"idle_area_cover": "fail"})
    submit(second)
    assert serve(client, headers, second["uuid"], lost).status_code == 201
    path = f"/api/notice-services/{lost['uuid']}/evidence"
    assert upload_killed_before_commit(app, path, signature_png((800, 300)), headers) == 9
    db.session.expire_all()
    record = db.session.scalar(select(NoticeService).where(NoticeService.uuid == lost["uuid"]))
    assert record.evidence_key is None  # the row never learned of its files
    orphans = _service_files(app) - kept
    assert len(orphans) == 2
    age(kept | orphans, TWO_HOURS)
    return kept, orphans


def test_the_sweep_deletes_a_crashed_service_uploads_files_and_keeps_a_stored_signature(
        app, client, headers, runner, form, site, submit):
    kept, orphans = _crashed(app, client, headers, form, site, submit)
    result = sweep(runner)
    assert result.exit_code == 0, result.output
    assert _service_files(app) == kept
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "photos.sweep"))
    assert event.after["deleted"] == 2 and event.after["prefixes"] == ["p", "s"]
    # the stored record's picture is still served, whole
    notice_id = db.session.scalar(select(NoticeService.notice_id).where(NoticeService.evidence_key.is_not(None)))
    picture = client.get(f"/api/notices/{notice_id}/service/evidence", headers=headers)
    assert picture.status_code == 200 and picture.data == signature_png()
    assert sweep(runner).exit_code == 0 and _service_files(app) == kept  # safe to run again


def test_young_service_files_are_kept_as_uploads_in_flight(app, client, headers, runner, form, site, submit):
    kept, orphans = _crashed(app, client, headers, form, site, submit)
    age(orphans, 20 * 60)
    assert sweep(runner).exit_code == 0
    assert _service_files(app) == kept | orphans
    assert sweep(runner, "--dry-run", "--older-than", "15m").exit_code == 0
    assert _service_files(app) == kept | orphans  # a dry run deletes nothing
    assert sweep(runner, "--older-than", "15m").exit_code == 0
    assert _service_files(app) == kept


def test_an_unreferenced_old_file_under_s_is_an_orphan_and_other_prefixes_are_untouched(app, runner):
    storage = get_storage()
    key = new_key("s")
    storage.put(key, b"a signature whose record never came")
    other = Path(app.config["PHOTO_DIR"]) / "n" / "notice.pdf"
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_bytes(b"%PDF-1.4")
    age([Path(app.config["PHOTO_DIR"]) / key, other], TWO_HOURS)
    assert sweep(runner).exit_code == 0
    assert _service_files(app) == set() and other.exists()

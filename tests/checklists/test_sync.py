"""Syncing files into immutable versions: unchanged files store nothing, an edit makes one version."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from inspect_app.checklists.loader import ChecklistFileError
from inspect_app.checklists.models import ChecklistItem, ChecklistVersion
from inspect_app.checklists.operations import sync_checklists
from inspect_app.checklists.queries import current_form, current_versions, form_for_versions
from inspect_app.core.errors import ValidationFailed
from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db

REAL_DIR = Path(__file__).resolve().parents[2] / "checklists"


@pytest.fixture
def lists(tmp_path):
    target = tmp_path / "checklists"
    shutil.copytree(REAL_DIR, target)
    return target


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def edit(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_first_sync_stores_version_one_of_every_source(lists):
    results = sync_checklists(None, lists)
    assert {(r.source_key, r.version, r.created) for r in results} == {
        (key, 1, True) for key in ("six-100", "eight-musts", "green-construction", "ozone-season", "muck-truck",
                                    "night-work", "suspended-site", "heavy-pollution", "heavy-pollution-trucks")}
    assert count(ChecklistItem) == 6 + 8 + 2 + 6 + 6 + 1 + 3 + 4 + 1  # … heavy-pollution, its truck item


def test_syncing_twice_stores_nothing_new(lists):
    sync_checklists(None, lists)
    db.session.commit()
    versions, items, events = count(ChecklistVersion), count(ChecklistItem), count(AuditEvent)
    results = sync_checklists(None, lists)
    assert not any(r.created for r in results)
    assert (count(ChecklistVersion), count(ChecklistItem), count(AuditEvent)) == (versions, items, events)


def test_an_edited_item_makes_exactly_one_new_version_of_that_source(lists):
    sync_checklists(None, lists)
    db.session.commit()
    edit(lists / "six-100.toml", "rectify_days = 7", "rectify_days = 5")
    results = {r.source_key: r for r in sync_checklists(None, lists)}
    db.session.commit()
    assert results["six-100"].version == 2 and results["six-100"].created
    assert [k for k, r in results.items() if r.created] == ["six-100"]
    assert count(ChecklistVersion) == 10
    old, new = db.session.scalars(select(ChecklistVersion).where(ChecklistVersion.source_key == "six-100")
                                  .order_by(ChecklistVersion.version)).all()
    assert {i.key: i.rectify_days for i in old.items}["ground_paving"] == 7  # the old version is untouched
    assert {i.key: i.rectify_days for i in new.items}["ground_paving"] == 5
    assert not any(r.created for r in sync_checklists(None, lists))


def test_each_new_version_is_audited(lists):
    sync_checklists(None, lists)
    db.session.commit()  # audit events join the hash chain, and the table, when the caller commits
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "checklist_version_created")).all()
    assert sorted(e.after["source_key"] for e in events) == sorted(
        ["six-100", "eight-musts", "green-construction", "ozone-season", "muck-truck",
         "night-work", "suspended-site", "heavy-pollution", "heavy-pollution-trucks"])


def test_reverting_a_file_makes_a_new_current_version_matching_the_file(lists):
    sync_checklists(None, lists)
    edit(lists / "six-100.toml", "rectify_days = 7", "rectify_days = 5")
    sync_checklists(None, lists)
    edit(lists / "six-100.toml", "rectify_days = 5", "rectify_days = 7")
    results = {r.source_key: r for r in sync_checklists(None, lists)}
    assert results["six-100"].version == 3 and results["six-100"].created
    paving = next(i for i in current_form("site")["items"] if i["key"] == "ground_paving")
    assert paving["rectify_days"] == 7


def test_a_bad_file_stores_nothing(lists):
    edit(lists / "eight-musts.toml", "weight = 15", 'weight = "x"')
    with pytest.raises(ChecklistFileError):
        sync_checklists(None, lists)
    assert count(ChecklistVersion) == 0


def test_current_form_uses_the_latest_versions_and_old_forms_stay_reproducible(lists):
    sync_checklists(None, lists)
    first_ids = current_form("site")["version_ids"]
    edit(lists / "six-100.toml", 'text_zh = "施工工地周边100%围挡"', 'text_zh = "工地周边全部围挡"')
    sync_checklists(None, lists)
    now = current_form("site")
    assert now["items"][0]["text_zh"] == "工地周边全部围挡"
    assert sorted(now["version_ids"]) != sorted(first_ids)
    then = form_for_versions(first_ids)
    assert then["items"][0]["text_zh"] == "施工工地周边100%围挡"
    assert then["kind"] == "site"
    assert all(src["checklist_item_id"] for item in then["items"] for src in item["sources"])


def test_current_versions_filters_by_kind(lists):
    sync_checklists(None, lists)
    assert [v.source_key for v in current_versions("truck")] == ["muck-truck", "heavy-pollution-trucks"]
    assert [v.source_key for v in current_versions("site")] == [
        "six-100", "eight-musts", "green-construction", "ozone-season", "heavy-pollution", "night-work",
        "suspended-site"]


def test_form_for_versions_refuses_unknown_mixed_or_repeated_versions(lists):
    sync_checklists(None, lists)
    site_ids = current_form("site")["version_ids"]
    truck_ids = current_form("truck")["version_ids"]
    cases = [([], "checklist_versions_required"), ([999999], "checklist_versions_unknown"),
             (site_ids + truck_ids, "checklist_versions_mixed_kinds")]
    edit(lists / "six-100.toml", "rectify_days = 7", "rectify_days = 5")
    sync_checklists(None, lists)
    both_six = [v.id for v in db.session.scalars(
        select(ChecklistVersion).where(ChecklistVersion.source_key == "six-100"))]
    cases.append((both_six, "checklist_versions_same_source"))
    for ids, code in cases:
        with pytest.raises(ValidationFailed) as info:
            form_for_versions(ids)
        assert info.value.code == code


def test_the_checklists_fixture_loads_the_real_files(checklists):
    assert len(checklists) == 9 and all(r.created for r in checklists)

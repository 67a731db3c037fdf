"""GET /api/checklists answers If-None-Match with 304 while the forms are unchanged: one small query
instead of composing both forms, and a new ETag as soon as a sync stores a new version."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inspect_app.checklists.operations import sync_checklists
from inspect_app.extensions import db

REAL_DIR = Path(__file__).resolve().parents[2] / "checklists"


@pytest.fixture
def inspector(auth, checklists):
    return auth.as_role("inspector")


def test_the_forms_carry_an_etag_and_a_matching_if_none_match_gets_304(client, inspector):
    first = client.get("/api/checklists", headers=inspector)
    assert first.status_code == 200 and first.get_json()["site"]["items"]
    etag = first.headers["ETag"]
    assert etag.startswith('"') and len(etag) == 34
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get("/api/checklists", headers={**inspector, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    star = client.get("/api/checklists", headers={**inspector, "If-None-Match": "*"})
    assert star.status_code == 304


@pytest.mark.parametrize("header", ['"not-the-etag"', "garbage", 'W/"x", "y"', ""])
def test_any_other_if_none_match_gets_the_whole_document(client, inspector, header):
    expected = client.get("/api/checklists", headers=inspector)
    response = client.get("/api/checklists", headers={**inspector, "If-None-Match": header})
    assert response.status_code == 200
    assert response.data == expected.data


def test_the_cached_document_is_the_one_composed_fresh(client, inspector, app):
    cached = client.get("/api/checklists", headers=inspector).data
    app.extensions.pop("checklist_forms_document")
    assert client.get("/api/checklists", headers=inspector).data == cached


def test_a_sync_that_stores_a_new_version_changes_the_etag_and_the_document(client, inspector, tmp_path):
    old = client.get("/api/checklists", headers=inspector)
    lists = tmp_path / "checklists"
    shutil.copytree(REAL_DIR, lists)
    source = lists / "six-100.toml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("text_zh = \"", "text_zh = \"（新）", 1), encoding="utf-8")
    sync_checklists(None, lists)
    db.session.commit()
    response = client.get("/api/checklists", headers={**inspector, "If-None-Match": old.headers["ETag"]})
    assert response.status_code == 200
    assert response.headers["ETag"] != old.headers["ETag"]
    assert any(item["text_zh"].startswith("（新）") for item in response.get_json()["site"]["items"])


def test_a_304_costs_one_checklist_query_and_composes_nothing(client, inspector, count_queries, app):
    etag = client.get("/api/checklists", headers=inspector).headers["ETag"]
    app.extensions.pop("checklist_forms_document")
    with count_queries() as cold:
        client.get("/api/checklists", headers=inspector)
    with count_queries() as revalidated:
        assert client.get("/api/checklists", headers={**inspector, "If-None-Match": etag}).status_code == 304
    assert any("checklist_items" in s for s in cold)
    assert [s for s in revalidated if "checklist" in s] != [] and not any("checklist_items" in s for s in revalidated)
    assert len([s for s in revalidated if "checklist" in s]) == 1
    assert len(revalidated) <= len(cold) - 2


def test_without_a_token_no_etag_is_given_away(client, checklists):
    response = client.get("/api/checklists", headers={"If-None-Match": "*"})
    assert response.status_code == 401 and "ETag" not in response.headers

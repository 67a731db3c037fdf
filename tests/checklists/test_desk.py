"""The checklist screen's API: sources, drafts checked by the loader, diff, preview, publish, TOML export."""
from __future__ import annotations

import copy
import tomllib

import pytest
from sqlalchemy import select

from inspect_app.checklists.models import ChecklistVersion
from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from tests import factories
from tests.inspections.helpers import site_form, submission

NEW_TEXT = "施工工地周边100%硬质围挡（连续、无破损）"


@pytest.fixture
def admin(auth, checklists):
    return auth.as_role("admin")


def six_100(client, headers) -> dict:
    response = client.get("/api/checklists/sources/six-100", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def hoarding(document: dict) -> dict:
    return next(item for item in document["items"] if item["key"] == "hoarding")


def changed_document(client, headers) -> tuple[dict, int]:
    source = six_100(client, headers)
    document = copy.deepcopy(source["document"])
    hoarding(document)["text_zh"] = NEW_TEXT
    hoarding(document)["legal_basis"]["fine_max"] = 90000
    return document, source["version"]


@pytest.mark.parametrize("role", ["admin", "supervisor"])
def test_admins_and_supervisors_browse_the_sources(client, auth, checklists, role):
    response = client.get("/api/checklists/sources", headers=auth.as_role(role))
    assert response.status_code == 200
    rows = response.get_json()
    assert len(rows) == 9 and rows[0]["source_key"] == "six-100"
    assert rows[0]["version"] == 1 and rows[0]["origin"] == "file" and rows[0]["item_count"] == 6
    assert {r["kind"] for r in rows[-2:]} == {"truck"}
    detail = six_100(client, auth.as_role(role))
    assert detail["document"]["source"]["key"] == "six-100" and len(detail["document"]["items"]) == 6


@pytest.mark.parametrize("role", ["inspector", "enforcement"])
def test_other_roles_are_refused_every_screen_endpoint(client, auth, checklists, role):
    headers = auth.as_role(role)
    version_id = db.session.scalar(select(ChecklistVersion.id).limit(1))
    assert client.get("/api/checklists/sources", headers=headers).status_code == 403
    assert client.get("/api/checklists/sources/six-100", headers=headers).status_code == 403
    assert client.get(f"/api/checklists/versions/{version_id}/toml", headers=headers).status_code == 403
    assert client.post("/api/checklists/sources/six-100/draft", json={"document": {}},
                       headers=headers).status_code == 403
    assert client.post("/api/checklists/sources/six-100/versions", json={"document": {}},
                       headers=headers).status_code == 403


def test_supervisors_read_but_cannot_check_or_publish(client, auth, admin):
    document, version = changed_document(client, admin)
    supervisor = auth.as_role("supervisor")
    for path in ("draft", "versions"):
        response = client.post(f"/api/checklists/sources/six-100/{path}", json={"document": document},
                               headers=supervisor)
        assert response.status_code == 403 and response.get_json()["code"] == "forbidden"
    assert six_100(client, admin)["version"] == version


def test_a_draft_shows_the_diff_per_item_and_field_and_the_toml(client, admin):
    document, version = changed_document(client, admin)
    document["items"] = [i for i in document["items"] if i["key"] != "wet_earthwork"]
    added = dict(hoarding(document), key="gate_guard", requirement="gate_guard", text_zh="门卫值守")
    document["items"].append(added)
    response = client.post("/api/checklists/sources/six-100/draft", json={"document": document}, headers=admin)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["base_version"] == version and body["preview"] is None
    diff = body["diff"]
    assert diff["changed"] is True and diff["source"] == []
    by_key = {item["key"]: item for item in diff["items"]}
    assert by_key["hoarding"]["status"] == "changed"
    assert {c["field"]: (c["before"], c["after"]) for c in by_key["hoarding"]["fields"]} == {
        "text_zh": ("施工工地周边100%围挡", NEW_TEXT), "legal_basis.fine_max": (100000, 90000)}
    assert by_key["wet_earthwork"]["status"] == "removed" and by_key["gate_guard"]["status"] == "added"
    assert tomllib.loads(body["toml"])["items"][0]["text_zh"] == NEW_TEXT
    assert db.session.scalar(select(ChecklistVersion).where(ChecklistVersion.version == 2)) is None  # stored nothing


def test_the_preview_applies_the_forms_rules_for_phase_time_and_alert(client, admin):
    source = client.get("/api/checklists/sources/ozone-season", headers=admin).get_json()
    document = copy.deepcopy(source["document"])
    document["items"][0]["text_zh"] = "臭氧时段停止喷涂（改）"

    def preview(**args):
        response = client.post("/api/checklists/sources/ozone-season/draft",
                               json={"document": document, **args}, headers=admin)
        assert response.status_code == 200, response.get_json()
        return {item["key"]: item for item in response.get_json()["preview"]["items"]}

    summer = preview(phase="structure", at="2026-07-01T11:00:00")
    ozone_key = next(k for k, item in summer.items() if item["text_zh"] == "臭氧时段停止喷涂（改）")
    assert summer[ozone_key]["from_draft"] is True and summer[ozone_key]["applicable"] is True
    assert summer["hoarding"]["applicable"] is True and summer["hoarding"]["from_draft"] is False
    evening = preview(phase="structure", at="2026-07-01T18:00:00")
    assert evening[ozone_key] | {"applicable": False, "reason": "outside_hours"} == evening[ozone_key]
    winter = preview(phase="structure", at="2026-12-01T11:00:00")
    assert winter[ozone_key]["reason"] == "out_of_season"
    alert_items = [k for k, item in winter.items() if item["alert"]]
    assert alert_items and all(winter[k]["reason"] == "no_alert_in_force" for k in alert_items)
    red = preview(phase="structure", at="2026-12-01T11:00:00", alert="red")
    assert any(red[k]["applicable"] for k in alert_items)


@pytest.mark.parametrize("change, code, words", [
    (lambda doc: hoarding(doc).update(weight=0), "checklist_out_of_range", "weight"),
    (lambda doc: hoarding(doc)["legal_basis"].update(authority="police"), "checklist_unknown_authority", "police"),
    (lambda doc: hoarding(doc).update(phases=[]), "checklist_phases_empty", "phases"),
    (lambda doc: hoarding(doc).update(text_zh=None), "checklist_missing_key", "text_zh"),
    (lambda doc: doc["items"].append(dict(hoarding(doc))), "checklist_duplicate_key", "hoarding"),
    (lambda doc: doc["source"].update(key="six-101"), "checklist_key_not_file_stem", "six-101"),
])
def test_an_invalid_change_is_refused_with_the_loaders_message(client, admin, change, code, words):
    document, version = changed_document(client, admin)
    change(document)
    for path in ("draft", "versions"):
        response = client.post(f"/api/checklists/sources/six-100/{path}",
                               json={"document": document, "base_version": version} if path == "versions"
                               else {"document": document}, headers=admin)
        assert response.status_code == 422, response.get_json()
        body = response.get_json()
        assert body["code"] == "checklist_draft_invalid"
        problems = body["details"]["problems"]
        assert code in [p["code"] for p in problems]
        message = next(p["message"] for p in problems if p["code"] == code)
        assert message.startswith("six-100.toml：") and words in message and message in body["message"]
    assert six_100(client, admin)["version"] == version


def test_a_change_that_conflicts_with_another_source_is_refused(client, admin):
    document, _ = changed_document(client, admin)
    cover = next(item for item in document["items"] if item["key"] == "material_cover")
    cover["window"] = {"start": "05-01", "end": "09-30"}  # eight-musts asks material_cover all year
    response = client.post("/api/checklists/sources/six-100/draft", json={"document": document}, headers=admin)
    assert response.status_code == 422
    assert [p["code"] for p in response.get_json()["details"]["problems"]] == [
        "checklist_requirement_window_conflict"]


def test_an_unknown_source_is_404(client, admin):
    response = client.post("/api/checklists/sources/no-such/draft", json={"document": {}}, headers=admin)
    assert response.status_code == 404 and response.get_json()["code"] == "checklist_source_unknown"
    assert client.get("/api/checklists/versions/999999/toml", headers=admin).status_code == 404


def test_publish_stores_a_new_version_old_inspections_keep_theirs(client, auth, admin):
    inspector = factories.create_user("inspector", units=("xinhuaxilu",))
    site = factories.create_site("xinhuaxilu", phase="earthwork")
    inspector_headers = auth.headers(inspector)
    old_form = site_form(client, inspector_headers)
    assert client.post("/api/inspections", json=submission(old_form, site),
                       headers=inspector_headers).status_code == 201
    old_v1_id = db.session.scalar(select(ChecklistVersion.id).where(ChecklistVersion.source_key == "six-100"))

    document, version = changed_document(client, admin)
    response = client.post("/api/checklists/sources/six-100/versions",
                           json={"document": document, "base_version": version}, headers=admin)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["created"] is True and body["version"] == version + 1 and body["origin"] == "screen"

    stored = db.session.get(ChecklistVersion, body["version_id"])
    assert stored.origin == "screen" and stored.published_by_id is not None
    assert hoarding(tomllib.loads(stored.raw_text))["text_zh"] == NEW_TEXT  # the TOML it stores is the draft
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "checklist_version_published"))
    assert event.object_id == str(stored.id) and event.before["version"] == version
    assert event.after["changes"]["items"] == {"hoarding": "changed"}

    new_form = site_form(client, inspector_headers)
    item = next(i for i in new_form["items"] if i["key"] == "hoarding")
    assert item["text_zh"] == NEW_TEXT and item["legal_basis"]["fine_max"] == 90000
    assert body["version_id"] in new_form["version_ids"] and old_v1_id not in new_form["version_ids"]
    inspection = db.session.scalar(select(Inspection))
    assert old_v1_id in inspection.checklist_version_ids  # the old inspection keeps the version it was filled with

    toml = client.get(f"/api/checklists/versions/{stored.id}/toml", headers=auth.as_role("supervisor"))
    assert toml.status_code == 200 and 'filename="six-100.toml"' in toml.headers["Content-Disposition"]
    assert hoarding(tomllib.loads(toml.get_data(as_text=True)))["text_zh"] == NEW_TEXT


def test_publishing_the_same_content_twice_stores_one_version(client, admin):
    document, version = changed_document(client, admin)
    first = client.post("/api/checklists/sources/six-100/versions",
                        json={"document": document, "base_version": version}, headers=admin)
    assert first.status_code == 201
    again = client.post("/api/checklists/sources/six-100/versions",
                        json={"document": document, "base_version": version + 1}, headers=admin)
    assert again.status_code == 200 and again.get_json()["created"] is False
    assert again.get_json()["version"] == version + 1
    unchanged = client.post("/api/checklists/sources/six-100/versions",
                            json={"document": six_100(client, admin)["document"]}, headers=admin)
    assert unchanged.status_code == 200 and unchanged.get_json()["version"] == version + 1
    assert len(list(db.session.scalars(select(ChecklistVersion).where(
        ChecklistVersion.source_key == "six-100")))) == 2
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "checklist_version_published")))
    assert len(events) == 1


def test_a_draft_made_from_an_older_version_is_refused(client, admin):
    document, version = changed_document(client, admin)
    assert client.post("/api/checklists/sources/six-100/versions",
                       json={"document": document, "base_version": version}, headers=admin).status_code == 201
    hoarding(document)["text_zh"] = "另一种说法"
    stale = client.post("/api/checklists/sources/six-100/versions",
                        json={"document": document, "base_version": version}, headers=admin)
    assert stale.status_code == 409 and stale.get_json()["code"] == "checklist_draft_stale"
    assert f"版本 {version + 1}" in stale.get_json()["message"]
    assert six_100(client, admin)["version"] == version + 1


def test_a_source_window_change_shows_in_the_diff_and_moves_the_season_in_the_preview(client, admin):
    document = client.get("/api/checklists/sources/ozone-season", headers=admin).get_json()["document"]
    document["source"]["window"] = dict(document["source"]["window"], start="04-15")
    response = client.post("/api/checklists/sources/ozone-season/draft",
                           json={"document": document, "phase": "structure", "at": "2026-04-20T11:00:00"},
                           headers=admin)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["diff"]["items"] == []
    [change] = body["diff"]["source"]
    assert change["field"] == "window" and change["before"]["start"] == "05-01" and change["after"]["start"] == "04-15"
    ozone = [item for item in body["preview"]["items"] if item["from_draft"]]
    assert ozone and all(item["applicable"] for item in ozone)  # 20 April is in the season now

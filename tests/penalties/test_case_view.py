"""One penalty case's page: what it shows and who may see it."""
import pytest

from tests.evidence import images
from tests.inspections.helpers import WINTER_MORNING, veto_key
from tests.penalties.world import case_status


def test_case_view_shows_site_unit_items_legal_basis_evidence_flags_and_history(world):
    key = veto_key(world.form)
    # Far from the site: the inspection carries an off_site flag the case must show.
    data = world.submit(outcomes={key: "fail"}, lat=world.site.lat + 0.05)
    case_id = data["penalty_cases"][0]["id"]
    item = next(i for i in data["items"] if i["key"] == key)
    arrived, pending = item["photo_ids"][0], item["photo_ids"][1:]
    upload = world.client.put(f"/api/inspections/{data['uuid']}/photos/{arrived}",
                              data=images.jpeg(taken_at=WINTER_MORNING.replace(tzinfo=None)),
                              headers=world.headers["inspector"])
    assert upload.status_code == 201, upload.get_json()
    world.move(case_id, "supervisor", "approved", note="移送执法局")

    body = world.case(case_id, role="enforcement").get_json()
    assert body["case_number"].startswith("回民扬尘移〔2026〕")
    assert body["site"]["name"] == world.site.name and body["contractor"] == "呼和浩特某建筑工程有限公司"
    assert body["unit"]["code"] == "xinhuaxilu" and body["unit"]["name"] == "新华西路街道"
    [case_item] = body["items"]
    assert case_item["item_key"] == key and case_item["clause"]
    basis = case_item["legal_basis"]
    assert basis["law"] == "《中华人民共和国大气污染防治法》"
    assert basis["penalty_article"] == "第一百一十五条" and basis["authority"] == "bureau"
    assert case_item["reason_labels"] == ["否决项不合格"]
    assert body["fine_min"] == 10000 and body["fine_max"] == 100000
    assert body["fine_range"] == "罚款幅度 10,000–100,000 元"
    assert body["authority_label"] == "区城管执法局"
    photos = {p["id"]: p for p in body["photos"]}
    assert photos[arrived]["arrived"] is True
    assert photos[arrived]["display_url"] == f"/api/photos/{arrived}/display"
    assert photos[arrived]["thumb_url"] == f"/api/photos/{arrived}/thumb"
    for pid in pending:
        assert photos[pid]["arrived"] is False and photos[pid]["display_url"] is None
    thumb = world.client.get(photos[arrived]["thumb_url"], headers=world.headers["enforcement"])
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert "off_site" in {f["code"] for f in body["flags"]}
    assert all(f["message"] for f in body["flags"])
    assert body["inspection"]["uuid"] == data["uuid"]
    assert [(e["from_status"], e["to_status"], e["note"]) for e in body["history"]] == [
        ("pending_review", "approved", "移送执法局")]
    assert body["next_states"] == ["accepted"]


def test_case_view_speaks_english_when_asked(world):
    case = world.veto_case()
    body = world.case(case.id, lang="en").get_json()
    assert body["status_label"] == "pending review"
    assert body["fine_range"] == "fine range CNY 10,000–100,000"
    assert body["unit"]["name"] == "Xinhua West Road Subdistrict"


def test_next_states_depend_on_the_reader(world):
    case = world.veto_case()
    assert set(world.case(case.id, role="supervisor").get_json()["next_states"]) == {"approved", "dismissed"}
    assert world.case(case.id, role="enforcement").get_json()["next_states"] == []


@pytest.mark.parametrize("role, status", [
    ("supervisor", 200), ("enforcement", 200), ("admin", 200),
    ("far_supervisor", 404), ("inspector", 403),
])
def test_case_view_is_scoped(world, role, status):
    case = world.veto_case()
    assert world.case(case.id, role=role).status_code == status


def test_another_units_supervisor_cannot_move_the_case(world):
    case = world.veto_case()
    response = world.move(case.id, "far_supervisor", "approved")
    assert response.status_code == 404
    assert case_status(case.id) == "pending_review"


def test_unknown_case_is_not_found(world):
    assert world.case(999999).status_code == 404
    assert world.move(999999, "admin", "approved").status_code == 404


def test_case_endpoints_need_a_token(world):
    case = world.veto_case()
    assert world.client.get(f"/api/penalty-cases/{case.id}").status_code == 401
    assert world.client.post(f"/api/penalty-cases/{case.id}/transitions", json={"to": "approved"}).status_code == 401

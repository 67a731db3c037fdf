"""GET /api/penalty-cases/<id>/dossier: a ZIP a legal department can take to court."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

from pypdf import PdfReader

from inspect_app.extensions import db
from inspect_app.penalties.models import PenaltyCase
from tests.evidence.uploads import fresh_jpeg, new_ids, put
from tests.inspections.helpers import submission, veto_key
from tests.suspensions.helpers import STOP_WORK_ITEM, decide_stop_work


def _case_with_photos(world, count=3) -> tuple[PenaltyCase, dict, list[bytes]]:
    key = veto_key(world.form)
    ids = new_ids(count)
    body = submission(world.form, world.site, outcomes={key: "fail"}, photos={key: ids})
    response = world.client.post("/api/inspections", json=body, headers=world.headers["inspector"])
    assert response.status_code == 201, response.get_json()
    pictures = [fresh_jpeg(world.site, quality=80 + n) for n in range(count)]
    for photo_id, data in zip(ids, pictures):
        assert put(world.client, world.headers["inspector"], body["uuid"], photo_id, data).status_code in (200, 201)
    case = db.session.get(PenaltyCase, response.get_json()["penalty_cases"][0]["id"])
    return case, body, pictures


def _dossier(world, case_id, role="enforcement"):
    return world.client.get(f"/api/penalty-cases/{case_id}/dossier", headers=world.headers[role])


def test_the_case_file_holds_cover_inspection_original_photos_with_sums_notice_and_audit(world):
    case, body, pictures = _case_with_photos(world)
    response = _dossier(world, case.id)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.testzip() is None
    names = archive.namelist()
    assert names[0] == "cover.pdf" and "case.json" in names and "audit-events.jsonl" in names

    cover = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("cover.pdf"))).pages)
    assert case.case_number in cover and "呼和浩特某建筑工程有限公司" in cover
    assert "案件经过" in cover and "现场巡查" in cover and world.users["inspector"].display_name in cover

    (page,) = [n for n in names if n.endswith(".html")]
    assert body["uuid"] in page and "<script" not in archive.read(page).decode()
    (inspection_json,) = [n for n in names if n.startswith("inspections/") and n.endswith(".json")]
    assert json.loads(archive.read(inspection_json))["uuid"] == body["uuid"]

    photos = sorted(n for n in names if n.startswith("photos/") and not n.endswith(".txt"))
    assert len(photos) == 3
    assert sorted(archive.read(n) for n in photos) == sorted(pictures)  # the ORIGINAL bytes
    sums = archive.read("photos/SHA256SUMS.txt").decode().splitlines()
    assert sorted(sums) == sorted(f"{hashlib.sha256(archive.read(n)).hexdigest()}  {n}" for n in photos)

    notices = [n for n in names if n.startswith("notices/") and n.endswith(".pdf")]
    assert len(notices) == 1 and archive.read(notices[0]).startswith(b"%PDF")

    events = [json.loads(line) for line in archive.read("audit-events.jsonl").decode().splitlines()]
    actions = {e["action"] for e in events}
    assert {"inspection.submit", "violation.open"} <= actions
    assert all(len(e["entry_hash"]) == 64 for e in events)
    assert [e["seq"] for e in events] == sorted(e["seq"] for e in events)


def test_the_case_file_shows_the_decision_and_the_stop_work_order_and_its_resumption_inspection(world):
    case = decide_stop_work(world, number="回民城管罚决〔2026〕第0042号")
    case.rectification_order = "停止施工，完成围挡和覆盖后申请复工"
    db.session.commit()
    archive = zipfile.ZipFile(io.BytesIO(_dossier(world, case.id).get_data()))
    cover = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("cover.pdf"))).pages)
    assert "回民城管罚决〔2026〕第0042号" in cover and "责令停工整治" in cover
    (order,) = json.loads(archive.read("suspensions.json"))
    assert order["decision_number"] == "回民城管罚决〔2026〕第0042号" and order["status"] == "suspended"
    assert STOP_WORK_ITEM  # the order's check is part of the suspended site's form (tests/suspensions)


def test_the_handing_out_of_a_case_file_is_audited(world):
    case, _, _ = _case_with_photos(world, count=2)
    _dossier(world, case.id)
    from tests.suspensions.helpers import actions
    assert "penalty_case.dossier" in actions("penalty_cases", case.id)


def test_who_may_take_a_case_file(world):
    case, _, _ = _case_with_photos(world, count=2)
    assert _dossier(world, case.id, "inspector").status_code == 403
    assert _dossier(world, case.id, "far_supervisor").status_code == 404
    assert _dossier(world, case.id, "supervisor").status_code == 200
    assert _dossier(world, 999999).status_code == 404
    assert world.client.get(f"/api/penalty-cases/{case.id}/dossier").status_code == 401


def test_a_photo_missing_from_storage_still_gives_a_file_whose_list_says_so(world, app):
    case, _, _ = _case_with_photos(world, count=2)
    from inspect_app.core.storage import get_storage
    from inspect_app.evidence.models import Photo
    photo = db.session.scalars(db.select(Photo).where(Photo.inspection_id == case.inspection_id)).first()
    get_storage().delete(photo.original_key)
    archive = zipfile.ZipFile(io.BytesIO(_dossier(world, case.id).get_data()))
    sums = archive.read("photos/SHA256SUMS.txt").decode()
    assert f"# stored record says {photo.sha256}" in sums

"""送达: a notice is served exactly once — signed or refused on the phone against the inspection's UUID,
or by mail / left at the site from the desk — and its picture is stored as evidence with its SHA-256."""
from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.notices.models import Notice, NoticeService
from tests import factories
from tests.evidence import images
from tests.evidence.uploads import fresh_jpeg, photo_files
from tests.inspections.helpers import WINTER_MORNING, submission
from tests.racing import race_threads

SERVED_AT = WINTER_MORNING + timedelta(minutes=25)  # five minutes after the inspection finished
OCTET = {"Content-Type": "application/octet-stream"}


def signature_png(size=(900, 360)) -> bytes:
    """What the phone's signature pad exports: a transparent PNG with strokes on it."""
    return images.png(size, mode="RGBA")


def signed(**extra) -> dict:
    body = {"uuid": str(uuid.uuid4()), "method": "signed", "signer_name": "李建国", "signer_role": "项目经理",
            "served_at": SERVED_AT.isoformat(), "evidence_id": str(uuid.uuid4()),
            "gps": {"lat": 40.8201, "lon": 111.6502, "accuracy_m": 9.0}}
    body.update(extra)
    return body


def refused(**extra) -> dict:
    body = {"uuid": str(uuid.uuid4()), "method": "refused", "witness_name": "赵见证",
            "note": "施工单位负责人拒绝签字", "served_at": SERVED_AT.isoformat(), "evidence_id": str(uuid.uuid4())}
    body.update(extra)
    return body


@pytest.fixture
def inspection(form, site, submit) -> dict:
    """A submitted inspection failing hoarding and idle cover: its notice is issued."""
    body = submission(form, site, outcomes={"hoarding": "fail", "idle_area_cover": "fail"})
    submit(body)
    return body


@pytest.fixture
def notice(inspection) -> Notice:
    return db.session.scalar(select(Notice))


def serve(client, headers, inspection_uuid, body):
    return client.put(f"/api/inspections/{inspection_uuid}/service", json=body, headers=headers)


def upload(client, headers, service_uuid, data):
    return client.put(f"/api/notice-services/{service_uuid}/evidence", data=data, headers={**headers, **OCTET})


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


# ---- exactly once ----

def test_the_phone_serves_the_notice_by_the_inspections_uuid_and_a_replay_is_the_same_record(
        client, headers, inspection, notice):
    body = signed()
    first = serve(client, headers, inspection["uuid"], body)
    assert first.status_code == 201, first.get_json()
    record = first.get_json()
    assert record["uuid"] == body["uuid"] and record["notice_id"] == notice.id
    assert record["number"] == notice.number and record["method"] == "signed"
    assert record["evidence_missing"] is True  # the signature is uploaded next
    again = serve(client, headers, inspection["uuid"], {**body, "signer_name": " 李建国 ".strip()})
    assert again.status_code == 200 and again.get_json()["uuid"] == body["uuid"]
    assert db.session.scalar(select(db.func.count()).select_from(NoticeService)) == 1
    assert audit_actions().count("notice.serve") == 1


def test_the_same_uuid_with_other_content_is_a_conflict(client, headers, inspection):
    body = signed()
    assert serve(client, headers, inspection["uuid"], body).status_code == 201
    response = serve(client, headers, inspection["uuid"], {**body, "signer_name": "别人"})
    assert response.status_code == 409 and response.get_json()["code"] == "service_conflict"


def test_a_notice_is_served_once_a_second_record_is_refused(client, headers, inspection):
    assert serve(client, headers, inspection["uuid"], signed()).status_code == 201
    response = serve(client, headers, inspection["uuid"], refused())
    assert response.status_code == 409 and response.get_json()["code"] == "notice_already_served"
    assert db.session.scalar(select(db.func.count()).select_from(NoticeService)) == 1


def test_identical_records_racing_store_one(app, headers, inspection):
    body = signed()
    request = ("PUT", f"/api/inspections/{inspection['uuid']}/service", {"json": body, "headers": headers})
    statuses = race_threads(app, [request] * 4)
    assert sorted(statuses) == [200, 200, 200, 201]
    assert db.session.scalar(select(db.func.count()).select_from(NoticeService)) == 1


# ---- what is refused ----

def test_an_inspection_without_a_notice_has_nothing_to_serve(client, headers, form, site, submit):
    body = submission(form, site)  # everything passes
    submit(body)
    response = serve(client, headers, body["uuid"], signed())
    assert response.status_code == 422 and response.get_json()["code"] == "service_no_notice"


def test_an_inspection_not_on_the_server_is_not_found(client, headers, inspection):
    response = serve(client, headers, str(uuid.uuid4()), signed())
    assert response.status_code == 404


def test_another_units_inspector_cannot_serve_the_notice(client, auth, checklists, inspection):
    other = factories.create_user("inspector", units=("zhongshanxilu",))
    response = serve(client, auth.headers(other), inspection["uuid"], signed())
    assert response.status_code == 404
    colleague = factories.create_user("inspector", units=("xinhuaxilu",))  # same unit, not their inspection
    assert serve(client, auth.headers(colleague), inspection["uuid"], signed()).status_code == 404
    assert db.session.scalar(select(db.func.count()).select_from(NoticeService)) == 0


@pytest.mark.parametrize("change, field", [
    ({"signer_name": ""}, "signer_name"),
    ({"signer_role": None}, "signer_role"),
    ({"method": "mail"}, "method"),
    ({"evidence_id": None}, "evidence_id"),
    ({"served_at": "2026-11-25T10:00:00"}, "served_at"),  # no offset
])
def test_a_signed_record_names_signer_and_role_and_declares_its_picture(client, headers, inspection, change, field):
    body = signed(**change)
    body = {k: v for k, v in body.items() if v is not None}
    response = serve(client, headers, inspection["uuid"], body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["details"]["json"]


def test_a_refusal_needs_a_witness(client, headers, inspection):
    body = refused()
    del body["witness_name"]
    response = serve(client, headers, inspection["uuid"], body)
    assert response.status_code == 422 and "witness_name" in response.get_json()["details"]["json"]


@pytest.mark.parametrize("served_at", [WINTER_MORNING - timedelta(hours=2), WINTER_MORNING + timedelta(days=3650)])
def test_a_time_of_service_before_the_inspection_or_in_the_future_is_refused(client, headers, inspection, served_at):
    response = serve(client, headers, inspection["uuid"], signed(served_at=served_at.isoformat()))
    assert response.status_code == 422 and response.get_json()["code"] == "service_time_invalid"


def test_a_void_notice_cannot_be_served(client, headers, inspection, notice):
    notice.status = "void"
    db.session.commit()
    response = serve(client, headers, inspection["uuid"], signed())
    assert response.status_code == 409 and response.get_json()["code"] == "service_notice_void"


# ---- the picture ----

def test_the_signature_is_stored_as_evidence_with_its_sha256_and_a_replay_is_accepted(
        app, client, headers, inspection, notice):
    body = signed()
    serve(client, headers, inspection["uuid"], body)
    data = signature_png()
    response = upload(client, headers, body["uuid"], data)
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert record["evidence_sha256"] == hashlib.sha256(data).hexdigest()
    assert record["evidence_format"] == "png" and record["evidence_missing"] is False
    assert upload(client, headers, body["uuid"], data).status_code == 200
    other = upload(client, headers, body["uuid"], signature_png((800, 300)))
    assert other.status_code == 409 and other.get_json()["code"] == "service_evidence_conflict"
    stored = client.get(f"/api/notices/{notice.id}/service/evidence", headers=headers)
    assert stored.status_code == 200 and stored.data == data and stored.mimetype == "image/png"
    assert "notice.service_evidence" in audit_actions()


@pytest.mark.parametrize("data, status, code", [
    (b"", 422, "service_evidence_empty"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * (20 * 1024 * 1024), 413, "signature_too_large"),
    (images.jpeg((900, 360)), 415, "signature_not_png"),
    (b"%PDF-1.7 not a picture at all", 415, "signature_not_png"),
    (images.png((12, 8)), 422, "signature_bad_size"),
    (images.png_blank(5000, 40), 422, "signature_bad_size"),
    (images.png_declaring(30000, 30000), 422, "image_too_many_pixels"),
])
def test_a_bad_signature_is_refused_with_a_clear_code_and_nothing_is_stored(
        app, client, headers, inspection, data, status, code):
    body = signed()
    serve(client, headers, inspection["uuid"], body)
    before = photo_files(app)
    response = upload(client, headers, body["uuid"], data)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["code"] == code
    assert response.get_json()["message"]  # a sentence, not a code
    assert photo_files(app) == before
    assert db.session.scalar(select(NoticeService)).evidence_key is None


def test_a_refusal_is_recorded_with_a_witness_and_a_photo(client, headers, inspection, notice, site):
    body = refused()
    assert serve(client, headers, inspection["uuid"], body).status_code == 201
    png = upload(client, headers, body["uuid"], images.png((800, 600)))
    assert png.status_code == 415 and png.get_json()["code"] == "refusal_photo_format"
    photo = fresh_jpeg(site)
    response = upload(client, headers, body["uuid"], photo)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["evidence_sha256"] == hashlib.sha256(photo).hexdigest()
    view = client.get(f"/api/notices/{notice.id}", headers=headers).get_json()
    assert view["served"] is True
    assert view["service"]["method"] == "refused" and view["service"]["witness_name"] == "赵见证"


def test_only_the_recording_inspector_uploads_the_picture(client, auth, checklists, headers, inspection):
    body = signed()
    serve(client, headers, inspection["uuid"], body)
    colleague = factories.create_user("inspector", units=("xinhuaxilu",))
    assert upload(client, auth.headers(colleague), body["uuid"], signature_png()).status_code == 404


# ---- from the desk ----

def desk(**extra) -> dict:
    body = {"uuid": str(uuid.uuid4()), "method": "mail", "note": "EMS 1234567890123 寄往施工单位",
            "served_at": (WINTER_MORNING + timedelta(days=1)).isoformat()}
    body.update(extra)
    return body


def test_a_supervisor_records_service_by_mail_from_the_desk(client, auth, notice):
    supervisor = auth.headers(factories.create_user("supervisor", units=("xinhuaxilu",)))
    body = desk()
    response = client.post(f"/api/notices/{notice.id}/service", json=body, headers=supervisor)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["channel"] == "desk" and response.get_json()["method_label"]
    assert client.post(f"/api/notices/{notice.id}/service", json=body, headers=supervisor).status_code == 200
    left = client.post(f"/api/notices/{notice.id}/service", json=desk(method="left"), headers=supervisor)
    assert left.status_code == 409 and left.get_json()["code"] == "notice_already_served"
    assert client.get(f"/api/notices/{notice.id}/service", headers=supervisor).get_json()["method"] == "mail"


def test_desk_service_needs_a_note_a_desk_method_and_a_supervisor_of_the_unit(client, auth, headers, notice):
    supervisor = auth.headers(factories.create_user("supervisor", units=("xinhuaxilu",)))
    url = f"/api/notices/{notice.id}/service"
    assert client.post(url, json={**desk(), "note": ""}, headers=supervisor).status_code == 422
    assert client.post(url, json=desk(method="signed"), headers=supervisor).status_code == 422
    assert client.post(url, json=desk(), headers=headers).status_code == 403  # an inspector
    elsewhere = auth.headers(factories.create_user("supervisor", units=("zhongshanxilu",)))
    assert client.post(url, json=desk(), headers=elsewhere).status_code == 404
    assert client.get(url, headers=supervisor).status_code == 404  # not served yet


# ---- the paper and the verify page ----

def test_the_pdf_shows_the_service_once_it_exists_and_the_verify_page_tells_earlier_from_current(
        client, headers, inspection, notice):
    from tests.notices.test_pdf_and_api import pdf_text
    from tests.notices.test_verify import page_text, upload as upload_pdf

    before = client.get(f"/api/notices/{notice.id}.pdf", headers=headers)
    assert "尚未送达" in pdf_text(before.data)
    body = signed()
    serve(client, headers, inspection["uuid"], body)
    data = signature_png()
    upload(client, headers, body["uuid"], data)
    after = client.get(f"/api/notices/{notice.id}.pdf", headers=headers)
    assert after.headers["X-Content-SHA256"] != before.headers["X-Content-SHA256"]
    text = pdf_text(after.data).replace("\n", "")
    for expected in ("已送达", "当场签收", "李建国（项目经理）", "2026年11月25日 09:55", "北纬 40.82010",
                     "签收人签名", hashlib.sha256(data).hexdigest()[:16]):
        assert expected in text.replace(" ", "") or expected in text, expected
    assert "尚未送达" not in text

    page = client.get(f"/v/{notice.token}")
    shown = page_text(page)
    assert "已送达（当场签收，2026年11月25日 09:55）" in shown
    assert "李建国" not in shown and "项目经理" not in shown  # no personal names on the public page
    assert hashlib.sha256(data).hexdigest() in shown
    assert shown.count("当前版本") == 1 and shown.count("较早版本") == 1

    old = page_text(upload_pdf(client, f"/v/{notice.token}", before.data))
    assert "与记录一致" in old and "较早版本" in old and "此后记录已更新（已送达）" in old
    new = page_text(upload_pdf(client, f"/v/{notice.token}", after.data))
    assert "与记录一致" in new and "此后记录已更新" not in new


def test_an_unserved_notice_says_so_on_the_verify_page(client, notice):
    from tests.notices.test_verify import page_text

    assert "尚未送达" in page_text(client.get(f"/v/{notice.token}"))

"""The case file holds each 送达 record's signature or refusal photo, byte for byte, in the SHA-256 manifest."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

from sqlalchemy import select

from inspect_app.extensions import db
from inspect_app.notices.models import Notice
from inspect_app.penalties.models import PenaltyCase
from tests.evidence.uploads import fresh_jpeg
from tests.inspections.helpers import submission, veto_key
from tests.notices.test_service import refused, serve, signature_png, signed, upload


def _case(world) -> tuple[PenaltyCase, dict]:
    body = submission(world.form, world.site, outcomes={veto_key(world.form): "fail"})
    response = world.client.post("/api/inspections", json=body, headers=world.headers["inspector"])
    assert response.status_code == 201, response.get_json()
    return db.session.get(PenaltyCase, response.get_json()["penalty_cases"][0]["id"]), body


def _archive(world, case_id) -> zipfile.ZipFile:
    response = world.client.get(f"/api/penalty-cases/{case_id}/dossier", headers=world.headers["enforcement"])
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.testzip() is None
    return archive


def _served(world, inspection_uuid: str, record: dict, picture: bytes) -> None:
    headers = world.headers["inspector"]
    assert serve(world.client, headers, inspection_uuid, record).status_code == 201
    assert upload(world.client, headers, record["uuid"], picture).status_code == 201


def test_the_signature_image_is_in_the_case_file_with_its_sha256(world):
    case, body = _case(world)
    signature = signature_png()
    _served(world, body["uuid"], signed(), signature)
    notice = db.session.scalar(select(Notice))
    archive = _archive(world, case.id)
    path = f"notices/{notice.id}-service-signature.png"
    assert archive.read(path) == signature  # the bytes as uploaded, not the PDF's thumbnail
    digest = hashlib.sha256(signature).hexdigest()
    assert f"{digest}  {path}" in archive.read("photos/SHA256SUMS.txt").decode().splitlines()
    service = json.loads(archive.read(f"notices/{notice.id}-service.json"))
    assert service["evidence_sha256"] == digest and service["evidence_file"] == path
    assert service["evidence_format"] == "png" and service["method"] == "signed"


def test_a_refusal_photo_is_in_the_case_file_and_a_record_without_its_picture_yet_has_none(world):
    case, body = _case(world)
    record = refused()
    headers = world.headers["inspector"]
    assert serve(world.client, headers, body["uuid"], record).status_code == 201
    notice = db.session.scalar(select(Notice))
    pending = _archive(world, case.id)
    assert not [n for n in pending.namelist() if n.startswith(f"notices/{notice.id}-service-")]
    assert json.loads(pending.read(f"notices/{notice.id}-service.json"))["evidence_file"] is None

    photo = fresh_jpeg(world.site)
    assert upload(world.client, headers, record["uuid"], photo).status_code == 201
    archive = _archive(world, case.id)
    path = f"notices/{notice.id}-service-refusal-photo.jpg"
    assert archive.read(path) == photo
    sums = archive.read("photos/SHA256SUMS.txt").decode().splitlines()
    assert f"{hashlib.sha256(photo).hexdigest()}  {path}" in sums

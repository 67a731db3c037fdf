"""The notice as people see it, for the README: the phone form tags an observation (the haul route) as
not scored; a notice served on the spot — its PDF's first page (pdftoppm) and the public verify page a
QR code opens, on a phone. With UPDATE_SCREENSHOTS=1 the pictures go to docs/screenshots."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import uuid as uuidlib
from datetime import datetime, timedelta

import pytest
from PIL import Image

from inspect_app.demo.history import _signature
from tests.browser import flows, seed
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

HAUL_ROUTE = "haul_route_paved_cleaned"
FAILED = {"material_cover": "东侧砂石料堆约200平方米未覆盖", "vehicle_washing": "出口冲洗设备停用，车辆带泥上路"}


def _target(tmp_path):
    target = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    return target


def test_the_phone_form_tags_the_haul_route_as_an_observation_that_is_not_scored(page):
    flows.open_app(page)
    flows.log_in(page)
    flows.open_nearest_site(page)
    tags = page.locator("section.item .tag.observation")
    assert tags.count() == 1
    card = page.locator(f"#item-{HAUL_ROUTE}")
    assert card.locator(".tag.observation").inner_text() == "观察项 · 不计分"
    assert "不计入得分" in card.inner_text() and "政府及道路管理单位" in card.inner_text()
    assert page.locator("#item-material_cover .tag.observation").count() == 0


def _served_notice(api, camera) -> dict:
    """A site inspection failing two items (with photos), its notice signed for on the spot."""
    site = next(s for s in seed.sites_of(api, count=30) if s["phase"] in ("earthwork", "foundation", "structure"))
    form = api.get("/api/checklists")["site"]
    now = datetime.now(seed.SHANGHAI).replace(microsecond=0)
    started = now - timedelta(minutes=25)
    answers, photos = [], {}
    for item in (i for i in form["items"] if seed._applies(i, site["phase"], started)):
        if item["key"] in FAILED:
            ids = [str(uuidlib.uuid4()) for _ in range(max(item["photos_on_fail"], 1))]
            photos.update({pid: camera() for pid in ids})
            answers.append({"key": item["key"], "outcome": "fail", "note": FAILED[item["key"]], "photo_ids": ids})
        else:
            answers.append({"key": item["key"], "outcome": "pass", "note": "", "photo_ids": []})
    gps = {"lat": site["lat"], "lon": site["lon"], "accuracy_m": 8.0, "datum": "WGS84"}
    body = {"uuid": str(uuidlib.uuid4()), "site_id": site["id"], "checklist_version_ids": form["version_ids"],
            "started_at": started.isoformat(), "finished_at": now.isoformat(), "gps_start": gps,
            "gps_finish": gps, "items": answers}
    assert api.post("/api/inspections", body).status_code == 201
    headers = api.headers("inspector")
    for pid, data in photos.items():
        put = api.client.put(f"/api/inspections/{body['uuid']}/photos/{pid}", data=data,
                             headers={**headers, "Content-Type": "image/jpeg"})
        assert put.status_code == 201, put.get_json()
    service = {"uuid": str(uuidlib.uuid4()), "method": "signed", "signer_name": "刘建国", "signer_role": "项目经理",
               "served_at": now.isoformat(), "evidence_id": str(uuidlib.uuid4()),
               "gps": {"lat": site["lat"], "lon": site["lon"], "accuracy_m": 10.0}}
    recorded = api.client.put(f"/api/inspections/{body['uuid']}/service", json=service, headers=headers)
    assert recorded.status_code == 201, recorded.get_json()
    signature = api.client.put(f"/api/notice-services/{service['uuid']}/evidence", data=_signature(),
                               headers={**headers, "Content-Type": "image/png"})
    assert signature.status_code == 201, signature.get_json()
    notices = api.get("/api/notices?page_size=100")["items"]
    return next(n for n in notices if n["inspection"] == body["uuid"])


def test_a_served_notice_its_pdf_first_page_and_the_public_verify_page(page, api, camera, tmp_path):
    target = _target(tmp_path)
    notice = _served_notice(api, camera)
    response = api.client.get(f"/api/notices/{notice['id']}.pdf", headers=api.headers("inspector"))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.data
    notice = api.get(f"/api/notices/{notice['id']}")
    token = notice["verify_url"].rstrip("/").rsplit("/", 1)[1]

    page.goto(f"/v/{token}")
    assert page.inner_text("#number") == notice["number"]
    assert page.inner_text("#served").startswith("已送达")
    text = page.inner_text("body")
    assert hashlib.sha256(pdf).hexdigest() in text
    assert "刘建国" not in text  # no personal names on the public page
    assert len(notice["items"]) == 2
    for item in notice["items"]:
        assert item["text_zh"] in text and item["deadline_date"] in text
    page.screenshot(path=str(target / "verify-page.png"), full_page=False)

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        # .ci/run installs poppler-utils; like a missing Chromium, its absence fails CI instead of skipping
        reason = "pdftoppm (poppler-utils) is not installed"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    (tmp_path / "notice.pdf").write_bytes(pdf)
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(tmp_path / "notice.pdf"), str(target / "notice-pdf")], check=True, timeout=60)
    with Image.open(target / "notice-pdf.png") as first_page:
        width, height = first_page.size
    assert abs(width - 496) <= 1 and abs(height - 702) <= 1  # A4 at 60 dpi

"""送达 on the phone (Pixel 7): fail two items, finish, the site manager signs with a finger (a mouse drag
here) while the phone is offline; back online, the outbox sends the inspection, then the service record
and its signature — exactly once. A refusal is recorded with a witness and a photo."""
from __future__ import annotations

import hashlib
import io

import pypdf
import pytest
from sqlalchemy import func, select

from tests.browser import flows
from tests.browser.test_csp import RECORD_VIOLATIONS

pytestmark = pytest.mark.browser

SERVE_CACHED = """async () => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    if (await cache.match(new URL('view-serve.js', location.href).href)
        && await cache.match(new URL('vendor/signature_pad.min.js', location.href).href)) return true;
  }
  return false;
}"""
ALL_SENT = """n => { const items = [...document.querySelectorAll('.outbox-item')];
  return items.length >= n && items.every((el) => el.dataset.state === 'sent'); }"""


def fail_items(page, camera, count: int) -> list[str]:
    """Fail the first ``count`` items with the photos their rules need, pass the rest."""
    keys = flows.item_keys(page)
    for key in keys[:count]:
        flows.answer(page, key, "fail")
        needed = int(page.get_attribute(f"#item-{key}", "data-photos-on-fail") or 0)
        flows.attach_photos(page, key, camera, max(needed, 1))
    for key in keys[count:]:
        flows.answer(page, key, "pass")
    return keys[:count]


def sign_with_finger(page):
    """Draw a signature across the pad: press, move in small steps, lift (as a finger does)."""
    box = page.locator("#signature-pad").bounding_box()
    x0, y0 = box["x"] + 20, box["y"] + box["height"] * 0.6
    page.mouse.move(x0, y0)
    page.mouse.down()
    for step in range(1, 25):
        page.mouse.move(x0 + step * (box["width"] - 60) / 24, y0 - (30 if step % 6 < 3 else -10), steps=2)
    page.mouse.up()
    page.mouse.move(x0 + 40, y0 - 50)
    page.mouse.down()
    page.mouse.move(x0 + 60, y0 + 30, steps=6)
    page.mouse.up()


def notice_of(live_app, inspection_uuid: str):
    """(notice count for the inspection, service count for it, the notice id) straight from the database."""
    from inspect_app.inspections.models import Inspection
    from inspect_app.notices.models import Notice, NoticeService

    from inspect_app.extensions import db

    with live_app.app_context():
        inspection_id = db.session.scalar(select(Inspection.id).where(Inspection.uuid == inspection_uuid))
        notices = db.session.scalars(select(Notice.id).where(Notice.inspection_id == inspection_id)).all()
        services = db.session.scalar(select(func.count()).select_from(NoticeService)
                                     .where(NoticeService.notice_id.in_(notices)))
        return len(notices), services, notices[0] if notices else None


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).replace("\n", "")


def long_date(iso: str) -> str:
    year, month, day = (int(part) for part in iso[:10].split("-"))
    return f"{year}年{month}月{day}日"


def test_signed_on_a_360px_phone_offline_is_sent_exactly_once_and_shown_on_the_pdf(
        context, page, api, live_app, camera, screenshot):
    page.set_viewport_size({"width": 360, "height": 780})
    page.add_init_script(RECORD_VIOLATIONS)  # the pad and its screen work under the app's strict CSP
    flows.open_app(page)
    flows.log_in(page)
    flows.wait_for_service_worker(page)
    page.wait_for_function(SERVE_CACHED, polling=200)  # warmed for offline use right after login
    page.wait_for_timeout(300)  # the checklists are fetched right after login

    context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-ready='1']")
    page.wait_for_selector("#offline-banner")
    uuid = flows.open_nearest_site(page)
    failed = fail_items(page, camera, 2)
    flows.finish(page)
    flows.wait_for_state(page, uuid, "waiting")

    page.click(f"#serve-{uuid}")
    page.wait_for_selector("#signature-pad")
    assert page.locator("#serve-items li").count() == 2
    box = page.locator("#signature-pad").bounding_box()
    assert 300 <= box["width"] <= 360, box  # the whole width of a 360 px screen, inside its margins
    page.click("#serve-save")  # nothing signed yet
    assert "请先签名" in page.inner_text("#serve-message")
    sign_with_finger(page)
    page.fill("#signer-name", "李建国")
    page.fill("#signer-role", "项目经理")
    assert page.inner_text("#serve-message") == ""  # the refusal went once the signer began
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "serve-signature")
    page.click("#serve-save")
    page.wait_for_selector(f".outbox-item[data-uuid='{uuid}']")
    # the inspection and its 送达 record both wait (the list may render the second a moment later)
    page.wait_for_function("() => document.querySelectorAll(\".outbox-item[data-state='waiting']\").length === 2",
                           timeout=10_000)
    assert page.locator(f"#serve-{uuid}").count() == 0  # served: no longer offered
    assert notice_of(live_app, uuid)[0] == 0  # nothing reached the server while offline

    context.set_offline(False)  # the `online` event sends the inspection, then the service
    page.wait_for_function(ALL_SENT, arg=2, timeout=30_000)
    assert page.evaluate("window.__cspViolations") == []
    notices, services, notice_id = notice_of(live_app, uuid)
    assert (notices, services) == (1, 1)

    notice = api.get(f"/api/notices/{notice_id}")
    service = notice["service"]
    assert notice["served"] is True and service["method"] == "signed"
    assert (service["signer_name"], service["signer_role"]) == ("李建国", "项目经理")
    assert service["evidence_missing"] is False and service["evidence_format"] == "png"
    assert service["lat"] is not None  # the place, from the phone's GPS
    signature = api.client.get(f"/api/notices/{notice_id}/service/evidence", headers=api.headers())
    assert signature.status_code == 200 and signature.data.startswith(b"\x89PNG")
    assert hashlib.sha256(signature.data).hexdigest() == service["evidence_sha256"]
    assert len(signature.data) > 1000  # strokes, not an empty canvas

    pdf = api.client.get(f"/api/notices/{notice_id}.pdf", headers=api.headers())
    assert pdf.status_code == 200
    text = pdf_text(pdf.data)
    assert notice["number"] in text and notice["site"]["name"] in text
    assert [item["item_key"] for item in notice["items"]] == failed
    for item in notice["items"]:
        assert item["text_zh"] in text and long_date(item["deadline_date"]) in text
    for expected in ("已送达", "当场签收", "李建国（项目经理）", "签收人签名"):
        assert expected in text, expected
    assert "尚未送达" not in text


def test_a_refusal_with_witness_and_photo_is_recorded(page, api, live_app, camera, screenshot):
    flows.open_app(page)
    flows.log_in(page)
    uuid = flows.open_nearest_site(page)
    fail_items(page, camera, 1)
    flows.finish(page)
    page.click(f"#serve-{uuid}")
    page.click("label[data-method='refused']")
    page.wait_for_selector("#serve-refused:not([hidden])")
    page.click("#serve-save")
    assert "见证人" in page.inner_text("#serve-message")
    page.fill("#witness-name", "赵见证")
    page.set_input_files("#refusal-photo", {"name": "refusal.jpg", "mimeType": "image/jpeg", "buffer": camera()})
    page.wait_for_selector("#refusal-thumb img")
    page.fill("#serve-note", "项目经理拒绝签字")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "serve-refusal")
    page.click("#serve-save")
    page.wait_for_function(ALL_SENT, arg=1, timeout=30_000)
    page.wait_for_selector(".outbox-item[data-state='sent'] >> text=送达")

    notices, services, notice_id = notice_of(live_app, uuid)
    assert (notices, services) == (1, 1)
    service = api.get(f"/api/notices/{notice_id}")["service"]
    assert service["method"] == "refused" and service["witness_name"] == "赵见证"
    assert service["note"] == "项目经理拒绝签字"
    assert service["evidence_format"] == "jpeg" and service["evidence_missing"] is False
    text = pdf_text(api.client.get(f"/api/notices/{notice_id}.pdf", headers=api.headers()).data)
    assert "拒绝签收（见证人在场）" in text and "赵见证" in text and "拒签现场照片" in text

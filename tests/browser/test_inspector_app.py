"""The inspector's phone app end to end in Chromium: online, offline, interrupted, retried, refused."""
from __future__ import annotations

import json

import pytest

from tests.browser import flows

pytestmark = pytest.mark.browser


def test_online_inspection_with_failed_item_photo_reaches_server_scored_with_violation(
        page, api, camera, screenshot):
    flows.open_app(page)
    screenshot(page, "login")
    flows.log_in(page)
    screenshot(page, "sites")
    uuid = flows.open_nearest_site(page)
    page.wait_for_selector("#gps-status:has-text('GPS')")
    keys = flows.item_keys(page)
    # The other flows fail the first item; this one opens a fresh violation with the last item that
    # can open one (an observation about the surroundings, such as the haul route, never does).
    observations = {i["key"] for i in api.get("/api/checklists")["site"]["items"] if i.get("observation")}
    failed_key = [key for key in keys if key not in observations][-1]
    flows.fill_form(page, camera, fail_key=failed_key)
    assert page.inner_text("#progress-text") == f"已完成 {len(keys)}/{len(keys)} 项"
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "form")

    flows.finish(page)
    flows.wait_for_state(page, uuid, "sent")
    screenshot(page, "outbox")

    inspection = api.get(f"/api/inspections/{uuid}")
    assert inspection["completeness"] == "complete"
    assert inspection["score"] is not None and inspection["score"] < 100
    failed = [i for i in inspection["items"] if i["outcome"] == "fail"]
    assert [i["key"] for i in failed] == [failed_key]
    assert len(failed[0]["photo_ids"]) >= 1
    assert len(inspection["items"]) == len(keys)
    assert inspection["violations_opened"] == 1
    violations = api.get(f"/api/violations?site_id={inspection['site']['id']}&status=open")["items"]
    assert [v["item_key"] for v in violations if v["opened_by"] == uuid] == [failed_key]

    page.click("nav a[href='#/mine']")
    page.wait_for_selector(f".mine-item[data-uuid='{uuid}']")
    assert "得分" in page.inner_text(f".mine-item[data-uuid='{uuid}']")
    screenshot(page, "my-inspections")


def test_offline_inspection_waits_in_outbox_and_syncs_by_itself_exactly_once(context, page, api, camera):
    before = api.my_inspection_count()
    flows.open_app(page)
    flows.log_in(page)
    flows.wait_for_service_worker(page)
    page.wait_for_function("() => indexedDB.databases().then(() => true)")
    page.wait_for_timeout(300)  # the checklists are fetched right after login

    context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-ready='1']")
    page.wait_for_selector("#offline-banner")
    uuid = flows.open_nearest_site(page)
    flows.fill_form(page, camera)
    flows.finish(page)
    flows.wait_for_state(page, uuid, "waiting")
    assert "离线" in page.inner_text("#outbox-summary")
    assert api.my_inspection_count() == before

    context.set_offline(False)  # no tap: the `online` event starts sending
    flows.wait_for_state(page, uuid, "sent")
    assert api.my_inspection_count() == before + 1
    assert api.get(f"/api/inspections/{uuid}")["completeness"] == "complete"


def test_closing_the_page_mid_inspection_keeps_the_draft(context, page, camera):
    flows.open_app(page)
    flows.log_in(page)
    uuid = flows.open_nearest_site(page)
    assert page.get_attribute("nav a[aria-current=page]", "href") == "#/sites"  # a site form is under 巡查
    keys = flows.item_keys(page)
    flows.answer(page, keys[0], "fail")
    flows.attach_photos(page, keys[0], camera, 1)
    flows.answer(page, keys[1], "pass")
    page.click(f"#add-more-{keys[1]}")  # a passed card is compact: its note opens on demand
    page.fill(f"#note-{keys[1]}", "东侧围挡完好")
    page.locator(f"#note-{keys[1]}").blur()
    page.wait_for_timeout(300)
    page.close()

    again = context.new_page()
    flows.open_app(again)
    again.wait_for_selector(f"#drafts .draft[data-draft='{uuid}']")
    again.click(f"#drafts .draft[data-draft='{uuid}']")
    again.wait_for_selector("section.item")
    assert again.is_checked(f"#item-{keys[0]} input[value=fail]")
    assert again.is_checked(f"#item-{keys[1]} input[value=pass]")
    assert again.input_value(f"#note-{keys[1]}") == "东侧围挡完好"
    assert again.locator(f"#item-{keys[0]} .thumb img").count() == 1
    assert "2/" in again.inner_text("#progress-text")


def test_dropped_connection_on_submit_and_photo_retries_without_duplicates(page, api, camera):
    before = api.my_inspection_count()
    dropped = {"post": 0, "put": 0}

    def drop_first_post_response(route):
        # The server stores the inspection but the phone never hears back.
        if route.request.method == "POST" and not dropped["post"]:
            dropped["post"] += 1
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    def drop_first_photo(route):
        if not dropped["put"]:
            dropped["put"] += 1
            route.abort("connectionreset")
        else:
            route.continue_()

    flows.open_app(page)
    flows.log_in(page)
    page.route("**/api/inspections", drop_first_post_response)
    page.route("**/api/inspections/*/photos/*", drop_first_photo)
    uuid = flows.open_nearest_site(page)
    flows.fill_form(page, camera)
    flows.finish(page)
    flows.wait_for_state(page, uuid, "sent", timeout=60_000)

    assert dropped == {"post": 1, "put": 1}
    assert api.my_inspection_count() == before + 1
    inspection = api.get(f"/api/inspections/{uuid}")
    assert inspection["completeness"] == "complete"
    assert inspection["missing_photos"] == []


def test_server_refusal_shows_needs_attention_with_message_and_keeps_local_copy(
        page, api, camera, screenshot, dialogs):
    before = api.my_inspection_count()
    taken = {}

    def someone_else_first(route):
        # Another submission with the same UUID but different content reaches the server first.
        body = json.loads(route.request.post_data)
        if not taken:
            other = dict(body, items=[{**i, "outcome": "pass", "note": "另一份内容", "photo_ids": []}
                                      for i in body["items"]])
            res = api.post("/api/inspections", other)
            taken["status"] = res.status_code
        route.continue_()

    flows.open_app(page)
    flows.log_in(page)
    page.route("**/api/inspections", someone_else_first)
    uuid = flows.open_nearest_site(page)
    flows.fill_form(page, camera)
    flows.finish(page)
    flows.wait_for_state(page, uuid, "attention")

    assert taken["status"] == 201
    card = page.locator(f".outbox-item[data-uuid='{uuid}']")
    assert "需要处理" in card.inner_text()
    message = card.locator(".server-message").inner_text()
    assert message and message != "inspection_conflict"
    screenshot(page, "outbox-needs-attention")
    assert api.my_inspection_count() == before + 1  # only the other one

    page.reload()
    page.wait_for_selector(f".outbox-item[data-uuid='{uuid}'][data-state='attention']")
    kept = page.evaluate("""uuid => new Promise((resolve) => {
        const open = indexedDB.open('inspect-pwa');
        open.onsuccess = () => {
          const req = open.result.transaction('outbox').objectStore('outbox').get(uuid);
          req.onsuccess = () => resolve(req.result ? {state: req.result.state, items: req.result.body.items.length,
                                                      photos: req.result.photo_ids.length} : null);
        };
    })""", uuid)
    assert kept["state"] == "attention" and kept["items"] > 0 and kept["photos"] >= 1

    # Clearing the outbox is explicit and warns that unsent work would be lost; saying no keeps it.
    dialogs.accept = False
    with page.expect_event("dialog"):
        page.click("#clear-outbox")
    assert "没有发送成功" in dialogs.messages[-1]
    assert page.locator(f".outbox-item[data-uuid='{uuid}']").count() == 1


def test_inspection_sent_back_for_correction_is_reopened_and_resubmitted_as_a_superseding_copy(
        page, api, live_app, camera, screenshot):
    flows.open_app(page)
    flows.log_in(page)
    original = flows.open_nearest_site(page)
    keys = flows.fill_form(page, camera)
    flows.finish(page)
    flows.wait_for_state(page, original, "sent")
    _send_back(live_app, original, "东侧照片看不清，请重拍后重新提交")

    page.click("nav a[href='#/mine']")
    row = page.locator(f".mine-item[data-uuid='{original}'][data-review='rejected']")
    row.wait_for()
    assert "已退回修改" in row.inner_text() and "请重拍" in row.inner_text()
    screenshot(page, "my-inspections-sent-back")

    row.locator("button.resubmit").click()
    page.wait_for_selector("section.item")
    corrected = page.evaluate("location.hash.split('/')[2]")
    assert corrected != original
    assert page.is_checked(f"#item-{keys[0]} input[value=fail]")  # answers carried over
    assert "已拍 0 张" in page.inner_text(f"#item-{keys[0]} .photo-hint")  # photos must be retaken
    needed = int(page.get_attribute(f"#item-{keys[0]}", "data-photos-on-fail") or 1)
    flows.attach_photos(page, keys[0], camera, max(needed, 1))
    flows.finish(page)
    flows.wait_for_state(page, corrected, "sent")

    assert api.get(f"/api/inspections/{corrected}")["supersedes"] == original
    assert api.get(f"/api/inspections/{original}")["review_status"] != "rejected"


def _send_back(app, uuid: str, note: str) -> None:
    """What a supervisor's "send back for correction" leaves behind (the review screen is another issue)."""
    from sqlalchemy import select

    from inspect_app.extensions import db
    from inspect_app.inspections.models import Inspection

    with app.app_context():
        inspection = db.session.scalar(select(Inspection).where(Inspection.uuid == uuid))
        inspection.review_status = "rejected"
        inspection.review_note = note
        db.session.commit()


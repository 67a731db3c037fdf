"""管理 › 检查表 at 1280 px (issue 15): an admin changes a checklist item in a form, is refused with the loader's
message while it is invalid, sees the diff and the phone-form preview, publishes; an inspector who logs in
afterwards gets the changed wording on the phone form, and the version downloads as TOML. A supervisor reads only.

The live database is shared by the browser tests: the original wording is published back at the end."""
from __future__ import annotations

import tomllib
import uuid
from pathlib import Path

import pytest

from tests.browser import flows
from tests.browser.test_desk_actions import _desk, _no_csp_violation
from tests.browser.test_desk_app import log_in_desk

pytestmark = pytest.mark.browser


def _current(api, key: str) -> dict:
    return api.get(f"/api/checklists/sources/{key}", "admin")


def _item_for(api, phase: str) -> str:
    """A six-100 item the phone asks at a site in ``phase`` (any time of day, any season)."""
    document = _current(api, "six-100")["document"]
    item = next((i for i in document["items"] if not i.get("window") and not i.get("alert")
                 and ("all" in i["phases"] or phase in i["phases"])), None)
    assert item is not None, f"no six-100 item is asked in phase {phase}"
    return item["key"]


def test_admin_changes_a_checklist_item_and_the_phone_form_shows_it(browser, live_server, dialogs, page, api,
                                                                    phone_position, screenshot):
    nearest = api.get(f"/api/sites?near={phone_position['latitude']},{phone_position['longitude']}&page_size=1")
    phase = nearest["items"][0]["phase"]
    key = _item_for(api, phase)
    before = _current(api, "six-100")
    original = next(i for i in before["document"]["items"] if i["key"] == key)
    marker = f"{original['text_zh']}（修订{uuid.uuid4().hex[:6]}）"
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "admin")
        desk.click("#nav a[href='#/admin']")
        desk.click("#admin-sections a[data-section='checklists']")
        desk.wait_for_selector("#cl-sources tr[data-source='six-100']")
        desk.click("#cl-sources tr[data-source='six-100'] a")
        card = desk.locator(f".cl-item[data-item='{key}']")
        card.wait_for()
        index = card.get_attribute("data-index")

        # an invalid weight: the loader's sentence, and nothing published
        desk.fill(f"#cl-{index}-weight", "0")
        desk.click("#cl-check")
        problem = desk.locator("#cl-problems li[data-code='checklist_out_of_range']")
        problem.wait_for()
        assert problem.inner_text().startswith(f"six-100.toml：条目“{key}”：") and "weight" in problem.inner_text()
        desk.click("#cl-publish")
        desk.wait_for_selector("#cl-problems li[data-code='checklist_out_of_range']")
        assert _current(api, "six-100")["version"] == before["version"]

        # the change itself: diff and preview, then publish
        desk.fill(f"#cl-{index}-weight", str(original["weight"]))
        desk.fill(f"#cl-{index}-text_zh", marker)
        desk.select_option("#cl-preview-phase", phase)
        desk.click("#cl-check")
        desk.wait_for_selector("#cl-diff li")
        assert desk.locator("#cl-diff li").all_inner_texts() == [
            f"{key} text_zh：{original['text_zh']} → {marker}"]
        asked = desk.locator(f"#cl-preview li[data-key='{original['requirement']}']")
        assert marker in asked.inner_text() and asked.get_attribute("data-applicable") == "true"
        screenshot(desk, "admin-checklists")
        desk.click("#cl-publish")
        desk.wait_for_function("() => document.querySelector('#toast').textContent.includes('已发布版本')")
        desk.wait_for_function("() => document.querySelector('#cl-version')?.textContent.includes('后台发布')")
        after = _current(api, "six-100")
        assert after["version"] == before["version"] + 1 and after["origin"] == "screen"

        with desk.expect_download() as download:
            desk.click("#cl-download")
        assert download.value.suggested_filename == "six-100.toml"
        exported = tomllib.loads(Path(download.value.path()).read_text(encoding="utf-8"))
        assert next(i for i in exported["items"] if i["key"] == key)["text_zh"] == marker
        _no_csp_violation(desk)

        # an inspector logging in now (a new phone) fetches the new version and is asked the new wording
        flows.open_app(page)
        flows.log_in(page)
        flows.open_nearest_site(page)
        page.wait_for_selector(f"#item-{original['requirement']}")
        assert marker in page.inner_text(f"#item-{original['requirement']}")
    finally:
        ctx.close()
        current = _current(api, "six-100")
        restored = api.post("/api/checklists/sources/six-100/versions", {"document": before["document"]}, "admin")
        assert restored.status_code in (200, 201), restored.get_json()
        assert current["version"] <= restored.get_json()["version"]


def test_a_supervisor_reads_a_checklist_without_changing_it(browser, live_server, dialogs):
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "supervisor")
        desk.goto("/app/#/admin/checklists/ozone-season")
        desk.wait_for_selector(".cl-item")
        assert "只读" in desk.inner_text("main")
        assert desk.input_value("#cl-source-window-start") == "05-01"  # the season is the source's window
        assert desk.is_disabled("#cl-source-window-start")
        assert desk.locator("#cl-publish").count() == 0 and desk.locator("#cl-check").count() == 0
        assert desk.locator(".cl-item textarea:not([disabled])").count() == 0
        assert desk.locator("#cl-download").count() == 1
        _no_csp_violation(desk)
    finally:
        ctx.close()

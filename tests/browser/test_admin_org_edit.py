"""管理 › 单位档案, one organisation's page at 1280 px (issue 15 follow-up): an admin edits the address, an
invalid 统一社会信用代码 is refused with the server's sentence under the form and nothing changes, and a
duplicate recorded through the API is merged into the record from the screen (confirm names both), after
which the page lists the duplicate's site. A supervisor sees the page with no edit or merge controls.

The two records cannot both carry credit codes: the server refuses to merge records whose codes differ
(organisation_merge_codes_differ), and one code cannot sit on two records — so the duplicate carries the
valid code and the survivor takes it over. Every name is unique to the run (the live database is shared)."""
from __future__ import annotations

import uuid

import pytest

from tests.browser.test_admin_registry import _credit_code
from tests.browser.test_desk_actions import _desk, _no_csp_violation
from tests.browser.test_desk_app import log_in_desk

pytestmark = pytest.mark.browser

BAD_CODE = "91350100M000100Y44"  # wrong check character


def _organisation(api, **fields) -> dict:
    res = api.post("/api/organisations", fields, username="admin")
    assert res.status_code == 201, res.get_json()
    return res.get_json()


def _site_of(api, contractor_id: int, name: str) -> dict:
    template = api.get("/api/sites?page_size=1", "admin")["items"][0]
    res = api.post("/api/sites", {
        "name": name, "contractor_id": contractor_id, "address": "测试地址", "unit": template["unit"]["code"],
        "phase": "foundation", "lat": template["lat"] + 0.03, "lon": template["lon"] + 0.002}, username="admin")
    assert res.status_code == 201, res.get_json()
    return res.get_json()


def _open_page(desk, role: str, org_id: int):
    log_in_desk(desk, role)
    desk.evaluate(f"location.hash = '#/admin/organisations/{org_id}'")
    desk.wait_for_selector("#rg-org-name")


def test_an_admin_edits_an_organisation_and_merges_a_duplicate_into_it(browser, live_server, dialogs, api, screenshot):
    tag = uuid.uuid4().hex[:6]
    survivor = _organisation(api, name=f"合并保留单位{tag}")
    code = _credit_code()
    duplicate = _organisation(api, name=f"合并重复单位{tag}", credit_code=code)
    site = _site_of(api, duplicate["id"], f"重复单位的工地{tag}")
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        _open_page(desk, "admin", survivor["id"])
        assert desk.viewport_size["width"] == 1280

        # the address is changed and saved; the page shows it and the server has it
        desk.click("#rg-org-edit summary")
        desk.fill("#rg-org-address", f"回民区新华西路{tag}号")
        desk.click("#rg-org-save")
        desk.wait_for_function(f"() => document.body.innerText.includes('新华西路{tag}号')")
        assert api.get(f"/api/organisations/{survivor['id']}", "admin")["address"] == f"回民区新华西路{tag}号"

        # an invalid credit code is refused with the reason under the form; nothing changes on the server
        desk.click("#rg-org-edit summary")
        desk.fill("#rg-org-credit-code", BAD_CODE)
        desk.fill("#rg-org-contact-name", "不应保存")
        desk.click("#rg-org-save")
        error = desk.locator("#rg-org-edit-error")
        error.wait_for(state="visible")
        assert BAD_CODE in error.inner_text() and "校验位" in error.inner_text()
        screenshot(desk, "registry-organisation-edit")
        after = api.get(f"/api/organisations/{survivor['id']}", "admin")
        assert after["credit_code"] is None and after["contact_name"] is None
        assert after["address"] == f"回民区新华西路{tag}号"

        # the duplicate is found, picked, confirmed (the question names both) and merged
        assert desk.locator(f"#rg-org-sites tr[data-site-id='{site['id']}']").count() == 0
        desk.click("#rg-org-merge summary")
        desk.fill("#rg-org-merge-q", duplicate["name"])
        desk.click("#rg-org-merge-search")
        desk.wait_for_selector(f"#rg-org-merge-results option[value='{duplicate['id']}']", state="attached")
        assert desk.locator(f"#rg-org-merge-results option[value='{survivor['id']}']").count() == 0  # not itself
        assert desk.is_disabled("#rg-org-merge-go")
        desk.select_option("#rg-org-merge-results", str(duplicate["id"]))
        desk.click("#rg-org-merge-go")
        desk.wait_for_selector(f"#rg-org-sites tr[data-site-id='{site['id']}']")
        assert dialogs.messages and duplicate["name"] in dialogs.messages[-1] and survivor["name"] in dialogs.messages[-1]
        assert duplicate["name"] in desk.inner_text("#rg-org-notice")
        assert code in desk.inner_text("#main")  # the survivor took the duplicate's code over
        merged = api.get(f"/api/organisations/{duplicate['id']}", "admin")
        assert merged["merged_into_id"] == survivor["id"]
        assert api.get(f"/api/sites/{site['id']}", "admin")["contractor_org"]["id"] == survivor["id"]
        _no_csp_violation(desk)
    finally:
        ctx.close()


def test_a_merge_the_admin_declines_changes_nothing_and_a_refused_one_says_why(browser, live_server, dialogs, api):
    tag = uuid.uuid4().hex[:6]
    a = _organisation(api, name=f"代码甲单位{tag}", credit_code=_credit_code())
    b = _organisation(api, name=f"代码乙单位{tag}", credit_code=_credit_code())
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        _open_page(desk, "admin", a["id"])
        desk.click("#rg-org-merge summary")
        desk.fill("#rg-org-merge-q", b["name"])
        desk.click("#rg-org-merge-search")
        desk.wait_for_selector(f"#rg-org-merge-results option[value='{b['id']}']", state="attached")
        desk.select_option("#rg-org-merge-results", str(b["id"]))
        dialogs.accept = False
        desk.click("#rg-org-merge-go")
        assert api.get(f"/api/organisations/{b['id']}", "admin")["merged_into_id"] is None
        dialogs.accept = True
        desk.click("#rg-org-merge-go")  # the two codes differ: the server refuses, the reason is shown
        error = desk.locator("#rg-org-merge-error")
        error.wait_for(state="visible")
        assert b["credit_code"] in error.inner_text()
        assert api.get(f"/api/organisations/{b['id']}", "admin")["merged_into_id"] is None
    finally:
        ctx.close()


def test_a_supervisor_sees_the_page_without_edit_or_merge_controls(browser, live_server, dialogs, api):
    org = _organisation(api, name=f"只读单位{uuid.uuid4().hex[:6]}")
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        _open_page(desk, "supervisor", org["id"])
        desk.wait_for_selector("#rg-org-violations")
        assert desk.inner_text("#rg-org-name") == org["name"]
        assert desk.locator("#rg-org-edit, #rg-org-merge, #rg-org-save, #rg-org-merge-go").count() == 0
    finally:
        ctx.close()

"""The supervisor's review form hides "退回巡查员更正" until 退回 (rejected) is chosen.

``label.check {display: flex}`` used to override the ``hidden`` attribute, so the ticked send-back box
showed before any decision and after choosing 通过. Checked in Chromium with computed styles.
"""
from __future__ import annotations

import pytest

from tests.browser import seed
from tests.browser.test_desk_app import DESKTOP, log_in_desk

pytestmark = pytest.mark.browser

SEND_BACK_ROW = "#review-form label[for=review-send-back]"


def _shown(page, selector: str) -> bool:
    """Really rendered: in the layout with a box (not just present in the DOM)."""
    return page.eval_on_selector(
        selector, "el => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0")


def _hidden_but_displayed(page) -> list[str]:
    """Elements carrying the ``hidden`` attribute that a stylesheet still displays."""
    return page.evaluate("""() => [...document.querySelectorAll('[hidden]')]
        .filter((el) => getComputedStyle(el).display !== 'none')
        .map((el) => el.outerHTML.slice(0, 120))""")


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_send_back_shows_only_for_a_rejection(browser, playwright_instance, live_server, api, camera, dialogs, device):
    site = seed.sites_of(api)[5]
    uuid = seed.submit_inspection(api, camera, site, fail_veto=False)["uuid"]
    profile = DESKTOP if device == "desktop" else dict(playwright_instance.devices["Pixel 7"])
    ctx = browser.new_context(**profile, base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.on("dialog", dialogs)
    try:
        log_in_desk(page, "supervisor")
        page.click("#counts [data-count=inspections_to_review]")
        page.click(f"#review-list [data-uuid='{uuid}']")
        page.wait_for_selector("#review-form")

        assert not _shown(page, SEND_BACK_ROW)  # no decision yet
        assert not page.is_visible("#review-send-back")
        assert _hidden_but_displayed(page) == []

        for decision, visible in (("approved", False), ("has_issues", False), ("rejected", True),
                                  ("approved", False)):
            page.click(f"#review-form label[data-decision={decision}]")
            assert _shown(page, SEND_BACK_ROW) is visible, decision
            assert page.is_visible("#review-send-back") is visible, decision
            assert _hidden_but_displayed(page) == [], decision
        page.click("#review-form label[data-decision=rejected]")
        assert page.is_checked("#review-send-back")  # a rejection sends back unless unticked
    finally:
        ctx.close()

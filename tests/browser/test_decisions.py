"""Decisions on the bureau's desk (issue 10): a warning, and a reduced fine that a second bureau user
confirms; the per-violation amount is checked on the form before anything is sent."""
from __future__ import annotations

from tests.browser import seed
from tests.browser.test_desk_app import log_in_desk


def _accepted_case(api, camera, index: int) -> dict:
    inspection = seed.submit_inspection(api, camera, seed.sites_of(api)[index])
    case = seed.case_of(api, inspection["uuid"])
    seed.move_case(api, case["id"], "approved")
    seed.move_case(api, case["id"], "accepted", "enforcement")
    return api.get(f"/api/penalty-cases/{case['id']}", "enforcement")


def test_the_bureau_decides_a_warning_and_a_reduced_fine_confirmed_by_a_second_user(
        browser, live_server, page, api, camera):
    warned = _accepted_case(api, camera, 5)
    log_in_desk(page, "enforcement")
    page.goto(f"/app/#/case/{warned['id']}")
    page.wait_for_selector("#case-state[data-status=accepted]")
    page.check("[data-decision=warning] input")
    assert page.is_hidden("#fine-box")
    page.fill("#decision-number", "回城执警字〔2026〕第031号")
    page.click("#move-decided")
    page.wait_for_selector("#case-state[data-status=decided]")
    assert page.is_visible("#decision-pdf")
    stored = api.get(f"/api/penalty-cases/{warned['id']}", "enforcement")
    assert stored["decision"] == "warning" and stored["fine_amount"] is None

    reduced = _accepted_case(api, camera, 6)
    low = reduced["fine_min"]
    page.goto(f"/app/#/case/{reduced['id']}")
    page.wait_for_selector("#case-state[data-status=accepted]")
    page.check("[data-decision=reduced_fine] input")
    page.fill("#fine-amount", str(int(reduced["fine_max"]) + 1))  # above the maximum: refused on the form
    page.fill("#decision-reason", "当日主动全面覆盖，未造成扬尘污染")
    page.fill("#decision-number", "回城执罚决字〔2026〕第032号")
    page.click("#move-decided")
    page.wait_for_selector("#fine-refused")
    assert api.get(f"/api/penalty-cases/{reduced['id']}", "enforcement")["status"] == "accepted"
    page.fill("#fine-amount", str(int(low / 2)))
    page.click("#move-decided")
    page.wait_for_selector("#case-state[data-status=decision_pending]")
    page.wait_for_selector("#awaiting-second")
    assert page.locator("#move-decided").count() == 1  # offered, but the server refuses the proposer …
    page.click("#move-decided")
    page.wait_for_selector("#case-message .notice")
    assert api.get(f"/api/penalty-cases/{reduced['id']}", "enforcement")["status"] == "decision_pending"

    second = browser.new_context(base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    try:  # … a second bureau user confirms, on their own desk
        desk = second.new_page()
        log_in_desk(desk, "admin")
        desk.goto(f"/app/#/case/{reduced['id']}")
        desk.wait_for_selector("#case-state[data-status=decision_pending]")
        desk.click("#move-decided")
        desk.wait_for_selector("#case-state[data-status=decided]")
    finally:
        second.close()
    decided = api.get(f"/api/penalty-cases/{reduced['id']}", "enforcement")
    detail = decided["decision_detail"]
    assert detail["decision"] == "reduced_fine" and decided["fine_amount"] == int(low / 2)
    assert detail["second_approver"]["display_name"] != detail["decided_by"]["display_name"]

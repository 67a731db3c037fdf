"""Heavy-pollution alerts on the phone: the banner on every screen, offline from the cached copy; the form
composed with the alert items and saying why; a failed alert item opens a case."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser import flows
from tests.browser.test_csp import RECORD_VIOLATIONS

NUMBER = "呼重污染指办〔2026〕12号"


@pytest.fixture
def orange_alert(api, phone_position):
    """An orange alert over the unit of the site the phone stands at, lifted again afterwards (the live
    server's database is shared by the whole browser session)."""
    site = api.get(f"/api/sites?near={phone_position['latitude']},{phone_position['longitude']}&page_size=1")["items"][0]
    now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, microsecond=0)
    response = api.post("/api/alerts", {
        "level": "orange", "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=20)).isoformat(), "scope": "units", "unit_ids": [site["unit"]["id"]],
        "notice_number": NUMBER, "note": "启动橙色预警Ⅱ级响应"}, username="admin")
    assert response.status_code == 201, response.get_json()
    alert = response.get_json()
    yield {"alert": alert, "site": site}
    api.post(f"/api/alerts/{alert['id']}/lift", {"reason": "测试结束"}, username="admin")


def _violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def test_the_banner_shows_offline_and_a_failed_alert_item_opens_a_case(context, page, api, camera, orange_alert):
    page.add_init_script(RECORD_VIOLATIONS)
    flows.open_app(page)
    flows.log_in(page)
    page.wait_for_selector("#alert-banner[data-level='orange']")
    flows.wait_for_service_worker(page)
    page.wait_for_timeout(300)  # the checklists and alerts are fetched right after login

    context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-ready='1']")
    page.wait_for_selector("#offline-banner")
    banner = page.inner_text("#alert-banner")
    assert "橙色预警" in banner and NUMBER in banner and "至" in banner and "T" not in banner  # local time, not ISO
    page.click("nav a[href='#/truck']")
    page.wait_for_selector("#alert-banner")  # on every screen
    page.click("nav a[href='#/sites']")

    uuid = flows.open_nearest_site(page)
    keys = flows.item_keys(page)
    assert {"alert_no_earthwork", "alert_no_demolition", "alert_more_sprinkling"} <= set(keys)
    why = page.inner_text("#item-alert_no_earthwork .alert-why")
    assert "橙色预警" in why and NUMBER in why
    assert not page.query_selector("#item-hoarding .alert-why")  # only alert items say so
    flows.fill_form(page, camera, fail_key="alert_no_earthwork")
    flows.finish(page)
    flows.wait_for_state(page, uuid, "waiting")

    context.set_offline(False)
    flows.wait_for_state(page, uuid, "sent")
    inspection = api.get(f"/api/inspections/{uuid}")
    failed = [item for item in inspection["items"] if item["outcome"] == "fail"]
    assert [(item["key"], item["applicable"]) for item in failed] == [("alert_no_earthwork", True)]
    assert inspection["vetoed"] and inspection["violations_opened"] == 1
    assert len(inspection["penalty_cases"]) == 1  # 拒不执行停止土石方作业: a case for the bureau at once
    assert _violations(page) == []  # the banner and the alert items run under the app's CSP

    # the supervisor's alert dashboard counts it, in the row of the site's unit
    desk = context.browser.new_context(base_url=page.url.split("/app/")[0], locale="zh-CN",
                                       timezone_id="Asia/Shanghai", accept_downloads=True)
    try:
        _dashboard_counts_it(desk.new_page(), orange_alert)
    finally:
        desk.close()


def _dashboard_counts_it(page, orange_alert):
    alert_id, unit_id = orange_alert["alert"]["id"], orange_alert["site"]["unit"]["id"]
    page.add_init_script(RECORD_VIOLATIONS)
    flows.open_app(page)
    page.fill("#username", "supervisor")
    page.fill("#password", "demo-pass-2026")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#alert-banner a.banner-link")  # at the desk the banner opens the dashboard
    page.click("#alert-banner a.banner-link")
    row = f".alert-dashboard[data-alert-id='{alert_id}'] tr[data-unit-id='{unit_id}']"
    page.wait_for_selector(row)
    figure = lambda name: int(page.inner_text(f"{row} td[data-figure='{name}']"))  # noqa: E731
    assert figure("inspected_sites") >= 1 and figure("working_sites") == 1 and figure("open_violations") == 1
    with page.expect_download() as download:
        page.click(f".alert-dashboard[data-alert-id='{alert_id}'] button.alert-report")
    assert download.value.suggested_filename.startswith(f"alert-report-{alert_id}-")
    page.click("#alert-declare summary")  # the declare form opens under the CSP too
    page.wait_for_selector("#alert-level")
    assert _violations(page) == []


def test_a_supervisor_declares_an_alert_at_the_desk_and_sees_its_units(browser, live_server, api):
    desk = browser.new_context(base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = desk.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    declared = None
    try:
        flows.open_app(page)
        page.fill("#username", "supervisor")
        page.fill("#password", "demo-pass-2026")
        page.click("#login-form button[type=submit]")
        page.click("nav a[href='#/alerts']")
        page.click("#alert-declare summary")
        page.select_option("#alert-level", "yellow")
        page.fill("#alert-number", "呼重污染指办〔2026〕99号")
        page.click("#alert-declare button[type=submit]")
        page.wait_for_selector("#alert-declare .notice.ok")
        declared = next(a for a in api.get("/api/alerts?page_size=50", "supervisor")["items"]
                        if a["notice_number"] == "呼重污染指办〔2026〕99号")
        assert declared["level"] == "yellow" and declared["scope"] == "units" and len(declared["unit_ids"]) == 8
        card = f".alert-dashboard[data-alert-id='{declared['id']}']"
        page.wait_for_selector(card)
        assert page.locator(f"{card} tbody tr[data-unit-id]").count() == 8  # the supervisor's eight units
        assert _violations(page) == []
    finally:
        if declared:
            api.post(f"/api/alerts/{declared['id']}/lift", {"reason": "测试结束"}, username="admin")
        desk.close()

"""投诉 through the screens (issue 11): a supervisor enters a hotline complaint at the desk that matches a
site; the inspector sees the task on the phone, starts the inspection from it and finishes it — the outbox
sends the inspection, then the link; the complaint shows the answering inspection; the supervisor records
the reply and closes it. The inspector never sees the caller's name or phone. An import with a bad row is
refused whole with its row-by-row report on the desk."""
from __future__ import annotations

import uuid

import pytest

from tests.browser import flows, seed
from tests.browser.test_desk_actions import _desk, _no_csp_violation
from tests.browser.test_desk_app import log_in_desk

pytestmark = pytest.mark.browser
CALLER, PHONE = "郝秀兰", "13704711234"


def test_a_complaint_from_the_desk_to_the_inspectors_phone_and_back_closed(browser, live_server, dialogs, page, api,
                                                                           phone_position):
    site = api.get(f"/api/sites?near={phone_position['latitude']},{phone_position['longitude']}&page_size=1")["items"][0]
    ticket = f"B{uuid.uuid4().hex[:10]}"
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        # the supervisor enters the ticket: WGS-84 coordinates at the site
        log_in_desk(desk, "supervisor")
        desk.click("a[href='#/complaints']")
        desk.wait_for_selector("#complaint-list[data-filter='open']")
        desk.click("#cmp-entry-open")
        desk.fill("#cmp-ticket", ticket)
        desk.select_option("#cmp-category", "dust")
        desk.fill("#cmp-text", "工地夜间未覆盖，扬尘很大")
        desk.fill("#cmp-address", "新华西街")
        desk.select_option("#cmp-datum", "WGS84")
        desk.fill("#cmp-lat", str(site["lat"]))
        desk.fill("#cmp-lon", str(site["lon"]))
        desk.fill("#cmp-name", CALLER)
        desk.fill("#cmp-phone", PHONE)
        desk.click("#cmp-entry-submit")
        desk.wait_for_selector("#complaint[data-status='open']")
        assert desk.inner_text("#cmp-site-name").endswith(site["name"])
        assert PHONE in desk.inner_text("#cmp-complainant")  # the supervisor sees the caller
        complaint_id = int(desk.evaluate("location.hash.split('/')[2]"))
        _no_csp_violation(desk)

        # the inspector's phone: the task on the home, its page, the inspection started from it
        flows.open_app(page)
        flows.log_in(page)
        counts = page.wait_for_selector("#complaint-task-counts:not([hidden])")
        counts.click()
        page.click(f"#ctask-list a[data-complaint='{complaint_id}']")
        page.wait_for_selector("#ctask")
        assert site["name"] in page.inner_text("#ctask") and "扬尘很大" in page.inner_text("#ctask-text")
        assert "T" not in page.inner_text("#ctask-due") and ":" in page.inner_text("#ctask-due")  # local, not ISO
        page.click("#ctask-start")
        page.wait_for_selector("section.item")
        inspection = page.evaluate("location.hash.split('/')[2]")
        for key in flows.item_keys(page):
            flows.answer(page, key, "pass")
        flows.finish(page)
        flows.wait_for_state(page, inspection, "sent")
        flows.wait_for_state(page, f"{inspection}-complaint", "sent")
        screens = {"#/ctasks": "#ctasks-status", f"#/ctask/{complaint_id}": "#ctask, #ctask-missing",
                   "#/outbox": "#outbox-list .outbox-item"}
        for screen, ready in screens.items():  # nowhere on the phone
            page.evaluate(f"location.hash = '{screen}'")
            page.wait_for_selector(ready)
            assert PHONE not in page.content() and CALLER not in page.content()
        stored = api.get(f"/api/complaints/{complaint_id}")
        assert stored["status"] == "answered" and stored["inspection_uuid"] == inspection
        assert "complainant_phone" not in stored  # the inspector's own API answer has no caller either

        # the supervisor sees the answering inspection, replies and closes
        desk.goto("/app/#/complaints/answered")
        desk.click(f"#complaint-list a[data-complaint='{complaint_id}']")
        desk.wait_for_selector("#complaint[data-status='answered'] #cmp-inspection a")
        desk.click("#cmp-close-open")
        desk.fill("#cmp-reply", "经现场检查，已责令覆盖裸土，办结。")
        desk.click("#cmp-close-submit")
        desk.wait_for_selector("#complaint[data-status='closed']")
        assert "已责令覆盖" in desk.inner_text("#cmp-reply-text")
        assert api.get(f"/api/complaints/{complaint_id}", "supervisor")["status"] == "closed"
        desk.click("#complaint #cmp-inspection a")
        desk.wait_for_url(f"**/#/insp/{inspection}")
        _no_csp_violation(desk)
    finally:
        ctx.close()


def test_an_import_with_a_bad_row_is_refused_whole_with_the_row_report(browser, live_server, dialogs, api, tmp_path):
    good = f"I{uuid.uuid4().hex[:8]}"
    path = tmp_path / "tickets.csv"
    path.write_bytes(("工单编号,来源渠道,受理时间,地址,经度,纬度,坐标系,诉求类别,诉求内容,来电人,联系电话\n"
                      f"{good},12345,2026-11-20 09:00,新华西街,,,,扬尘,夜间施工,张三,13800000000\n"
                      f"{good}X,110,2026-11-20 09:00,新华西街,,,,扬尘,夜间施工,,\n").encode("gbk"))
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "supervisor")
        desk.goto("/app/#/complaints/all")
        desk.wait_for_selector("#cmp-import")
        desk.set_input_files("#cmp-import-file", str(path))
        desk.click("#cmp-import-go")
        desk.wait_for_selector("#cmp-import-refused")
        cells = desk.eval_on_selector_all("#cmp-import-report tbody td", "tds => tds.map(td => td.textContent)")
        assert cells[:2] == ["3", "来源渠道"] and "12345" in cells[2] and cells[3] == "110"
        stored = api.get("/api/complaints?page_size=100", "supervisor")["items"]
        assert good not in [c["ticket_number"] for c in stored]  # the good row was not imported either
        _no_csp_violation(desk)
    finally:
        ctx.close()


def test_a_complaint_task_answered_offline_is_linked_once_the_network_returns(page, context, api, phone_position):
    site = api.get(f"/api/sites?near={phone_position['latitude']},{phone_position['longitude']}&page_size=1")["items"][0]
    entered = api.post("/api/complaints", {
        "ticket_number": f"O{uuid.uuid4().hex[:10]}", "channel": "12369", "received_at": "2026-11-01T08:00:00",
        "category": "night_noise", "text": "夜里打桩", "lat": site["lat"], "lon": site["lon"], "datum": "WGS84",
        "complainant_name": CALLER, "complainant_phone": PHONE}, "supervisor")
    assert entered.status_code == 201, entered.get_json()
    complaint_id = entered.get_json()["id"]
    flows.open_app(page)
    flows.log_in(page)
    flows.wait_for_service_worker(page)
    page.wait_for_selector("#complaint-task-counts:not([hidden])").click()
    page.wait_for_selector(f"#ctask-list a[data-complaint='{complaint_id}']")

    context.set_offline(True)  # the list is on the phone: the task opens and the form is composed offline
    page.click(f"#ctask-list a[data-complaint='{complaint_id}']")
    page.wait_for_selector("#ctask #ctask-text")
    page.click("#ctask-start")
    page.wait_for_selector("section.item")
    inspection = page.evaluate("location.hash.split('/')[2]")
    for key in flows.item_keys(page):
        flows.answer(page, key, "pass")
    flows.finish(page)
    flows.wait_for_state(page, inspection, "waiting")
    flows.wait_for_state(page, f"{inspection}-complaint", "waiting")
    page.evaluate("location.hash = '#/ctasks'")
    page.wait_for_selector(f"#ctask-list a[data-complaint='{complaint_id}'] >> text=处置巡查已提交")

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.evaluate("location.hash = '#/outbox'")
    flows.wait_for_state(page, inspection, "sent")
    flows.wait_for_state(page, f"{inspection}-complaint", "sent")
    stored = api.get(f"/api/complaints/{complaint_id}", "supervisor")
    assert stored["status"] == "answered" and stored["inspection_uuid"] == inspection


def test_the_supervisor_links_an_inspection_not_started_from_the_task(browser, live_server, dialogs, api, camera):
    site = seed.sites_of(api, count=12)[11]
    entered = api.post("/api/complaints", {
        "ticket_number": f"L{uuid.uuid4().hex[:10]}", "channel": "12319", "received_at": "2026-11-02T08:00:00",
        "category": "muck_truck", "text": "渣土车出场未冲洗", "lat": site["lat"], "lon": site["lon"], "datum": "WGS84"},
        "supervisor")
    assert entered.status_code == 201 and entered.get_json()["site"]["id"] == site["id"], entered.get_json()
    inspection = seed.submit_inspection(api, camera, site, fail_veto=False)
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "supervisor")
        desk.goto(f"/app/#/complaint/{entered.get_json()['id']}")
        desk.click("#cmp-link-form-open")
        assert desk.locator("#cmp-link option").first.get_attribute("value") == inspection["uuid"]
        desk.click("#cmp-link-form-submit")
        desk.wait_for_selector("#complaint[data-status='answered'] #cmp-inspection a")
        _no_csp_violation(desk)
    finally:
        ctx.close()

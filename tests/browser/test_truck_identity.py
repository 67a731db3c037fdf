"""A roadside truck check keeps its identity on every screen (issue 12): the plate and the haulage company in
我的巡查, the review queue and page, the case list and the case page; and no screen shows a flag's raw ISO time."""
from __future__ import annotations

import random
import re
import string

import pytest

from tests.browser import flows, seed
from tests.browser.test_desk_app import DESKTOP, log_in_desk
from tests.browser.test_roadside_app import fresh_plate

pytestmark = pytest.mark.browser
RAW_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def test_truck_plate_and_company_on_every_screen(browser, live_server, api, dialogs, page):
    suffix = "".join(random.choice(string.ascii_uppercase) for _ in range(6))
    company = api.post("/api/companies", {"name": f"回民区渣土运输{suffix}有限公司"}, "admin").get_json()
    plate = fresh_plate()
    res = api.post("/api/vehicles", {"plate": plate, "rated_load_t": 25, "filing_status": "filed",
                                     "filing_expires_on": "2030-12-31", "company_id": company["id"]}, "admin")
    assert res.status_code == 201, res.get_json()
    check = seed.submit_roadside_check(api, plate, fail=("truck_sealed",))
    case = next(c for c in api.get("/api/penalty-cases?page_size=100", "supervisor")["items"]
                if c["inspection"] == check["uuid"])

    ctx = browser.new_context(**DESKTOP, base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    ctx.set_default_timeout(15_000)
    desk = ctx.new_page()
    desk.on("dialog", dialogs)
    try:
        log_in_desk(desk, "supervisor")
        desk.goto(f"{live_server}/app/#/review")
        queued = desk.locator(f"#review-list a[data-uuid='{check['uuid']}'] .subject")
        assert plate in queued.inner_text() and company["name"] in queued.inner_text()

        desk.goto(f"{live_server}/app/#/insp/{check['uuid']}")
        desk.wait_for_selector("h2.subject")
        assert desk.inner_text("h2.subject") == f"{plate} · {company['name']}"
        assert not RAW_ISO.search(desk.inner_text("#main"))  # flags and times as people read them

        desk.goto(f"{live_server}/app/#/cases/")
        listed = desk.locator(f"#case-list a[data-case-id='{case['id']}']")
        assert plate in listed.inner_text() and company["name"] in listed.inner_text()

        desk.goto(f"{live_server}/app/#/case/{case['id']}")
        desk.wait_for_selector("span.subject")
        assert desk.inner_text("span.subject") == f"{plate} · {company['name']}"
        assert not RAW_ISO.search(desk.inner_text("#main"))
    finally:
        ctx.close()

    flows.open_app(page)
    flows.log_in(page)
    page.click("nav a[href='#/mine']")
    mine = page.locator(f".mine-item[data-uuid='{check['uuid']}'] .subject")
    assert mine.inner_text() == f"{plate} · {company['name']}"
    assert not RAW_ISO.search(page.inner_text("#mine-list"))

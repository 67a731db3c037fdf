"""停工 in the apps: the bureau decides 责令停工整治 on its desk; the inspector's site list then shows
the site suspended with the order number; resumption (application, inspection, approval) brings it
back to an ordinary site."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from tests.browser import flows, seed
from tests.browser.test_desk_app import log_in_desk

ORDER = "回城执罚决字〔2026〕第0901号"
ITEM = "material_cover"  # 大气法 第一百一十五条: 停工 only when the party refuses to correct (1 day to rectify)


def _fail_item(api, site: dict, finished: datetime) -> dict:
    """An inspection of ``site`` finished at ``finished`` with ITEM failed (photo ids declared)."""
    form = api.get("/api/checklists")["site"]
    items = [{"key": i["key"], "outcome": "fail" if i["key"] == ITEM else "pass", "note": "裸土未苫盖",
              "photo_ids": [str(uuid.uuid4()) for _ in range(i["photos_on_fail"])] if i["key"] == ITEM else []}
             for i in form["items"] if seed._applies(i, site["phase"], finished)]
    started = finished - timedelta(minutes=20)
    gps = {"lat": site["lat"], "lon": site["lon"], "accuracy_m": 8.0, "datum": "WGS84"}
    body = {"uuid": str(uuid.uuid4()), "site_id": site["id"], "checklist_version_ids": form["version_ids"],
            "started_at": started.isoformat(timespec="seconds"), "finished_at": finished.isoformat(timespec="seconds"),
            "gps_start": {**gps, "captured_at": started.isoformat(timespec="seconds")},
            "gps_finish": {**gps, "captured_at": finished.isoformat(timespec="seconds")}, "items": items}
    response = api.post("/api/inspections", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _site_card(page, site_id: int):
    page.wait_for_selector(f"#site-list [data-site-id='{site_id}']")
    return page.locator(f"#site-list [data-site-id='{site_id}']")


def _refusal_case(api, site: dict) -> dict:
    """A case of ITEM found, not corrected by its deadline and found again (拒不改正), accepted by the bureau."""
    now = datetime.now(seed.SHANGHAI)
    _fail_item(api, site, now - timedelta(days=3))
    case = seed.case_of(api, _fail_item(api, site, now)["uuid"])
    seed.move_case(api, case["id"], "approved")
    seed.move_case(api, case["id"], "accepted", "enforcement")
    return api.get(f"/api/penalty-cases/{case['id']}", "enforcement")


def _decide(page, case: dict, outcome: str, number: str, *, amount=None, order=None) -> None:
    """The bureau user's decision on the desk's case page."""
    page.goto(f"/app/#/case/{case['id']}")
    page.wait_for_selector("#case-state[data-status=accepted]")
    page.check(f"[data-decision={outcome}] input")
    if amount is not None:
        page.fill("#fine-amount", str(amount))
    if order is not None:
        page.fill("#rectification-order", order)
    page.fill("#decision-number", number)
    page.click("#move-decided")
    page.wait_for_selector("#case-state[data-status=decided]")


def test_a_warning_leaves_the_site_active_and_fine_with_stop_work_suspends_it_until_resumption(
        browser, page, api, camera, live_server, playwright_instance):
    warned_site, site = seed.sites_of(api)[5], seed.sites_of(api)[4]
    warned, case = _refusal_case(api, warned_site), _refusal_case(api, site)

    log_in_desk(page, "enforcement")
    _decide(page, warned, "warning", "回城执警字〔2026〕第0900号")
    _decide(page, case, "fine_and_stop_work", ORDER, amount=int(case["fine_min"]),
            order="立即停止施工，完成苫盖整改后申请复工")
    assert api.get(f"/api/sites/{warned_site['id']}")["status"] == "active"
    assert api.get(f"/api/sites/{site['id']}")["status"] == "suspended"

    # the inspector sees it on the site list, with the order number
    phone = browser.new_context(**{**playwright_instance.devices["Pixel 7"]}, base_url=live_server,
                                locale="zh-CN", timezone_id="Asia/Shanghai",
                                geolocation={"latitude": site["lat"], "longitude": site["lon"], "accuracy": 10},
                                permissions=["geolocation"])
    inspector = phone.new_page()
    flows.open_app(inspector)
    flows.log_in(inspector)
    card = _site_card(inspector, site["id"])
    assert "停工整治中" in card.inner_text() and ORDER in card.inner_text()
    assert "停工整治中" not in _site_card(inspector, warned_site["id"]).inner_text()

    # 复工: the site applies (recorded by a supervisor), an inspector's full inspection, approval
    assert api.post(f"/api/sites/{site['id']}/resumption/application", {"note": "已整改，申请复工"},
                    "supervisor").status_code == 201
    seed.submit_inspection(api, camera, site, fail_veto=False)
    approved = api.post(f"/api/sites/{site['id']}/resumption/approval", {}, "supervisor")
    assert approved.status_code == 201, approved.get_json()

    inspector.reload()
    inspector.wait_for_selector("html[data-ready='1']")
    card = _site_card(inspector, site["id"])
    assert "停工整治中" not in card.inner_text()
    assert api.get(f"/api/sites/{site['id']}")["status"] == "active"
    phone.close()

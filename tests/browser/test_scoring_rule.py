"""The desk's inspection page and the phone's 我的巡查 say which rule graded a sheet and what a failed
additional requirement (an alert item during an alert) deducted."""
from __future__ import annotations

import uuid as uuidlib
from datetime import datetime, timedelta

import pytest

from tests.browser import flows, seed
from tests.browser.test_alerts import orange_alert  # noqa: F401  (fixture)
from tests.browser.test_desk_app import DESKTOP, log_in_desk

pytestmark = pytest.mark.browser


def _submit_with_failed_alert_item(api, camera, site: dict) -> dict:
    form = api.get("/api/checklists")["site"]
    now = datetime.now(seed.SHANGHAI)
    started = (now - timedelta(minutes=20)).isoformat(timespec="seconds")
    answers, photos = [], {}
    for item in form["items"]:
        if item.get("alert"):
            if "orange" not in item["alert"]:
                continue
        elif not seed._applies(item, site["phase"], now):
            continue
        if item["key"] == "alert_more_sprinkling":
            ids = [str(uuidlib.uuid4()) for _ in range(max(item["photos_on_fail"], 1))]
            photos.update({pid: camera() for pid in ids})
            answers.append({"key": item["key"], "outcome": "fail", "note": "未增加洒水频次", "photo_ids": ids})
        else:
            answers.append({"key": item["key"], "outcome": "pass", "note": "", "photo_ids": []})
    gps = {"lat": site["lat"], "lon": site["lon"], "accuracy_m": 8.0, "datum": "WGS84", "captured_at": started}
    body = {"uuid": str(uuidlib.uuid4()), "site_id": site["id"], "checklist_version_ids": form["version_ids"],
            "started_at": started, "finished_at": now.isoformat(timespec="seconds"),
            "gps_start": gps, "gps_finish": {**gps, "captured_at": now.isoformat(timespec="seconds")},
            "items": answers}
    res = api.post("/api/inspections", body)
    assert res.status_code == 201, res.get_json()
    for pid, data in photos.items():
        put = api.client.put(f"/api/inspections/{body['uuid']}/photos/{pid}", data=data,
                             headers={**api.headers("inspector"), "Content-Type": "image/jpeg"})
        assert put.status_code in (200, 201), put.get_json()
        put.close()
    return api.get(f"/api/inspections/{body['uuid']}")


def test_the_desk_and_the_phone_explain_the_rule_and_the_deduction(browser, live_server, api, camera, dialogs,
                                                                   orange_alert, context, page):
    inspection = _submit_with_failed_alert_item(api, camera, orange_alert["site"])
    assert inspection["scoring_rule"] == 2 and inspection["additional_deductions"][0]["key"] == "alert_more_sprinkling"

    ctx = browser.new_context(**DESKTOP, base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    ctx.set_default_timeout(15_000)
    desk = ctx.new_page()
    desk.on("dialog", dialogs)
    try:
        log_in_desk(desk, "supervisor")
        desk.goto(f"{live_server}/app/#/insp/{inspection['uuid']}")
        desk.wait_for_selector("#scoring-rule[data-rule='2']")
        assert "2026版评分规则" in desk.inner_text("#scoring-rule")
        deduction = desk.inner_text("#additional-deductions li")
        assert "洒水" in deduction and "附加项不合格，扣" in deduction
    finally:
        ctx.close()

    flows.open_app(page)
    flows.log_in(page)
    page.click("nav a[href='#/mine']")
    row = f".mine-item[data-uuid='{inspection['uuid']}'] .scoring-rule"
    page.wait_for_selector(row)
    text = page.inner_text(row)
    assert "2026版评分规则" in text and "附加项不合格，扣" in text

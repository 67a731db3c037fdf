"""复查 on the phone (Pixel 7): the home shows 今日复查 / 已逾期 counts, the task list stays usable
offline, and a follow-up — only the notice's items, no N/A — filled and finished offline is sent once
when the network returns, closing the violation and the notice."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from inspect_app.core.timeutil import LOCAL_TZ
from tests.browser import flows
from tests.inspections.helpers import submission

pytestmark = pytest.mark.browser

NON_VETO = "idle_area_cover"  # 7 days to rectify, not a veto


def _morning(days_ago: int) -> datetime:
    today = datetime.now(LOCAL_TZ).date()
    return datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), LOCAL_TZ).replace(hour=9)


def _fail_at(api, site: dict, key: str, days_ago: int) -> None:
    form = api.get("/api/checklists")["site"]
    body = submission(form, SimpleNamespace(**site), outcomes={key: "fail"}, started_at=_morning(days_ago),
                      lat=site["lat"], lon=site["lon"])
    response = api.post("/api/inspections", body)
    assert response.status_code == 201, response.get_json()


def _task_of(api, site_id: int) -> dict:
    return next(t for t in api.get("/api/follow-ups?all_units=true")["items"] if t["site"]["id"] == site_id)


def test_home_counts_and_an_offline_follow_up_sent_once(page, context, api, phone_position):
    sites = [s for s in api.get("/api/sites?near=40.8200,111.6500&page_size=20")["items"] if s["phase"] == "earthwork"]
    overdue_site, today_site = sites[0], sites[1]
    _fail_at(api, overdue_site, NON_VETO, 9)         # due two days ago
    _fail_at(api, today_site, "material_cover", 1)   # 1 day to rectify: due today
    counts = api.get("/api/follow-ups")["counts"]
    assert counts["overdue"] >= 1 and counts["today"] >= 1

    flows.open_app(page)
    flows.log_in(page)
    flows.wait_for_service_worker(page)
    card = page.wait_for_selector("#follow-up-counts:not([hidden])")
    assert card.get_attribute("data-today") == str(counts["today"])
    assert card.get_attribute("data-overdue") == str(counts["overdue"])
    assert card.inner_text() == f"今日复查 {counts['today']} · 已逾期 {counts['overdue']}"
    card.click()
    page.wait_for_selector("#followup-list section[data-bucket='overdue']")
    task = _task_of(api, overdue_site["id"])

    # the list is kept on the phone: offline, it is still there
    context.set_offline(True)
    page.evaluate("location.hash = '#/sites'")
    page.wait_for_selector("#site-list")
    page.evaluate("location.hash = '#/followups'")
    page.wait_for_selector("#followups-status")
    assert "离线" in page.inner_text("#followups-status")
    page.click(f"button[data-follow-up='{task['id']}']")
    page.wait_for_selector("section.item")
    assert flows.item_keys(page) == [NON_VETO]  # only the notice's open items
    assert page.query_selector(f"#item-{NON_VETO} label[data-outcome=na]") is None
    uuid = page.evaluate("location.hash.split('/')[2]")
    flows.answer(page, NON_VETO, "pass")
    flows.finish(page)
    flows.wait_for_state(page, uuid, "waiting")
    assert _task_of(api, overdue_site["id"])["visits"] == []

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    flows.wait_for_state(page, uuid, "sent")
    db_task = api.get(f"/api/follow-ups/{task['id']}")
    assert [v["inspection"] for v in db_task["visits"]] == [uuid]
    assert db_task["rectified"] is True and db_task["status"] == "closed"
    notice = api.get(f"/api/notices/{task['notice']['id']}")
    assert notice["rectified"] is True
    # sent exactly once: the inspection exists once, with only the notice's item
    inspection = api.get(f"/api/inspections/{uuid}")
    assert [i["key"] for i in inspection["items"]] == [NON_VETO] and inspection["score"] is None

"""今日任务 on the phone: the inspector's home shows the day in route order, keeps it offline, lets the
inspector move a stop and skip one with a reason (through the outbox, online or not).

As 李巡查 (inspector2): the other browser tests inspect as 王巡查, and the sites they inspected today
would fill that day with done stops."""
from __future__ import annotations

from tests.browser import flows


def _todo_ids(page) -> list[int]:
    return page.eval_on_selector_all("#today-list .stop[data-status='todo']",
                                     "els => els.map(e => Number(e.dataset.siteId))")


def _server_day(api, position) -> dict:
    return api.get(f"/api/today?lat={position['latitude']}&lon={position['longitude']}", "inspector2")


def _log_in_to_today(page):
    flows.open_app(page)
    page.fill("#username", "inspector2")
    page.fill("#password", "demo-pass-2026")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#today-list[data-positioned='1'] .stop")  # planned from the phone's position


def test_the_home_is_todays_list_in_route_order_and_stops_can_be_moved(page, api, phone_position, screenshot):
    _log_in_to_today(page)
    assert page.get_attribute("nav a[aria-current='page']", "href") == "#/today"
    page.wait_for_function("() => document.querySelector('#today-status').textContent.includes('任务')")
    server = _server_day(api, phone_position)
    route = [s["site_id"] for s in server["stops"] if s["status"] == "todo"]
    for _ in range(50):  # the phone replans when its first GPS fix arrives: wait for that, up to 10 s
        if _todo_ids(page) == route:
            break
        page.wait_for_timeout(200)
    assert _todo_ids(page) == route and len(route) >= 3
    orders = page.eval_on_selector_all("#today-list .stop[data-status='todo'] .stop-order", "els => els.map(e => e.textContent)")
    assert orders == [str(n) for n in range(1, len(route) + 1)]
    assert "全程" in page.inner_text("#today-summary")
    first = page.locator("#today-list .stop").first
    assert first.locator(".reasons").inner_text()  # e.g. "从未巡查 · 土方阶段"
    screenshot(page, "today")

    page.locator("#today-list .stop").first.locator(".stop-down").click()
    page.wait_for_selector("#today-reset-order")
    assert _todo_ids(page)[:2] == [route[1], route[0]]
    page.reload()  # the order is kept on the phone
    page.wait_for_selector("#today-reset-order")
    assert _todo_ids(page)[:2] == [route[1], route[0]]
    page.click("#today-reset-order")
    page.wait_for_selector("#today-reset-order", state="detached")
    assert _todo_ids(page) == route

    page.click("#today-all-sites")  # the site list, one tap away
    page.wait_for_selector("#site-list .site")


def test_the_list_works_offline_and_a_skip_waits_in_the_outbox(context, page, api, phone_position):
    _log_in_to_today(page)
    flows.wait_for_service_worker(page)
    page.wait_for_function("() => indexedDB.databases().then(() => true)")
    route = _todo_ids(page)

    context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-ready='1']")
    page.wait_for_selector("#today-list .stop")
    assert "离线" in page.inner_text("#today-status")
    assert _todo_ids(page) == route

    skipped = route[0]
    card = page.locator(f"#today-list .stop[data-site-id='{skipped}']")
    card.locator(".stop-skip").click()
    card.locator(".skip-reason").select_option("other")
    card.locator(".skip-confirm").click()
    assert "说明" in page.inner_text("#toast")  # "other" needs a note
    card.locator(".skip-note").fill("大门紧锁，电话无人接")
    card.locator(".skip-confirm").click()
    page.wait_for_selector(f"#today-list .stop[data-site-id='{skipped}'][data-status='skipped']")
    assert "待发送" in page.inner_text(f"#today-list .stop[data-site-id='{skipped}']")
    assert _todo_ids(page) == route[1:]
    assert all(s["site_id"] != skipped or s["status"] == "todo" for s in _server_day(api, phone_position)["stops"])

    context.set_offline(False)  # the outbox sends it by itself
    page.click("nav a[href='#/outbox']")
    page.wait_for_selector(".outbox-item[data-state='sent']")
    stop = next(s for s in _server_day(api, phone_position)["stops"] if s["site_id"] == skipped)
    assert stop["status"] == "skipped" and stop["skip"]["note"] == "大门紧锁，电话无人接"
    assert stop["skip"]["reason"] == "other"

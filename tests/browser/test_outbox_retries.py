"""The outbox stops retrying a submission the server keeps failing on, but never gives up on a weak signal.

Before issue 13 (point 6) every 5xx was retried for ever: one inspection whose note the server could
not store blocked that inspection for good, with nothing for the inspector to see or do.
"""
from __future__ import annotations

import pytest

from tests.browser import flows

pytestmark = pytest.mark.browser

MAX_SERVER_ERROR_TRIES = 8  # static/pwa/outbox.js


def _start_inspection(page, camera) -> str:
    flows.open_app(page)
    flows.log_in(page)
    uuid = flows.open_nearest_site(page)
    flows.fill_form(page, camera)
    flows.finish(page)
    return uuid


def _drive_retries(page, uuid: str, attempts: dict, until: int) -> None:
    """Press 立即发送 (send now, which skips the backoff) until ``until`` attempts or the item leaves 'waiting'."""
    while attempts["post"] < until:
        seen = attempts["post"]
        page.wait_for_function("() => !document.querySelector('#outbox-list .outbox-item[data-state=\"sending\"]')")
        if flows.outbox_state(page, uuid) == "attention":
            return
        page.click("#send-now")
        page.wait_for_function(f"() => window.__posts > {seen}", timeout=15_000)
        page.wait_for_function("() => !document.querySelector('#outbox-list .outbox-item[data-state=\"sending\"]')")


def _count_posts(page, attempts: dict, respond):
    page.evaluate("() => { window.__posts = 0; }")

    def handler(route):
        if route.request.method != "POST":
            route.continue_()
            return
        attempts["post"] += 1
        attempts.setdefault("request_ids", []).append(route.request.headers.get("x-request-id"))
        page.evaluate(f"() => {{ window.__posts = {attempts['post']}; }}")
        respond(route)

    page.route("**/api/inspections", handler)


def test_repeated_server_error_moves_the_item_to_needs_attention_after_bounded_tries(page, api, camera):
    before = api.my_inspection_count()
    attempts = {"post": 0}
    flows.open_app(page)
    _count_posts(page, attempts, lambda route: route.fulfill(
        status=500, content_type="application/json",
        body='{"code": "internal_error", "status": 500, "message": "服务器内部错误，已记录。"}'))
    uuid = _start_inspection(page, camera)

    _drive_retries(page, uuid, attempts, until=MAX_SERVER_ERROR_TRIES + 3)
    flows.wait_for_state(page, uuid, "attention")

    assert attempts["post"] == MAX_SERVER_ERROR_TRIES
    card = page.locator(f".outbox-item[data-uuid='{uuid}']")
    assert "需要处理" in card.inner_text()
    assert card.locator(".server-message").inner_text() == "服务器内部错误，已记录。"
    assert api.my_inspection_count() == before
    # Each try went out with its own request id; the card names the last one, to be found in the logs.
    sent = attempts["request_ids"]
    assert len(set(sent)) == len(sent) and all(rid and rid.startswith("pwa-") for rid in sent)
    assert card.locator(".request-id").inner_text() == f"请求编号 {sent[-1]}（向管理员报告问题时请提供）"

    # Once the server is fixed, 重新发送 sends it again (the count starts afresh) and it goes through.
    page.unroute("**/api/inspections")
    card.get_by_role("button", name="重新发送").click()
    flows.wait_for_state(page, uuid, "sent", timeout=60_000)
    assert api.my_inspection_count() == before + 1


def test_no_signal_is_retried_beyond_the_server_error_bound(page, api, camera):
    attempts = {"post": 0}
    flows.open_app(page)
    _count_posts(page, attempts, lambda route: route.abort("internetdisconnected"))
    uuid = _start_inspection(page, camera)

    _drive_retries(page, uuid, attempts, until=MAX_SERVER_ERROR_TRIES + 3)

    assert attempts["post"] >= MAX_SERVER_ERROR_TRIES + 3
    assert flows.outbox_state(page, uuid) == "waiting"

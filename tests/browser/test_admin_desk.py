"""管理 at the desk: the registers' index by role, and English words loaded on demand (kept offline)."""
from __future__ import annotations

import uuid

import pytest

from tests.browser import flows
from tests.browser.conftest import DEMO_PASSWORD


def desk_login(page, username: str):
    flows.open_app(page)
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#counts")


def test_an_admin_opens_the_registers_from_the_admin_tab(page):
    desk_login(page, "admin")
    page.click("nav a[href='#/admin']")
    page.wait_for_selector("#admin-sections")
    assert page.inner_text("main h2") == "管理"
    assert page.get_attribute("nav a[href='#/admin']", "aria-current") == "page"
    assert "每次修改都记入审计日志" in page.inner_text("main")
    page.click("#admin-sections a[data-section='night']")
    page.wait_for_url("**#/night-import")


def test_a_supervisor_is_told_the_registers_are_read_only(page):
    desk_login(page, "supervisor")
    page.click("nav a[href='#/admin']")
    page.wait_for_selector("#admin-sections")
    assert "修改由管理员进行" in page.inner_text("main")


def test_the_bureau_has_no_admin_screen(page):
    desk_login(page, "enforcement")
    assert page.locator("nav a[href='#/admin']").count() == 0
    page.evaluate("location.hash = '#/admin'")
    page.wait_for_selector("#counts")  # sent home instead
    assert page.locator("#admin-sections").count() == 0


def test_english_chosen_once_is_kept_offline(context, page):
    flows.open_app(page)
    flows.wait_for_service_worker(page)
    page.click("#lang-switch")
    page.wait_for_selector("#login-form button:has-text('Log in')")
    # The English words are a module of their own: the worker keeps it once it has been used.
    page.wait_for_function("() => caches.keys().then((keys) => Promise.all(keys.map((k) => caches.open(k)"
                           ".then((c) => c.match('i18n-en.js'))))).then((hits) => hits.some(Boolean))")
    context.set_offline(True)
    try:
        page.reload()
        page.wait_for_selector("html[data-ready='1']")
        assert page.inner_text("label[for=username]") == "User name"
        assert page.inner_text("#app-title") == "Site Dust Inspection"
    finally:
        context.set_offline(False)


@pytest.fixture
def given_up(live_app):
    """A notification the outbox gave up on after its last attempt (the live server has no robot configured)."""
    from inspect_app.extensions import db
    from inspect_app.webhooks.models import WebhookAttempt, WebhookDelivery

    with live_app.app_context():
        delivery = WebhookDelivery(event="overdue", audience="bureau", dedupe_key=f"test:{uuid.uuid4()}",
                                   text="【扬尘巡查】复查逾期：测试工地", status="failed", attempts=3,
                                   last_error="HTTP 502")
        delivery.attempt_log.append(WebhookAttempt(duration_ms=41, http_status=502, ok=False, error="HTTP 502"))
        db.session.add(delivery)
        db.session.commit()
        return delivery.id


def test_an_admin_sees_a_given_up_robot_message_and_sends_it_again(page, api, given_up, screenshot):
    desk_login(page, "admin")
    page.click("nav a[href='#/admin']")
    page.click("#admin-sections a[data-section='robots']")
    page.wait_for_selector("#robots-configured")
    assert "未配置群机器人" in page.inner_text("#robots-configured")  # said plainly, not an empty list
    page.select_option("#robots-status", "failed")
    card = page.locator(f".robot-delivery[data-delivery-id='{given_up}']")
    card.wait_for()
    text = card.inner_text()
    assert "复查逾期" in text and "HTTP 502" in text and "发送失败" in text and "T" not in card.locator(".small-text").first.inner_text()
    screenshot(page, "desk-robots")
    card.locator(f"button[data-retry='{given_up}']").click()
    page.wait_for_function("() => document.querySelector('#toast').textContent.includes('已重新排队发送')")
    delivery = next(d for d in api.get("/api/webhooks/deliveries?page_size=100", "admin")["items"] if d["id"] == given_up)
    assert delivery["status"] == "pending"


def test_a_supervisor_has_no_robot_messages_section(page):
    desk_login(page, "supervisor")
    page.click("nav a[href='#/admin']")
    page.wait_for_selector("#admin-sections")
    assert page.locator("#admin-sections a[data-section='robots']").count() == 0
    page.evaluate("location.hash = '#/admin/robots'")
    page.wait_for_selector("#admin-sections")  # the index, not the section

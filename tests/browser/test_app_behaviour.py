"""Behaviour around the flows: Shanghai-time rules on any phone, expired login, new deployments, language."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.browser import flows

pytestmark = pytest.mark.browser
PWA = Path(__file__).resolve().parents[2] / "static" / "pwa"
VERSION = re.search(r"const VERSION = '([^']+)';", (PWA / "sw.js").read_text(encoding="utf-8")).group(1)


def test_ozone_window_is_judged_in_shanghai_time_even_on_a_phone_set_to_new_york(browser, live_server):
    ctx = browser.new_context(base_url=live_server, timezone_id="America/New_York")
    page = ctx.new_page()
    page.goto("/app/manifest.webmanifest")
    window = {"start": "05-01", "end": "09-30", "start_time": "10:00", "end_time": "17:00"}
    cases = {  # UTC instant → inside the window in Asia/Shanghai?
        "2026-05-01T01:59:59Z": False,  # 09:59:59 on 1 May
        "2026-05-01T02:00:00Z": True,   # 10:00 on 1 May
        "2026-09-30T08:59:59Z": True,   # 16:59:59 on 30 September
        "2026-09-30T09:00:00Z": False,  # 17:00 on 30 September
        "2026-04-30T20:00:00Z": False,  # 04:00 on 1 May, before hours
        "2026-10-01T03:00:00Z": False,  # 11:00 on 1 October
        "2026-07-15T16:30:00Z": False,  # 00:30 on 16 July (New York: still the 15th at 12:30)
    }
    got = page.evaluate("""async ([cases, win]) => {
        const rules = await import('/app/rules.js');
        const out = {};
        for (const iso of Object.keys(cases)) out[iso] = rules.inWindow(win, rules.localParts(new Date(iso)));
        out.iso = rules.isoLocal(new Date('2026-11-28T17:30:00Z'));
        return out;
    }""", [cases, window])
    assert got.pop("iso") == "2026-11-29T01:30:00+08:00"
    assert got == cases
    ctx.close()


def test_a_night_window_wraps_midnight_on_the_phone_as_on_the_server(browser, live_server):
    ctx = browser.new_context(base_url=live_server, timezone_id="Europe/London")
    page = ctx.new_page()
    page.goto("/app/manifest.webmanifest")
    window = {"start_time": "22:00", "end_time": "06:00"}
    cases = {  # UTC instant → inside 22:00–06:00 in Asia/Shanghai?
        "2026-01-15T13:59:00Z": False,  # 21:59
        "2026-01-15T14:00:00Z": True,   # 22:00
        "2026-01-15T15:59:00Z": True,   # 23:59
        "2026-01-15T16:00:00Z": True,   # 00:00 the next day
        "2026-01-15T19:00:00Z": True,   # 03:00
        "2026-01-15T21:59:00Z": True,   # 05:59
        "2026-01-15T22:00:00Z": False,  # 06:00
        "2026-01-15T04:00:00Z": False,  # noon
    }
    got = page.evaluate("""async ([cases, win]) => {
        const rules = await import('/app/rules.js');
        const out = {};
        for (const iso of Object.keys(cases)) out[iso] = rules.inWindow(win, rules.localParts(new Date(iso)));
        return out;
    }""", [cases, window])
    assert got == cases
    ctx.close()


def test_gps_accuracy_is_shown_and_a_poor_fix_warns(context, page, phone_position):
    flows.open_app(page)
    flows.log_in(page)
    flows.open_nearest_site(page)
    page.wait_for_selector("#gps-status:has-text('±12 米')")
    context.set_geolocation({**phone_position, "accuracy": 120})
    page.wait_for_selector("#gps-status .notice.warn:has-text('±120 米')")
    assert "精度较差" in page.inner_text("#gps-status")


def test_out_of_season_ozone_items_are_left_out_and_the_form_says_why(page, live_server):
    # The phone's clock is fixed on a winter morning, so the test means the same whatever today is.
    page.clock.set_fixed_time("2026-11-25T09:30:00+08:00")
    flows.open_app(page)
    flows.log_in(page)
    flows.open_nearest_site(page)
    month = int(page.evaluate("new Intl.DateTimeFormat('en', {timeZone: 'Asia/Shanghai', month: 'numeric'}).format(new Date())"))
    assert month == 11
    note = page.inner_text("#window-note")
    assert "臭氧" in note and "5月1日" in note


def test_expired_login_keeps_queued_work_and_sends_after_logging_in_again(context, page, api, camera):
    before = api.my_inspection_count()
    flows.open_app(page)
    flows.log_in(page)
    uuid = flows.open_nearest_site(page)
    flows.fill_form(page, camera)
    context.set_offline(True)
    flows.finish(page)
    flows.wait_for_state(page, uuid, "waiting")

    token = page.evaluate("""() => new Promise((resolve) => {
        const open = indexedDB.open('inspect-pwa');
        open.onsuccess = () => {
          const req = open.result.transaction('kv').objectStore('kv').get('session');
          req.onsuccess = () => resolve(req.result.token);
        };
    })""")
    assert api.client.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"}).status_code == 204

    context.set_offline(False)
    page.wait_for_selector("#login-again-banner")
    assert flows.outbox_state(page, uuid) == "waiting"
    assert api.my_inspection_count() == before

    page.click("#login-again-banner button")
    page.wait_for_selector("#login-form")
    assert page.input_value("#username") == "inspector"
    page.fill("#password", "demo-pass-2026")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#today-list")  # the inspector's home
    page.click("nav a[href='#/outbox']")
    flows.wait_for_state(page, uuid, "sent")
    assert api.my_inspection_count() == before + 1
    assert page.locator("#login-again-banner").count() == 0


def test_new_deployment_offers_reload_instead_of_mixing_versions(page, live_app, tmp_path):
    flows.open_app(page)
    flows.wait_for_service_worker(page)
    [old_cache] = page.evaluate("caches.keys()")
    assert old_cache.startswith(f"inspect-shell-{VERSION}+")

    # Deploy a new version: one stylesheet changed, nobody bumped VERSION by hand.
    deployed = tmp_path / "static"
    shutil.copytree(PWA, deployed / "pwa")
    with open(deployed / "pwa" / "app.css", "a", encoding="utf-8") as css:
        css.write("\n/* next deployment */\n")
    original = live_app.static_folder
    live_app.static_folder = str(deployed)
    try:
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.wait_for_selector("#update-banner")
        # Until the inspector chooses, the page keeps running on the old version's files.
        assert old_cache in page.evaluate("caches.keys()")
        assert "next deployment" not in page.evaluate("fetch('app.css').then((r) => r.text())")
        with page.expect_navigation():
            page.click("#update-banner button")
        page.wait_for_selector("html[data-ready='1']")
        page.wait_for_function("old => caches.keys().then((k) => k.length === 1 && k[0] !== old)", arg=old_cache)
        assert "next deployment" in page.evaluate("fetch('app.css').then((r) => r.text())")
        assert page.locator("#update-banner").count() == 0
    finally:
        live_app.static_folder = original


def test_english_switch_changes_every_screen_text_and_is_remembered(page):
    flows.open_app(page)
    page.click("#lang-switch")
    page.wait_for_selector("#login-form button:has-text('Log in')")
    assert page.inner_text("#app-title") == "Site Dust Inspection"
    page.reload()
    page.wait_for_selector("html[data-ready='1']")
    assert page.inner_text("label[for=username]") == "User name"
    assert page.evaluate("document.documentElement.lang") == "en"


def test_denied_location_is_explained_and_sites_still_listed(browser, playwright_instance, live_server):
    ctx = browser.new_context(**playwright_instance.devices["Pixel 7"], base_url=live_server,
                              locale="zh-CN", timezone_id="Asia/Shanghai")  # no geolocation permission
    page = ctx.new_page()
    flows.open_app(page)
    page.fill("#username", "inspector")
    page.fill("#password", "demo-pass-2026")
    page.click("#login-form button[type=submit]")
    flows.to_sites(page)
    page.wait_for_selector("#sites-gps button")  # "retry location"
    assert "网站设置" in page.inner_text("#sites-gps")
    ctx.close()


def test_every_screen_fits_360_px_and_answer_targets_are_thumb_sized(browser, live_server, phone_position):
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                              has_touch=True, base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai",
                              geolocation=phone_position, permissions=["geolocation"])
    page = ctx.new_page()
    no_overflow = "document.documentElement.scrollWidth <= window.innerWidth"
    flows.open_app(page)
    assert page.evaluate(no_overflow), "login screen scrolls sideways at 360 px"
    flows.log_in(page)
    assert page.evaluate(no_overflow), "sites screen scrolls sideways at 360 px"
    flows.open_nearest_site(page)
    assert page.evaluate(no_overflow), "form scrolls sideways at 360 px"
    heights = page.eval_on_selector_all(
        ".outcomes label, label.camera, #finish, #bulk-pass",  # a closed card's camera is not shown: not measured
        "els => els.filter(e => e.offsetParent).map(e => Math.min(e.getBoundingClientRect().height, e.getBoundingClientRect().width))")
    assert heights and min(heights) >= 48
    unlabelled = page.eval_on_selector_all(
        "input:not([type=radio]), textarea, select",
        "els => els.filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.id)")
    assert unlabelled == []
    ctx.close()

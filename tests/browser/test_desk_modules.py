"""The desk screens (supervisors, 区城管执法局) are not part of the precached app shell: they load on
first use, the service worker keeps them in its versioned cache, and a new deployment never mixes an
old shell with a newer desk module."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser import flows
from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser
PWA = Path(__file__).resolve().parents[2] / "static" / "pwa"
CACHED_NAMES = """async () => {
  const names = [];
  for (const key of await caches.keys()) {
    for (const request of await (await caches.open(key)).keys()) names.push(new URL(request.url).pathname.split('/').pop());
  }
  return names;
}"""


def log_in_supervisor(page):
    flows.open_app(page)
    page.fill("#username", "supervisor")
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#counts .count")


def cached(page) -> list[str]:
    return page.evaluate(CACHED_NAMES)


def wait_until_cached(page, *names: str):
    page.wait_for_function(f"({CACHED_NAMES})().then((have) => {list(names)!r}.every((n) => have.includes(n)))")


def test_inspector_never_downloads_a_desk_screen(page, context):
    loaded = []
    page.on("request", lambda request: loaded.append(request.url.rsplit("/", 1)[-1]))
    flows.open_app(page)
    flows.log_in(page)
    flows.wait_for_service_worker(page)
    page.click("nav a[href='#/truck']")
    page.wait_for_selector("#plate")
    page.click("nav a[href='#/mine']")
    page.wait_for_selector("main h2")
    desk = {"view-desk.js", "view-sc.js", "view-cases.js", "gallery.js", "i18n-desk.js"}
    assert not desk & set(loaded)
    assert not desk & set(cached(page))


def test_desk_page_opened_once_works_offline_after_a_reload(context, page):
    # First visit: the home screen's module is fetched before the worker controls the page...
    log_in_supervisor(page)
    flows.wait_for_service_worker(page)
    # ...and is handed to the worker afterwards, with the desk part of the catalogue.
    wait_until_cached(page, "view-desk.js", "i18n-desk.js")
    page.click("nav a[href='#/scorecards']")
    page.wait_for_selector("#sc-list .card")
    wait_until_cached(page, "view-sc.js", "gallery.js")
    assert "view-cases.js" not in cached(page)  # never opened

    context.set_offline(True)
    page.reload()  # on #/scorecards
    page.wait_for_selector("html[data-ready='1'] #sc-q")  # the screen itself opens...
    page.wait_for_selector("#sc-status.notice")  # ...and says its data needs the network
    page.click("nav a[href='#/home']")
    page.wait_for_selector("#counts .notice")
    assert page.locator("#screen-unavailable").count() == 0
    # A desk screen never opened on this phone says it needs a connection once.
    page.click("nav a[href='#/cases']")
    page.wait_for_selector("#screen-unavailable")
    assert "联网" in page.inner_text("#screen-unavailable")


def test_new_deployment_is_offered_instead_of_loading_a_newer_desk_module_into_the_old_app(
        page, live_app, tmp_path):
    log_in_supervisor(page)
    flows.wait_for_service_worker(page)
    wait_until_cached(page, "view-desk.js")
    [old_cache] = page.evaluate("caches.keys()")

    # Deploy a new version in which the scorecards module changed.
    deployed = tmp_path / "static"
    shutil.copytree(PWA, deployed / "pwa")
    with open(deployed / "pwa" / "view-sc.js", "a", encoding="utf-8") as module:
        module.write("\nexport const NEXT_DEPLOYMENT = 1;\n")
    original = live_app.static_folder
    live_app.static_folder = str(deployed)
    try:
        # The old app opens a desk screen it has not loaded yet: the server's module is of the new
        # version, so it is not run; the page says so and offers the new version.
        page.click("nav a[href='#/scorecards']")
        page.wait_for_selector("#screen-unavailable")
        page.wait_for_selector("#update-banner")
        assert page.locator("#sc-list").count() == 0
        assert "view-sc.js" not in cached(page)
        # Until the supervisor chooses, the old version's cache stays as it was.
        assert old_cache in page.evaluate("caches.keys()")
        with page.expect_navigation():
            page.click("#update-banner button")
        page.wait_for_selector("html[data-ready='1']")
        page.wait_for_function("old => caches.keys().then((k) => k.length === 1 && k[0] !== old)", arg=old_cache)
        # The new version brought along the desk module this phone had used, fetched anew.
        assert "view-desk.js" in cached(page)
        page.goto("/app/#/scorecards")
        page.wait_for_selector("#sc-list .card")
        assert "NEXT_DEPLOYMENT" in page.evaluate("fetch('view-sc.js').then((r) => r.text())")
        assert page.locator("#update-banner").count() == 0
    finally:
        live_app.static_folder = original

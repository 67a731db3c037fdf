"""What an inspector does on the phone, as reusable steps for the browser tests."""
from __future__ import annotations

from tests.browser.conftest import DEMO_PASSWORD


def open_app(page, base_url: str = ""):
    page.goto("/app/")
    page.wait_for_selector("html[data-ready='1']")


def log_in(page, username: str = "inspector", password: str = DEMO_PASSWORD):
    """Log in; an inspector lands on 今日任务, and these steps then go on to the site list (巡查)."""
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    to_sites(page)


def to_sites(page):
    """From the inspector's home (今日任务) to the site list, one tap away."""
    page.wait_for_selector("#today-all-sites")
    page.click("#today-all-sites")
    page.wait_for_selector("#site-list .site")


def wait_for_service_worker(page):
    """The shell is cached once the worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def open_nearest_site(page) -> str:
    """Tap the first (nearest) site; returns the draft UUID from the URL."""
    page.wait_for_selector("#site-list .site .distance")
    page.locator("#site-list .site").first.click()
    page.wait_for_selector("section.item")
    return page.evaluate("location.hash.split('/')[2]")


def item_keys(page) -> list[str]:
    return page.eval_on_selector_all("section.item", "els => els.map(e => e.dataset.key)")


def answer(page, key: str, outcome: str):
    before = page.get_attribute("#saved-at", "data-saved")
    page.click(f"#item-{key} label[data-outcome={outcome}]")
    page.wait_for_function(
        "before => { const s = document.querySelector('#saved-at'); return s && s.dataset.saved && s.dataset.saved !== before; }",
        arg=before,
    )


def attach_photos(page, key: str, camera, count: int):
    files = [{"name": f"IMG_{key}_{n}.jpg", "mimeType": "image/jpeg", "buffer": camera()} for n in range(count)]
    page.set_input_files(f"#photo-{key}", files)
    page.wait_for_function(
        "([key, n]) => document.querySelectorAll(`#item-${key} .thumb img`).length >= n", arg=[key, count])


def fill_form(page, camera, fail_key: str | None = None) -> list[str]:
    """Pass every item, N/A none, fail ``fail_key`` (default: the first) with the photos its rule needs."""
    keys = item_keys(page)
    fail_key = fail_key or keys[0]
    for key in keys:
        if key == fail_key:
            answer(page, key, "fail")
            needed = int(page.get_attribute(f"#item-{key}", "data-photos-on-fail") or 0)
            attach_photos(page, key, camera, max(needed, 1))
        else:
            answer(page, key, "pass")
    return keys


def finish(page, off_site_reason: str | None = None):
    """Send: the in-page confirmation (with the geofence warning and its reason when outside), then the outbox."""
    page.click("#finish")
    page.wait_for_selector("#finish-confirm .ask-yes")
    if off_site_reason is not None:
        page.fill("#off-site-reason", off_site_reason)
    page.click("#finish-confirm .ask-yes")
    page.wait_for_selector("#outbox-list .outbox-item")


def outbox_state(page, uuid: str) -> str | None:
    return page.get_attribute(f".outbox-item[data-uuid='{uuid}']", "data-state")


def wait_for_state(page, uuid: str, state: str, timeout: float = 30_000):
    page.wait_for_selector(f".outbox-item[data-uuid='{uuid}'][data-state='{state}']", timeout=timeout)

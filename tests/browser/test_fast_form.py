"""A form that takes a minute (issue 12): bulk pass, compact cards, tap budgets counted tap by tap, the live
distance to the site and the reason for finishing outside it, photo annotation, HEIC, low storage, old browsers."""
from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser import flows
from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")
METRES_PER_DEGREE_LAT = 111_195


def early_morning() -> datetime:
    """The latest 06:30 in Asia/Shanghai: no window (ozone 10:00–17:00, night 22:00–06:00) applies, and it is
    not ahead of the real clock (a GPS fix stamped now stays fresh for the phone)."""
    now = datetime.now(SHANGHAI)
    morning = now.replace(hour=6, minute=30, second=0, microsecond=0)
    return morning if morning <= now else morning - timedelta(days=1)


def twelve_item_sites(live_app, api, at: datetime) -> list[dict]:
    """Active sites whose form has exactly 12 applicable items at ``at`` (the server's own applicability
    rule), not the nearest (other phone tests), the farthest ten (seeded desk work) or the 复查 test's."""
    from inspect_app.checklists.forms import is_applicable

    form = api.get("/api/checklists")["site"]
    sites = api.get("/api/sites?near=40.8200,111.6500&page_size=100")["items"]
    # test_followups fails items at the two nearest earthwork sites and counts their 复查: not those.
    theirs = {s["id"] for s in [s for s in sites[:20] if s["phase"] == "earthwork"][:2]}
    with live_app.app_context():
        return [s for s in sites[1:-10] if s.get("status", "active") == "active" and s["id"] not in theirs and sum(
            1 for item in form["items"] if is_applicable(item, s["phase"], at, s.get("status", "active"))[0]) == 12]


@pytest.fixture
def sites12(live_app, api, page):
    """Sites with a 12-item form; the phone's clock is set to an early morning, so the form it composes
    (and the server checks against its start time) is the same at whatever hour the suite runs."""
    at = early_morning()
    page.clock.install(time=at)
    sites = twelve_item_sites(live_app, api, at)
    assert sites, "the demo data should hold a site with a 12-item form"
    return [sites[i % len(sites)] for i in range(5)]


def stand_at(context, site: dict, north_m: float = 20):
    context.set_geolocation({"latitude": site["lat"] + north_m / METRES_PER_DEGREE_LAT,
                             "longitude": site["lon"], "accuracy": 10})


def open_site(page, site: dict) -> str:
    page.locator(f"#site-list .site[data-site-id='{site['id']}']").click()
    page.wait_for_selector("section.item")
    return page.evaluate("location.hash.split('/')[2]")


def open_form(context, page, site: dict, north_m: float = 20) -> str:
    """Stand ``north_m`` north of the site, log in and open its form; returns the draft's UUID."""
    stand_at(context, site, north_m)
    flows.open_app(page)
    flows.log_in(page)
    return open_site(page, site)


class Taps:
    """Every tap the inspector makes, counted (the camera shutter is the phone's, not the app's: the file
    chooser is the photo tap)."""

    def __init__(self, page):
        self.page, self.log = page, []

    @property
    def count(self) -> int:
        return len(self.log)

    def tap(self, selector: str):
        self.log.append(selector)
        self.page.locator(selector).tap()

    def photos(self, selector: str, files: list[dict]):
        with self.page.expect_file_chooser() as chooser:
            self.tap(selector)
        chooser.value.set_files(files)


def jpeg(camera, name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": camera()}


def test_bulk_pass_names_how_many_it_marks_and_can_be_undone(context, page, sites12):
    site = sites12[0]
    open_form(context, page, site)
    keys = flows.item_keys(page)
    flows.answer(page, keys[0], "fail")
    page.click("#bulk-pass")
    question = page.inner_text("#bulk-confirm .ask-text")
    assert "11 项" in question, question  # the one answered item is not counted
    page.click("#bulk-confirm .ask-no")
    assert page.inner_text("#progress-text") == "已完成 1/12 项"
    page.click("#bulk-pass")
    page.click("#bulk-confirm .ask-yes")
    page.wait_for_function("() => document.querySelector('#progress-text').textContent === '已完成 12/12 项'")
    assert page.is_checked(f"#item-{keys[0]} input[value=fail]")  # answered items stay as they were
    assert all(page.is_checked(f"#item-{k} input[value=pass]") for k in keys[1:])
    assert "已将 11 项标为合格" in page.inner_text("#bulk-undo")
    page.reload()  # the undo is kept with the draft
    page.wait_for_selector("#bulk-undo-button")
    page.click("#bulk-undo-button")
    page.wait_for_function("() => document.querySelector('#progress-text').textContent === '已完成 1/12 项'")
    assert not page.is_checked(f"#item-{keys[1]} input[value=pass]")
    assert page.locator("#bulk-undo").is_hidden()


def test_a_12_item_all_pass_check_takes_at_most_4_taps(context, page, api, sites12):
    site = sites12[1]
    uuid = open_form(context, page, site)
    assert len(flows.item_keys(page)) == 12
    taps = Taps(page)
    taps.tap("#bulk-pass")
    assert "12 项" in page.inner_text("#bulk-confirm .ask-text")
    taps.tap("#bulk-confirm .ask-yes")
    taps.tap("#finish")
    taps.tap("#finish-confirm .ask-yes")
    page.wait_for_selector(f".outbox-item[data-uuid='{uuid}']")
    print(f"\n12-item all-pass check: {taps.count} taps after opening the form: {taps.log}")
    assert taps.count <= 4
    flows.wait_for_state(page, uuid, "sent")
    inspection = api.get(f"/api/inspections/{uuid}")
    assert [i["outcome"] for i in inspection["items"]] == ["pass"] * 12


def test_12_items_with_two_failures_and_three_photos_take_at_most_12_taps(context, page, api, camera, sites12):
    site = sites12[2]
    uuid = open_form(context, page, site)
    keys = flows.item_keys(page)
    needs = {k: int(page.get_attribute(f"#item-{k}", "data-photos-on-fail")) for k in keys}
    # Two failures with three photos between them: a two-photo item and a one-photo item.
    two = next(k for k in keys if needs[k] == 2)
    one = next(k for k in keys if needs[k] == 1)
    taps = Taps(page)
    taps.tap(f"#item-{two} label[data-outcome=fail]")
    page.wait_for_selector(f"#item-{two} label.camera:visible")  # a failure opens its camera and note
    taps.photos(f"#item-{two} label.camera", [jpeg(camera, "a1.jpg"), jpeg(camera, "a2.jpg")])
    page.wait_for_function(f"() => document.querySelectorAll('#item-{two} .thumb img').length === 2")
    taps.tap(f"#item-{one} label[data-outcome=fail]")
    taps.photos(f"#item-{one} label.camera", [jpeg(camera, "b1.jpg")])
    page.wait_for_function(f"() => document.querySelectorAll('#item-{one} .thumb img').length === 1")
    assert page.inner_text("#footer-fails") == "不合格 2"
    taps.tap("#bulk-pass")
    assert "10 项" in page.inner_text("#bulk-confirm .ask-text")
    taps.tap("#bulk-confirm .ask-yes")
    taps.tap("#finish")
    taps.tap("#finish-confirm .ask-yes")
    page.wait_for_selector(f".outbox-item[data-uuid='{uuid}']")
    print(f"\n12 items, 2 failures, 3 photos: {taps.count} taps after opening the form: {taps.log}")
    assert taps.count <= 12
    flows.wait_for_state(page, uuid, "sent")
    inspection = api.get(f"/api/inspections/{uuid}")
    failed = {i["key"]: len(i["photo_ids"]) for i in inspection["items"] if i["outcome"] == "fail"}
    assert failed == {two: 2, one: 1} and inspection["completeness"] == "complete"


def test_passed_cards_are_compact_and_the_next_unanswered_card_scrolls_into_view(context, page, sites12):
    site = sites12[0]
    open_form(context, page, site)
    keys = flows.item_keys(page)
    assert page.locator(f"#item-{keys[0]} label.camera").is_hidden()
    assert page.locator(f"#note-{keys[0]}").is_hidden()
    heights = page.eval_on_selector_all(".outcomes label", "els => els.map(e => e.getBoundingClientRect().height)")
    assert min(heights) >= 56  # thumb-sized
    page.click(f"#item-{keys[5]} label[data-outcome=pass]")
    page.wait_for_function(
        "k => { const r = document.getElementById('item-' + k).getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight / 2; }",
        arg=keys[6])
    page.click(f"#add-more-{keys[5]}")  # on demand for a pass
    assert page.locator(f"#item-{keys[5]} label.camera").is_visible()


def test_distance_to_the_site_updates_and_the_off_site_reason_reaches_the_server_and_review(
        browser, context, page, api, live_server, sites12, screenshot):
    site = sites12[3]
    uuid = open_form(context, page, site, north_m=766)
    page.wait_for_function("() => document.querySelector('#site-distance').dataset.metres !== ''")
    text = page.inner_text("#site-distance")
    radius = round(site["geofence_radius_m"])
    assert re.fullmatch(rf"距工地 7[5-7]\d 米，超出 {radius} 米范围", text), text
    stand_at(context, site, north_m=35)
    page.wait_for_function("() => Number(document.querySelector('#site-distance').dataset.metres) < 50")
    assert re.fullmatch(r"距工地 3\d 米", page.inner_text("#site-distance"))
    stand_at(context, site, north_m=1500)
    page.wait_for_function("() => Number(document.querySelector('#site-distance').dataset.metres) > 1000")
    assert re.fullmatch(rf"距工地 1\.5 公里，超出 {radius} 米范围", page.inner_text("#site-distance"))
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "form-compact")
    page.click("#bulk-pass")
    page.click("#bulk-confirm .ask-yes")
    page.click("#finish")
    warning = page.inner_text("#geofence-warning")
    assert "1.5 公里" in warning and f"{radius} 米" in warning
    page.fill("#off-site-reason", "工地封闭无法进入，在大门外检查")
    screenshot(page, "form-off-site-reason")
    page.click("#finish-confirm .ask-yes")
    flows.wait_for_state(page, uuid, "sent")
    inspection = api.get(f"/api/inspections/{uuid}")
    assert inspection["off_site_reason"] == "工地封闭无法进入，在大门外检查"
    assert "off_site" in {f["code"] for f in inspection["flags"]}  # the reason never clears the flag

    desk = browser.new_context(base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    review = desk.new_page()
    flows.open_app(review)
    review.fill("#username", "supervisor")
    review.fill("#password", DEMO_PASSWORD)
    review.click("#login-form button[type=submit]")
    review.wait_for_selector("nav a")
    review.goto(f"/app/#/insp/{uuid}")
    review.wait_for_selector(".off-site-reason")
    assert "工地封闭无法进入" in review.inner_text(".off-site-reason")
    assert "超出" in review.inner_text(".flags")
    desk.close()


def test_annotation_uploads_the_original_unchanged_and_a_linked_copy(context, page, api, camera, sites12, screenshot):
    site = sites12[4]
    uuid = open_form(context, page, site)
    keys = flows.item_keys(page)
    key = next(k for k in keys if page.get_attribute(f"#item-{k}", "data-photos-on-fail") == "1")
    original = camera()
    flows.answer(page, key, "fail")
    page.set_input_files(f"#photo-{key}", [{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": original}])
    page.wait_for_selector(f"#item-{key} .thumb .annotate")
    page.click(f"#item-{key} .thumb .annotate")
    page.wait_for_selector("#annotate-canvas")
    box = page.locator("#annotate-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * .4, box["y"] + box["height"] * .4)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * .6, box["y"] + box["height"] * .5, steps=4)
    page.mouse.up()
    page.click("#annotate-arrow")
    page.fill("#annotate-label", "围挡破损")
    screenshot(page, "photo-annotate")
    page.click("#annotate-save")
    page.wait_for_selector(f"#item-{key} .thumb.annotated img")
    assert page.locator(f"#item-{key} .thumb img").count() == 2
    assert "缺照片" not in page.inner_text("#form-footer")
    page.click("#bulk-pass")
    page.click("#bulk-confirm .ask-yes")
    flows.finish(page)
    flows.wait_for_state(page, uuid, "sent")
    inspection = api.get(f"/api/inspections/{uuid}")
    photo_ids = next(i["photo_ids"] for i in inspection["items"] if i["key"] == key)
    assert len(photo_ids) == 2
    (copy, of), = inspection["photo_annotations"].items()
    assert sorted([copy, of]) == sorted(photo_ids)
    stored = api.client.get(f"/api/photos/{of}/original", headers=api.headers())
    assert hashlib.sha256(stored.data).hexdigest() == hashlib.sha256(original).hexdigest()  # byte for byte
    drawn = api.client.get(f"/api/photos/{copy}/original", headers=api.headers())
    assert drawn.data[:2] == b"\xff\xd8" and drawn.data != original
    flags = {f["code"] for f in inspection["flags"] if f.get("photo_id") == copy}
    assert flags == {"annotated_copy"}


def test_a_heic_photo_shows_a_placeholder_then_the_servers_thumbnail(context, page, api, sites12):
    from tests.evidence import images

    site = sites12[1]
    uuid = open_form(context, page, site)
    keys = flows.item_keys(page)
    key = next(k for k in keys if page.get_attribute(f"#item-{k}", "data-photos-on-fail") == "1")
    heic = images.heic(taken_at=datetime.now(SHANGHAI).replace(tzinfo=None), offset="+08:00",
                       lat=site["lat"], lon=site["lon"])
    flows.answer(page, key, "fail")
    page.set_input_files(f"#photo-{key}", [{"name": "IMG_4032.HEIC", "mimeType": "image/heic", "buffer": heic}])
    page.wait_for_selector(f"#item-{key} .heic-placeholder")
    text = page.inner_text(f"#item-{key} .heic-placeholder")
    assert "IMG_4032.HEIC" in text and "HEIC 照片，上传后显示缩略图" in text and "KB" in text
    assert page.locator(f"#item-{key} .thumb .annotate").count() == 0  # the browser cannot draw on it
    page.click("#bulk-pass")
    page.click("#bulk-confirm .ask-yes")
    flows.finish(page)
    flows.wait_for_state(page, uuid, "sent")
    page.wait_for_selector(f".outbox-item[data-uuid='{uuid}'] .thumb.server img")
    shown = page.eval_on_selector(f".outbox-item[data-uuid='{uuid}'] .thumb.server img",
                                  "img => img.complete && img.naturalWidth > 0")
    assert shown  # the server decoded the HEIC and its JPEG thumbnail is on the phone


def test_low_storage_is_said_before_photos_are_taken(context, page, sites12):
    page.add_init_script("navigator.storage.estimate = async () => ({ quota: 80e6, usage: 60e6 });")
    site = sites12[0]
    open_form(context, page, site)
    page.wait_for_selector("#storage-low")
    assert "存储空间不足" in page.inner_text("#storage-low") and "MB" in page.inner_text("#storage-low")


def test_a_browser_without_indexeddb_gets_a_sentence_not_a_blank_screen(page):
    page.add_init_script("Object.defineProperty(window, 'indexedDB', { value: undefined });")
    page.goto("/app/")
    page.wait_for_selector("#old-browser")
    assert "无痕模式不能保存数据" in page.inner_text("#old-browser") and page.locator("#main").is_hidden()


def test_the_nomodule_fallback_page_is_readable(page, live_server):
    """Chromium runs modules, so the old browser is played by a page whose module script is left out and
    whose nomodule script runs as a classic one: what an ES5 browser would run."""
    def old_browser(route):
        html = route.fetch().text()
        html = html.replace('<script type="module" src="app.js"></script>', "").replace("<script nomodule ", "<script ")
        route.fulfill(status=200, content_type="text/html", body=html)

    page.route(re.compile(r".*/app/(index\.html)?$"), old_browser)
    page.goto("/app/")
    page.wait_for_selector("#old-browser")
    assert "版本过旧" in page.inner_text("#old-browser") and "too old" in page.inner_text("#old-browser")
    assert page.locator("#main").is_hidden()

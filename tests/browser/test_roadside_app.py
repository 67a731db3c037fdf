"""The inspector's roadside muck-truck check (渣土车检查) on the phone: plate rules as on the server,
the registry lookup, an unknown plate as a finding, offline fill and exactly-once sync."""
from __future__ import annotations

import random
import string

import pytest

from tests.browser import flows

pytestmark = pytest.mark.browser
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def fresh_plate() -> str:
    """A valid ordinary plate no other test uses."""
    return "蒙A" + "".join(random.choice(LETTERS + string.digits) for _ in range(5))


def roadside_count(api, plate: str) -> int:
    return api.get(f"/api/roadside-checks?plate={plate}&page_size=1")["total"]


def open_truck_screen(page):
    page.click("nav a[href='#/truck']")
    page.wait_for_selector("#plate")


def start_check(page, plate: str):
    page.fill("#plate", plate)
    page.click("#truck-start")
    page.wait_for_selector("#truck-header")


def take_truck_photos(page, camera):
    for what in ("plate", "load"):
        page.set_input_files(f"#photo-{what}", [{"name": f"{what}.jpg", "mimeType": "image/jpeg", "buffer": camera()}])
        page.wait_for_selector(f"#thumbs-{what} img")


def answer_all(page, outcome: str = "pass"):
    for key in flows.item_keys(page):
        if not page.is_checked(f"#item-{key} input[value=fail]"):
            flows.answer(page, key, outcome)


PLATES = [  # what the inspector types → the server's reading (None: refused)
    "蒙A12345", "蒙a·１２３４５", " 蒙 A-1234 5 ", "蒙A1234挂", "蒙A12345D", "蒙AD12345", "蒙AF1234",
    "蒙AI2345", "蒙O12345", "蒙A1234", "蒙A123456", "X A12345", "港A12345", "蒙A123挂", "蒙AD1234X", "蒙A1234O",
    "", "蒙1", "蒙", "京Z9999F",
]


def test_plate_rules_on_the_phone_match_the_server_for_every_form(page, live_server):
    from inspect_app.trucks.plates import InvalidPlate, validate_plate

    expected = {}
    for text in PLATES:
        try:
            info = validate_plate(text)
            expected[text] = {"plate": info.plate, "kind": info.kind}
        except InvalidPlate as refused:
            expected[text] = {"plate": refused.plate, "reason": refused.reason}
    page.goto("/app/manifest.webmanifest")
    got = page.evaluate("""async (plates) => {
        const m = await import('/app/view-truck.js');
        return Object.fromEntries(plates.map((p) => [p, m.checkPlate(p)]));
    }""", PLATES)
    assert got == expected


def test_unknown_plate_is_shown_as_a_finding_and_the_server_fails_the_filing_item(page, api, camera, screenshot):
    flows.open_app(page)
    flows.log_in(page)
    open_truck_screen(page)
    page.fill("#plate", "蒙AI2345")
    page.click("#truck-start")
    assert "I 和 O" in page.inner_text("#plate-msg")  # refused on the phone with the reason
    assert page.locator("#truck-header").count() == 0

    plate = fresh_plate()
    start_check(page, plate)
    # Filling a truck check is under the 渣土车 tab, not 巡查.
    assert page.get_attribute("nav a[aria-current=page]", "href") == "#/truck"
    lookup = page.locator("#lookup")
    assert lookup.get_attribute("data-status") == "unknown"
    assert "未备案" in lookup.inner_text() and "违规" in lookup.inner_text()
    assert page.is_checked("#item-truck_filed input[value=fail]")  # a finding from the start
    take_truck_photos(page, camera)
    answer_all(page)
    page.fill("#load-estimated", "18")
    screenshot(page, "truck-check-unknown-plate")
    assert "null" not in page.inner_text("main") and "undefined" not in page.inner_text("main")
    uuid = page.evaluate("location.hash.split('/')[2]")
    flows.finish(page)
    flows.wait_for_state(page, uuid, "sent")

    check = api.get(f"/api/roadside-checks/{uuid}")
    assert check["plate"] == plate and check["completeness"] == "complete"
    assert [f["item_key"] for f in check["server_findings"]] == ["truck_filed"]
    failed = {i["key"] for i in check["items"] if i["outcome"] == "fail"}
    assert failed == {"truck_filed"}
    row = page.locator(f".outbox-item[data-uuid='{uuid}']")
    assert check["server_findings"][0]["message"] in row.inner_text()
    screenshot(page, "truck-check-sent")

    open_truck_screen(page)  # the plate is now among the recent ones
    page.wait_for_selector(f"#recent-plates [data-plate='{plate}']")


def test_registered_truck_shows_its_filing_and_an_overload_against_the_rated_load(page, api):
    plate = fresh_plate()
    res = api.post("/api/vehicles", {"plate": plate, "rated_load_t": 20, "filing_status": "filed",
                                     "filing_expires_on": "2030-12-31"}, "admin")
    assert res.status_code == 201, res.get_json()
    flows.open_app(page)
    flows.log_in(page)
    open_truck_screen(page)
    start_check(page, plate)
    assert page.get_attribute("#lookup", "data-status") == "filed"
    assert "20" in page.inner_text("#lookup")
    assert not page.is_checked("#item-truck_filed input[value=fail]")
    page.fill("#load-measured", "27")
    page.wait_for_selector("#load-status.attn:has-text('35%')")


def test_roadside_check_filled_offline_waits_and_syncs_exactly_once(context, page, api, camera):
    plate = fresh_plate()
    flows.open_app(page)
    flows.log_in(page)
    flows.wait_for_service_worker(page)
    page.wait_for_timeout(300)  # the checklists are fetched right after login

    context.set_offline(True)
    page.reload()
    page.wait_for_selector("html[data-ready='1']")
    page.wait_for_selector("#offline-banner")
    open_truck_screen(page)
    start_check(page, plate)
    assert page.get_attribute("#lookup", "data-status") == "offline"
    take_truck_photos(page, camera)
    answer_all(page)
    uuid = page.evaluate("location.hash.split('/')[2]")
    flows.finish(page)
    flows.wait_for_state(page, uuid, "waiting")
    assert roadside_count(api, plate) == 0

    context.set_offline(False)  # no tap: the `online` event starts sending
    flows.wait_for_state(page, uuid, "sent")
    assert roadside_count(api, plate) == 1
    check = api.get(f"/api/roadside-checks/{uuid}")
    assert check["completeness"] == "complete" and check["missing_photos"] == []
    assert len([p for i in check["items"] for p in i["photo_ids"]]) == 2
    # An unregistered plate was failed by the server even though the phone could not look it up.
    assert "truck_filed" in [f["item_key"] for f in check["server_findings"]]

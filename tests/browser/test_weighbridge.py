"""Overload on the phone (issue 10): an estimate above the rated load is shown as recorded only; a measured
load cannot be finished without its weighbridge ticket photo, and with it the truck is referred to 区交管队."""
from __future__ import annotations

import pytest

from tests.browser import flows
from tests.browser.test_roadside_app import answer_all, fresh_plate, open_truck_screen, start_check, take_truck_photos

pytestmark = pytest.mark.browser


def test_estimate_is_recorded_only_and_a_weighed_load_needs_its_ticket(page, api, camera):
    plate = fresh_plate()
    res = api.post("/api/vehicles", {"plate": plate, "rated_load_t": 20, "filing_status": "filed",
                                     "filing_expires_on": "2030-12-31"}, "admin")
    assert res.status_code == 201, res.get_json()
    flows.open_app(page)
    flows.log_in(page)
    open_truck_screen(page)
    start_check(page, plate)
    page.fill("#load-estimated", "27")
    page.wait_for_selector("#load-status.warn:has-text('仅作记录')")
    page.fill("#load-measured", "27")
    page.wait_for_selector("#load-status.attn:has-text('35%')")
    take_truck_photos(page, camera)
    answer_all(page)
    page.click("#finish")  # refused on the phone: the measured load has no ticket photo yet
    page.wait_for_selector("text=请拍过磅单照片")
    page.set_input_files("#photo-ticket", [{"name": "ticket.jpg", "mimeType": "image/jpeg", "buffer": camera()}])
    page.wait_for_selector("#thumbs-ticket img")
    uuid = page.evaluate("location.hash.split('/')[2]")
    flows.finish(page)
    flows.wait_for_state(page, uuid, "sent")
    check = api.get(f"/api/roadside-checks/{uuid}")
    overload = next(i for i in check["items"] if i["key"] == "truck_not_overloaded")
    assert overload["outcome"] == "fail" and len(overload["photo_ids"]) == 1  # the ticket
    assert [c["authority"] for c in check["penalty_cases"]] == ["traffic_police"]

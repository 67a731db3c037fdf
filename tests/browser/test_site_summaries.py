"""The inspector's site list shows each site's last score and grade and its open and overdue
violations from ``GET /api/sites/summaries?ids=…``, and keeps working on a server without it."""
from __future__ import annotations

import json

import pytest

from tests.browser import flows, seed

pytestmark = pytest.mark.browser


def test_site_cards_show_last_score_grade_and_overdue_violations_from_the_summaries(page):
    asked = {}

    def summaries(route):
        ids = [int(i) for i in route.request.url.split("ids=")[1].split("&")[0].split(",")]
        asked["ids"] = ids
        items = [{"site_id": ids[0], "last_score": 72.5, "last_grade": "pass", "grade_label": "合格",
                  "last_inspected_at": "2026-11-27T02:00:00+00:00", "open_violations": 3, "overdue_violations": 1}]
        route.fulfill(status=200, content_type="application/json", body=json.dumps({"items": items}))

    page.route("**/api/sites/summaries*", summaries)
    flows.open_app(page)
    flows.log_in(page)
    first = page.locator("#site-list .site").first
    first.locator(".last-score").wait_for()
    assert int(first.get_attribute("data-site-id")) == asked["ids"][0]
    assert "72.5" in first.inner_text() and "合格" in first.inner_text()
    assert "未整改 3 项" in first.inner_text() and "逾期 1 项" in first.inner_text()
    assert page.locator("#site-list .site .last-score").count() == 1  # only sites the server summarised


def test_site_list_still_works_when_the_server_has_no_summaries(page):
    page.route("**/api/sites/summaries*", lambda route: route.fulfill(
        status=404, content_type="application/json", body='{"code": "not_found", "message": "", "status": 404}'))
    flows.open_app(page)
    flows.log_in(page)
    page.wait_for_selector("#site-list .site .distance")
    assert "共" in page.inner_text("#sites-status")


def test_summaries_endpoint_of_the_server_feeds_the_site_cards(page, api, camera):
    probe = api.client.get("/api/sites/summaries?ids=1", headers=api.headers())
    if probe.status_code in (404, 405):
        probe.close()
        pytest.xfail("GET /api/sites/summaries is not on the server yet (the integrator adds it)")
    probe.close()
    site = seed.sites_of(api)[6]
    seed.submit_inspection(api, camera, site)
    flows.open_app(page)
    flows.log_in(page)
    page.fill("#site-search", site["name"])
    card = page.locator(f"#site-list .site[data-site-id='{site['id']}']")
    card.locator(".last-score").wait_for()
    assert "未整改" in card.inner_text()

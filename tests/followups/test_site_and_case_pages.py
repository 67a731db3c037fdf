"""The site page lists the site's notices with their follow-ups; the case page links its inspection's notice."""
from __future__ import annotations

from tests.followups.conftest import NON_VETO, follow_up_body, local_morning


def test_the_site_page_lists_its_notices_newest_first_with_their_follow_up(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(3))
    task = unit.tasks()["items"][0]
    body = follow_up_body(task, {NON_VETO: "pass"}, started_at=local_morning(1), site=unit.site)
    assert unit.follow_up(task["id"], body).status_code == 201
    unit.inspect({"ground_paving": "fail"}, started_at=local_morning(0))
    page = unit.client.get(f"/api/scorecards/{unit.site.id}", headers=unit.headers["supervisor"])
    assert page.status_code == 200, page.get_json()
    newer, older = page.get_json()["notices"]
    assert newer["number"].endswith("第00002号") and newer["rectified"] is False
    assert newer["follow_up"]["status"] == "open" and newer["follow_up"]["assignee"] == "王巡查"
    assert older["number"].endswith("第00001号") and older["rectified"] is True
    assert older["follow_up"]["outcome"] == "rectified" and older["pdf_url"] == f"/api/notices/{older['id']}.pdf"


def test_the_case_page_links_the_notice_of_its_inspection(unit):
    inspection = unit.inspect({"hoarding": "fail"}, started_at=local_morning(0))  # a veto item: a case at once
    [case] = inspection["penalty_cases"]
    page = unit.client.get(f"/api/penalty-cases/{case['id']}", headers=unit.headers["supervisor"]).get_json()
    notice = unit.client.get("/api/notices", headers=unit.headers["supervisor"]).get_json()["items"][0]
    assert page["notice"] == {"id": notice["id"], "number": notice["number"], "status": "issued",
                              "pdf_url": f"/api/notices/{notice['id']}.pdf"}

"""The site page says which of its notices are served (送达) and how, so the desk offers 邮寄/留置 only
for the unserved ones."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from tests.followups.conftest import NON_VETO, local_morning


def test_the_site_page_shows_a_notice_unserved_until_the_desk_records_service_by_mail(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))  # yesterday: service "now" is after it at any hour
    page = unit.client.get(f"/api/scorecards/{unit.site.id}", headers=unit.headers["supervisor"]).get_json()
    [notice] = page["notices"]
    assert notice["service"] is None

    served = unit.client.post(f"/api/notices/{notice['id']}/service", headers=unit.headers["supervisor"], json={
        "uuid": str(uuid.uuid4()), "method": "mail", "note": "EMS 1234567890",
        "served_at": datetime.now(timezone.utc).isoformat()})
    assert served.status_code == 201, served.get_json()

    page = unit.client.get(f"/api/scorecards/{unit.site.id}", headers=unit.headers["supervisor"]).get_json()
    [notice] = page["notices"]
    assert notice["service"]["method"] == "mail"
    assert notice["service"]["method_label"] == "邮寄送达"
    assert notice["service"]["served_at"]


def test_an_unknown_desk_service_method_is_refused_and_the_notice_stays_unserved(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(1))  # yesterday: service "now" is after it at any hour
    [notice] = unit.client.get(f"/api/scorecards/{unit.site.id}", headers=unit.headers["supervisor"]).get_json()["notices"]
    refused = unit.client.post(f"/api/notices/{notice['id']}/service", headers=unit.headers["supervisor"], json={
        "uuid": str(uuid.uuid4()), "method": "signed", "note": "x",
        "served_at": datetime.now(timezone.utc).isoformat()})
    assert refused.status_code == 422
    [notice] = unit.client.get(f"/api/scorecards/{unit.site.id}", headers=unit.headers["supervisor"]).get_json()["notices"]
    assert notice["service"] is None

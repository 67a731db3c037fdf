"""Night-work permits over the API: who reads and who writes, audit with before/after, valid-at."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from tests.nightwork.conftest import permit_body


def create(client, headers, site, body):
    return client.post(f"/api/sites/{site.id}/night-permits", json=body, headers=headers)


def events(action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)).all()


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_a_supervisor_or_admin_records_a_permit_and_it_is_audited(client, headers, site, today, role):
    response = create(client, headers[role], site, permit_body(today))
    assert response.status_code == 201, response.get_json()
    permit = response.get_json()
    assert permit["status"] == "valid" and permit["site_name"] == "海亮广场"
    assert (permit["start_time"], permit["end_time"]) == ("22:00", "06:00")
    [event] = events("night_permit.create")
    assert event.after["number"] == "回住建夜证〔2026〕12号" and event.after["site_id"] == site.id


@pytest.mark.parametrize("role", ["inspector", "enforcement"])
def test_inspectors_and_the_bureau_read_but_may_not_write(client, headers, site, today, role):
    assert create(client, headers[role], site, permit_body(today)).status_code == 403
    created = create(client, headers["supervisor"], site, permit_body(today)).get_json()
    listed = client.get(f"/api/sites/{site.id}/night-permits", headers=headers[role])
    assert listed.status_code == 200 and [p["id"] for p in listed.get_json()["items"]] == [created["id"]]
    assert client.patch(f"/api/night-permits/{created['id']}", json={"note": "x"}, headers=headers[role]).status_code == 403
    assert client.post(f"/api/night-permits/{created['id']}/revoke", json={"reason": "x"},
                       headers=headers[role]).status_code == 403
    assert client.get(f"/api/night-permits/{created['id']}", headers=headers[role]).status_code == 200


def test_a_supervisor_of_another_unit_neither_sees_nor_writes(client, auth, headers, site, other_site, today):
    created = create(client, headers["supervisor"], site, permit_body(today)).get_json()
    stranger = auth.as_role("supervisor", units=("zhongshanxilu",))
    assert create(client, stranger, site, permit_body(today, number="2")).status_code == 404
    assert client.get(f"/api/night-permits/{created['id']}", headers=stranger).status_code == 404
    assert client.patch(f"/api/night-permits/{created['id']}", json={"note": "x"}, headers=stranger).status_code == 404
    assert client.get("/api/night-permits", headers=stranger).get_json()["items"] == []
    # …and their own site is theirs
    assert create(client, stranger, other_site, permit_body(today)).status_code == 201


def test_an_edit_is_audited_with_before_and_after(client, headers, site, today):
    created = create(client, headers["supervisor"], site, permit_body(today)).get_json()
    response = client.patch(f"/api/night-permits/{created['id']}", json={"end_time": "02:00", "note": "改为两点"},
                            headers=headers["supervisor"])
    assert response.status_code == 200 and response.get_json()["end_time"] == "02:00"
    [event] = events("night_permit.update")
    assert (event.before["end_time"], event.after["end_time"]) == ("06:00", "02:00")
    assert (event.before["note"], event.after["note"]) == (None, "改为两点")
    # the same values again change nothing and record nothing
    client.patch(f"/api/night-permits/{created['id']}", json={"end_time": "02:00"}, headers=headers["supervisor"])
    assert len(events("night_permit.update")) == 1


def test_revoking_keeps_the_permit_shows_it_revoked_and_refuses_later_changes(client, headers, site, today):
    created = create(client, headers["supervisor"], site, permit_body(today)).get_json()
    url = f"/api/night-permits/{created['id']}"
    assert client.post(f"{url}/revoke", json={"reason": ""}, headers=headers["supervisor"]).status_code == 422
    response = client.post(f"{url}/revoke", json={"reason": "居民投诉，住建局撤销"}, headers=headers["supervisor"])
    assert response.status_code == 200
    assert response.get_json()["status"] == "revoked" and response.get_json()["revoke_reason"] == "居民投诉，住建局撤销"
    [event] = events("night_permit.revoke")
    assert event.before["revoked_at"] is None and event.after["revoked_at"]
    again = client.post(f"{url}/revoke", json={"reason": "再次"}, headers=headers["supervisor"])
    assert again.status_code == 409 and again.get_json()["code"] == "night_permit_revoked"
    edit = client.patch(url, json={"note": "x"}, headers=headers["supervisor"])
    assert edit.status_code == 409
    # the phone's list no longer carries it
    assert client.get("/api/night-permits", headers=headers["inspector"]).get_json()["items"] == []


def test_overlapping_permits_are_allowed_but_a_number_is_unique_per_site(client, headers, site, other_site, today):
    assert create(client, headers["admin"], site, permit_body(today)).status_code == 201
    overlapping = create(client, headers["admin"], site, permit_body(today, number="回住建夜证〔2026〕13号",
                                                                     start_time="23:00", end_time="05:00"))
    assert overlapping.status_code == 201
    same = create(client, headers["admin"], site, permit_body(today))
    assert same.status_code == 409 and same.get_json()["code"] == "night_permit_number_taken"
    assert "回住建夜证〔2026〕12号" in same.get_json()["message"]
    assert create(client, headers["admin"], other_site, permit_body(today)).status_code == 201  # another site


@pytest.mark.parametrize("change, field", [
    ({"valid_to": "2020-01-01"}, "valid_to"),
    ({"start_time": "22:00", "end_time": "22:00"}, "end_time"),
    ({"start_time": "25:00"}, "start_time"),
    ({"start_time": "24:00"}, "start_time"),
    ({"number": ""}, "number"),
    ({"valid_from": "2026-02-30"}, "valid_from"),
    ({"issuing_office": "局" * 121}, "issuing_office"),
])
def test_bad_input_is_a_clear_422(client, headers, site, today, change, field):
    response = create(client, headers["supervisor"], site, permit_body(today, **change))
    assert response.status_code == 422
    assert field in str(response.get_json()["details"])


def test_an_edit_that_puts_the_dates_out_of_order_is_refused_in_words(client, headers, site, today):
    created = create(client, headers["supervisor"], site, permit_body(today)).get_json()
    response = client.patch(f"/api/night-permits/{created['id']}", json={"valid_to": "2020-01-01"},
                            headers={**headers["supervisor"], "Accept-Language": "zh-CN"})
    assert response.status_code == 422 and response.get_json()["code"] == "night_permit_dates_out_of_order"
    assert "截止日期" in response.get_json()["message"]


def test_valid_at_keeps_the_permits_allowing_work_at_that_moment(client, headers, site, today):
    body = permit_body(today, valid_from="2026-12-01", valid_to="2026-12-10")
    create(client, headers["supervisor"], site, body)
    create(client, headers["supervisor"], site, {**body, "number": "短", "end_time": "02:00"})
    url = f"/api/sites/{site.id}/night-permits"

    def numbers(at):
        response = client.get(url, query_string={"valid_at": at}, headers=headers["inspector"])
        assert response.status_code == 200, response.get_json()
        return sorted(p["number"] for p in response.get_json()["items"])

    assert numbers("2026-12-05T23:00:00+08:00") == ["回住建夜证〔2026〕12号", "短"]
    assert numbers("2026-12-05T03:00:00+08:00") == ["回住建夜证〔2026〕12号"]  # the short one ended at 02:00
    assert numbers("2026-12-05T03:00:00") == ["回住建夜证〔2026〕12号"]        # no offset: Asia/Shanghai
    assert numbers("2026-12-11T05:00:00+08:00") == ["回住建夜证〔2026〕12号"]  # the last night's morning
    assert numbers("2026-12-01T03:00:00+08:00") == []                          # before the first night
    assert numbers("2026-12-05T12:00:00+08:00") == []
    assert client.get(url, query_string={"valid_at": "tonight"}, headers=headers["inspector"]).status_code == 422


def test_the_phone_list_carries_current_permits_of_open_sites_in_few_queries(
        client, headers, today, count_queries):
    from tests.factories import create_site

    sites = [create_site(name=f"工地{i}") for i in range(6)]
    for i, s in enumerate(sites):
        create(client, headers["admin"], s, permit_body(today))
        create(client, headers["admin"], s, permit_body(today, number=f"old-{i}", valid_from="2025-01-01",
                                                        valid_to="2025-01-31"))
    with count_queries() as statements:
        response = client.get("/api/night-permits", headers=headers["inspector"])
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert len(items) == 6 and {p["status"] for p in items} == {"valid"}  # expired ones left out
    assert len(statements) <= 4, statements


def test_a_closed_site_gets_no_new_permit(client, headers, site, today):
    client.post(f"/api/sites/{site.id}/close", headers=headers["admin"])
    response = create(client, headers["admin"], site, permit_body(today))
    assert response.status_code == 422 and response.get_json()["code"] == "night_permit_site_closed"


def test_status_is_not_yet_valid_or_expired_by_the_local_date(client, headers, site, today):
    future = create(client, headers["admin"], site, permit_body(
        today, number="f", valid_from=(today + timedelta(days=3)).isoformat(),
        valid_to=(today + timedelta(days=9)).isoformat())).get_json()
    past = create(client, headers["admin"], site, permit_body(
        today, number="p", valid_from="2025-01-01", valid_to=date(2025, 1, 31).isoformat())).get_json()
    assert (future["status"], past["status"]) == ("not_yet_valid", "expired")

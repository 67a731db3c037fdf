"""Complaints (12345 / 12369 / 12319): entry and replay, matching in either datum, due times, the linked
inspection, the reply, the complainant's details for supervisors only, roles and units."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inspect_app.complaints.models import Complaint
from inspect_app.core.audit import AuditEvent
from inspect_app.core.geo import wgs84_to_gcj02
from inspect_app.extensions import db
from tests import factories
from tests.complaints.conftest import local_morning, ticket
from tests.racing import race_threads


# ---- entry, replay, conflict ----

def test_a_ticket_is_stored_with_its_local_time_in_utc_and_replays_idempotently(world):
    first = world.enter(lat=world.site.lat, lon=world.site.lon)
    assert first["received_at"] == "2026-11-20T01:00:00+00:00"  # 09:00 Asia/Shanghai
    assert first["complainant_name"] == "张女士" and first["complainant_phone"] == "13800000000"
    again = world.post("/api/complaints", ticket(lat=world.site.lat, lon=world.site.lon))
    assert again.status_code == 200 and again.get_json()["id"] == first["id"]
    changed = world.post("/api/complaints", ticket(lat=world.site.lat, lon=world.site.lon, text="另一件事"))
    assert changed.status_code == 409 and changed.get_json()["code"] == "complaint_ticket_conflict"
    other_channel = world.post("/api/complaints", ticket(channel="12369", lat=world.site.lat, lon=world.site.lon))
    assert other_channel.status_code == 201  # unique per channel, not across channels


def test_a_ticket_held_by_another_unit_is_a_conflict_that_shows_nothing(world):
    world.enter(lat=world.site.lat, lon=world.site.lon)
    replay = world.post("/api/complaints", ticket(lat=world.site.lat, lon=world.site.lon), role="other_supervisor")
    assert replay.status_code == 409 and "13800000000" not in replay.get_data(as_text=True)


def test_a_complaint_needs_an_address_or_coordinates(world):
    response = world.post("/api/complaints", ticket(address=None))
    assert response.status_code == 422 and response.get_json()["code"] == "complaint_location_required"


# ---- matching ----

def test_matching_in_wgs84_takes_the_nearest_site_whose_geofence_contains_the_point(world):
    near = factories.create_site("xinhuaxilu", lat=world.site.lat + 0.0013, lon=world.site.lon)  # ~145 m north
    point = {"lat": world.site.lat + 0.0011, "lon": world.site.lon, "datum": "WGS84"}  # inside both fences
    complaint = world.enter(**point)
    assert complaint["status"] == "open" and complaint["site"]["id"] == near.id


def test_matching_in_gcj02_converts_the_point_first(world):
    lat, lon = wgs84_to_gcj02(world.site.lat, world.site.lon)
    complaint = world.enter(lat=lat, lon=lon, datum="GCJ02")
    assert complaint["site"]["id"] == world.site.id
    assert complaint["lat"] == pytest.approx(world.site.lat, abs=1e-6)
    # the same numbers taken as WGS-84 lie hundreds of metres off: no site contains them
    unlabelled = world.enter(number="H2", lat=lat, lon=lon, datum="WGS84")
    assert unlabelled["status"] == "no_site_matched" and unlabelled["site"] is None


def test_no_match_is_resolved_by_a_supervisor_choosing_the_site(world):
    complaint = world.enter()  # an address only
    assert complaint["status"] == "no_site_matched" and complaint["due_at"] is None
    assert complaint["unit_id"] == world.site.unit_id  # the entering supervisor's unit holds it
    foreign = factories.create_site("zhongshanxilu")
    refused = world.post(f"/api/complaints/{complaint['id']}/site", {"site_id": foreign.id})
    assert refused.status_code == 422 and refused.get_json()["code"] == "complaint_site_unknown"
    closed = factories.create_site("xinhuaxilu")
    closed.status = "closed"
    db.session.commit()
    refused = world.post(f"/api/complaints/{complaint['id']}/site", {"site_id": closed.id})
    assert refused.status_code == 422 and refused.get_json()["code"] == "complaint_site_unknown"
    resolved = world.post(f"/api/complaints/{complaint['id']}/site", {"site_id": world.site.id})
    assert resolved.status_code == 200
    assert resolved.get_json()["status"] == "open" and resolved.get_json()["site"]["id"] == world.site.id
    assert resolved.get_json()["due_at"] == "2026-11-21T01:00:00+00:00"
    again = world.post(f"/api/complaints/{complaint['id']}/site", {"site_id": world.site.id})
    assert again.status_code == 409 and again.get_json()["code"] == "complaint_not_unmatched"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "complaints")).all()
    assert actions == ["complaint.enter", "complaint.site"]


# ---- due times ----

@pytest.mark.parametrize("category, due", [("dust", "2026-11-21T01:00:00+00:00"),
                                           ("muck_truck", "2026-11-21T01:00:00+00:00"),
                                           ("night_noise", "2026-11-20T13:00:00+00:00"),
                                           ("other", "2026-11-22T01:00:00+00:00")])
def test_the_due_time_follows_the_category(world, category, due):
    complaint = world.enter(category=category, lat=world.site.lat, lon=world.site.lon)
    assert complaint["due_at"] == due


def test_the_due_hours_are_configurable(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "COMPLAINT_DUE_HOURS", "dust:6")
    assert world.enter(lat=world.site.lat, lon=world.site.lon)["due_at"] == "2026-11-20T07:00:00+00:00"
    assert world.enter(number="H2", category="other", lat=world.site.lat,
                       lon=world.site.lon)["due_at"] == "2026-11-22T01:00:00+00:00"  # default kept


# ---- the answering inspection and the reply ----

def _recent(world, days_ago: int = 2) -> dict:
    return world.enter(received_at=local_morning(days_ago).replace(tzinfo=None).isoformat(),
                       lat=world.site.lat, lon=world.site.lon)


def test_the_answering_inspection_is_linked_then_the_reply_closes_it(world):
    complaint = _recent(world)
    path = f"/api/complaints/{complaint['id']}"
    early = world.post(f"{path}/reply", {"reply": "已处理"})
    assert early.status_code == 409 and early.get_json()["code"] == "complaint_reply_needs_inspection"
    inspection = world.inspect(started_at=local_morning(1))
    linked = world.post(f"{path}/inspection", {"inspection_uuid": inspection["uuid"]}, role="inspector")
    assert linked.status_code == 200, linked.get_json()
    assert linked.get_json()["status"] == "answered" and linked.get_json()["inspection_uuid"] == inspection["uuid"]
    inspector_reply = world.post(f"{path}/reply", {"reply": "已处理"}, role="inspector")
    assert inspector_reply.status_code == 403
    closed = world.post(f"{path}/reply", {"reply": "经现场检查，已责令覆盖裸土，办结。"})
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "closed" and closed.get_json()["reply"].startswith("经现场检查")
    assert world.post(f"{path}/reply", {"reply": "again"}).status_code == 409
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "complaints")
                                 .order_by(AuditEvent.id)).all()
    assert actions == ["complaint.enter", "complaint.inspection", "complaint.close"]


def test_an_inspection_of_another_site_or_from_before_the_complaint_is_refused(world):
    complaint = _recent(world)
    path = f"/api/complaints/{complaint['id']}/inspection"
    other_site = factories.create_site("xinhuaxilu", lat=world.site.lat + 0.01, lon=world.site.lon)
    elsewhere = world.inspect(started_at=local_morning(1), site=other_site)
    refused = world.post(path, {"inspection_uuid": elsewhere["uuid"]})
    assert refused.status_code == 422 and refused.get_json()["code"] == "complaint_inspection_other_site"
    before = world.inspect(started_at=local_morning(3))
    refused = world.post(path, {"inspection_uuid": before["uuid"]})
    assert refused.status_code == 422 and refused.get_json()["code"] == "complaint_inspection_too_early"
    assert world.get(f"/api/complaints/{complaint['id']}").get_json()["status"] == "open"


# ---- who sees what ----

def test_inspectors_and_enforcement_never_receive_the_complainants_details(world):
    complaint = _recent(world)
    for role in ("inspector", "enforcement"):
        one = world.get(f"/api/complaints/{complaint['id']}", role=role)
        assert one.status_code == 200
        assert "complainant_name" not in one.get_json() and "complainant_phone" not in one.get_json()
        assert "13800000000" not in one.get_data(as_text=True)
    listed = world.get("/api/complaints", role="inspector").get_json()["items"]
    assert [c["id"] for c in listed] == [complaint["id"]]
    assert "13800000000" not in world.get("/api/complaints", role="inspector").get_data(as_text=True)
    assert world.get(f"/api/complaints/{complaint['id']}", role="admin").get_json()["complainant_phone"] == \
        "13800000000"


def test_inspectors_list_only_open_tasks_and_supervisors_filter(world):
    unmatched = world.enter(number="H-unmatched")
    open_one = _recent(world, days_ago=3)  # dust: 24 h, overdue
    assert [c["id"] for c in world.get("/api/complaints", role="inspector").get_json()["items"]] == [open_one["id"]]
    supervisor = world.get("/api/complaints").get_json()["items"]
    assert {c["id"] for c in supervisor} == {unmatched["id"], open_one["id"]}
    assert [c["id"] for c in world.get("/api/complaints", overdue="true").get_json()["items"]] == [open_one["id"]]
    assert [c["id"] for c in world.get("/api/complaints", status="no_site_matched").get_json()["items"]] == \
        [unmatched["id"]]


def test_overdue_complaints_count_in_the_supervisors_waiting_work(world):
    _recent(world, days_ago=3)
    _recent_not_due = world.enter(number="H-fresh", received_at=(local_morning(0) + timedelta(hours=1))
                                  .replace(tzinfo=None).isoformat(), category="other",
                                  lat=world.site.lat, lon=world.site.lon)
    assert _recent_not_due["status"] == "open"
    counts = world.get("/api/notifications/counts").get_json()["counts"]
    assert counts["complaints_overdue"] == 1
    far = world.get("/api/notifications/counts", role="other_supervisor").get_json()["counts"]
    assert far["complaints_overdue"] == 0


def test_wrong_roles_are_refused(world):
    complaint = _recent(world)
    for role in ("inspector", "enforcement"):
        assert world.post("/api/complaints", ticket(number="H9"), role=role).status_code == 403
        assert world.post(f"/api/complaints/{complaint['id']}/site", {"site_id": world.site.id},
                          role=role).status_code == 403
    assert world.post(f"/api/complaints/{complaint['id']}/inspection",
                      {"inspection_uuid": "00000000-0000-4000-8000-000000000000"},
                      role="enforcement").status_code == 403


def test_another_units_users_do_not_see_the_complaint(world):
    complaint = _recent(world)
    for role in ("other_supervisor", "other_inspector"):
        assert world.get(f"/api/complaints/{complaint['id']}", role=role).status_code == 404
        assert world.get("/api/complaints", role=role).get_json()["items"] == []
    assert world.post(f"/api/complaints/{complaint['id']}/reply", {"reply": "x"},
                      role="other_supervisor").status_code == 404


def test_racing_entries_of_one_ticket_store_one_complaint(app, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every write")
    body = ticket(lat=world.site.lat, lon=world.site.lon)
    statuses = race_threads(app, [("POST", "/api/complaints",
                                   {"json": body, "headers": world.headers["supervisor"]})] * 5)
    assert sorted(statuses).count(201) == 1 and set(statuses) <= {200, 201}, statuses
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1

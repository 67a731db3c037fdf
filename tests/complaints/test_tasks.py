"""The inspector's side of complaints: the open tasks of their units (what the phone and today's list
show), the site the phone composes the form for, and the link the phone's outbox may send twice."""
from __future__ import annotations

from sqlalchemy import func, select

from inspect_app.complaints import queries
from inspect_app.core.audit import AuditEvent
from inspect_app.extensions import db
from tests import factories
from tests.complaints.conftest import local_morning


def _at_site(world, number: str, days_ago: int, **extra) -> dict:
    return world.enter(number=number, received_at=local_morning(days_ago).replace(tzinfo=None).isoformat(),
                       lat=world.site.lat, lon=world.site.lon, **extra)


def test_open_tasks_are_the_units_unanswered_complaints_soonest_due_first(world):
    later = _at_site(world, "H-later", 1)
    sooner = _at_site(world, "H-sooner", 2)
    world.enter(number="H-unmatched")  # no site: not a task yet
    answered = _at_site(world, "H-answered", 3)
    inspection = world.inspect(started_at=local_morning(0))
    assert world.post(f"/api/complaints/{answered['id']}/inspection",
                      {"inspection_uuid": inspection["uuid"]}, role="inspector").status_code == 200
    factories.create_site("zhongshanxilu", name="中山工地")
    tasks = db.session.scalars(queries.open_tasks(world.users["inspector"])).all()
    assert [c.ticket_number for c in tasks] == ["H-sooner", "H-later"]
    assert db.session.scalars(queries.open_tasks(world.users["other_inspector"])).all() == []
    listed = world.get("/api/complaints", role="inspector").get_json()["items"]
    assert [c["id"] for c in listed] == [sooner["id"], later["id"]]


def test_the_task_carries_what_the_phone_needs_to_compose_the_sites_form(world):
    task = _at_site(world, "H1", 1)
    site = world.get(f"/api/complaints/{task['id']}", role="inspector").get_json()["site"]
    assert site == {"id": world.site.id, "name": world.site.name, "lat": world.site.lat, "lon": world.site.lon,
                    "phase": "earthwork", "status": "active", "contractor": world.site.contractor}


def test_the_phone_retrying_the_link_changes_nothing_the_second_time(world):
    task = _at_site(world, "H1", 1)
    inspection = world.inspect(started_at=local_morning(0))
    path = f"/api/complaints/{task['id']}/inspection"
    first = world.post(path, {"inspection_uuid": inspection["uuid"]}, role="inspector")
    again = world.post(path, {"inspection_uuid": inspection["uuid"]}, role="inspector")
    assert first.status_code == again.status_code == 200
    assert again.get_json()["inspection_uuid"] == inspection["uuid"]
    assert world.post(f"/api/complaints/{task['id']}/reply", {"reply": "已办结"}).status_code == 200
    late_retry = world.post(path, {"inspection_uuid": inspection["uuid"]}, role="inspector")
    assert late_retry.status_code == 200 and late_retry.get_json()["status"] == "closed"
    links = db.session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == "complaint.inspection"))
    assert links == 1
    other = world.inspect(started_at=local_morning(0).replace(hour=10))
    refused = world.post(path, {"inspection_uuid": other["uuid"]}, role="inspector")
    assert refused.status_code == 409 and refused.get_json()["code"] == "complaint_site_closed"

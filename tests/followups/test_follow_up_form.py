"""A follow-up answers only the notice's items and is recorded as a normal inspection, exactly once:
a pass closes the violations and the notice (已整改); a failure after the deadline opens a case."""
from __future__ import annotations

from sqlalchemy import func, select

from inspect_app.extensions import db
from inspect_app.followups.models import FollowUp, FollowUpVisit
from inspect_app.inspections.models import Inspection
from inspect_app.notices.models import Notice
from inspect_app.penalties.models import PenaltyCase, Violation
from tests.followups.conftest import NON_VETO, follow_up_body, local_morning


def _violations() -> dict[str, Violation]:
    db.session.expire_all()
    return {v.item_key: v for v in db.session.scalars(select(Violation))}


def test_a_follow_up_that_passes_closes_the_violations_and_the_notice(unit):
    unit.inspect({"ground_paving": "fail", NON_VETO: "fail"}, started_at=local_morning(2))
    task = unit.tasks()["items"][0]
    assert {i["key"] for i in task["items"]} == {"ground_paving", NON_VETO}
    body = follow_up_body(task, {"ground_paving": "pass", NON_VETO: "pass"}, started_at=local_morning(0), site=unit.site)
    response = unit.follow_up(task["id"], body)
    assert response.status_code == 201, response.get_json()
    recorded = response.get_json()
    # a normal inspection (same uuid, same photo protocol), unscored, only the notice's items
    assert recorded["uuid"] == body["uuid"] and recorded["kind"] == "site" and recorded["score"] is None
    assert [i["key"] for i in recorded["items"]] == ["ground_paving", NON_VETO]
    assert {v.status for v in _violations().values()} == {"closed"}
    assert all(v.closed_by_inspection_id == recorded["id"] for v in _violations().values())
    stored = unit.only_task()
    assert (stored.status, stored.outcome) == ("closed", "rectified")
    [visit] = stored.visits
    assert visit.inspection.uuid == body["uuid"] and visit.result == "passed"
    notice = unit.client.get(f"/api/notices/{stored.notice_id}", headers=unit.headers["inspector"]).get_json()
    assert notice["rectified"] is True
    assert unit.tasks()["counts"] == {"overdue": 0, "today": 0, "upcoming": 0}
    # the follow-up does not touch the site's score: the scorecard still shows the full inspection's
    assert db.session.scalar(select(func.count()).select_from(Inspection).where(Inspection.score.is_(None))) == 1


def test_a_replayed_follow_up_records_nothing_more(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(2))
    task = unit.tasks()["items"][0]
    body = follow_up_body(task, {NON_VETO: "pass"}, started_at=local_morning(0), site=unit.site)
    assert unit.follow_up(task["id"], body).status_code == 201
    again = unit.follow_up(task["id"], body)
    assert again.status_code == 200 and again.get_json()["uuid"] == body["uuid"]
    assert db.session.scalar(select(func.count()).select_from(FollowUpVisit)) == 1
    assert db.session.scalar(select(func.count()).select_from(Inspection)) == 2
    changed = {**body, "items": [{**body["items"][0], "note": "补充说明"}]}
    assert unit.follow_up(task["id"], changed).get_json()["code"] == "inspection_conflict"


def test_a_follow_up_that_fails_after_the_deadline_opens_a_case(unit):
    unit.inspect({NON_VETO: "fail"}, started_at=local_morning(9))  # due two days ago; not a veto: no case yet
    assert db.session.scalar(select(func.count()).select_from(PenaltyCase)) == 0
    task = unit.tasks()["items"][0]
    assert task["bucket"] == "overdue"
    body = follow_up_body(task, {NON_VETO: "fail"}, started_at=local_morning(0), site=unit.site)
    assert unit.follow_up(task["id"], body).status_code == 201
    assert _violations()[NON_VETO].status == "overdue"
    [case] = db.session.scalars(select(PenaltyCase)).all()
    assert case.inspection.uuid == body["uuid"] and case.items[0]["reasons"] == ["overdue_refail"]
    stored = unit.only_task()  # the follow-up's own notice gets no second task
    assert (stored.status, stored.outcome) == ("closed", "escalated")
    assert stored.visits[0].result == "failed"
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 2
    assert unit.tasks()["items"] == []


def test_a_follow_up_that_fails_before_the_deadline_keeps_the_task_open(unit):
    unit.inspect({"ground_paving": "fail", NON_VETO: "fail"}, started_at=local_morning(1))
    task = unit.tasks()["items"][0]
    body = follow_up_body(task, {"ground_paving": "pass", NON_VETO: "fail"}, started_at=local_morning(0), site=unit.site)
    assert unit.follow_up(task["id"], body).status_code == 201
    assert db.session.scalar(select(func.count()).select_from(PenaltyCase)) == 0
    stored = unit.only_task()
    assert stored.status == "open" and stored.visits[0].result == "partial"
    # due now on what is still open: the idle-area cover, 7 days after yesterday
    [listed] = unit.tasks()["items"]
    assert listed["due_on"] == next(i["deadline_date"] for i in listed["items"] if i["key"] == NON_VETO)
    assert {i["key"]: i["status"] for i in listed["items"]} == {"ground_paving": "closed", NON_VETO: "open"}


def test_follow_up_refusals(unit):
    unit.inspect({"ground_paving": "fail", NON_VETO: "fail"}, started_at=local_morning(1))
    task = unit.tasks()["items"][0]

    def refused(outcomes, role="inspector", photos=None):
        body = follow_up_body(task, outcomes, started_at=local_morning(0), site=unit.site, photos=photos)
        response = unit.follow_up(task["id"], body, role)
        return response.status_code, (response.get_json() or {}).get("code")

    assert refused({"hoarding": "pass", NON_VETO: "pass", "ground_paving": "pass"}) == (
        422, "follow_up_item_not_in_notice")
    assert refused({NON_VETO: "pass"}) == (422, "answers_missing")  # ground paving is still open
    assert refused({NON_VETO: "na", "ground_paving": "pass"})[0] == 422
    assert refused({NON_VETO: "fail", "ground_paving": "pass"}, photos={NON_VETO: []}) == (422, "photos_required")
    assert refused({NON_VETO: "pass", "ground_paving": "pass"}, role="other_inspector") == (404, "not_found")
    assert refused({NON_VETO: "pass", "ground_paving": "pass"}, role="supervisor") == (403, "forbidden")
    assert db.session.scalar(select(func.count()).select_from(FollowUpVisit)) == 0
    # a colleague of the unit may re-check it (it may have been reassigned while the phone was offline)
    assert refused({NON_VETO: "pass", "ground_paving": "pass"}, role="colleague") == (201, None)


def test_a_truck_notice_is_followed_up_by_a_roadside_check(unit, client):
    from inspect_app.trucks import operations as truck_ops
    from tests.roadside.helpers import truck_check, truck_form
    company = truck_ops.create_company(None, {"name": "顺达渣土"})
    db.session.commit()
    truck_ops.create_vehicle(None, {"plate": "蒙A12345", "rated_load_t": 18.0, "filing_status": "filed",
                                    "company_id": company.id})
    db.session.commit()
    form = truck_form(client, unit.headers["inspector"])
    failing = next(i["key"] for i in form["items"] if not i["veto"] and i["key"] != "truck_not_overloaded"
                   and i["key"] != "truck_documents_carried")
    check = client.post("/api/roadside-checks", json=truck_check(form, outcomes={failing: "fail"},
                        started_at=local_morning(1)), headers=unit.headers["inspector"])
    assert check.status_code == 201, check.get_json()
    db.session.expire_all()
    task = db.session.scalar(select(FollowUp))
    assert task.kind == "truck" and task.plate == "蒙A12345" and task.site_id is None
    body = follow_up_body({"items": []}, {failing: "pass"}, started_at=local_morning(0), site=unit.site)
    response = unit.follow_up(task.id, body)
    assert (response.status_code, response.get_json()["code"]) == (409, "follow_up_truck_by_roadside")
    passed = client.post("/api/roadside-checks", json=truck_check(form, started_at=local_morning(0)),
                         headers=unit.headers["inspector"])
    assert passed.status_code == 201, passed.get_json()
    assert unit.task(task.id)["rectified"] is True

"""What a failed roadside check sets in motion: violations against the truck and its company,
cases for the bureau or 区交管队, and the origin site's six-100 violations."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inspect_app.extensions import db
from inspect_app.penalties.models import PenaltyCase, Violation
from tests import factories
from tests.inspections.helpers import WINTER_MORNING, site_form, submission
from tests.roadside.helpers import item, truck_check


def post(client, headers, body):
    response = client.post("/api/roadside-checks", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def cases() -> list[PenaltyCase]:
    return list(db.session.scalars(select(PenaltyCase).order_by(PenaltyCase.id)))


def test_an_unsealed_truck_goes_to_the_bureau_under_articles_70_and_116(client, headers, form, truck, company):
    body = post(client, headers, truck_check(form, outcomes={"truck_sealed": "fail"}))
    assert body["vetoed"] is True
    [case] = cases()
    assert case.authority == "bureau" and case.status == "pending_review"
    assert case.case_number.startswith("回民渣土移〔2026〕")
    basis = case.items[0]["legal_basis"]
    assert basis["obligation_article"] == "第七十条" and basis["penalty_article"] == "第一百一十六条"
    assert (case.fine_min, case.fine_max) == (2000, 20000)
    assert case.plate == "蒙A12345" and case.vehicle_id == truck.id and case.company_id == company.id
    assert case.contractor == company.name and case.site_id is None
    assert len(case.photo_ids) == 2  # the unsealed load's photos
    violation = db.session.scalar(select(Violation))
    assert violation.item_key == "truck_sealed" and violation.site_id is None
    assert (violation.plate, violation.vehicle_id, violation.company_id) == ("蒙A12345", truck.id, company.id)


def test_dumping_cites_the_construction_waste_rule_article_26(client, headers, form, truck):
    post(client, headers, truck_check(form, outcomes={"truck_no_illegal_dumping": "fail"}))
    [case] = cases()
    assert case.items[0]["legal_basis"]["penalty_article"] == "第二十六条"
    assert case.authority == "bureau"


def test_the_case_appears_in_the_supervisors_queue(client, auth, headers, form, truck):
    post(client, headers, truck_check(form, outcomes={"truck_sealed": "fail"}))
    supervisor = auth.as_role("supervisor", units=("xinhuaxilu",))
    listed = client.get("/api/penalty-cases?status=pending_review", headers=supervisor).get_json()
    assert [c["authority"] for c in listed["items"]] == ["bureau"]


def test_an_overload_is_referred_to_the_traffic_police_not_the_bureau(client, headers, form, truck):
    body = post(client, headers, truck_check(form, measured_load_t=21.0))  # rated 18 t: 17 % over
    overloaded = item(body, "truck_not_overloaded")
    assert overloaded["outcome"] == "fail" and "超过核定载质量 18 吨" in overloaded["note"]
    assert body["load"] == {"load_t": 21.0, "source": "measured", "rated_load_t": 18.0, "overloaded": True,
                            "overload_ratio": pytest.approx(0.1667), "over_thirty_percent": False}
    [summary] = body["penalty_cases"]
    assert summary["authority"] == "traffic_police" and "交管" in summary["recipient"]
    [case] = cases()
    assert case.authority == "traffic_police" and case.case_number.startswith("回民超载移交")
    assert case.items[0]["reasons"] == ["overload_referral"]
    assert case.items[0]["recipient"] == "traffic_police" and "区交管队" in case.items[0]["recipient_zh"]
    assert case.items[0]["legal_basis"]["penalty_article"] == "第九十二条"
    assert (case.fine_min, case.fine_max) == (200, 500)
    detail = client.get(f"/api/penalty-cases/{case.id}",
                        headers=factories_headers(client, "supervisor")).get_json()
    assert "交管" in detail["authority_note"] and detail["next_states"] == ["referred_out", "dismissed"]


def factories_headers(client, role):
    from tests.factories import AuthActions

    return AuthActions(client).as_role(role, units=("xinhuaxilu",))


def test_more_than_thirty_percent_over_is_in_the_higher_traffic_range(client, headers, form, truck):
    # issue 10: only a weighed load is referred (an estimate is an observation: tests/legal)
    body = post(client, headers, truck_check(form, measured_load_t=24.0))  # 33 % over
    assert body["load"]["over_thirty_percent"] is True and body["load"]["source"] == "measured"
    assert "超过30%" in item(body, "truck_not_overloaded")["note"]
    [case] = cases()
    assert (case.fine_min, case.fine_max) == (500, 2000)


def test_a_measured_load_beats_an_estimate_and_within_rated_load_is_not_overloaded(client, headers, form, truck):
    body = post(client, headers, truck_check(form, measured_load_t=17.5, estimated_load_t=25.0))
    assert body["load"]["overloaded"] is False and body["load"]["load_t"] == 17.5
    assert item(body, "truck_not_overloaded")["outcome"] == "pass"
    assert cases() == []


def test_unsealed_and_overloaded_makes_one_case_for_each_authority(client, headers, form, truck):
    body = post(client, headers, truck_check(form, outcomes={"truck_sealed": "fail"}, measured_load_t=20))
    assert sorted(c["authority"] for c in body["penalty_cases"]) == ["bureau", "traffic_police"]
    by_authority = {c.authority: c for c in cases()}
    assert [i["item_key"] for i in by_authority["bureau"].items] == ["truck_sealed"]
    assert [i["item_key"] for i in by_authority["traffic_police"].items] == ["truck_not_overloaded"]


def test_a_non_veto_failure_opens_a_violation_but_no_case_the_first_time(client, headers, form, truck):
    body = post(client, headers, truck_check(form, outcomes={"truck_no_spilling": "fail"}))
    assert body["violations_opened"] == 1 and body["penalty_cases"] == []


def test_spilling_again_after_the_deadline_is_an_overdue_refail_case(client, headers, form, truck):
    post(client, headers, truck_check(form, outcomes={"truck_no_spilling": "fail"}))
    later = WINTER_MORNING + timedelta(days=2)
    body = post(client, headers, truck_check(form, outcomes={"truck_no_spilling": "fail"}, started_at=later))
    violation = db.session.scalar(select(Violation))
    assert violation.fail_count == 2 and violation.status == "overdue"
    [case] = cases()
    assert case.items[0]["reasons"] == ["overdue_refail"]
    assert body["penalty_cases"][0]["id"] == case.id


def test_a_pass_closes_the_trucks_open_violation(client, headers, form, truck):
    post(client, headers, truck_check(form, outcomes={"truck_no_spilling": "fail"}))
    post(client, headers, truck_check(form, started_at=WINTER_MORNING + timedelta(days=1)))
    assert db.session.scalar(select(Violation.status)) == "closed"


def test_violations_are_kept_per_truck(client, headers, form, make_vehicle):
    make_vehicle(plate="蒙A12345")
    make_vehicle(plate="蒙A54321")
    for plate in ("蒙A12345", "蒙A54321"):
        post(client, headers, truck_check(form, plate=plate, outcomes={"truck_no_spilling": "fail"}))
    rows = db.session.execute(select(Violation.plate, Violation.fail_count).order_by(Violation.plate)).all()
    assert rows == [("蒙A12345", 1), ("蒙A54321", 1)]


def test_the_origin_site_gets_washing_and_sealed_transport_violations(client, auth, headers, form, truck, site):
    body = truck_check(form, outcomes={"truck_sealed": "fail", "truck_no_spilling": "fail"},
                       origin_site_id=site.id)
    data = post(client, headers, body)
    assert data["origin_site"] == {"id": site.id, "name": "海亮广场二期", "contractor": site.contractor}
    site_violations = db.session.scalars(select(Violation).where(Violation.site_id == site.id)).all()
    assert sorted(v.item_key for v in site_violations) == ["muck_trucks_sealed_at_gate", "vehicle_washing"]
    assert all("蒙A12345" in v.note and v.unit_id == site.unit_id for v in site_violations)
    # the truck's own violations stay with the truck
    truck_keys = db.session.scalars(select(Violation.item_key).where(Violation.plate == "蒙A12345")).all()
    assert sorted(truck_keys) == ["truck_no_spilling", "truck_sealed"]

    supervisor = auth.as_role("supervisor", units=("xinhuaxilu",))
    listed = client.get(f"/api/violations?site_id={site.id}", headers=supervisor).get_json()
    assert sorted(v["item_key"] for v in listed["items"]) == ["muck_trucks_sealed_at_gate", "vehicle_washing"]
    scorecard = client.get(f"/api/scorecards/{site.id}", headers=supervisor).get_json()
    assert sorted(v["item_key"] for v in scorecard["open_violations"]) == [
        "muck_trucks_sealed_at_gate", "vehicle_washing"]
    row = next(r for r in client.get("/api/scorecards", headers=supervisor).get_json()["items"]
               if r["site_id"] == site.id)
    assert row["open_violations"] == 2


def test_only_the_matching_site_requirement_fails(client, headers, form, truck, site):
    post(client, headers, truck_check(form, outcomes={"truck_sealed": "fail"}, origin_site_id=site.id))
    keys = db.session.scalars(select(Violation.item_key).where(Violation.site_id == site.id)).all()
    assert keys == ["muck_trucks_sealed_at_gate"]


def test_an_overloaded_or_unfiled_truck_does_not_mark_the_site(client, headers, form, site):
    post(client, headers, truck_check(form, plate="蒙A99999", measured_load_t=99, origin_site_id=site.id))
    assert db.session.scalar(select(func.count()).select_from(Violation).where(Violation.site_id == site.id)) == 0


def test_a_site_violation_already_open_counts_the_truck_as_a_refailure(client, headers, form, truck, site):
    site_body = submission(site_form(client, headers), site, outcomes={"vehicle_washing": "fail"})
    assert client.post("/api/inspections", json=site_body, headers=headers).status_code == 201
    post(client, headers, truck_check(form, outcomes={"truck_no_spilling": "fail"}, origin_site_id=site.id,
                                      started_at=WINTER_MORNING + timedelta(hours=2)))
    violation = db.session.scalar(select(Violation).where(Violation.site_id == site.id))
    assert violation.item_key == "vehicle_washing" and violation.fail_count == 2 and violation.status == "open"


def test_the_check_belongs_to_the_origin_sites_unit_else_the_inspectors_first(client, auth, form, truck):
    from inspect_app.inspections.models import Inspection

    inspector = factories.create_user("inspector", units=("xinhuaxilu", "zhongshanxilu"))
    headers = auth.headers(inspector)
    other_site = factories.create_site("zhongshanxilu")
    post(client, headers, truck_check(form, origin_site_id=other_site.id))
    # no fix: the place cannot tell which of the inspector's units (tests/roadside/test_unit_ownership.py)
    post(client, headers, truck_check(form, gps_start=None, gps_finish=None))
    units = db.session.scalars(select(Inspection.unit_id).order_by(Inspection.id)).all()
    assert units == [other_site.unit_id, inspector.units[0].id]
    assert units[0] != units[1]


def test_replaying_a_check_with_an_origin_site_opens_nothing_more(client, headers, form, truck, site):
    body = truck_check(form, outcomes={"truck_sealed": "fail"}, origin_site_id=site.id)
    post(client, headers, body)
    before = db.session.scalar(select(func.count()).select_from(Violation))
    again = client.post("/api/roadside-checks", json=body, headers=headers)
    assert again.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Violation)) == before
    assert db.session.scalar(select(Violation.fail_count).where(Violation.site_id == site.id)) == 1


def test_a_late_synced_check_from_before_the_violation_does_not_close_it(client, headers, form, truck):
    post(client, headers, truck_check(form, outcomes={"truck_no_spilling": "fail"}))
    post(client, headers, truck_check(form, started_at=WINTER_MORNING - timedelta(days=1)))  # queued offline
    assert db.session.scalar(select(Violation.status)) == "open"

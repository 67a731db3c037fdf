"""Where each failure goes (issue 10), through the real API: a case per authority, referrals to outside
authorities with their reported outcome, orders to correct without a case, observations without anything,
ranges by liable party, and overload referred only on a weighed load."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.extensions import db
from inspect_app.notices.models import Notice
from inspect_app.penalties.models import PenaltyCase, Violation
from inspect_app.trucks import operations as truck_ops
from tests import factories
from tests.inspections.helpers import site_form, submission
from tests.roadside.helpers import item, truck_check

SUMMER_NOON = datetime(2026, 7, 15, 11, 0, tzinfo=LOCAL_TZ)  # inside the ozone-hour window


def submit_site(client, headers, body):
    response = client.post("/api/inspections", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def post_truck(client, headers, body, status=201):
    response = client.post("/api/roadside-checks", json=body, headers=headers)
    assert response.status_code == status, response.get_json()
    return response.get_json()


def cases(**where):
    return list(db.session.scalars(select(PenaltyCase).filter_by(**where).order_by(PenaltyCase.id)))


def enforcement(auth, authority="bureau"):
    user = factories.create_user("enforcement", units=())
    if authority != "bureau":
        from inspect_app.auth.operations import set_user_authority

        set_user_authority(None, user, authority)
        db.session.commit()
    return auth.headers(user)


def move(client, headers, case_id, target, **body):
    return client.post(f"/api/penalty-cases/{case_id}/transitions", json={"to": target, **body}, headers=headers)


# ---- site inspections ----

def test_an_ozone_hour_failure_is_scored_and_referred_to_ecology_not_queued_as_a_bureau_fine(
        client, auth, headers, site):
    form = site_form(client, headers)
    body = submit_site(client, headers, submission(form, site, started_at=SUMMER_NOON,
                                                   outcomes={"ozone_no_cutting_welding": "fail"}))
    assert body["score"] < 100  # recorded and scored
    [case] = cases()
    assert case.authority == "ecology" and case.items[0]["reasons"] == ["referral"]
    assert (case.fine_min, case.fine_max) == (None, None) and case.items[0]["governing"] is None
    # the bureau's queue does not hold it; 生态环境分局's does
    bureau, ecology = enforcement(auth), enforcement(auth, "ecology")
    assert client.get("/api/penalty-cases", headers=bureau).get_json()["total"] == 0
    assert [c["id"] for c in client.get("/api/penalty-cases", headers=ecology).get_json()["items"]] == [case.id]
    assert client.get(f"/api/penalty-cases/{case.id}", headers=bureau).status_code == 404
    supervisor = auth.as_role("supervisor")
    detail = client.get(f"/api/penalty-cases/{case.id}", headers=supervisor).get_json()
    assert detail["next_states"] == ["referred_out", "dismissed"] and "生态环境" in detail["authority_note"]
    assert detail["fine_range"] is None
    # approving it as a bureau case is refused; it is referred, then closed with the outcome reported back
    assert move(client, supervisor, case.id, "approved").get_json()["code"] == "case_wrong_authority"
    referred = move(client, supervisor, case.id, "referred_out", note="移送函 2026-07")
    assert referred.status_code == 201 and referred.get_json()["status_label"] == "已移交生态环境分局"
    assert referred.get_json()["referred_to"] == "生态环境分局"
    assert move(client, ecology, case.id, "accepted").status_code == 409  # not decided in this system
    refused = move(client, supervisor, case.id, "closed")
    assert refused.status_code == 422 and refused.get_json()["code"] == "referral_outcome_required"
    closed = move(client, supervisor, case.id, "closed", referral_outcome="生态环境分局责令改正并罚款2万元")
    assert closed.status_code == 201 and closed.get_json()["referral_outcome"] == "生态环境分局责令改正并罚款2万元"


def test_a_veto_and_an_ozone_failure_make_one_case_for_each_authority(client, headers, site):
    form = site_form(client, headers)
    submit_site(client, headers, submission(form, site, started_at=SUMMER_NOON,
                                            outcomes={"hoarding": "fail", "ozone_no_decoration": "fail"}))
    by_authority = {case.authority: case for case in cases()}
    assert set(by_authority) == {"bureau", "ecology"}
    assert [i["item_key"] for i in by_authority["bureau"].items] == ["hoarding"]
    assert (by_authority["bureau"].fine_min, by_authority["bureau"].fine_max) == (10000, 100000)
    assert [i["item_key"] for i in by_authority["ecology"].items] == ["ozone_no_decoration"]


def test_a_haul_route_observation_opens_no_violation_no_case_and_no_notice(client, headers, site):
    form = site_form(client, headers)
    body = submit_site(client, headers, submission(form, site, outcomes={"haul_route_paved_cleaned": "fail"}))
    assert item(body, "haul_route_paved_cleaned")["outcome"] == "fail"  # the observation is recorded
    assert db.session.scalar(select(func.count()).select_from(Violation)) == 0
    assert cases() == [] and db.session.scalar(select(func.count()).select_from(Notice)) == 0


def test_waste_still_there_after_the_deadline_is_fined_under_the_solid_waste_law_and_may_stop_work(
        client, headers, site):
    form = site_form(client, headers)
    start = datetime(2026, 11, 2, 9, 30, tzinfo=LOCAL_TZ)
    submit_site(client, headers, submission(form, site, started_at=start, outcomes={"construction_waste_removed": "fail"}))
    assert cases() == []  # a first failure: rectify within 3 days
    submit_site(client, headers, submission(form, site, started_at=start + timedelta(days=5),
                                            outcomes={"construction_waste_removed": "fail"}))
    [case] = cases()
    [entry] = case.items
    assert entry["reasons"] == ["overdue_refail"] and entry["stop_work_allowed"] is True
    assert entry["governing"]["penalty_article"] == "第一百一十一条第一款第（三）项"
    assert (case.fine_min, case.fine_max) == (100000, 1000000)


def test_a_first_veto_failure_may_be_fined_but_not_ordered_to_stop_work(client, headers, site):
    form = site_form(client, headers)
    submit_site(client, headers, submission(form, site, outcomes={"hoarding": "fail"}))
    [case] = cases()
    assert case.items[0]["stop_work_allowed"] is False  # not a refusal to correct (拒不改正) yet


# ---- roadside checks ----

def test_papers_not_carried_are_an_order_to_correct_never_a_case(client, headers, form, truck):
    start = datetime(2026, 11, 2, 9, 30, tzinfo=LOCAL_TZ)
    for day in range(3):  # a third failure in 30 days queued a case before issue 10
        post_truck(client, headers, truck_check(form, started_at=start + timedelta(days=day),
                                                outcomes={"truck_documents_carried": "fail"}))
    [violation] = db.session.scalars(select(Violation).where(Violation.item_key == "truck_documents_carried"))
    assert violation.fail_count == 3
    assert cases() == []


def test_an_estimated_overload_is_an_observation_not_a_referral(client, headers, form, truck):
    body = post_truck(client, headers, truck_check(form, estimated_load_t=24.0))  # rated 18 t: 33 % over
    assert body["load"]["overloaded"] is False and body["load"]["source"] == "estimated"
    overload = item(body, "truck_not_overloaded")
    assert overload["outcome"] == "pass" and "仅作记录" in overload["note"]
    assert body["server_findings"][0]["code"] == "overload_estimated"
    assert body["server_findings"][0]["observation"] is True
    assert body["penalty_cases"] == [] and cases() == []


def test_an_inspectors_own_overload_fail_without_weighing_is_not_referred(client, headers, form, truck):
    post_truck(client, headers, truck_check(form, estimated_load_t=24.0, outcomes={"truck_not_overloaded": "fail"}))
    assert cases(authority="traffic_police") == []


def test_a_measured_load_without_its_weighbridge_ticket_photo_is_refused(client, headers, form, truck):
    body = post_truck(client, headers, truck_check(form, measured_load_t=24.0, photos={"truck_not_overloaded": []}),
                      status=422)
    assert body["code"] == "weighbridge_ticket_required" and "过磅单" in body["message"]
    assert cases() == []


def test_a_weighed_overload_with_its_ticket_is_referred_to_the_traffic_police(client, headers, form, truck):
    body = post_truck(client, headers, truck_check(form, measured_load_t=24.0))
    [case] = cases()
    assert case.authority == "traffic_police" and case.items[0]["reasons"] == ["overload_referral"]
    assert case.items[0]["party_kind"] == "individual"  # the driver
    assert body["load"]["overloaded"] is True


@pytest.mark.parametrize("registered_to_company, expected", [(True, (5000, 50000)), (False, (0, 200))])
def test_dumping_is_fined_by_the_partys_range(client, headers, form, company, registered_to_company, expected):
    data = {"plate": "蒙A54321", "rated_load_t": 18.0, "filing_status": "filed",
            "filing_expires_on": date(2027, 12, 31)}
    if registered_to_company:
        data["company_id"] = company.id
    truck_ops.create_vehicle(None, data)
    db.session.commit()
    post_truck(client, headers, truck_check(form, plate="蒙A54321", outcomes={"truck_no_illegal_dumping": "fail"}))
    [case] = cases()
    # 139号令 第二十六条: a unit 5,000–50,000; an individual (no haulage company) at most 200
    assert (case.fine_min, case.fine_max) == expected
    assert case.items[0]["party_kind"] == ("unit" if registered_to_company else "individual")

"""Repeat offenders: trucks and haulage companies ranked by failed checks and open violations."""
from datetime import timedelta

import pytest

from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.trucks import operations as truck_ops
from tests.roadside.helpers import truck_check


@pytest.fixture
def desk(auth):
    return auth.as_role("supervisor", units=("xinhuaxilu",))


def check(client, headers, form, plate, days_ago, **outcomes):
    started = (utcnow() - timedelta(days=days_ago)).replace(microsecond=0)
    body = truck_check(form, plate=plate, outcomes=outcomes, started_at=started)
    response = client.post("/api/roadside-checks", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()


def test_trucks_and_companies_are_ranked_by_failed_checks_then_open_violations(
        client, headers, desk, form, make_vehicle, company):
    other = truck_ops.create_company(None, {"name": "呼和浩特市通达运输有限公司"})
    db.session.commit()
    make_vehicle(plate="蒙A11111")
    make_vehicle(plate="蒙A22222")
    make_vehicle(plate="蒙A33333", company_id=other.id)
    for days in (1, 3, 5):
        check(client, headers, form, "蒙A11111", days, truck_no_spilling="fail")
    check(client, headers, form, "蒙A22222", 2, truck_sealed="fail")
    check(client, headers, form, "蒙A33333", 2, truck_documents_carried="fail")
    check(client, headers, form, "蒙A33333", 1, truck_no_spilling="fail")  # papers shown: that one closes
    check(client, headers, form, "蒙A99999", 1)  # unknown plate: the filing item fails
    check(client, headers, form, "蒙A11111", 40, truck_sealed="fail")  # outside the window

    response = client.get("/api/roadside/repeat-offenders?days=30", headers=desk)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    ranked = [(v["plate"], v["failed_checks"], v["open_violations"]) for v in body["vehicles"]]
    assert ranked == [("蒙A11111", 3, 2), ("蒙A33333", 2, 1), ("蒙A22222", 1, 1), ("蒙A99999", 1, 1)]
    unknown = body["vehicles"][-1]
    assert unknown["registered"] is False and unknown["company_name"] is None
    companies = [(c["company_name"], c["vehicles"], c["failed_checks"]) for c in body["companies"]]
    assert companies == [(company.name, 2, 4), ("呼和浩特市通达运输有限公司", 1, 2)]


def test_a_clean_truck_is_not_an_offender(client, headers, desk, form, make_vehicle):
    make_vehicle(plate="蒙A11111")
    check(client, headers, form, "蒙A11111", 1)
    body = client.get("/api/roadside/repeat-offenders", headers=desk).get_json()
    assert body["days"] == 30 and body["vehicles"] == [] and body["companies"] == []


def test_a_supervisor_of_another_unit_sees_no_offenders_from_this_one(client, auth, headers, form, truck):
    check(client, headers, form, "蒙A12345", 1, truck_sealed="fail")
    elsewhere = auth.as_role("supervisor", units=("gangtielu",))
    assert client.get("/api/roadside/repeat-offenders", headers=elsewhere).get_json()["vehicles"] == []
    enforcement = auth.as_role("enforcement", units=())
    assert len(client.get("/api/roadside/repeat-offenders", headers=enforcement).get_json()["vehicles"]) == 1


@pytest.mark.parametrize("query", ["days=0", "days=abc", "days=1000"])
def test_a_nonsense_window_is_refused(client, desk, query):
    response = client.get(f"/api/roadside/repeat-offenders?{query}", headers=desk)
    assert response.status_code == 422

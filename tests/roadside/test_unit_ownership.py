"""Every roadside case has an owner: the unit (七办一镇) where the truck was stopped, or a clear refusal.

A district-wide inspector has no unit of their own; before, their checks queued cases in no unit,
which no supervisor's queue shows.
"""
import pytest
from sqlalchemy import func, select

from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import PenaltyCase
from tests import factories
from tests.roadside.helpers import truck_check

STOP = (40.8400, 111.6800)  # where the truck is stopped
NEAR_STOP = (40.8420, 111.6800)  # ≈ 220 m north of it
FAR_AWAY = (40.9400, 111.9000)  # ≈ 21 km from every site below


def stopped_at(lat, lon, accuracy_m=6.0) -> dict:
    gps = {"lat": lat, "lon": lon, "accuracy_m": accuracy_m, "datum": "WGS84"}
    return {"gps_start": gps, "gps_finish": gps}


@pytest.fixture
def sites():
    """A 海拉尔西路 site near the stop; 新华西路 sites (the default location) about 3 km away."""
    factories.create_site("xinhuaxilu")
    return factories.create_site("hailaerxilu", lat=NEAR_STOP[0], lon=NEAR_STOP[1])


@pytest.fixture
def unitless(auth, checklists):
    """A district-wide 城管 inspector with no unit of their own."""
    return auth.headers(factories.create_user("inspector", units=()))


def _unsealed(form, **extra):
    return truck_check(form, outcomes={"truck_sealed": "fail"}, **extra)


def _queue(client, auth, unit):
    response = client.get("/api/penalty-cases", headers=auth.as_role("supervisor", units=(unit,)))
    assert response.status_code == 200
    return {case["id"] for case in response.get_json()["items"]}


def test_a_unitless_inspectors_case_goes_to_the_unit_where_the_truck_was_stopped(client, auth, form, truck,
                                                                                 sites, unitless):
    response = client.post("/api/roadside-checks", json=_unsealed(form, **stopped_at(*STOP)), headers=unitless)
    assert response.status_code == 201, response.get_json()
    case = db.session.scalar(select(PenaltyCase))
    assert case.unit_id == sites.unit_id
    assert _queue(client, auth, "hailaerxilu") == {case.id}
    assert _queue(client, auth, "xinhuaxilu") == set()


def test_a_unitless_inspector_far_from_any_site_is_refused_with_a_reason(client, form, truck, sites, unitless):
    response = client.post("/api/roadside-checks", json=_unsealed(form, **stopped_at(*FAR_AWAY)),
                           headers={**unitless, "Accept-Language": "en"})
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == "roadside_unit_unknown"
    assert "2,000 m" in body["message"] and "assign your account a unit" in body["message"]
    assert db.session.scalar(select(func.count()).select_from(Inspection)) == 0
    assert db.session.scalar(select(func.count()).select_from(PenaltyCase)) == 0


@pytest.mark.parametrize("position", [
    {"gps_start": None, "gps_finish": None},  # no fix at all
    stopped_at(*STOP, accuracy_m=5000.0),  # a fix that cannot tell one street office from another
])
def test_a_unitless_inspector_without_a_usable_position_is_refused(client, form, truck, sites, unitless,
                                                                   position):
    response = client.post("/api/roadside-checks", json=_unsealed(form, **position), headers=unitless)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["code"] == "roadside_unit_unknown"
    assert "分配所属单位" in response.get_json()["message"]
    assert db.session.scalar(select(func.count()).select_from(Inspection)) == 0


def test_once_given_a_unit_the_refused_check_goes_through_on_retry(client, auth, form, truck, sites):
    from inspect_app.auth.models import User
    from inspect_app.auth.queries import units_by_code_or_name

    user = factories.create_user("inspector", units=())
    headers = auth.headers(user)
    body = _unsealed(form, **stopped_at(*FAR_AWAY))
    assert client.post("/api/roadside-checks", json=body, headers=headers).status_code == 422
    db.session.get(User, user.id).units.append(units_by_code_or_name(["gangtielu"])["gangtielu"])
    db.session.commit()
    assert client.post("/api/roadside-checks", json=body, headers=headers).status_code == 201
    assert db.session.scalar(select(PenaltyCase.unit_id)) == units_by_code_or_name(["gangtielu"])["gangtielu"].id


def test_an_inspector_of_two_units_files_the_check_under_the_one_where_the_truck_was_stopped(
        client, auth, form, truck, sites):
    headers = auth.headers(factories.create_user("inspector", units=("xinhuaxilu", "hailaerxilu")))
    response = client.post("/api/roadside-checks", json=_unsealed(form, **stopped_at(*STOP)), headers=headers)
    assert response.status_code == 201, response.get_json()
    assert db.session.scalar(select(PenaltyCase.unit_id)) == sites.unit_id


def test_an_inspectors_own_unit_is_kept_when_the_truck_was_stopped_outside_it(client, headers, form, truck,
                                                                             sites, inspector):
    """新华西路's inspector stopping a truck in 海拉尔西路: the case stays with 新华西路, who can act on it."""
    response = client.post("/api/roadside-checks", json=_unsealed(form, **stopped_at(*STOP)), headers=headers)
    assert response.status_code == 201, response.get_json()
    assert db.session.scalar(select(PenaltyCase.unit_id)) == inspector.units[0].id

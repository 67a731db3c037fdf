"""``flask demo`` registers a few haulage companies and trucks, so every roadside path can be tried:
a filed truck, an expired filing, an unfiled one, a light truck to overload, and an unknown plate."""
from __future__ import annotations

from sqlalchemy import func, select

from inspect_app.demo.data import DEMO_COMPANIES, DEMO_PASSWORD, DEMO_UNKNOWN_PLATE, DEMO_VEHICLES
from inspect_app.extensions import db
from inspect_app.trucks.models import HaulageCompany, Vehicle
from tests.roadside.helpers import truck_check, truck_form
from tests.system.test_health_openapi_demo import empty_app  # noqa: F401  (fixture)


def _plates(path: str) -> str:
    return next(plate for plate, *_, shown, _sites in DEMO_VEHICLES if shown == path)


def test_demo_command_registers_trucks_once_and_prints_them_with_the_logins(empty_app):  # noqa: F811
    with empty_app.app_context():
        runner = empty_app.test_cli_runner()
        first = runner.invoke(args=["demo", "--no-serve"])
        assert first.exit_code == 0, first.output
        second = runner.invoke(args=["demo", "--no-serve"])
        assert second.exit_code == 0, second.output
        assert db.session.scalar(select(func.count(HaulageCompany.id))) == len(DEMO_COMPANIES) == 2
        assert db.session.scalar(select(func.count(Vehicle.id))) == len(DEMO_VEHICLES) == 4
        served = db.session.scalars(select(Vehicle).where(Vehicle.plate == _plates("filed"))).one().sites
        assert served  # a filed truck serves demo sites, so the origin-site path works too
    for output in (first.output, second.output):
        assert DEMO_PASSWORD in output and "渣土车" in output
        for plate, *_ in DEMO_VEHICLES:
            assert plate in output
        assert DEMO_UNKNOWN_PLATE in output and "未登记" in output


def _lookup(client, headers, plate):
    return client.get("/api/vehicles/lookup", query_string={"plate": plate}, headers=headers)


def test_every_roadside_path_is_reachable_with_the_demo_trucks(client, auth):
    from inspect_app.demo.cli import load_demo_data

    load_demo_data()
    inspector = auth.headers("inspector", DEMO_PASSWORD)
    filed = _lookup(client, inspector, _plates("filed")).get_json()
    assert (filed["filing_valid"], filed["company"]["name"]) == (True, DEMO_COMPANIES[0]["name"])
    assert _lookup(client, inspector, _plates("filing_expired")).get_json()["filing_problem"] == "expired"
    assert _lookup(client, inspector, _plates("unfiled")).get_json()["filing_problem"] == "unfiled"
    unknown = _lookup(client, inspector, DEMO_UNKNOWN_PLATE)
    assert (unknown.status_code, unknown.get_json()["code"]) == (404, "vehicle_unknown")

    light = _lookup(client, inspector, _plates("overload")).get_json()
    assert light["filing_valid"] is True
    body = truck_check(truck_form(client, inspector), plate=light["plate"], measured_load_t=12.0)
    response = client.post("/api/roadside-checks", json=body, headers=inspector)
    assert response.status_code == 201, response.get_json()
    check = response.get_json()
    assert check["load"]["overloaded"] is True and check["load"]["over_thirty_percent"] is True
    assert {case["authority"] for case in client.get(
        "/api/penalty-cases", headers=auth.headers("supervisor", DEMO_PASSWORD)).get_json()["items"]} == {
        "traffic_police"}


def test_demo_command_records_night_work_permits_once(empty_app):  # noqa: F811
    from inspect_app.demo.data import DEMO_NIGHT_PERMITS
    from inspect_app.nightwork.models import NightPermit
    from inspect_app.nightwork.rules import permit_status
    from inspect_app.core.timeutil import utcnow

    with empty_app.app_context():
        runner = empty_app.test_cli_runner()
        for _ in range(2):
            result = runner.invoke(args=["demo", "--no-serve"])
            assert result.exit_code == 0, result.output
        permits = db.session.scalars(select(NightPermit).order_by(NightPermit.id)).all()
        assert [p.number for p in permits] == [row[1] for row in DEMO_NIGHT_PERMITS]
        # one site may work tonight, the other's permit has run out
        assert [permit_status(p, utcnow()) for p in permits] == ["valid", "expired"]

"""Submitting roadside truck checks: exactly once, validated, with the server's own findings."""
from datetime import date

import pytest
from sqlalchemy import func, select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.penalties.models import PenaltyCase, Violation
from inspect_app.roadside.models import TruckCheck
from tests.inspections.helpers import site_form
from tests.roadside.helpers import item, truck_check

ALL = (Inspection, ItemResult, TruckCheck, Violation, PenaltyCase, AuditEvent)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def post(client, headers, body, **extra_headers):
    return client.post("/api/roadside-checks", json=body, headers={**headers, **extra_headers})


def test_a_filed_truck_that_passes_everything_opens_nothing(client, headers, form, truck):
    response = post(client, headers, truck_check(form))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["kind"] == "truck" and body["site"] is None
    assert body["plate"] == "蒙A12345"
    assert body["vehicle"]["id"] == truck.id and body["company"]["name"] == "呼和浩特市顺达渣土运输有限公司"
    assert body["score"] == 100.0 and body["vetoed"] is False
    assert body["scoring_rule"] == 2  # truck checks are inspections and keep their rule too
    assert body["server_findings"] == [] and body["filing_problem"] is None
    assert body["violations_opened"] == 0 and body["penalty_cases"] == []
    assert body["completeness"] == "incomplete" and len(body["missing_photos"]) == 1  # the plate photo
    assert count(Violation) == 0 and count(PenaltyCase) == 0


def test_the_plate_is_normalised_before_it_is_looked_up(client, headers, form, truck):
    response = post(client, headers, truck_check(form, plate=" 蒙a·１２３４５ "))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["plate"] == "蒙A12345"
    assert response.get_json()["vehicle"]["id"] == truck.id


@pytest.mark.parametrize("plate, reason", [
    ("", "empty"),
    ("XA12345", "unknown_province"),
    ("蒙112345", "bad_office_letter"),
    ("蒙A1234O", "letter_i_or_o"),
    ("蒙A123", "wrong_length"),
    ("蒙A12345挂", "bad_trailer"),
    ("蒙A1234X5D", "wrong_length"),
    ("蒙A12345X", "bad_new_energy"),
])
def test_an_invalid_plate_is_refused_with_the_reason_and_nothing_is_stored(client, headers, form, plate, reason):
    response = post(client, headers, truck_check(form, plate=plate))
    assert response.status_code == 422, response.get_json()
    body = response.get_json()
    assert body["code"] == "invalid_plate"
    assert body["details"]["reason"] == reason
    assert count(Inspection) == 0


def test_a_plate_colour_that_contradicts_the_plate_is_refused(client, headers, form, truck):
    response = post(client, headers, truck_check(form, plate_colour="green"))
    assert response.status_code == 422
    assert response.get_json()["code"] == "plate_colour_mismatch"


def test_an_unknown_plate_fails_the_filing_item_even_if_the_phone_said_pass(client, headers, form):
    response = post(client, headers, truck_check(form, plate="蒙A99999"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["vehicle"] is None and body["filing_problem"] == "unknown"
    filed = item(body, "truck_filed")
    assert filed["outcome"] == "fail"
    assert "未备案" in filed["note"]
    assert body["server_findings"] == [
        {"item_key": "truck_filed", "code": "filing_unknown", "message": filed["note"], "observation": False}]
    assert body["vetoed"] is True
    # an unfiled truck is a veto failure: a case for the bureau
    assert len(body["penalty_cases"]) == 1 and body["penalty_cases"][0]["authority"] == "bureau"
    case = db.session.scalar(select(PenaltyCase))
    assert case.status == "pending_review" and case.plate == "蒙A99999" and case.vehicle_id is None
    assert case.items[0]["item_key"] == "truck_filed" and case.items[0]["reasons"] == ["veto"]


def test_the_server_finding_is_explained_in_english_and_the_inspector_note_kept(client, headers, form):
    body = truck_check(form, plate="蒙A99999")
    item(body, "truck_filed")["note"] = "司机称备案在办"
    response = post(client, headers, body, **{"Accept-Language": "en"})
    assert response.status_code == 201
    data = response.get_json()
    assert data["server_findings"][0]["message"].startswith("The plate is not in the vehicle registry")
    assert item(data, "truck_filed")["note"].endswith("；司机称备案在办")


@pytest.mark.parametrize("change, problem", [
    ({"filing_status": "unfiled"}, "unfiled"),
    ({"filing_status": "revoked"}, "revoked"),
    ({"filing_status": "expired"}, "expired"),
    ({"filing_expires_on": date(2026, 11, 24)}, "expired"),  # the day before the check
    ({"active": False}, "inactive"),
])
def test_a_vehicle_whose_filing_does_not_hold_fails_the_filing_item(client, headers, form, truck, change, problem):
    for name, value in change.items():
        setattr(truck, name, value)
    db.session.commit()
    response = post(client, headers, truck_check(form))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["filing_problem"] == problem
    assert item(body, "truck_filed")["outcome"] == "fail"
    assert body["server_findings"][0]["code"] == f"filing_{problem}"
    assert body["penalty_cases"][0]["authority"] == "bureau"


def test_a_filing_is_judged_on_the_day_the_truck_was_stopped(client, headers, form, truck):
    truck.filing_expires_on = date(2026, 11, 25)  # the check's local date: still valid that day
    db.session.commit()
    response = post(client, headers, truck_check(form))
    assert response.status_code == 201
    assert response.get_json()["filing_problem"] is None
    assert item(response.get_json(), "truck_filed")["outcome"] == "pass"


def test_a_check_without_any_photo_is_refused(client, headers, form, truck):
    response = post(client, headers, truck_check(form, plate_photo=False))
    assert response.status_code == 422
    assert response.get_json()["code"] == "roadside_photo_required"
    assert count(Inspection) == 0


def test_a_failed_item_needs_the_photos_its_rule_asks_for(client, headers, form, truck):
    body = truck_check(form, outcomes={"truck_sealed": "fail"}, photos={"truck_sealed": []})
    response = post(client, headers, body)
    assert response.status_code == 422
    assert response.get_json()["code"] == "photos_required"


def test_the_site_checklist_cannot_be_used_for_a_truck(client, headers, form, truck):
    body = truck_check(form, checklist_version_ids=site_form(client, headers)["version_ids"])
    response = post(client, headers, body)
    assert response.status_code == 422
    assert response.get_json()["code"] == "unknown_truck_checklist_version"


@pytest.mark.parametrize("field, value", [("measured_load_t", -1), ("estimated_load_t", "heavy"),
                                          ("measured_load_t", 18000)])
def test_a_negative_or_nonsense_load_is_refused(client, headers, form, truck, field, value):
    response = post(client, headers, truck_check(form, **{field: value}))
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_error"
    assert field in response.get_json()["details"]["json"]


def test_replaying_the_same_check_creates_nothing_new(client, headers, form):
    body = truck_check(form, plate="蒙A99999", outcomes={"truck_sealed": "fail"}, measured_load_t=25)
    first = post(client, headers, body)
    assert first.status_code == 201
    counts = [count(m) for m in ALL]
    for _ in range(3):
        again = post(client, headers, body)
        assert again.status_code == 200
        assert again.get_json()["uuid"] == first.get_json()["uuid"]
        assert again.get_json()["penalty_cases"] == first.get_json()["penalty_cases"]
    assert [count(m) for m in ALL] == counts


def test_same_uuid_with_different_content_is_refused_and_the_original_kept(client, headers, form, truck):
    body = truck_check(form)
    assert post(client, headers, body).status_code == 201
    changed = {**body, "plate": "蒙A99999"}
    response = post(client, headers, changed)
    assert response.status_code == 409
    assert response.get_json()["code"] == "inspection_conflict"
    assert db.session.scalar(select(Inspection.plate)) == "蒙A12345"


def test_a_roadside_check_uuid_cannot_replay_a_site_inspection(client, headers, form, truck):
    from tests import factories
    from tests.inspections.helpers import submission

    site = factories.create_site("xinhuaxilu")
    site_body = submission(site_form(client, headers), site)
    assert client.post("/api/inspections", json=site_body, headers=headers).status_code == 201
    response = post(client, headers, truck_check(form, check_uuid=site_body["uuid"]))
    assert response.status_code == 409

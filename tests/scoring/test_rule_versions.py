"""Each inspection keeps the rule that graded it: new ones rule 2, stored ones (rule 1) are never re-graded."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.core.timeutil import LOCAL_TZ, utcnow
from inspect_app.inspections.models import Inspection
from tests.alerts.conftest import alert_world  # noqa: F401  (fixture)
from tests.penalties.world import world  # noqa: F401  (fixture)

JULY_11 = datetime(2026, 7, 8, 11, 0, tzinfo=LOCAL_TZ)
JULY_18 = datetime(2026, 7, 8, 18, 0, tzinfo=LOCAL_TZ)
THREE_FAILURES = {"material_cover": "fail", "vehicle_washing": "fail", "wet_earthwork": "fail"}


def read(world, uuid, lang="zh-CN"):
    response = world.client.get(f"/api/inspections/{uuid}",
                                headers={**world.headers["inspector"], "Accept-Language": lang})
    assert response.status_code == 200
    return response.get_json()


def test_the_same_failures_grade_the_same_at_11_and_18_in_july_through_the_api(world):
    morning = world.submit(outcomes=THREE_FAILURES, started_at=JULY_11)
    evening = world.submit(outcomes=THREE_FAILURES, started_at=JULY_18)
    assert (morning["score"], morning["grade"]) == (evening["score"], evening["grade"]) == (65.38, "fail")
    assert morning["scoring_rule"] == evening["scoring_rule"] == 2
    assert "2026版评分规则" in morning["scoring_rule_label"]
    assert morning["additional_deductions"] == []


def test_an_ozone_failure_is_explained_as_an_additional_deduction(world):
    body = world.submit(outcomes={**THREE_FAILURES, "ozone_no_cutting_welding": "fail"}, started_at=JULY_11)
    assert body["score"] == 60.38
    assert body["additional_deductions"] == [
        {"key": "ozone_no_cutting_welding", "points": 5.0, "veto": False, "label": "附加项不合格，扣5分"}]
    english = read(world, body["uuid"], "en")
    assert english["additional_deductions"][0]["label"] == "Additional requirement failed: −5 points"
    assert english["scoring_rule_label"].startswith("Graded by the 2026 rule")
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "inspection.submit")
                              .order_by(AuditEvent.id.desc()))
    assert audit.after["scoring_rule"] == 2


def _make_it_a_stored_rule_1_inspection(uuid: str) -> None:
    """What the 0012 migration leaves for a row stored before rule 2: the score it had, rule 1."""
    inspection = db.session.scalar(select(Inspection).where(Inspection.uuid == uuid))
    inspection.scoring_rule, inspection.score, inspection.grade = 1, 71.88, "pass"
    inspection.score_breakdown = [{k: v for k, v in row.items() if k not in ("additional", "deduction")}
                                  for row in inspection.score_breakdown]
    db.session.commit()
    db.session.expire_all()


def test_an_old_stored_inspection_keeps_its_score_and_grade_and_says_rule_1(world):
    body = world.submit(outcomes=THREE_FAILURES, started_at=JULY_11)
    _make_it_a_stored_rule_1_inspection(body["uuid"])
    stored = read(world, body["uuid"])
    assert (stored["score"], stored["grade"], stored["scoring_rule"]) == (71.88, "pass", 1)
    assert "原评分规则" in stored["scoring_rule_label"] and stored["additional_deductions"] == []
    # reading it again, listing it or reviewing it grades nothing anew
    assert world.review(body["uuid"], status="approved").status_code in (201, 409)
    listed = world.client.get("/api/inspections?mine=1", headers=world.headers["inspector"]).get_json()
    row = next(i for i in listed["items"] if i["uuid"] == body["uuid"])
    assert (row["score"], row["grade"], row["scoring_rule"]) == (71.88, "pass", 1)


def test_a_correction_of_a_rule_1_inspection_is_graded_by_rule_1(world):
    body = world.submit(outcomes=THREE_FAILURES, started_at=JULY_11)
    _make_it_a_stored_rule_1_inspection(body["uuid"])
    sent = world.review(body["uuid"], status="rejected", note="照片看不清，请重拍", send_back=True)
    assert sent.status_code == 201
    correction = world.submit(outcomes=THREE_FAILURES, supersedes=body["uuid"],
                              started_at=JULY_11 + timedelta(minutes=40))
    # rule 1 counts the six passing ozone items (30 points) in the denominator: 115 / 160
    assert (correction["scoring_rule"], correction["score"], correction["grade"]) == (1, 71.88, "pass")


def test_an_unscored_follow_up_names_no_rule(world):
    inspection = db.session.scalar(select(Inspection).where(
        Inspection.uuid == world.submit(outcomes=THREE_FAILURES, started_at=JULY_11)["uuid"]))
    inspection.score_breakdown = None  # as a 复查 visit is stored (followups: never scored)
    db.session.commit()
    body = read(world, inspection.uuid)
    assert body["scoring_rule"] is None and body["scoring_rule_label"] == "" and body["additional_deductions"] == []



def test_a_failed_alert_item_deducts_its_weight_during_an_alert_and_passing_ones_add_nothing(
        alert_world, client, auth, checklists):
    from tests import factories
    from tests.alerts.conftest import local
    from tests.inspections.helpers import site_form, submission

    site = factories.create_site("xinhuaxilu", phase="earthwork", name="海亮广场二期")
    headers = auth.headers(factories.create_user("inspector"))
    now = utcnow()
    alert_world.declare(level="orange", starts_at=local(now - timedelta(hours=2)))
    form = site_form(client, headers)
    sprinkling = next(item for item in form["items"] if item["key"] == "alert_more_sprinkling")
    alert_keys = [item["key"] for item in form["items"] if item.get("alert")]

    def inspect(outcomes):
        body = submission(form, site, outcomes=outcomes, started_at=now - timedelta(minutes=40))
        response = client.post("/api/inspections", json=body, headers=headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    clean = inspect({key: "pass" for key in alert_keys})
    failed = inspect({**{key: "pass" for key in alert_keys}, "alert_more_sprinkling": "fail"})
    assert clean["score"] == 100.0  # passing alert items add nothing and never enter the denominator
    assert failed["score"] == 100.0 - sprinkling["weight"] and not failed["vetoed"]
    assert [d["key"] for d in failed["additional_deductions"]] == ["alert_more_sprinkling"]
    row = next(r for r in failed["breakdown"] if r["key"] == "alert_more_sprinkling")
    assert (row["additional"], row["counted"], row["deduction"]) == (True, False, sprinkling["weight"])

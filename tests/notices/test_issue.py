"""A recorded inspection or roadside check with failures gets exactly one notice; nothing else does."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.notices.models import Notice
from inspect_app.penalties.models import Violation
from tests.inspections.helpers import WINTER_MORNING, submission
from tests.roadside.helpers import truck_check


def notices() -> list[Notice]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notice).order_by(Notice.id)))


def test_an_inspection_that_passes_issues_no_notice(form, site, submit):
    submit(submission(form, site))
    assert notices() == []


def test_a_failed_inspection_issues_one_notice_with_everything_the_paper_states(form, site, submit, inspector):
    body = submission(form, site, outcomes={"hoarding": "fail", "idle_area_cover": "fail"})
    next(i for i in body["items"] if i["key"] == "hoarding")["note"] = "东侧围挡缺失约20米"
    submit(body)
    [notice] = notices()
    content = notice.content
    assert notice.number == "回民扬整〔2026〕第00001号" and content["number"] == notice.number
    assert notice.kind == "site" and notice.status == "issued" and notice.site_id == site.id
    assert content["issue_date"] == "2026-11-25" and content["unit"] == "新华西路街道"
    assert content["inspector"] == "王巡查"
    assert content["site"] == {"id": site.id, "name": "海亮广场二期", "address": "回民区新华西路 88 号",
                               "permit_number": "150103202611250101", "contractor": "内蒙古海亮建筑工程有限公司",
                               "builder": "呼和浩特海亮房地产开发有限公司"}
    items = {item["item_key"]: item for item in content["items"]}
    assert list(items) == ["hoarding", "idle_area_cover"]
    hoarding, idle = items["hoarding"], items["idle_area_cover"]
    assert hoarding["liable"] == "contractor" and hoarding["liable_name"] == "内蒙古海亮建筑工程有限公司"
    assert idle["liable"] == "builder" and idle["liable_name"] == "呼和浩特海亮房地产开发有限公司"
    assert hoarding["note"] == "东侧围挡缺失约20米"
    assert hoarding["legal_basis"]["obligation_article"] == "第六十九条"
    assert hoarding["legal_basis"]["penalty_article"] == "第一百一十五条"
    assert len(hoarding["photo_ids"]) == 2
    assert content["addressees"] == [
        {"party": "contractor", "name": "内蒙古海亮建筑工程有限公司"},
        {"party": "builder", "name": "呼和浩特海亮房地产开发有限公司"}]
    assert any("第一百一十五条" in line and "10,000" in line for line in content["consequences"])
    assert content["consequences"][-1] == "拒不改正的，依法责令停工整治"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "notice.issue")) == 1


def test_deadlines_are_the_violations_deadlines(form, site, submit):
    submit(submission(form, site, outcomes={"hoarding": "fail", "idle_area_cover": "fail"}))
    [notice] = notices()
    violations = {v.item_key: v for v in db.session.scalars(select(Violation))}
    for item in notice.content["items"]:
        deadline = violations[item["item_key"]].deadline
        assert item["deadline"] == deadline.astimezone(WINTER_MORNING.tzinfo).isoformat()
    # hoarding: 3 days, idle cover: 7 days after the inspection finished (09:50 local)
    assert [i["deadline_date"] for i in notice.content["items"]] == ["2026-11-28", "2026-12-02"]


def test_a_refailure_keeps_the_open_violations_deadline(form, site, submit):
    submit(submission(form, site, outcomes={"hoarding": "fail"}))
    submit(submission(form, site, outcomes={"hoarding": "fail"}, started_at=WINTER_MORNING + timedelta(days=1)))
    first, second = notices()
    assert second.number == "回民扬整〔2026〕第00002号"
    assert second.content["items"][0]["deadline"] == first.content["items"][0]["deadline"]
    [violation] = db.session.scalars(select(Violation)).all()
    assert violation.fail_count == 2


def test_not_applicable_failures_do_not_count(form, site, submit):
    # the ozone items are outside their window on a winter morning; a "fail" there is not applicable
    submit(submission(form, site, outcomes={"ozone_no_wall_spraying": "fail"}))
    assert notices() == []


def test_a_replayed_submission_issues_no_second_notice(form, site, submit):
    body = submission(form, site, outcomes={"hoarding": "fail"})
    submit(body, expect=(201,))
    submit(body, expect=(200,))
    assert len(notices()) == 1


def test_a_truck_check_with_failures_is_addressed_to_haulier_and_driver(truck_form_, filed_truck, submit):
    submit(truck_check(truck_form_, outcomes={"truck_sealed": "fail"}, measured_load_t=25.0), truck=True)
    [notice] = notices()
    assert notice.number == "回民渣整〔2026〕第00001号" and notice.kind == "truck" and notice.plate == "蒙A12345"
    content = notice.content
    assert content["truck"]["plate"] == "蒙A12345"
    assert content["truck"]["company"] == "呼和浩特市顺达渣土运输有限公司"
    items = {item["item_key"]: item for item in content["items"]}
    assert set(items) == {"truck_sealed", "truck_not_overloaded"}  # the overload is the server's finding
    assert items["truck_sealed"]["liable_name"] == "呼和浩特市顺达渣土运输有限公司"
    assert items["truck_not_overloaded"]["liable"] == "driver"
    assert items["truck_not_overloaded"]["liable_name"] == "车牌 蒙A12345 的驾驶人"
    assert content["consequences"][-1] == "拒不改正的，车辆不得上道路行驶"
    violations = {v.item_key: v for v in db.session.scalars(select(Violation).where(Violation.plate == "蒙A12345"))}
    for key, item in items.items():
        assert item["deadline"] == violations[key].deadline.astimezone(WINTER_MORNING.tzinfo).isoformat()


def test_site_and_truck_notices_are_numbered_separately(form, site, truck_form_, filed_truck, submit):
    submit(submission(form, site, outcomes={"hoarding": "fail"}))
    submit(truck_check(truck_form_, outcomes={"truck_sealed": "fail"}), truck=True)
    submit(submission(form, site, outcomes={"hoarding": "fail"}, started_at=WINTER_MORNING + timedelta(hours=2)))
    assert [n.number for n in notices()] == [
        "回民扬整〔2026〕第00001号", "回民渣整〔2026〕第00001号", "回民扬整〔2026〕第00002号"]

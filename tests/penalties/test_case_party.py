"""Cases name the liable party of their items (当事人), one case per authority and party (issue 9)."""
from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pypdf
import pytest
from sqlalchemy import select

from inspect_app.core.timeutil import iso_week_of
from inspect_app.extensions import db
from inspect_app.penalties.models import PenaltyCase
from inspect_app.penalties.parties import group_by_party, party_label, party_name
from tests.decisions.helpers import decide
from tests.inspections.helpers import WINTER_MORNING, submission
from tests.penalties.world import set_case, world  # noqa: F401  (fixture)

CONTRACTOR = "呼和浩特某建筑工程有限公司"
BUILDER = "呼和浩特某房地产开发有限公司"


def _cases() -> list[PenaltyCase]:
    db.session.expire_all()
    return list(db.session.scalars(select(PenaltyCase).order_by(PenaltyCase.id)))


@pytest.fixture
def builder_world(world):  # noqa: F811
    """The world's site has a 建设单位; bare idle land failed a week ago (due in 7 days, not yet a case)."""
    world.site.builder = BUILDER
    db.session.commit()
    world.submit(outcomes={"idle_area_cover": "fail"}, started_at=WINTER_MORNING)
    assert _cases() == []
    return world


def _both_parties_fail(world, **kwargs) -> dict:  # noqa: F811
    """Eight days on: the hoarding (veto, 施工单位) and the still bare land (overdue, 建设单位) fail."""
    return world.submit(outcomes={"hoarding": "fail", "idle_area_cover": "fail"},
                        started_at=WINTER_MORNING + timedelta(days=8), **kwargs)


def test_the_contractors_and_the_builders_items_make_one_case_each_naming_its_party(builder_world):
    data = _both_parties_fail(builder_world)
    contractor_case, builder_case = _cases()
    assert (contractor_case.authority, builder_case.authority) == ("bureau", "bureau")
    assert (contractor_case.party, contractor_case.party_name) == ("contractor", CONTRACTOR)
    assert (builder_case.party, builder_case.party_name) == ("builder", BUILDER)
    assert [i["item_key"] for i in contractor_case.items] == ["hoarding"]
    assert [i["item_key"] for i in builder_case.items] == ["idle_area_cover"]
    assert builder_case.items[0]["reasons"] == ["overdue_refail"]
    assert {c["id"] for c in data["penalty_cases"]} == {contractor_case.id, builder_case.id}
    assert contractor_case.case_number != builder_case.case_number


def test_a_replayed_inspection_queues_no_second_case_per_party(builder_world):
    body = submission(builder_world.form, builder_world.site, outcomes={"hoarding": "fail", "idle_area_cover": "fail"},
                      started_at=WINTER_MORNING + timedelta(days=8))
    for expected in (201, 200):
        response = builder_world.client.post("/api/inspections", json=body, headers=builder_world.headers["inspector"])
        assert response.status_code == expected, response.get_json()
    assert [(c.party, c.authority) for c in _cases()] == [("contractor", "bureau"), ("builder", "bureau")]


def test_the_case_json_and_list_state_the_party(builder_world):
    _both_parties_fail(builder_world)
    _, builder_case = _cases()
    body = builder_world.case(builder_case.id).get_json()
    assert body["party"] == {"kind": "builder", "kind_label": "建设单位", "name": BUILDER,
                             "label": f"{BUILDER}（建设单位）"}
    assert body["contractor"] == CONTRACTOR  # the site's contractor is still shown as such
    english = builder_world.case(builder_case.id, lang="en").get_json()["party"]
    assert english["kind_label"] == "builder" and english["label"] == f"{BUILDER} (builder)"
    listed = builder_world.client.get("/api/penalty-cases", headers=builder_world.headers["supervisor"]).get_json()
    assert {c["party"]["kind"] for c in listed["items"]} == {"contractor", "builder"}


def test_the_referral_export_names_the_party_of_each_case(builder_world):
    _both_parties_fail(builder_world)
    contractor_case, builder_case = _cases()
    year, week = iso_week_of(builder_case.created_at)
    response = builder_world.client.get("/api/exports/weekly", query_string={"week": f"{year}-W{week:02d}"},
                                        headers=builder_world.headers["admin"])
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.get_data()))["处罚移送"].iter_rows(values_only=True))
    assert rows[0][3] == "当事人"
    parties = {row[0]: row[3] for row in rows[1:]}
    assert parties[builder_case.case_number] == f"{BUILDER}（建设单位）"
    assert parties[contractor_case.case_number] == f"{CONTRACTOR}（施工单位）"


def test_the_decision_document_is_addressed_to_the_builder_for_the_builders_case(builder_world):
    _both_parties_fail(builder_world)
    _, builder_case = _cases()
    set_case(builder_case.id, status="accepted")
    response = decide(builder_world, builder_case.id, decision="warning", decision_number="回城管警字〔2026〕第77号")
    assert response.status_code == 201, response.get_json()
    pdf = builder_world.client.get(f"/api/penalty-cases/{builder_case.id}/decision.pdf",
                                   headers=builder_world.headers["enforcement"])
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    text = text.replace("\n", "").replace(" ", "")
    assert f"{BUILDER}（建设单位）" in text
    assert CONTRACTOR not in text  # the contractor is not the party of this decision


def test_party_names_as_the_records_give_them():
    assert party_name("contractor", contractor="甲建筑", builder="乙地产") == "甲建筑"
    assert party_name("builder", contractor="甲建筑", builder="乙地产") == "乙地产"
    assert party_name("builder", contractor="甲建筑") == "建设单位（名称未登记）"
    assert party_name("haulier", company="顺达渣土") == "顺达渣土"
    assert party_name("haulier") == "运输单位（未登记）"
    assert party_name("driver", company="顺达渣土", plate="蒙A12345") == "车牌 蒙A12345 的驾驶人"
    assert party_label("builder", "乙地产", "zh-CN") == "乙地产（建设单位）"
    assert party_label("driver", "车牌 蒙A12345 的驾驶人", "zh-CN") == "车牌 蒙A12345 的驾驶人"
    assert party_label("haulier", "运输单位（未登记）", "zh-CN") == "运输单位（未登记）"


def test_items_group_by_authority_and_party_in_the_order_they_appear():
    grouped = group_by_party({"a": ["veto"], "b": ["overdue_refail"], "c": ["referral"], "d": ["veto"]},
                             {"a": ("bureau", "contractor"), "b": ("bureau", "builder"),
                              "c": ("ecology", "contractor"), "d": ("bureau", "contractor")})
    assert list(grouped) == [("bureau", "contractor"), ("bureau", "builder"), ("ecology", "contractor")]
    assert grouped[("bureau", "contractor")] == {"a": ["veto"], "d": ["veto"]}

"""A notice states, per item, the provision a failure past the deadline is fined under (《行政处罚法》
第二十九条: one act under several provisions → the higher fine), and an order to correct never comes
out with an empty article."""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.checklists.models import ChecklistItem
from inspect_app.extensions import db
from inspect_app.notices import rules
from inspect_app.notices.models import Notice
from tests.notices.test_pdf_and_api import pdf_text
from tests.roadside.helpers import truck_check

SPILLING_GOVERNING = {"law": "《城市建筑垃圾管理规定》（建设部令第139号）", "penalty_article": "第二十三条",
                      "fine_min": 5000, "fine_max": 50000}


def _notice() -> Notice:
    db.session.expire_all()
    return db.session.scalar(select(Notice))


def _basis(key: str) -> dict:
    return db.session.scalar(select(ChecklistItem.legal_basis).where(ChecklistItem.key == key))


def test_a_spilling_truck_notice_states_the_higher_provision_in_json_and_pdf(client, headers, truck_form_,
                                                                             filed_truck, submit):
    submit(truck_check(truck_form_, outcomes={"truck_no_spilling": "fail"}), truck=True)
    notice = _notice()
    body = client.get(f"/api/notices/{notice.id}", headers=headers).get_json()
    [item] = [i for i in body["items"] if i["item_key"] == "truck_no_spilling"]
    # the item keeps both articles; the one it is fined under is 139号令's (5,000–50,000 > 2,000–20,000)
    assert item["legal_basis"]["penalty_article"] == "第一百一十六条"
    assert item["governing"] == {**SPILLING_GOVERNING, "fine_min": 5000.0, "fine_max": 50000.0}
    assert "由区城管执法局依据《城市建筑垃圾管理规定》（建设部令第139号）第二十三条依法处理，可处5,000元以上50,000元以下罚款" \
        in "".join(body["consequences"])
    assert not any("2,000元以上20,000元以下" in line for line in body["consequences"])
    text = pdf_text(client.get(f"/api/notices/{notice.id}.pdf", headers=headers).data).replace("\n", "")
    assert "第二十三条，5,000元以上50,000元以下罚款" in text.replace(" ", "")


def test_an_order_to_correct_states_its_duty_not_an_empty_article(client, headers, truck_form_, filed_truck,
                                                                  submit):
    submit(truck_check(truck_form_, outcomes={"truck_documents_carried": "fail"}), truck=True)
    notice = _notice()
    [item] = [i for i in notice.content["items"] if i["item_key"] == "truck_documents_carried"]
    assert item["governing"] is None and not item["legal_basis"]["penalty_article"]
    lines = notice.content["consequences"]
    assert lines[0] == ("逾期未整改或整改不到位的，由区城管执法局依据《城市建筑垃圾管理规定》（建设部令第139号）"
                        "第十四条的规定继续责令改正")
    for line in lines:
        assert "》依法处理" not in line and "依据依法" not in line and "None" not in line
    text = pdf_text(client.get(f"/api/notices/{notice.id}.pdf", headers=headers).data).replace("\n", "")
    assert "罚则：责令改正（无罚款）" in text.replace(" ", "")


def test_the_governing_provision_follows_the_party(checklists):
    spilling = _basis("no_spilling")
    assert rules.governing(spilling, "haulier") == SPILLING_GOVERNING
    # an individual owner-driver is out of 第二十三条's reach (处置单位): 大气法 第一百一十六条 governs
    individual = rules.governing(spilling, "haulier", individual_haulier=True)
    assert (individual["penalty_article"], individual["fine_min"], individual["fine_max"]) == (
        "第一百一十六条", 2000, 20000)
    assert rules.governing(_basis("documents_carried"), "haulier") is None
    # an ozone-hour ban is 生态环境分局's, with no range of the bureau's
    assert rules.governing(_basis("no_wall_spraying"), "contractor") is None


def test_consequences_never_leave_an_article_empty():
    order = {"legal_basis": {"law": "《某规定》", "obligation_article": "第十四条", "authority": "bureau"},
             "governing": None}
    bare = {"legal_basis": {"authority": "ecology"}, "governing": None}
    referred = {"legal_basis": {"law": "《大气法》", "penalty_article": "第一百零八条", "authority": "ecology"},
                "governing": None}
    lines = rules.consequences([order, bare, referred], "site")
    assert lines == ["逾期未整改或整改不到位的，由区城管执法局依据《某规定》第十四条的规定继续责令改正",
                     "逾期未整改或整改不到位的，由生态环境分局依法处理",
                     "逾期未整改或整改不到位的，由生态环境分局依据《大气法》第一百零八条依法处理",
                     "拒不改正的，依法责令停工整治"]

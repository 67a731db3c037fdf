"""The 处罚决定书 PDF: read back with pypdf, deterministic, only for a final decision, scoped."""
import io

import pypdf

from inspect_app.core.timeutil import to_local, utcnow
from tests.decisions.helpers import FINE, accepted_case, decide, two_violations


def _pdf(world, case_id, role="enforcement"):
    return world.client.get(f"/api/penalty-cases/{case_id}/decision.pdf", headers=world.headers[role])


def _text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "").replace(" ", "")


def test_the_decision_document_states_each_violation_its_amount_and_the_remedies(bureau):
    case = accepted_case(bureau, items=two_violations(bureau))
    first, second = (item["item_key"] for item in case.items)
    decide(bureau, case.id, **FINE, amounts=[{"item_key": first, "amount": 20000},
                                             {"item_key": second, "amount": 6000}])
    response = _pdf(bureau, case.id)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = _text(response.data)
    for expected in ("行政处罚决定书", FINE["decision_number"], "呼和浩特某建筑工程有限公司", bureau.site.name,
                     "运输途中抛洒滴漏", "20,000元", "6,000元", "罚款合计人民币26,000元", "十五日内", "六十日内",
                     "六个月内", case.case_number):
        assert expected.replace(" ", "") in text, expected
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert reader.metadata.subject == FINE["decision_number"]
    assert response.headers["X-Content-SHA256"]
    assert _pdf(bureau, case.id, role="admin").data == response.data  # deterministic


def test_no_penalty_has_its_own_title_and_ground_and_payment_shows_once_paid(bureau):
    case = accepted_case(bureau)
    decide(bureau, case.id, decision="no_penalty", decision_number="回城管不罚字〔2026〕第9号",
           decision_reason_code="first_minor_corrected")
    text = _text(_pdf(bureau, case.id).data)
    assert "不予行政处罚决定书" in text and "第三十三条第一款" in text and "十五日内" not in text
    paid_case = accepted_case(bureau)
    decide(bureau, paid_case.id, **{**FINE, "decision_number": "回城管罚决字〔2026〕第10号"}, fine_amount=20000)
    before = _pdf(bureau, paid_case.id).data
    today = to_local(utcnow()).date().isoformat()
    assert bureau.move(paid_case.id, "enforcement", "paid", paid_on=today, receipt_number="NO.5566").status_code == 201
    after = _text(_pdf(bureau, paid_case.id).data)
    assert "NO.5566" in after and "NO.5566" not in _text(before)


def test_there_is_no_document_before_a_final_decision_and_none_for_people_outside_the_case(bureau):
    case = accepted_case(bureau)
    refused = _pdf(bureau, case.id)
    assert refused.status_code == 409 and refused.get_json()["code"] == "decision_pdf_not_final"
    decide(bureau, case.id, **FINE, fine_amount=20000)
    assert _pdf(bureau, case.id, role="inspector").status_code in (403, 404)
    assert _pdf(bureau, case.id, role="far_supervisor").status_code == 404
    assert _pdf(bureau, case.id, role="supervisor").status_code == 200

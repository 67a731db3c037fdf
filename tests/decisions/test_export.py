"""The weekly export's 处罚移送 sheet carries the decision: outcome, amount, per violation, 决定书文号, payment."""
import io

import openpyxl

from inspect_app.core.timeutil import iso_week_of, to_local, utcnow
from tests.decisions.helpers import FINE, accepted_case, decide, two_violations
from tests.penalties.world import case_status

HEADERS = ("处理决定", "罚款金额（元）", "逐项罚款", "决定书文号", "决定日期", "缴款日期", "缴款收据号")


def _case_rows(world) -> dict:
    year, week = iso_week_of(utcnow())
    response = world.client.get("/api/exports/weekly", query_string={"week": f"{year}-W{week:02d}"},
                                headers=world.headers["admin"])
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.get_data()))["处罚移送"].iter_rows(values_only=True))
    assert rows[0][-7:] == HEADERS
    return {row[0]: row for row in rows[1:]}


def test_the_referral_sheet_shows_decision_amounts_number_payment_and_status(bureau):
    fined = accepted_case(bureau, items=two_violations(bureau))
    first, second = (item["item_key"] for item in fined.items)
    decide(bureau, fined.id, **FINE, amounts=[{"item_key": first, "amount": 20000},
                                              {"item_key": second, "amount": 6000}])
    today = to_local(utcnow()).date().isoformat()
    assert bureau.move(fined.id, "enforcement", "paid", paid_on=today, receipt_number="NO.9001").status_code == 201
    warned = accepted_case(bureau)
    decide(bureau, warned.id, decision="warning", decision_number="回城管警字〔2026〕第31号")
    waiting = accepted_case(bureau)
    rows = _case_rows(bureau)
    paid = rows[fined.case_number]
    assert paid[5] == "已缴款" and case_status(fined.id) == "paid"
    assert paid[-7:-2] == ("罚款", 26000, f"{fined.items[0]['text_zh']}：20,000元；运输途中抛洒滴漏：6,000元",
                           FINE["decision_number"], today)
    assert paid[-2:] == (today, "NO.9001")
    assert rows[warned.case_number][5] == "已决定"
    assert rows[warned.case_number][-7:] == ("警告", None, None, "回城管警字〔2026〕第31号", today, None, None)
    assert rows[waiting.case_number][5] == "已受理" and rows[waiting.case_number][-7:] == (None,) * 7

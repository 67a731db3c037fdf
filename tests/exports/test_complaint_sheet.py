"""The weekly export's 投诉处置 sheet for a hand-built week (2026-W48: Mon 2026-11-23 to Sun 2026-11-29,
Beijing time), and the complainant's name and phone nowhere in any export."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

import openpyxl
import pytest

from inspect_app.complaints.models import Complaint
from inspect_app.core.timeutil import LOCAL_TZ, as_utc
from inspect_app.extensions import db
from tests.factories import create_site, create_user
from tests.scorecards.builders import add_inspection

WEEK = "2026-W48"
HEADERS = ["来源渠道", "工单编号", "受理时间", "诉求类别", "地址", "街道/镇", "匹配工地", "处置时限", "处置巡查时间",
           "巡查结果", "办结回复", "办结时间", "是否超期"]
NAMES = ("王秀英", "赵建国", "钱女士", "孙先生", "李大爷")
PHONES = ("13912345678", "0471-6612345", "13600000001", "13600000002", "13600000003")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture
def complaints(checklists):
    """Tickets on both sides of the week's edges, one per situation, each with a name and a phone."""
    supervisor = create_user("supervisor")
    inspector = create_user("inspector", display_name="张巡查")
    site = create_site(name="新华工地", contractor="新华建设")
    theirs = create_site(name="光明工地", unit="guangminglu", lat=40.83, lon=111.66)
    people = iter(zip(NAMES, PHONES))

    def complaint(ticket, received, *, site=site, due_hours=24, **kw):
        name, phone = next(people, ("周某", "13700000000"))
        row = Complaint(channel=kw.pop("channel", "12345"), ticket_number=ticket, received_at=as_utc(received),
                        category=kw.pop("category", "dust"), text="夜间扬尘", address=kw.pop("address", "新华西街"),
                        complainant_name=name, complainant_phone=phone, created_by_id=supervisor.id,
                        status=kw.pop("status", "open"), unit_id=site.unit_id if site else supervisor.unit_ids[0],
                        site_id=site.id if site else None,
                        due_at=as_utc(received) + timedelta(hours=due_hours) if site else None, **kw)
        db.session.add(row)
        return row

    answering = add_inspection(site, inspector, local(2026, 11, 24, 10, 0), 72.5, "pass")
    complaint("W47-CLOSED-W48", local(2026, 11, 22, 20, 0), status="closed", inspection_id=answering.id,
              reply="已责令覆盖", closed_at=as_utc(local(2026, 11, 24, 15, 0)))  # received W47, handled late
    complaint("W48-OPEN-LATE", local(2026, 11, 23, 0, 0), channel="12369", category="night_noise", due_hours=12)
    complaint("W48-UNMATCHED", local(2026, 11, 26, 9, 30), site=None, status="no_site_matched",
              category="muck_truck", address="通道街")
    complaint("W48-OTHER-UNIT", local(2026, 11, 27, 9, 0), site=theirs)
    complaint("W47-STILL-OPEN", local(2026, 11, 22, 23, 59))  # neither received nor closed in W48
    complaint("W49", local(2026, 11, 30, 0, 0))
    db.session.commit()
    return {"supervisor": supervisor, "answering": answering}


def _download(client, headers, fmt="xlsx"):
    response = client.get("/api/exports/weekly", query_string={"week": WEEK, "format": fmt}, headers=headers)
    assert response.status_code == 200, response.get_data()[:300]
    return response


def test_the_complaint_sheet_lists_the_weeks_tickets_as_handled(client, auth, complaints):
    book = openpyxl.load_workbook(io.BytesIO(_download(client, auth.as_role("admin")).get_data()))
    assert book.sheetnames[-1] == "分街道汇总" and "投诉处置" in book.sheetnames  # the unit summary stays last
    rows = [list(row) for row in book["投诉处置"].iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert rows[1:] == [
        ["12345 市民热线", "W47-CLOSED-W48", datetime(2026, 11, 22, 20, 0), "扬尘", "新华西街", "新华西路街道",
         "新华工地", datetime(2026, 11, 23, 20, 0), datetime(2026, 11, 24, 10, 0), "合格（72.5分）", "已责令覆盖",
         datetime(2026, 11, 24, 15, 0), "是"],
        ["12369 环保举报", "W48-OPEN-LATE", datetime(2026, 11, 23, 0, 0), "夜间施工噪声", "新华西街", "新华西路街道",
         "新华工地", datetime(2026, 11, 23, 12, 0), None, None, None, None, "是"],
        ["12345 市民热线", "W48-UNMATCHED", datetime(2026, 11, 26, 9, 30), "渣土车", "通道街", "新华西路街道",
         "未匹配", None, None, None, None, None, "否"],
        ["12345 市民热线", "W48-OTHER-UNIT", datetime(2026, 11, 27, 9, 0), "扬尘", "新华西街", "光明路街道",
         "光明工地", datetime(2026, 11, 28, 9, 0), None, None, None, None, "是"],
    ]
    assert book["投诉处置"]["C2"].is_date


def test_an_answer_before_the_due_time_is_not_overdue(client, auth, complaints):
    on_time = db.session.query(Complaint).filter_by(ticket_number="W47-CLOSED-W48").one()
    on_time.due_at = as_utc(local(2026, 11, 25, 0, 0))
    db.session.commit()
    rows = openpyxl.load_workbook(io.BytesIO(_download(client, auth.as_role("admin")).get_data()))["投诉处置"]
    assert [row[12] for row in rows.iter_rows(min_row=2, max_row=2, values_only=True)] == ["否"]


def test_a_supervisor_exports_only_their_units_complaints(client, auth, complaints):
    book = openpyxl.load_workbook(io.BytesIO(_download(client, auth.headers(complaints["supervisor"])).get_data()))
    tickets = [row[1] for row in book["投诉处置"].iter_rows(min_row=2, values_only=True)]
    assert tickets == ["W47-CLOSED-W48", "W48-OPEN-LATE", "W48-UNMATCHED"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "geojson"])
def test_no_complainant_name_or_phone_anywhere_in_the_export(client, auth, complaints, fmt):
    response = _download(client, auth.as_role("admin"), fmt)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
        cells = [str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                 for value in row if value is not None]
        assert "W48-OPEN-LATE" in cells  # the tickets are there …
        text = "\n".join(cells)
    else:
        text = response.get_data(as_text=True)
    for secret in (*NAMES, *PHONES, "13912345678"[-8:]):  # … their people are not, not even a phone's tail
        assert secret not in text


def test_the_sheet_costs_the_same_queries_however_many_tickets(app, complaints, count_queries):
    from inspect_app.exports.complaint_sheet import complaint_rows
    from inspect_app.exports.queries import export_context

    def run(week: str) -> tuple[int, int]:
        with count_queries() as statements:
            rows = list(complaint_rows(export_context(None, week)))
        return len(rows), len(statements)

    busy, quiet = run(WEEK), run("2026-W40")
    assert (busy[0], quiet[0]) == (4, 0) and busy[1] == quiet[1]

"""The 渣土车 sheet and trucks in 违规明细 / 处罚移送, from roadside checks submitted through the API.

Week 2026-W48 in Asia/Shanghai: Monday 2026-11-23 00:00 to Monday 2026-11-30 00:00.
"""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select

from inspect_app.checklists.models import ChecklistItem
from inspect_app.core.models import Unit
from inspect_app.core.timeutil import LOCAL_TZ, to_local
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.penalties.models import PenaltyCase, Violation
from inspect_app.trucks import operations as truck_ops
from tests import factories
from tests.exports.test_weekly_export import STATUS_ZH, photo_cells
from tests.roadside.helpers import truck_check, truck_form

WEEK = "2026-W48"
TRUCK_HEADERS = ["街道/镇", "检查时间", "车牌号", "号牌颜色", "运输企业", "核准编号", "备案情况", "核定载质量（吨）",
                 "载重（吨）", "载重来源", "超载比例", "不合格项", "来源工地", "巡查员", "案件编号", "移送机关", "审核状态",
                 "巡查员说明", "照片1", "照片2", "照片3", "照片4"]
# the unsealed, weighed truck: a plate photo, two of the load and its weighbridge ticket (issue 10)
COMPANY = "呼和浩特市顺达渣土运输有限公司"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def _submit(client, headers, form, finished: datetime, **kw) -> Inspection:
    body = truck_check(form, started_at=finished - timedelta(minutes=8), minutes=8, **kw)
    response = client.post("/api/roadside-checks", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    db.session.expire_all()
    return db.session.scalar(select(Inspection).where(Inspection.uuid == body["uuid"]))


@pytest.fixture
def checks(client, auth, checklists):
    """Roadside checks on both sides of the week's edges, in two units, through the real API."""
    company = truck_ops.create_company(None, {"name": COMPANY})
    db.session.flush()
    truck_ops.create_vehicle(None, {"plate": "蒙A12345", "rated_load_t": 18.0, "filing_status": "filed",
                                    "filing_expires_on": date(2027, 12, 31), "company_id": company.id,
                                    "approval_number": "呼建渣核〔2026〕017号"})
    truck_ops.create_vehicle(None, {"plate": "蒙A67890", "rated_load_t": 25.0, "filing_status": "filed",
                                    "filing_expires_on": date(2026, 6, 30), "company_id": company.id})
    db.session.commit()
    site = factories.create_site("xinhuaxilu", phase="earthwork", name="海亮广场二期")
    ours = auth.headers(factories.create_user("inspector", units=("xinhuaxilu",), display_name="张巡查"))
    theirs = auth.headers(factories.create_user("inspector", units=("guangminglu",), display_name="李巡查"))
    form = truck_form(client, ours)
    made = {
        # Sunday 23:59: unsealed and 21 t on 18 t rated, from the site: one case each for the bureau and 交管
        "sunday_end": _submit(client, ours, form, local(2026, 11, 29, 23, 59), outcomes={"truck_sealed": "fail"},
                              measured_load_t=21.0, origin_site_id=site.id),
        # Monday 00:00: a plate nobody registered (a finding by itself)
        "monday_start": _submit(client, ours, form, local(2026, 11, 23, 0, 0), plate="蒙B54321",
                                estimated_load_t=10.0),
        "midweek": _submit(client, ours, form, local(2026, 11, 25, 10, 0), estimated_load_t=15.0),
        "expired": _submit(client, ours, form, local(2026, 11, 26, 14, 30), plate="蒙A67890"),
        "other_unit": _submit(client, theirs, form, local(2026, 11, 27, 9, 0), plate="蒙A67890",
                              plate_colour="yellow"),
        "before": _submit(client, ours, form, local(2026, 11, 22, 23, 59, 59)),
        "next_monday": _submit(client, ours, form, local(2026, 11, 30, 0, 0), outcomes={"truck_sealed": "fail"}),
    }
    # A case is dated when the server queued it; here as if each check had been sent at once.
    for inspection in made.values():
        for case in inspection.penalty_cases:
            case.created_at = inspection.finished_at
    db.session.commit()
    return {name: inspection.id for name, inspection in made.items()}


def _workbook(client, headers, week=WEEK):
    response = client.get("/api/exports/weekly", query_string={"week": week, "format": "xlsx"}, headers=headers)
    assert response.status_code == 200, response.get_data()[:300]
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


FILING = {None: "已备案", "unknown": "未登记（按未备案处理）", "unfiled": "未备案", "expired": "备案已过期"}
COLOUR = {"yellow": "黄色", "green": "绿色", "yellow_green": "黄绿双拼"}
AUTHORITY = {"bureau": "区城管执法局", "traffic_police": "区交管队"}


def _expected_truck_row(inspection_id: int) -> list:
    """The row as the database holds it, built from the ORM objects (not the export's queries)."""
    inspection = db.session.get(Inspection, inspection_id)
    check = inspection.truck_check
    items = {i.id: i for i in db.session.scalars(select(ChecklistItem))}
    failed = [items[r.checklist_item_id].text_zh for r in inspection.results if r.outcome == "fail" and r.applicable]
    photos = [p for r in inspection.results for p in r.photo_ids]
    cases = sorted(inspection.penalty_cases, key=lambda c: c.id)
    vehicle = inspection.vehicle
    return [
        db.session.get(Unit, inspection.unit_id).name_zh,
        to_local(inspection.finished_at).replace(tzinfo=None),
        inspection.plate,
        COLOUR[check.plate_colour],
        check.company.name if check.company else None,
        vehicle.approval_number if vehicle else None,
        FILING[check.filing_problem],
        check.rated_load_t,
        check.load_t,
        {"measured": "实测", "estimated": "估算", None: None}[check.load_source],
        check.overload_ratio if check.overloaded else None,
        "\n".join(failed) or None,
        check.origin_site.name if check.origin_site else None,
        inspection.inspector.display_name,
        "\n".join(c.case_number for c in cases) or None,
        "\n".join(AUTHORITY[c.authority] for c in cases) or None,
        "待审核",
        "\n".join(r.note for r in inspection.results if r.note) or None,
    ] + [("http://localhost/api/exports/photo-links", inspection.id, p) for p in photos]


def test_truck_sheet_matches_the_database_cell_by_cell(client, auth, checks):
    book = _workbook(client, auth.as_role("admin"))
    assert book.sheetnames == ["违规明细", "处罚移送", "工地评分", "渣土车", "整改通知书", "停工工地", "投诉处置",
                               "巡查覆盖", "分街道汇总"]
    sheet = book["渣土车"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == TRUCK_HEADERS
    expected = [checks[name] for name in ("monday_start", "midweek", "expired", "other_unit", "sunday_end")]
    assert len(rows) == 1 + len(expected)  # by check time; W47's and W49's left out
    for row, inspection_id in zip(rows[1:], expected):
        assert row[:18] + photo_cells(row, 18) == _expected_truck_row(inspection_id)
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].is_date and sheet["B2"].number_format == "yyyy-mm-dd hh:mm"


def test_truck_sheet_says_what_the_roadside_found(client, auth, checks):
    rows = list(_workbook(client, auth.as_role("admin"))["渣土车"].iter_rows(min_row=2, values_only=True))
    by_plate_time = {(r[2], r[1]): r for r in rows}
    overloaded = by_plate_time[("蒙A12345", datetime(2026, 11, 29, 23, 59))]
    assert overloaded[4:11] == (COMPANY, "呼建渣核〔2026〕017号", "已备案", 18, 21, "实测", pytest.approx(1 / 6, abs=1e-4))
    assert "密闭" in overloaded[11] and overloaded[12] == "海亮广场二期"
    assert overloaded[14].startswith("回民渣土移〔2026〕") and "\n回民超载移交〔2026〕" in overloaded[14]
    assert overloaded[15] == "区城管执法局\n区交管队"
    unknown = by_plate_time[("蒙B54321", datetime(2026, 11, 23, 0, 0))]
    assert unknown[4:7] == (None, None, "未登记（按未备案处理）") and unknown[7] is None  # no rated load
    assert unknown[9:11] == ("估算", None) and unknown[15] == "区城管执法局"
    expired = by_plate_time[("蒙A67890", datetime(2026, 11, 26, 14, 30))]
    assert expired[6] == "备案已过期"
    clean = by_plate_time[("蒙A12345", datetime(2026, 11, 25, 10, 0))]
    assert clean[10:12] == (None, None) and clean[14] is None and len(photo_cells(clean, 18)) == 1  # the plate


def test_truck_week_edges_sunday_2359_in_monday_0000_next_week(client, auth, checks):
    times = [r[1] for r in _workbook(client, auth.as_role("admin"))["渣土车"].iter_rows(min_row=2, values_only=True)]
    assert datetime(2026, 11, 23, 0, 0) in times and datetime(2026, 11, 29, 23, 59) in times
    assert datetime(2026, 11, 22, 23, 59, 59) not in times and datetime(2026, 11, 30, 0, 0) not in times
    next_week = _workbook(client, auth.as_role("admin"), week="2026-W49")["渣土车"]
    assert [r[1] for r in next_week.iter_rows(min_row=2, values_only=True)] == [datetime(2026, 11, 30, 0, 0)]
    previous = _workbook(client, auth.as_role("admin"), week="2026-W47")["渣土车"]
    assert [r[1] for r in previous.iter_rows(min_row=2, values_only=True)] == [datetime(2026, 11, 22, 23, 59, 59)]


def test_supervisors_see_only_checks_of_their_units(client, auth, checks):
    book = _workbook(client, auth.as_role("supervisor", units=("guangminglu",)))
    rows = list(book["渣土车"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2], r[13]) for r in rows] == [("光明路街道", "蒙A67890", "李巡查")]
    [case] = book["处罚移送"].iter_rows(min_row=2, values_only=True)  # the expired filing's
    assert case[1:3] == ("光明路街道", "渣土车 蒙A67890") and case[4] == datetime(2026, 11, 27, 9, 0)
    ours = _workbook(client, auth.as_role("supervisor", units=("xinhuaxilu",)))["渣土车"]
    assert {r[0] for r in ours.iter_rows(min_row=2, values_only=True)} == {"新华西路街道"}


def test_truck_violations_in_the_violation_sheet_name_the_plate_and_company(client, auth, checks):
    rows = list(_workbook(client, auth.as_role("admin"))["违规明细"].iter_rows(min_row=2, values_only=True))
    stored = db.session.scalars(select(Violation).where(Violation.status != "void")
                                .order_by(Violation.found_at, Violation.id)).all()
    in_week = [v for v in stored if datetime(2026, 11, 23) <= to_local(v.found_at).replace(tzinfo=None)
               < datetime(2026, 11, 30)]
    assert [r[0] for r in rows] == [v.id for v in in_week]
    for row, violation in zip(rows, in_week):
        if violation.site_id is None:  # the truck's own
            company = COMPANY if violation.company_id else None
            assert row[2:4] == (f"渣土车 {violation.plate}", company)
        else:  # what the unsealed truck proves against its origin site
            assert row[2:4] == ("海亮广场二期", violation.site.contractor)
            assert violation.opened_by_inspection_id == checks["sunday_end"]
        assert row[6] == to_local(violation.found_at).replace(tzinfo=None)
        if violation.site_id is None:  # no rectification period in the truck rules: no deadline, no clock
            assert (row[7], row[8]) == (None, STATUS_ZH[violation.status])
        else:
            assert row[7] == to_local(violation.deadline).replace(tzinfo=None)
    assert ("渣土车 蒙B54321", None) in {r[2:4] for r in rows}  # unknown plate: no company


def test_truck_cases_are_in_the_referral_sheet_with_their_authority(client, auth, checks):
    rows = list(_workbook(client, auth.as_role("admin"))["处罚移送"].iter_rows(min_row=2, values_only=True))
    stored = db.session.scalars(select(PenaltyCase).where(PenaltyCase.plate.is_not(None))
                                .order_by(PenaltyCase.created_at, PenaltyCase.id)).all()
    by_number = {r[0]: r for r in rows}
    in_week = [c for c in stored if c.inspection_id != checks["next_monday"]]
    assert set(by_number) == {c.case_number for c in in_week} and len(in_week) == 5
    for case in in_week:
        row = by_number[case.case_number]
        # 当事人 (issue 9): the haulage company for the bureau's items, the driver for an overload
        party = (f"车牌 {case.plate} 的驾驶人" if case.authority == "traffic_police"
                 else f"{case.contractor}（运输单位）" if case.contractor else "运输单位（未登记）")
        assert row[2:4] == (f"渣土车 {case.plate}", party)
        assert row[6] == AUTHORITY[case.authority]
        assert (row[9], row[10]) == (case.fine_min, case.fine_max)
    overload = next(c for c in in_week if c.authority == "traffic_police")
    assert by_number[overload.case_number][5] == "待审核" and (overload.fine_min, overload.fine_max) == (200, 500)


def test_unit_summary_counts_truck_checks(client, auth, checks):
    summary = {r[0]: r for r in _workbook(client, auth.as_role("admin"))["分街道汇总"].iter_rows(values_only=True)}
    assert summary["街道/镇"][-1] == "渣土车路检"
    assert summary["新华西路街道"][-1] == 4 and summary["光明路街道"][-1] == 1 and summary["合计"][-1] == 5
    assert summary["新华西路街道"][1] == 0  # truck checks are not site inspections


def test_truck_sheet_queries_do_not_grow_with_the_checks(client, auth, checks, count_queries):
    from inspect_app.exports import sheets
    from inspect_app.exports.queries import export_context

    def queries(week: str) -> int:
        ctx = export_context(None, week)
        with count_queries() as statements:
            rows = list(sheets.truck_rows(ctx))
        return len(rows), len(statements)

    assert queries("2026-W48")[0] == 5 and queries("2026-W49")[0] == 1
    assert queries("2026-W48")[1] == queries("2026-W49")[1]


def test_geojson_places_a_truck_violation_where_the_truck_was_stopped(client, auth, checks):
    response = client.get("/api/exports/weekly", query_string={"week": WEEK, "format": "geojson"},
                          headers=auth.as_role("admin"))
    features = response.get_json()["features"]
    trucks = [f for f in features if f["properties"]["plate"] == "蒙B54321"]
    assert trucks and all(f["properties"]["site"] is None and f["properties"]["contractor"] is None for f in trucks)
    assert trucks[0]["geometry"] == {"type": "Point", "coordinates": [round(factories.DEFAULT_LON, 7),
                                                                      round(factories.DEFAULT_LAT, 7)]}
    assert trucks[0]["properties"]["found_at"] == "2026-11-23T00:00:00+08:00"
    registered = next(f for f in features if f["properties"]["plate"] == "蒙A12345")
    assert registered["properties"]["contractor"] == COMPANY


def test_a_week_with_trucks_is_written_as_xlsxwriter_would_write_it(checks):
    from inspect_app.exports.queries import export_context
    from tests.exports.test_fast_rows import worksheets

    ctx = export_context(None, WEEK)
    assert worksheets(ctx, fast=True) == worksheets(ctx, fast=False)

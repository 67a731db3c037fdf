"""The weekly export read back and checked cell by cell against the database (week 2026-W48).

2026-W48 in Asia/Shanghai runs from Monday 2026-11-23 00:00 to Monday 2026-11-30 00:00.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import select

from inspect_app.core.timeutil import LOCAL_TZ, to_local, utcnow
from inspect_app.exports.sheets import SHEETS
from inspect_app.extensions import db
from inspect_app.penalties.models import Violation
from tests.factories import create_site, create_user
from tests.scorecards.builders import add_case, add_inspection, add_violation, checklist_item, distinct_items

WEEK = "2026-W48"
VIOLATION_HEADERS = ["违规编号", "街道/镇", "工地/车辆", "施工单位/运输企业", "检查项", "依据条款", "发现时间", "整改期限",
                     "状态", "不合格次数", "巡查员", "巡查员说明", "照片1", "照片2"]  # the week's violations have 2 photos
STATUS_ZH = {"open": "待整改", "overdue": "逾期未整改", "closed": "已整改"}


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.fixture
def week(checklists):
    """Violations, cases and inspections on both sides of the week's edges, in two units."""
    inspector = create_user("inspector", display_name="张巡查")
    ours = create_site(name="新华工地", contractor="新华建设", lat=40.8201, lon=111.6502)
    theirs = create_site(name="光明工地", contractor="光明建设", unit="guangminglu", lat=40.83, lon=111.66)
    item = checklist_item()
    ids = {}
    spare = iter(distinct_items(7))

    def violation(site, when, name, **kw):
        item = next(spare)
        inspection = add_inspection(site, inspector, when, 60, "fail", failed={item.key: [f"{name}-photo-1",
                                                                                          f"{name}-photo-2"]})
        ids[name] = add_violation(inspection, item, when, **kw).id
        return inspection

    violation(ours, local(2026, 11, 22, 23, 59, 59), "before")  # Sunday of W47
    first = violation(ours, local(2026, 11, 23, 0, 0), "monday_start", status="closed")
    violation(ours, local(2026, 11, 29, 23, 59), "sunday_end", fail_count=2)
    violation(ours, local(2026, 11, 30, 0, 0), "next_monday")  # W49
    violation(ours, local(2026, 11, 25, 10, 0), "voided", status="void")
    violation(theirs, local(2026, 11, 26, 9, 0), "other_unit", status="overdue")
    add_case(first, item, local(2026, 11, 23, 0, 0), photo_ids=("a", "b"))
    add_case(add_inspection(ours, inspector, local(2026, 11, 30, 0, 0), 50), item, local(2026, 11, 30, 0, 0))
    add_inspection(ours, inspector, local(2026, 11, 27, 15, 0), 99, "excellent", review_status="superseded")
    add_inspection(ours, inspector, local(2026, 11, 27, 16, 0), 88, "excellent",
                   flags=[{"code": "no_position", "details": {}},
                          {"code": "photo_not_fresh", "photo_id": "9f1c2d3e-0000-4000-8000-000000000001",
                           "details": {"reason": "before_start", "taken_at": "2026-11-27T16:05:00+00:00",
                                       "started_at": "2026-11-28T01:00:00+00:00", "margin_minutes": 30}},
                          {"code": "photo_off_site", "photo_id": "9f1c2d3e-0000-4000-8000-000000000001",
                           "details": {"distance_m": 1400, "geofence_m": 200}}])
    db.session.commit()
    return ids


def _download(client, headers, fmt="xlsx", week=WEEK):
    response = client.get("/api/exports/weekly", query_string={"week": week, "format": fmt}, headers=headers)
    assert response.status_code == 200, response.get_data()[:300]
    return response


def _workbook(response):
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


def link_target(value: str, *, secret: str = "test-secret") -> tuple[str, int, str]:
    """(address before the token, inspection id, photo id) of a photo link, as a cell holds it
    (``=HYPERLINK("…","照片N")`` in XLSX, the address in CSV); the token is checked with itsdangerous."""
    from itsdangerous import TimestampSigner

    url = value.split('"')[1] if value.startswith("=HYPERLINK(") else value
    prefix, token = url.rsplit("/", 1)
    payload = TimestampSigner(secret, salt="export-photo-link").unsign(token).decode()
    inspection_id, photo = payload.split("_", 1)
    return prefix, int(inspection_id), photo


def photo_cells(row, first: int = 12) -> list[tuple[str, int, str]]:
    return [link_target(value) for value in row[first:] if value]


def _expected_violation_row(violation_id: int) -> list:
    v = db.session.get(Violation, violation_id)
    status = "overdue" if v.status == "open" and v.deadline < utcnow() else v.status
    result = next(r for r in v.opened_by.results if r.item_key == v.item_key)
    from inspect_app.checklists.models import ChecklistItem

    item = db.session.get(ChecklistItem, v.checklist_item_id)
    return [v.id, v.site.unit.name_zh, v.site.name, v.site.contractor, item.text_zh, item.clause,
            to_local(v.found_at).replace(tzinfo=None), to_local(v.deadline).replace(tzinfo=None),
            STATUS_ZH[status], v.fail_count, v.opened_by.inspector.display_name, result.note or None] + [
            ("http://localhost/api/exports/photo-links", v.opened_by.id, p) for p in result.photo_ids]


def test_violation_sheet_matches_the_database_cell_by_cell(client, auth, week):
    book = _workbook(_download(client, auth.as_role("admin")))
    assert book.sheetnames == [sheet.name for sheet in SHEETS]  # 违规明细, 处罚移送, … 分街道汇总 last
    assert book.sheetnames[:4] == ["违规明细", "处罚移送", "工地评分", "渣土车"] and "整改通知书" in book.sheetnames
    sheet = book["违规明细"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == VIOLATION_HEADERS
    expected_ids = [week["monday_start"], week["other_unit"], week["sunday_end"]]  # by found time
    assert [row[0] for row in rows[1:]] == expected_ids
    for row, violation_id in zip(rows[1:], expected_ids):
        assert row[:12] + photo_cells(row) == _expected_violation_row(violation_id)
        assert all(value.endswith(f',"照片{n}")') for n, value in enumerate(row[12:], start=1))
    assert sheet.freeze_panes == "A2"
    assert sheet["G2"].is_date and sheet["G2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.column_dimensions["E"].width >= 40  # the requirement text is long


def test_week_edges_sunday_2359_is_in_monday_0000_is_the_next_week(client, auth, week):
    this_week = _workbook(_download(client, auth.as_role("admin")))["违规明细"]
    found = [row[6] for row in this_week.iter_rows(min_row=2, values_only=True)]
    assert datetime(2026, 11, 29, 23, 59) in found and datetime(2026, 11, 23, 0, 0) in found
    assert datetime(2026, 11, 30, 0, 0) not in found and datetime(2026, 11, 22, 23, 59, 59) not in found
    next_week = _workbook(_download(client, auth.as_role("admin"), week="2026-W49"))["违规明细"]
    assert [row[0] for row in next_week.iter_rows(min_row=2, values_only=True)] == [week["next_monday"]]


def test_cases_scores_and_unit_summary_sheets(client, auth, week):
    book = _workbook(_download(client, auth.as_role("admin")))
    cases = list(book["处罚移送"].iter_rows(values_only=True))
    assert cases[0][:5] == ("案件编号", "街道/镇", "工地/车辆", "当事人", "移送时间")
    assert len(cases) == 2  # the Monday-00:00 case of W49 is not in W48
    number, unit, site, contractor, created, status, authority, offences, basis, fmin, fmax, photos, *decision = \
        cases[1]
    item = checklist_item()
    assert (unit, site, contractor, created) == ("新华西路街道", "新华工地", "新华建设（施工单位）",
                                                 datetime(2026, 11, 23, 0, 0))
    assert (status, offences, photos) == ("待审核", item.text_zh, 2)
    assert item.legal_basis["law"] in basis and (fmin, fmax) == (item.legal_basis["fine_min"],
                                                                 item.legal_basis["fine_max"])
    assert authority == "区城管执法局"
    assert decision == [None] * 7  # not decided yet: decision, amount, per violation, number, date, paid, receipt

    scores = list(book["工地评分"].iter_rows(values_only=True))
    week_inspections = scores[1:]
    assert len(week_inspections) == 5  # four with violations and the 88; the superseded 99 left out
    flagged = next(r for r in week_inspections if r[5] == 88)
    assert flagged[0] == datetime(2026, 11, 27, 16, 0) and flagged[6] == "优良" and flagged[8] == 3
    assert flagged[7] == "否" and flagged[9] == "待审核"
    # the flags in words: Beijing time across midnight, km above 1 km, each photo flag naming its photo
    assert scores[0][10] == "证据异常说明"
    assert flagged[10].split("\n") == [
        "本次巡查没有设备定位。",
        "照片 9f1c2d3e：照片拍摄时间 2026-11-28 00:05 早于巡查开始时间 2026-11-28 09:00（允许提前 30 分钟）。",
        "照片 9f1c2d3e：照片拍摄位置距工地 1.4 公里，超出 200 米围栏。",
    ]

    summary = {row[0]: row for row in book["分街道汇总"].iter_rows(min_row=2, values_only=True)}
    # 新华: the three violation inspections of the week (the voided violation's too) and the 88
    sunday = db.session.get(Violation, week["sunday_end"])
    overdue_now = 1 if sunday.deadline < utcnow() else 0  # still open: overdue once its deadline passed
    assert summary["新华西路街道"][1:] == (4, 67.0, 60, 2, overdue_now, 1, 0)
    assert summary["光明路街道"][1:] == (1, 60, 60, 1, 1, 0, 0)
    assert summary["合计"][1:] == (5, 65.6, 60, 3, 1 + overdue_now, 1, 0)
    assert len(summary) == 9  # eight units and the total


def test_supervisor_export_holds_only_their_units(client, auth, week):
    book = _workbook(_download(client, auth.as_role("supervisor", units=("xinhuaxilu",))))
    ids = [row[0] for row in book["违规明细"].iter_rows(min_row=2, values_only=True)]
    assert ids == [week["monday_start"], week["sunday_end"]]
    units = [row[0] for row in book["分街道汇总"].iter_rows(min_row=2, values_only=True)]
    assert units == ["新华西路街道", "合计"]


def test_csv_is_utf8_with_bom_and_parses_to_the_violation_rows(client, auth, week):
    response = _download(client, auth.as_role("enforcement", units=()), fmt="csv")
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == VIOLATION_HEADERS
    assert [int(r[0]) for r in rows[1:]] == [week["monday_start"], week["other_unit"], week["sunday_end"]]
    last = rows[-1]
    assert last[6] == "2026-11-29 23:59" and len(photo_cells(last)) == 2  # two photo links, one a column
    assert {len(row) for row in rows} == {len(VIOLATION_HEADERS)}


def test_geojson_is_a_feature_collection_of_site_points(client, auth, week):
    response = _download(client, auth.as_role("admin"), fmt="geojson")
    assert response.content_type == "application/geo+json"
    collection = json.loads(response.get_data())
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["violation_id"]: f for f in collection["features"]}
    assert set(features) == {week["monday_start"], week["other_unit"], week["sunday_end"]}
    point = features[week["sunday_end"]]
    assert point["type"] == "Feature"
    assert point["geometry"] == {"type": "Point", "coordinates": [111.6502, 40.8201]}  # WGS-84 lon, lat
    assert point["properties"]["found_at"] == "2026-11-29T23:59:00+08:00"
    assert point["properties"]["site"] == "新华工地"


@pytest.mark.parametrize("bad", ["2026-48", "2026-W60", "W48", "2026-W48x", "２０２６-W48"])
def test_a_bad_week_is_refused_with_a_clear_code(client, auth, bad):
    response = client.get("/api/exports/weekly", query_string={"week": bad}, headers=auth.as_role("admin"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "bad_week" and "2026-W48" in body["message"]


def test_unknown_format_is_refused(client, auth):
    response = client.get("/api/exports/weekly?week=2026-W48&format=pdf", headers=auth.as_role("admin"))
    assert response.status_code == 422


def test_inspectors_may_not_export_and_anonymous_callers_must_log_in(client, auth):
    assert client.get(f"/api/exports/weekly?week={WEEK}", headers=auth.as_role("inspector")).status_code == 403
    response = client.get(f"/api/exports/weekly?week={WEEK}")
    assert (response.status_code, response.get_json()["code"]) == (401, "not_authenticated")


def test_an_empty_week_still_has_every_sheet_with_headers(client, auth):
    book = _workbook(_download(client, auth.as_role("admin"), week="2020-W01"))
    assert book["违规明细"].max_row == 1
    assert [row[0] for row in book["分街道汇总"].iter_rows(min_row=2, values_only=True)][-1] == "合计"


def test_export_built_from_a_real_submission(client, auth, checklists):
    """The whole path: a failed item submitted through the API appears in that week's export."""
    from tests.inspections.helpers import WINTER_MORNING, plain_key, site_form, submission

    site = create_site(name="真实提交工地")
    inspector = auth.as_role("inspector")
    form = site_form(client, inspector)
    key = plain_key(form, site)
    response = client.post("/api/inspections", json=submission(form, site, outcomes={key: "fail"}),
                           headers=inspector)
    assert response.status_code == 201, response.get_json()
    week = "{}-W{:02d}".format(*WINTER_MORNING.isocalendar()[:2])
    book = _workbook(_download(client, auth.as_role("supervisor"), week=week))
    rows = list(book["违规明细"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][2] == "真实提交工地"
    stored = db.session.scalars(select(Violation)).one()
    assert rows[0][0] == stored.id

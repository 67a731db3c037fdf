"""Importing a day's hotline tickets: every row through the single entry, all or nothing, a row-by-row
report, replays, GBK CSV from Excel, XLSX with the platform's headers, roles."""
from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import func, select

from inspect_app.complaints.models import Complaint
from inspect_app.core.audit import AuditEvent
from inspect_app.core.geo import wgs84_to_gcj02
from inspect_app.extensions import db
from tests.complaints.conftest import ticket

HEADER = "工单编号,来源渠道,受理时间,地址,经度,纬度,坐标系,诉求类别,诉求内容,来电人,联系电话"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv(*rows, header=HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def _rows(world) -> tuple[str, str, str]:
    """A ticket at the site in WGS-84, one in GCJ-02, one with an address only."""
    site = world.site
    gcj_lat, gcj_lon = wgs84_to_gcj02(site.lat, site.lon)
    return (f"H001,12345热线,2026-11-20 09:00,新华西街,{site.lon},{site.lat},WGS-84,工地扬尘,夜间裸土未覆盖,张女士,13800000000",
            f"H002,12369,2026/11/20 10:30,,{gcj_lon:.7f},{gcj_lat:.7f},GCJ-02,夜间施工噪声,凌晨还在打桩,李先生,13900000000",
            "H003,12345,2026年11月20日 11时05分,通道街某小区旁,,,,渣土车,渣土车抛洒,,")


def _post(world, body, role="supervisor", *, dry_run=False, content_type="text/csv"):
    data = body.encode("utf-8") if isinstance(body, str) else body
    url = "/api/complaints/import" + ("?dry_run=1" if dry_run else "")
    return world.client.post(url, data=data, content_type=content_type, headers=world.headers[role])


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Complaint))


def test_a_days_tickets_are_entered_as_single_entry_would(world):
    response = _post(world, _csv(*_rows(world)))
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert {k: report[k] for k in ("rows", "created", "replayed", "matched", "unmatched")} == \
        {"rows": 3, "created": 3, "replayed": 0, "matched": 2, "unmatched": 1}
    assert [(r["row"], r["ticket_number"], r["status"], r["site_name"]) for r in report["complaints"]] == [
        (2, "H001", "open", world.site.name), (3, "H002", "open", world.site.name),
        (4, "H003", "no_site_matched", None)]
    assert "13800000000" not in response.get_data(as_text=True)  # the report never shows personal data
    first = world.get(f"/api/complaints/{report['complaints'][0]['complaint_id']}").get_json()
    typed = world.enter(number="TYPED", lat=world.site.lat, lon=world.site.lon)  # 09:00 local, dust
    assert first["received_at"] == typed["received_at"] == "2026-11-20T01:00:00+00:00"
    assert first["due_at"] == typed["due_at"]
    assert first["complainant_name"] == "张女士" and first["complainant_phone"] == "13800000000"
    noise = world.get(f"/api/complaints/{report['complaints'][1]['complaint_id']}").get_json()
    assert noise["channel"] == "12369" and noise["category"] == "night_noise"
    assert noise["lat"] == pytest.approx(world.site.lat, abs=1e-6)  # GCJ-02 converted
    assert noise["due_at"] == "2026-11-20T14:30:00+00:00"  # 10:30 local + 12 h
    muck = world.get(f"/api/complaints/{report['complaints'][2]['complaint_id']}").get_json()
    assert muck["received_at"] == "2026-11-20T03:05:00+00:00" and muck["complainant_phone"] is None
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "complaints")).all()
    assert actions.count("complaint.enter") == 4 and actions.count("complaint.import") == 1


def test_a_file_with_a_bad_row_is_refused_whole_with_a_row_by_row_report(world):
    good, gcj, address_only = _rows(world)
    body = _csv(good, "H010,110,2026-11-20 09:00,某地,,,,扬尘,内容,,",
                "H011,12345,昨天,某地,,,,噪声扰民,内容,,",
                f"H012,12345,2026-11-20 09:00,,{world.site.lon},{world.site.lat},,扬尘,内容,,",
                "H013,12345,2026-11-20 09:00,,,,,违章停车,,,", address_only)
    response = _post(world, body)
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["code"] == "complaint_import_refused" and "未导入任何工单" in payload["message"]
    errors = [(e["row"], e["column"], e["code"]) for e in payload["details"]["errors"]]
    assert errors == [
        (3, "来源渠道", "complaint_import_unknown_channel"),
        (4, "受理时间", "import_bad_datetime"),
        (5, "坐标系", "complaint_import_unknown_datum"),  # coordinates without a datum: never guessed
        (6, "诉求内容", "import_required"),
        (6, "诉求类别", "complaint_import_unknown_category"),
        (6, "地址", "complaint_location_required"),
    ]
    assert payload["details"]["rows"] == 6 and payload["details"]["error_count"] == 6
    assert payload["details"]["errors"][0]["value"] == "110"
    assert _count() == 0  # the good rows were not entered either


def test_the_same_file_again_is_a_replay_and_a_changed_ticket_is_a_row_error(world):
    rows = _rows(world)
    assert _post(world, _csv(*rows)).status_code == 200
    again = _post(world, _csv(*rows))
    assert again.status_code == 200
    assert (again.get_json()["created"], again.get_json()["replayed"]) == (0, 3)
    assert all(r["replayed"] for r in again.get_json()["complaints"])
    changed = rows[0].replace("夜间裸土未覆盖", "白天也未覆盖")
    refused = _post(world, _csv("H004,12345,2026-11-20 12:00,某地,,,,扬尘,新的一件,,", changed))
    assert refused.status_code == 422
    assert [(e["row"], e["column"], e["code"], e["value"]) for e in refused.get_json()["details"]["errors"]] == \
        [(3, "工单编号", "complaint_ticket_conflict", "H001")]
    assert _count() == 3  # H004 was not entered


def test_one_ticket_twice_in_a_file_with_other_content_names_its_first_row(world):
    body = _csv("H1,12345,2026-11-20 09:00,某地,,,,扬尘,甲,,", "H1,12345,2026-11-20 09:00,某地,,,,扬尘,乙,,")
    refused = _post(world, body)
    assert refused.status_code == 422
    error = refused.get_json()["details"]["errors"][0]
    assert (error["row"], error["code"]) == (3, "complaint_import_duplicate_ticket") and "第 2 行" in error["message"]
    assert _count() == 0


def test_gbk_csv_from_excel_is_read(world):
    response = _post(world, _csv(*_rows(world)).encode("gbk"), content_type="application/octet-stream")
    assert response.status_code == 200, response.get_json()
    stored = db.session.scalar(select(Complaint).where(Complaint.ticket_number == "H001"))
    assert stored.text == "夜间裸土未覆盖" and stored.complainant_name == "张女士"


def test_xlsx_with_a_title_row_synonyms_and_typed_cells(world):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["12345政务服务便民热线工单（2026-11-20）"])
    sheet.append(["工单号", "渠道", "来电时间", "事发地址", "纬度", "经度", "坐标类型", "问题类型", "问题描述",
                  "诉求人", "来电号码", "承办单位"])
    sheet.append([20261120001, "12345", datetime(2026, 11, 20, 9, 0), "新华西街", world.site.lat, world.site.lon,
                  "GPS", "扬尘", "工地未洒水", "王先生", 13700000000, "新华西路街道"])
    out = io.BytesIO()
    book.save(out)
    response = _post(world, out.getvalue(), content_type=XLSX)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["ignored_columns"] == ["承办单位"]
    row = response.get_json()["complaints"][0]
    assert (row["row"], row["ticket_number"], row["status"]) == (3, "20261120001", "open")
    stored = db.session.get(Complaint, row["complaint_id"])
    assert stored.complainant_phone == "13700000000" and stored.site_id == world.site.id


def test_a_dry_run_reports_without_writing(world):
    response = _post(world, _csv(*_rows(world)), dry_run=True)
    assert response.status_code == 200
    report = response.get_json()
    assert report["dry_run"] is True and (report["created"], report["matched"]) == (3, 2)
    assert all(r["complaint_id"] is None for r in report["complaints"])
    assert _count() == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.object_type == "complaints")) == 0


@pytest.mark.parametrize("body, status, code", [
    (b"", 422, "import_empty"),
    ("工单编号,受理时间\nH1,2026-11-20\n", 422, "import_missing_columns"),
    ("姓名,电话\n张三,1380000\n", 422, "import_no_header"),
    (HEADER + "\n", 422, "import_no_rows"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, 415, "import_xls_unsupported"),
])
def test_unusable_files_are_refused_with_a_reason(world, body, status, code):
    response = _post(world, body)
    assert response.status_code == status and response.get_json()["code"] == code
    assert response.get_json()["message"]


def test_a_file_above_the_limit_is_refused_before_reading(world):
    response = _post(world, b"x" * (2 * 1024 * 1024 + 70 * 1024))
    assert response.status_code == 413 and response.get_json()["code"] == "import_too_large"


def test_only_supervisors_and_admins_import(world):
    body = _csv(*_rows(world))
    for role in ("inspector", "enforcement"):
        assert _post(world, body, role).status_code == 403
    assert world.client.post("/api/complaints/import", data=body).status_code == 401
    assert _count() == 0
    assert _post(world, body, "admin").status_code == 200


def test_a_ticket_another_unit_holds_is_a_row_error_showing_nothing_of_it(world):
    world.enter(number="H001", lat=world.site.lat, lon=world.site.lon)
    response = _post(world, _csv(*_rows(world)), role="other_supervisor")
    assert response.status_code == 422
    assert response.get_json()["details"]["errors"][0]["code"] == "complaint_ticket_conflict"
    assert "13800000000" not in response.get_data(as_text=True) and ticket()["text"] not in response.get_data(
        as_text=True)


def test_sites_are_loaded_once_for_the_whole_file(world, count_queries):
    rows = [f"H{n:03},12345,2026-11-20 09:00,,{world.site.lon},{world.site.lat},WGS84,扬尘,第{n}件,,"
            for n in range(30)]
    with count_queries() as statements:
        assert _post(world, _csv(*rows)).status_code == 200
    site_reads = [s for s in statements if "FROM sites" in s and "complaints" not in s]
    assert len(site_reads) <= 2, site_reads

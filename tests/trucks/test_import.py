"""Importing the filing list: all rows or none, a report a clerk can act on, re-import updates."""
import io
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.trucks import importer, queries
from inspect_app.trucks.models import HaulageCompany, Vehicle
from tests.factories import create_site, xlsx_bytes

HEADER = "车牌号,车牌颜色,运输企业,核准编号,核定载质量(吨),备案状态,备案有效期,服务工地"


@pytest.fixture
def sites():
    return create_site(name="海亮广场"), create_site(name="万达二期")


def _csv(*rows, header=HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def _post(client, headers, body, *, dry_run=False, content_type="text/csv", multipart=False):
    url = "/api/vehicles/import" + ("?dry_run=1" if dry_run else "")
    data = body.encode("utf-8") if isinstance(body, str) else body
    if multipart:
        # Built by hand: the test client's own multipart encoder leaves a temp file open for
        # large bodies, which pytest (warnings are errors) reports as a ResourceWarning.
        data = (b'--B0UND\r\nContent-Disposition: form-data; name="file"; filename="v.csv"\r\n'
                b"Content-Type: text/csv\r\n\r\n" + data + b"\r\n--B0UND--\r\n")
        content_type = "multipart/form-data; boundary=B0UND"
    return client.post(url, headers=headers, data=data, content_type=content_type)


_xlsx = xlsx_bytes


GOOD = _csv(
    "蒙A12345,黄,顺达运输,HM-001,18,已备案,2026-12-31,海亮广场；万达二期",
    "蒙a 54321,,顺达运输,HM-002,25.5,已备案,2026/06/30,海亮广场",
    "蒙A12345D,黄绿,宏远运输,,31,未备案,,",
)


def test_good_csv_creates_every_vehicle_with_companies_and_sites(client, admin, sites):
    response = _post(client, admin, GOOD, multipart=True)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"dry_run": False, "rows": 3, "created": 3, "updated": 0,
                                   "unchanged": 0, "companies_created": 2, "ignored_columns": []}
    first = queries.get_vehicle_by_plate("蒙A12345")
    assert first.company.name == "顺达运输" and first.approval_number == "HM-001"
    assert first.filing_expires_on == date(2026, 12, 31)
    assert sorted(s.name for s in first.sites) == ["万达二期", "海亮广场"]
    second = queries.get_vehicle_by_plate("蒙A54321")
    assert second.plate_colour == "yellow" and second.rated_load_t == 25.5  # colour defaulted
    third = queries.get_vehicle_by_plate("蒙A12345D")
    assert third.filing_status == "unfiled" and third.sites == [] and third.approval_number is None
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("vehicle.create") == 3 and actions.count("company.create") == 2
    assert actions.count("vehicle.import") == 1


def test_good_xlsx_with_title_row_and_excel_dates_is_imported(client, admin, sites):
    data = _xlsx([
        ["回民区渣土运输车辆备案名单（2026年）"],
        ["车牌号", "车牌颜色", "运输企业", "核准编号", "核定载质量（吨）", "备案状态", "备案有效期", "服务工地"],
        ["蒙A12345", "黄色", "顺达运输", 20260001, 18, "已备案", datetime(2026, 12, 31), "海亮广场"],
        ["蒙A1234挂", "黄", "顺达运输", "HM-9", 30.5, "已过期", "2025年6月30日", None],
        [None, None, None, None, None, None, None, None],
    ])
    response = _post(client, admin, data,
                     content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["created"] == 2
    truck = queries.get_vehicle_by_plate("蒙A12345")
    assert truck.approval_number == "20260001"  # a number cell, without “.0”
    assert truck.filing_expires_on == date(2026, 12, 31)
    trailer = queries.get_vehicle_by_plate("蒙A1234挂")
    assert trailer.filing_status == "expired" and trailer.filing_expires_on == date(2025, 6, 30)


def test_company_names_match_whatever_brackets_the_clerk_typed(client, admin, make_company):
    company = make_company("顺达运输有限公司（回民区分公司）")
    response = _post(client, admin, _csv("蒙A12345,,顺达运输有限公司(回民区分公司),,18,已备案,,"))
    assert response.get_json()["companies_created"] == 0
    assert queries.get_vehicle_by_plate("蒙A12345").company_id == company.id


def test_a_new_company_is_stored_as_written(client, admin):
    _post(client, admin, _csv("蒙A12345,,宏远运输（集团）,,18,已备案,,"))
    assert db.session.scalar(select(HaulageCompany.name)) == "宏远运输（集团）"


def test_english_headers_are_accepted(client, admin, sites):
    body = _csv("蒙A12345,yellow,Shunda,A1,18,filed,2026-12-31,海亮广场",
                header="Plate,Plate colour,Company,Approval number,Rated load (t),Filing status,"
                       "Filing expires on,Sites")
    response = _post(client, admin, body)
    assert response.status_code == 200, response.get_json()
    assert queries.get_vehicle_by_plate("蒙A12345").company.name == "Shunda"


def test_bad_rows_are_all_reported_and_nothing_is_imported(client, admin, sites, make_vehicle):
    make_vehicle(plate="蒙A77777", rated_load_t=10)
    body = _csv(
        "蒙A12345,黄,顺达运输,HM-001,18,已备案,2026-12-31,海亮广场",  # fine, but must not be saved
        "蒙I12345,黄,顺达运输,,18,已备案,,",                              # row 3: I is never issued
        "蒙A22222,黄,顺达运输,,十八,已备案,,",                              # row 4: not a number
        "蒙A33333,黄,顺达运输,,18,审核中,2026-02-30,",                     # row 5: status and date
        "蒙A44444,绿,顺达运输,,18000,已备案,,不存在的工地",                  # row 6: colour, load, site
        "蒙A77777,黄,顺达运输,,18,已备案,,",                               # row 7: fine, existing
    )
    response = _post(client, {**admin, "Accept-Language": "en"}, body)
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["code"] == "vehicle_import_refused"
    assert "Nothing was imported" in payload["message"]
    found = {(e["row"], e["column"], e["code"]) for e in payload["details"]["errors"]}
    assert found == {
        (3, "车牌号", "invalid_plate"),
        (4, "核定载质量(吨)", "vehicle_import_bad_number"),
        (5, "备案状态", "vehicle_import_unknown_status"),
        (5, "备案有效期", "vehicle_import_bad_date"),
        (6, "车牌颜色", "plate_colour_mismatch"),
        (6, "核定载质量(吨)", "rated_load_out_of_range"),
        (6, "服务工地", "vehicle_import_unknown_site"),
    }
    assert payload["details"]["error_count"] == 7 and payload["details"]["rows"] == 6
    unknown_site = next(e for e in payload["details"]["errors"] if e["code"] == "vehicle_import_unknown_site")
    assert "不存在的工地" in unknown_site["message"]
    # the database is exactly as before
    assert db.session.scalars(select(Vehicle.plate)).all() == ["蒙A77777"]
    assert db.session.scalar(select(Vehicle.rated_load_t)) == 10
    assert db.session.scalar(select(func.count()).select_from(HaulageCompany)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action.like("vehicle.%"))) == 1  # the fixture's create


def test_a_plate_listed_twice_in_one_file_is_refused(client, admin):
    body = _csv("蒙A12345,,,,18,已备案,,", "蒙A99999,,,,18,已备案,,", "蒙a·12345,,,,20,已备案,,")
    payload = _post(client, admin, body).get_json()
    assert payload["details"]["errors"] == [{
        "row": 4, "column": "车牌号", "code": "vehicle_import_duplicate_plate", "value": "蒙A12345",
        "message": "车牌“蒙A12345”在第 2 行已出现过，同一车辆只能出现一次。"}]
    assert queries.count_vehicles() == 0


def test_a_site_name_shared_by_two_sites_is_refused_as_ambiguous(client, admin):
    create_site(name="同名工地")
    create_site(name="同名工地", unit="youyouban", lat=40.85, lon=111.55)
    payload = _post(client, admin, _csv("蒙A12345,,,,18,已备案,,同名工地")).get_json()
    assert [e["code"] for e in payload["details"]["errors"]] == ["vehicle_import_ambiguous_site"]


def test_reimport_updates_vehicles_instead_of_duplicating_them(client, admin, sites):
    assert _post(client, admin, GOOD).status_code == 200
    changed = _csv(
        "蒙A12345,黄,顺达运输,HM-001,18,已撤销,2026-12-31,海亮广场",       # revoked, one site fewer
        "蒙A54321,黄,顺达运输,HM-002,25.5,已备案,2026-06-30,海亮广场",      # identical
        "蒙A12345D,黄绿,宏远运输,,31,未备案,,",                              # identical
        "蒙A88888,黄,新运输公司,,20,已备案,,",                               # new
    )
    report = _post(client, admin, changed).get_json()
    assert report == {"dry_run": False, "rows": 4, "created": 1, "updated": 1, "unchanged": 2,
                      "companies_created": 1, "ignored_columns": []}
    assert queries.count_vehicles() == 4
    revoked = queries.get_vehicle_by_plate("蒙A12345")
    assert revoked.filing_status == "revoked" and [s.name for s in revoked.sites] == ["海亮广场"]
    update = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "vehicle.update"))
    assert update.before["filing_status"] == "filed" and update.after["filing_status"] == "revoked"


def test_reimport_reactivates_a_listed_truck_and_leaves_unlisted_ones_alone(client, admin, make_vehicle):
    from inspect_app.trucks import operations
    listed, unlisted = make_vehicle(plate="蒙A11111"), make_vehicle(plate="蒙A22222")
    operations.deactivate_vehicle(None, listed)
    db.session.commit()
    body = _csv("蒙A11111,,,,18,已备案,,", header="车牌号,车牌颜色,运输企业,核准编号,核定载质量(吨),备案状态,"
                                                  "备案有效期,服务工地")
    _post(client, admin, body)
    db.session.expire_all()
    assert queries.get_vehicle_by_plate("蒙A11111").active is True
    assert queries.get_vehicle_by_plate("蒙A22222").active is True
    assert unlisted.filing_status == "filed"


def test_a_column_missing_from_the_file_leaves_that_field_alone(client, admin, sites, make_vehicle):
    make_vehicle(plate="蒙A12345", site_ids=[sites[0].id], approval_number="KEEP")
    _post(client, admin, _csv("蒙A12345,20,已备案", header="车牌号,核定载质量(吨),备案状态"))
    vehicle = queries.get_vehicle_by_plate("蒙A12345")
    assert vehicle.rated_load_t == 20
    assert vehicle.approval_number == "KEEP" and [s.id for s in vehicle.sites] == [sites[0].id]


def test_dry_run_reports_what_would_change_and_writes_nothing(client, admin, sites, make_vehicle):
    make_vehicle(plate="蒙A12345", rated_load_t=10)
    response = _post(client, admin, GOOD, dry_run=True)
    assert response.status_code == 200
    assert response.get_json() == {"dry_run": True, "rows": 3, "created": 2, "updated": 1,
                                   "unchanged": 0, "companies_created": 2, "ignored_columns": []}
    db.session.expire_all()
    assert queries.count_vehicles() == 1
    assert queries.get_vehicle_by_plate("蒙A12345").rated_load_t == 10
    assert db.session.scalar(select(func.count()).select_from(HaulageCompany)) == 0


def test_dry_run_of_a_bad_file_reports_the_rows_too(client, admin):
    response = _post(client, admin, _csv("蒙A1234,,,,18,已备案,,"), dry_run=True)
    assert response.status_code == 422
    assert response.get_json()["details"]["errors"][0]["row"] == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_from_excel_in_utf8_with_bom_or_gb18030_is_read(client, admin, sites, encoding):
    body = _csv("蒙A12345,黄色,顺达运输,HM-001,18,已备案,2026-12-31,海亮广场").encode(encoding)
    response = _post(client, admin, body)
    assert response.status_code == 200, response.get_json()
    assert queries.get_vehicle_by_plate("蒙A12345").company.name == "顺达运输"


def test_unrecognised_columns_are_reported_as_ignored(client, admin):
    body = _csv("蒙A12345,18,已备案,张三", header="车牌号,核定载质量(吨),备案状态,驾驶员")
    assert _post(client, admin, body).get_json()["ignored_columns"] == ["驾驶员"]


@pytest.mark.parametrize("body, status, code", [
    (b"", 422, "vehicle_import_empty"),
    ("车牌号,核定载质量(吨)\n蒙A12345,18\n", 422, "vehicle_import_missing_columns"),
    ("姓名,电话\n张三,1380000\n", 422, "vehicle_import_no_header"),
    (HEADER + "\n", 422, "vehicle_import_no_rows"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, 415, "vehicle_import_xls_unsupported"),
    (b"PK\x03\x04 this is not really a workbook", 422, "vehicle_import_unreadable"),
    (b"\x00\x01\x02\xff\xfe\x00binary", 422, "vehicle_import_unreadable"),
])
def test_unusable_files_are_refused_with_a_clear_reason(client, admin, body, status, code):
    response = _post(client, admin, body)
    assert response.status_code == status
    assert response.get_json()["code"] == code
    assert response.get_json()["message"] != code  # a sentence, not the bare code


def test_multipart_without_a_file_field_is_refused(client, admin):
    response = client.post("/api/vehicles/import", headers=admin, content_type="multipart/form-data",
                           data={"other": (io.BytesIO(b"x"), "x.csv")})
    assert response.status_code == 422
    assert response.get_json()["code"] == "vehicle_import_no_file"


@pytest.mark.parametrize("multipart", [False, True])
def test_an_oversized_upload_is_refused_with_the_limit_in_the_message(client, admin, multipart):
    body = GOOD + ("#" * 80 + "\n") * (importer.MAX_IMPORT_BYTES // 81 + 10)
    response = _post(client, {**admin, "Accept-Language": "en"}, body, multipart=multipart)
    assert response.status_code == 413
    payload = response.get_json()
    assert payload["code"] == "vehicle_import_too_large"
    assert "the limit is 5 MB" in payload["message"]
    assert queries.count_vehicles() == 0


def test_too_many_rows_are_refused(monkeypatch, client, admin):
    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    body = _csv(*(f"蒙A1000{n},,,,18,已备案,," for n in range(5)))
    assert _post(client, admin, body).get_json()["code"] == "vehicle_import_too_many_rows"


@pytest.mark.parametrize("text, expected", [
    ("2026-12-31", date(2026, 12, 31)),
    ("2026/1/5", date(2026, 1, 5)),
    ("2026.01.05", date(2026, 1, 5)),
    ("2026年1月5日", date(2026, 1, 5)),
    ("20260105", date(2026, 1, 5)),
    (20260105, date(2026, 1, 5)),
    ("2026-12-31 00:00:00", date(2026, 12, 31)),
    ("", None),
    (None, None),
])
def test_dates_in_the_forms_clerks_write_them(text, expected):
    assert importer.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/12/2026", "2026-13-01", "明年", "2026-02-30"])
def test_unreadable_dates_are_refused(text):
    with pytest.raises(ValueError):
        importer.parse_date(text)


# --- the CLI --------------------------------------------------------------------------------

def test_cli_import_and_dry_run(runner, tmp_path, sites):
    path = tmp_path / "备案名单.csv"
    path.write_bytes(GOOD.encode("utf-8-sig"))
    dry = runner.invoke(args=["vehicles", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "试导入" in dry.output and queries.count_vehicles() == 0
    real = runner.invoke(args=["vehicles", "import", str(path)])
    assert real.exit_code == 0, real.output
    assert "新增 3" in real.output
    db.session.expire_all()
    assert queries.count_vehicles() == 3


def test_cli_refuses_an_oversized_file(app, runner, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "VEHICLE_IMPORT_MAX_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(args=["vehicles", "import", str(path)])
    assert result.exit_code != 0 and "导入文件过大" in result.output
    assert queries.count_vehicles() == 0


def test_cli_import_of_a_bad_file_lists_rows_and_fails(runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(_csv("蒙I12345,,,,18,已备案,,"), encoding="utf-8")
    result = runner.invoke(args=["vehicles", "import", str(path)])
    assert result.exit_code != 0
    assert "第 2 行【车牌号】" in result.output
    assert queries.count_vehicles() == 0

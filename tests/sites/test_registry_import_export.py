"""Importing and exporting the registry: sites and organisations from CSV/XLSX, all or nothing with
the refused rows named; an export is read back by the import; only admins import."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.organisations.models import Organisation
from inspect_app.sites.models import Site
from tests.factories import create_site, xlsx_bytes

VALID = "91350100M000100Y43"
HEADER = ["工地名称", "所属街道", "纬度", "经度", "坐标系", "施工阶段", "项目类型", "计划开工日期", "计划竣工日期",
          "建设单位", "施工单位", "监理单位", "项目负责人", "扬尘防治方案已备案", "方案备案日期"]


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([HEADER, *rows])
    return out.getvalue().encode("utf-8")


def _row(name="导入工地一", **overrides):
    values = {"工地名称": name, "所属街道": "新华西路街道", "纬度": "40.8200", "经度": "111.6500", "坐标系": "WGS84",
              "施工阶段": "土方", "项目类型": "房建", "计划开工日期": "2026-03-01", "计划竣工日期": "2027/10/31",
              "建设单位": "某置业有限公司", "施工单位": VALID, "监理单位": "某监理公司", "项目负责人": "李建国",
              "扬尘防治方案已备案": "是", "方案备案日期": "2026年2月20日", **overrides}
    return [values[h] for h in HEADER]


def _post(client, url, data, headers, **query):
    return client.post(url, data=data, headers=headers, content_type="text/csv", query_string=query)


@pytest.fixture
def contractor():
    org = Organisation(name="某建工集团", credit_code=VALID)
    db.session.add(org)
    db.session.commit()
    return org


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(client, auth, contractor):
    data = _csv([_row("甲"), _row("乙", 施工阶段="打桩"), _row("丙", 施工单位="91350100M000100Y44")])
    response = _post(client, "/api/sites/import", data, auth.as_role("admin"))
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "site_import_refused"
    errors = [(e["row"], e["column"], e["code"]) for e in body["details"]["errors"]]
    # 丙's code has a wrong check character: refused, never taken for the name of a new organisation
    assert errors == [(3, "施工阶段", "site_import_unknown_phase"), (4, "施工单位", "credit_code_invalid")]
    assert "打桩" in body["details"]["errors"][0]["message"]
    assert db.session.scalar(select(func.count(Site.id))) == 0
    assert db.session.scalar(select(func.count(Organisation.id))) == 1  # no new organisation either


def test_a_clean_file_registers_sites_with_their_parties(client, auth, contractor):
    gcj = ("40.8213", "111.6562")
    data = _csv([_row("甲"), _row("乙", 纬度=gcj[0], 经度=gcj[1], 坐标系="高德", 施工阶段="主体")])
    headers = auth.as_role("admin")
    dry = _post(client, "/api/sites/import", data, headers, dry_run=1).get_json()
    assert (dry["created"], dry["organisations_created"]) == (2, 2) and db.session.scalar(select(Site)) is None
    report = _post(client, "/api/sites/import", data, headers).get_json()
    assert (report["rows"], report["created"], report["updated"], report["organisations_created"]) == (2, 2, 0, 2)
    first = db.session.scalar(select(Site).where(Site.name == "甲"))
    assert first.contractor_org_id == contractor.id and first.contractor == "某建工集团"
    assert first.builder_org.name == "某置业有限公司" and first.supervisor_org.name == "某监理公司"
    assert first.project_type == "building" and str(first.planned_finish) == "2027-10-31"
    assert first.dust_plan_filed and str(first.dust_plan_filed_on) == "2026-02-20"
    second = db.session.scalar(select(Site).where(Site.name == "乙"))
    assert second.entered_datum == "GCJ02" and second.phase == "structure"
    assert abs(second.lat - float(gcj[0])) > 0.0005  # converted, not stored as typed
    again = _post(client, "/api/sites/import", _csv([_row("甲", 施工阶段="基础")]), headers).get_json()
    assert (again["created"], again["updated"], again["organisations_created"]) == (0, 1, 0)
    db.session.expire_all()
    assert db.session.get(Site, first.id).phase == "foundation"
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("site.create") == 2 and "site.import" in actions and "site.update" in actions


@pytest.mark.parametrize("overrides, column, code", [
    ({"所属街道": "朝阳区"}, "所属街道", "unknown_unit"),
    ({"纬度": "39.90", "经度": "116.40"}, "纬度", "site_outside_district"),
    ({"纬度": "北纬40"}, "纬度", "import_bad_number"),
    ({"坐标系": "百度"}, "坐标系", "site_import_unknown_datum"),
    ({"项目类型": "住宅"}, "项目类型", "site_import_unknown_project_type"),
    ({"计划开工日期": "2027-01-01", "计划竣工日期": "2026-01-01"}, "计划竣工日期", "site_finish_before_start"),
    ({"扬尘防治方案已备案": "否"}, "方案备案日期", "site_plan_date_without_filing"),
    ({"扬尘防治方案已备案": "可能"}, "扬尘防治方案已备案", "site_import_yes_no"),
    ({"施工单位": ""}, "施工单位", "import_required"),
    ({"施工单位": "914403001922038216"}, "施工单位", "site_import_unknown_credit_code"),
])
def test_each_kind_of_bad_cell_is_named(client, auth, contractor, overrides, column, code):
    response = _post(client, "/api/sites/import", _csv([_row(**overrides)]), auth.as_role("admin"))
    assert response.status_code == 422, response.get_json()
    [error] = response.get_json()["details"]["errors"]
    assert (error["row"], error["column"], error["code"]) == (2, column, code)


def test_the_same_site_twice_in_a_file_is_refused(client, auth, contractor):
    response = _post(client, "/api/sites/import", _csv([_row("甲"), _row("甲")]), auth.as_role("admin"))
    [error] = response.get_json()["details"]["errors"]
    assert (error["row"], error["code"]) == (3, "site_import_duplicate_site")


@pytest.mark.parametrize("role", ["supervisor", "inspector", "enforcement"])
def test_only_admins_import(client, auth, contractor, role):
    headers = auth.as_role(role)
    assert _post(client, "/api/sites/import", _csv([_row()]), headers).status_code == 403
    assert _post(client, "/api/organisations/import", b"name\nx\n", headers).status_code == 403


def test_the_export_reads_back_through_the_import(client, auth, contractor):
    create_site(name="出口工地", contractor_id=contractor.id, project_type="municipal", floor_area_m2=1200.0)
    headers = auth.as_role("admin")
    response = client.get("/api/sites/export", query_string={"format": "csv"}, headers=headers)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["工地名称", "所属街道", "地址"]
    assert rows[1][0] == "出口工地" and VALID in rows[1] and "市政" in rows[1]
    report = client.post("/api/sites/import", data=response.data, headers=headers, content_type="text/csv").get_json()
    assert (report["created"], report["updated"], report["organisations_created"]) == (0, 1, 0)
    xlsx = client.get("/api/sites/export", headers=headers)
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "site.export")) == 2


def test_supervisors_export_only_their_units(client, auth, contractor):
    create_site(name="本街道工地", unit="xinhuaxilu")
    create_site(name="别的街道工地", unit="guangminglu", lat=40.80, lon=111.64)
    response = client.get("/api/sites/export", query_string={"format": "csv"},
                          headers=auth.as_role("supervisor", units=("xinhuaxilu",)))
    names = [row[0] for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig")))][1:]
    assert names == ["本街道工地"]
    refused = client.get("/api/sites/export", headers=auth.as_role("inspector"))
    assert refused.status_code == 403


# --- organisations ------------------------------------------------------------------------------

def test_organisations_import_refuses_a_bad_code_and_names_its_row(client, auth):
    data = xlsx_bytes([["单位名称", "统一社会信用代码", "地址"],
                       ["甲公司", VALID, "中山西路"],
                       ["乙公司", "91350100M000100Y44", None],
                       ["丙公司", VALID, None]])
    response = client.post("/api/organisations/import", data=data, headers=auth.as_role("admin"),
                           content_type="application/octet-stream")
    assert response.status_code == 422
    errors = [(e["row"], e["column"], e["code"]) for e in response.get_json()["details"]["errors"]]
    assert errors == [(3, "统一社会信用代码", "credit_code_invalid"),
                      (4, "统一社会信用代码", "organisation_import_duplicate_code")]
    assert db.session.scalar(select(Organisation)) is None


def test_organisations_import_matches_by_code_then_name(client, auth, contractor):
    db.session.add(Organisation(name="无代码的监理公司"))
    db.session.commit()
    data = "单位名称,统一社会信用代码,联系电话\n某建工集团（新名）,{},0471-1\n无代码的监理公司,,0471-2\n新公司,,\n".format(VALID)
    report = _post(client, "/api/organisations/import", data.encode(), auth.as_role("admin")).get_json()
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 2, 0)
    db.session.expire_all()
    assert db.session.get(Organisation, contractor.id).name == "某建工集团（新名）"
    exported = client.get("/api/organisations/export", query_string={"format": "csv"},
                          headers=auth.as_role("supervisor"))
    assert exported.status_code == 200 and "某建工集团（新名）" in exported.data.decode("utf-8-sig")


def test_exported_text_is_never_a_formula(client, auth):
    from openpyxl import load_workbook

    db.session.add(Organisation(name="=HYPERLINK(\"http://x\")\x07公司"))
    db.session.commit()
    headers = auth.as_role("admin")
    text = client.get("/api/organisations/export", query_string={"format": "csv"}, headers=headers).data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    data = client.get("/api/organisations/export", query_string={"format": "xlsx"}, headers=headers).data
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(\"http://x\")公司"

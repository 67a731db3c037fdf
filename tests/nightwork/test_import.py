"""Importing permits from CSV and XLSX: all rows or none, each bad row named, re-import updates."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from inspect_app.nightwork.models import NightPermit
from tests.factories import xlsx_bytes

HEADER = "工地,证明编号,发证机关,起始日期,截止日期,时段,作业内容,备注"
ROWS = (
    "海亮广场,回住建夜证〔2026〕12号,回民区住房和城乡建设局,2026-12-01,2026-12-10,22:00–06:00,混凝土连续浇筑,",
    "海亮广场,回住建夜证〔2026〕13号,回民区住房和城乡建设局,2026/12/05,2026/12/06,22时至次日2时,钢结构吊装,限两晚",
)


def csv_text(*rows, header=HEADER) -> str:
    return "\n".join((header, *rows)) + "\n"


def post(client, headers, data, *, dry_run=False, content_type="text/csv"):
    body = data.encode("utf-8") if isinstance(data, str) else data
    return client.post("/api/night-permits/import" + ("?dry_run=1" if dry_run else ""), headers=headers,
                       data=body, content_type=content_type)


xlsx = xlsx_bytes


def permits():
    return db.session.scalars(select(NightPermit).order_by(NightPermit.number)).all()


def test_a_good_csv_creates_every_permit_and_is_audited(client, headers, site):
    response = post(client, headers["supervisor"], csv_text(*ROWS))
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"dry_run": False, "rows": 2, "created": 2, "updated": 0, "unchanged": 0,
                                   "ignored_columns": []}
    first, second = permits()
    assert (first.site_id, first.valid_from, first.valid_to, first.start_time, first.end_time) == (
        site.id, date(2026, 12, 1), date(2026, 12, 10), "22:00", "06:00")
    assert (second.start_time, second.end_time, second.works, second.note) == ("22:00", "02:00", "钢结构吊装", "限两晚")
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert actions.count("night_permit.create") == 2 and actions[-1] == "night_permit.import"


def test_a_bad_row_refuses_the_whole_file_and_names_each_row(client, headers, site):
    bad = csv_text(
        ROWS[0],
        "不存在的工地,X-1,回民区住房和城乡建设局,2026-12-01,2026-12-10,22:00-06:00,,",
        "海亮广场,X-2,回民区住房和城乡建设局,2026-12-10,2026-12-01,夜间,,",
        "海亮广场,回住建夜证〔2026〕12号,回民区住房和城乡建设局,2026-12-01,2026-13-01,22:00-06:00,,",
    )
    response = post(client, {**headers["supervisor"], "Accept-Language": "zh-CN"}, bad)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "night_permit_import_refused" and "未导入任何证明" in body["message"]
    found = {(e["row"], e["column"], e["code"]) for e in body["details"]["errors"]}
    assert found == {
        (3, "工地", "night_permit_import_unknown_site"),
        (4, "截止日期", "night_permit_dates_out_of_order"),
        (4, "时段", "night_permit_bad_hours"),
        (5, "截止日期", "import_bad_date"),
        (5, "证明编号", "night_permit_import_duplicate"),
    }
    duplicate = next(e for e in body["details"]["errors"] if e["code"] == "night_permit_import_duplicate")
    assert "第 2 行" in duplicate["message"]
    assert body["details"]["rows"] == 4
    assert permits() == []  # the good first row was not written either
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action.like("night_permit%"))) == 0


def test_a_real_xlsx_with_a_title_row_excel_dates_and_a_site_number(client, headers, site):
    data = xlsx([
        ["回民区夜间施工证明台账（2026年12月）"],
        ["工地编号", "证明编号", "发证机关", "起始日期", "截止日期", "时段", "作业内容", "备注", "经办人"],
        [site.id, 20261201, "回民区住房和城乡建设局", datetime(2026, 12, 1), datetime(2026, 12, 3), "22:00-06:00",
         "桩基施工", None, "张三"],
    ])
    response = post(client, headers["admin"], data, content_type="application/octet-stream")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["created"] == 1 and response.get_json()["ignored_columns"] == ["经办人"]
    [permit] = permits()
    assert (permit.site_id, permit.number, permit.valid_to) == (site.id, "20261201", date(2026, 12, 3))


def test_an_xlsx_with_a_bad_row_is_refused_whole(client, headers, site):
    data = xlsx([
        ["工地", "证明编号", "发证机关", "起始日期", "截止日期", "时段"],
        ["海亮广场", "A", "住建局", datetime(2026, 12, 1), datetime(2026, 12, 3), "22:00-06:00"],
        ["海亮广场", "B", None, datetime(2026, 12, 1), datetime(2026, 12, 3), "22:00-06:00"],
    ])
    response = post(client, headers["admin"], data, content_type="application/octet-stream")
    assert response.status_code == 422
    assert [(e["row"], e["column"], e["code"]) for e in response.get_json()["details"]["errors"]] == [
        (3, "发证机关", "import_required")]
    assert permits() == []


def test_a_gbk_csv_saved_by_chinese_excel_is_read(client, headers, site):
    response = post(client, headers["supervisor"], csv_text(*ROWS).encode("gbk"))
    assert response.status_code == 200, response.get_json()
    assert [p.works for p in permits()] == ["混凝土连续浇筑", "钢结构吊装"]


def test_a_file_that_is_no_table_is_refused_in_words(client, headers, site):
    response = post(client, {**headers["supervisor"], "Accept-Language": "en"}, b"\x00\x01\x02binary\xff\xfe\x00")
    assert response.status_code == 422 and response.get_json()["code"] == "import_unreadable"
    assert "GBK" in response.get_json()["message"]
    missing = post(client, headers["supervisor"], csv_text(ROWS[0], header="工地,证明编号,发证机关,起始日期,截止日期,作业内容,备注,x"))
    assert missing.status_code == 422 and missing.get_json()["code"] == "import_missing_columns"
    assert "时段" in missing.get_json()["message"]


def test_reimport_updates_by_site_and_number_and_a_dry_run_writes_nothing(client, headers, site):
    post(client, headers["supervisor"], csv_text(*ROWS))
    changed = csv_text(ROWS[0].replace("2026-12-10", "2026-12-20"), ROWS[1])
    dry = post(client, headers["supervisor"], changed, dry_run=True)
    assert dry.get_json() == {"dry_run": True, "rows": 2, "created": 0, "updated": 1, "unchanged": 1,
                              "ignored_columns": []}
    assert permits()[0].valid_to == date(2026, 12, 10)
    assert post(client, headers["supervisor"], changed).get_json()["updated"] == 1
    assert permits()[0].valid_to == date(2026, 12, 20)
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "night_permit.update")).all()
    assert (event.before["valid_to"], event.after["valid_to"]) == ("2026-12-10", "2026-12-20")


def test_a_supervisor_imports_only_for_their_units(client, auth, headers, site, other_site):
    rows = csv_text(ROWS[0], "万达二期,W-1,回民区住房和城乡建设局,2026-12-01,2026-12-10,22:00-06:00,,")
    response = post(client, headers["supervisor"], rows)
    assert response.status_code == 422
    assert [(e["row"], e["code"]) for e in response.get_json()["details"]["errors"]] == [
        (3, "night_permit_import_site_not_yours")]
    assert post(client, headers["admin"], rows).get_json()["created"] == 2  # the admin's district


@pytest.mark.parametrize("role", ["inspector", "enforcement"])
def test_only_supervisors_and_admins_import(client, headers, site, role):
    assert post(client, headers[role], csv_text(*ROWS)).status_code == 403
    assert permits() == []


def test_two_sites_with_one_name_need_the_site_number(client, headers, site):
    from tests.factories import create_site

    create_site(name="海亮广场")
    response = post(client, headers["admin"], csv_text(ROWS[0]))
    assert [e["code"] for e in response.get_json()["details"]["errors"]] == ["night_permit_import_ambiguous_site"]


def test_a_file_above_the_limit_is_413(client, headers, site, monkeypatch):
    from inspect_app.nightwork import importer

    monkeypatch.setattr(importer, "MAX_IMPORT_BYTES", 100)
    response = post(client, headers["admin"], csv_text(*ROWS))
    assert response.status_code == 413 and response.get_json()["code"] == "import_too_large"


def test_a_row_naming_a_revoked_permit_is_refused_and_it_stays_revoked(client, headers, site):
    post(client, headers["supervisor"], csv_text(*ROWS))
    revoked = permits()[0]
    client.post(f"/api/night-permits/{revoked.id}/revoke", json={"reason": "住建局撤销"}, headers=headers["supervisor"])
    response = post(client, headers["supervisor"], csv_text(ROWS[0].replace("2026-12-10", "2026-12-31"), ROWS[1]))
    assert response.status_code == 422
    assert [(e["row"], e["column"], e["code"]) for e in response.get_json()["details"]["errors"]] == [
        (2, "证明编号", "night_permit_import_revoked")]
    db.session.expire_all()
    assert permits()[0].valid_to == date(2026, 12, 10) and permits()[0].revoked_at is not None

"""The weekly export's 整改通知书 sheet: one row per notice issued in the week (Asia/Shanghai), with
service, deadlines, the latest follow-up and where the notice stands."""
from __future__ import annotations

import io
import uuid
from datetime import datetime

import openpyxl

from inspect_app.core.timeutil import LOCAL_TZ
from tests import factories
from tests.followups.conftest import NON_VETO, follow_up_body

HEADERS = ["通知书编号", "工地/车辆", "街道/镇", "下达时间", "送达方式", "送达时间", "整改期限", "复查时间", "复查结果", "状态"]


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def test_the_notice_sheet(unit):
    first_site = unit.site
    unit.inspect({NON_VETO: "fail"}, started_at=local(2026, 11, 24, 9, 0))        # followed up, passes
    unit.site = factories.create_site("xinhuaxilu", phase="earthwork", name="served site")
    unit.inspect({NON_VETO: "fail"}, started_at=local(2026, 11, 25, 9, 0))        # served by mail, still open
    unit.site = factories.create_site("xinhuaxilu", phase="earthwork", name="late site")
    unit.inspect({"material_cover": "fail"}, started_at=local(2026, 11, 23, 0, 5))  # 1 day: overdue by now
    unit.site = factories.create_site("xinhuaxilu", phase="earthwork", name="last week")
    unit.inspect({"ground_paving": "fail"}, started_at=local(2026, 11, 22, 23, 0))  # W47: not in this sheet
    tasks = {t["site"]["name"]: t for t in unit.tasks(all_units="true")["items"]}
    done = tasks[first_site.name]
    unit.site = first_site
    body = follow_up_body(done, {NON_VETO: "pass"}, started_at=local(2026, 11, 26, 14, 0), site=first_site)
    assert unit.follow_up(done["id"], body).status_code == 201
    served = unit.client.post(f"/api/notices/{tasks['served site']['notice']['id']}/service",
                              headers=unit.headers["supervisor"],
                              json={"uuid": str(uuid.uuid4()), "method": "mail", "note": "EMS 1234567890",
                                    "served_at": local(2026, 11, 26, 10, 0).isoformat()})
    assert served.status_code == 201, served.get_json()

    response = unit.client.get("/api/exports/weekly", query_string={"week": "2026-W48", "format": "xlsx"},
                               headers=unit.headers["supervisor"])
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data()))["整改通知书"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    late, rectified, open_ = rows[1:]
    assert late[1] == "late site" and late[2] == "新华西路街道" and late[4] is None and late[9] == "已逾期"
    assert late[6] == "2026-11-24" and late[7] is None
    assert rectified[0].startswith("回民扬整〔2026〕第") and rectified[1] == first_site.name
    assert rectified[3] == datetime(2026, 11, 24, 9, 20)
    assert rectified[7] == datetime(2026, 11, 26, 14, 10) and rectified[8] == "复查合格" and rectified[9] == "已整改"
    assert open_[1] == "served site" and open_[4] == "邮寄" and open_[5] == datetime(2026, 11, 26, 10, 0)
    assert open_[6] == "2026-12-02" and open_[9] == "整改中"

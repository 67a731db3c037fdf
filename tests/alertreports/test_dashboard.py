"""The alert dashboard per unit (active sites, sites inspected since the alert began, sites found working against
it, open alert violations) and the XLSX alert report read back with openpyxl."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from inspect_app.core.audit import AuditEvent
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from tests import factories
from tests.alerts.conftest import local
from tests.inspections.helpers import site_form, submission

EARTHWORK = "alert_no_earthwork"
ALERT_PASS = {key: "pass" for key in (EARTHWORK, "alert_no_demolition", "alert_no_outdoor_spraying_cutting",
                                      "alert_more_sprinkling")}


@pytest.fixture
def scene(alert_world, client, checklists):
    """An orange alert over 新华西路街道 since two hours ago; three of its sites, one of 中山西路街道."""
    now = utcnow()
    sites = [factories.create_site("xinhuaxilu", name=f"新华工地{n}") for n in range(3)]
    other = factories.create_site("zhongshanxilu", name="中山工地")
    alert = alert_world.declare(starts_at=local(now - timedelta(hours=2)))
    headers = {"xinhua": alert_world.headers["inspector"], "zhongshan": alert_world.headers["other_inspector"]}

    def inspect(site, who="xinhua", started=now - timedelta(minutes=40), **outcomes):
        form = site_form(client, headers[who])
        body = submission(form, site, outcomes={**ALERT_PASS, **outcomes}, started_at=started)
        response = client.post("/api/inspections", json=body, headers=headers[who])
        assert response.status_code == 201, response.get_json()

    return {"alert": alert, "sites": sites, "other": other, "inspect": inspect, "now": now}


def _dashboard(alert_world, alert_id, role="supervisor"):
    return alert_world.get(f"/api/alert-reports/{alert_id}", role)


def test_the_dashboard_counts_per_unit_what_happened_since_the_alert_began(alert_world, scene):
    inspect, sites = scene["inspect"], scene["sites"]
    inspect(sites[0], **{EARTHWORK: "fail"})  # still digging: working against the alert, a violation
    inspect(sites[1])
    inspect(sites[1])  # the same site twice counts once
    inspect(sites[2], started=scene["now"] - timedelta(hours=3))  # before the alert: not counted
    inspect(scene["other"], who="zhongshan", **{EARTHWORK: "fail"})  # another unit, not under the alert
    response = _dashboard(alert_world, scene["alert"]["id"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["in_force"] is True
    (row,) = body["units"]
    assert (row["name_zh"], row["active_sites"], row["inspected_sites"], row["working_sites"],
            row["open_violations"]) == ("新华西路街道", 3, 2, 1, 1)


def test_a_district_wide_alert_lists_every_unit_for_admins_and_own_units_for_supervisors(alert_world, scene,
                                                                                          count_queries):
    district = alert_world.declare(role="admin", level="red", scope="district", unit_ids=[],
                                   starts_at=local(scene["now"] - timedelta(hours=2)))
    scene["inspect"](scene["other"], who="zhongshan", **{EARTHWORK: "fail"})
    admin = _dashboard(alert_world, district["id"], "admin").get_json()
    assert len(admin["units"]) == 8
    zhongshan = next(row for row in admin["units"] if row["name_zh"] == "中山西路街道")
    assert (zhongshan["inspected_sites"], zhongshan["working_sites"], zhongshan["open_violations"]) == (1, 1, 1)
    mine = _dashboard(alert_world, district["id"], "supervisor").get_json()
    assert [row["name_zh"] for row in mine["units"]] == ["新华西路街道"]
    # the figures of eight units cost what those of one do (grouped queries, no query per unit)
    with count_queries() as eight:
        _dashboard(alert_world, district["id"], "admin")
    with count_queries() as one:
        _dashboard(alert_world, scene["alert"]["id"], "admin")
    assert len(eight) <= len(one) + 1 <= 12  # + 1: the district's list of units


def test_who_may_see_the_dashboard(alert_world, scene):
    alert_id = scene["alert"]["id"]
    assert _dashboard(alert_world, alert_id, "inspector").status_code == 403
    assert _dashboard(alert_world, alert_id, "other_supervisor").status_code == 404  # not their unit's alert
    assert _dashboard(alert_world, alert_id, "enforcement").status_code == 200
    assert alert_world.get(f"/api/alert-reports/{alert_id}/xlsx", "inspector").status_code == 403
    assert _dashboard(alert_world, 999999, "admin").status_code == 404


def test_the_alert_report_reads_back_with_openpyxl_and_is_audited(alert_world, scene):
    scene["inspect"](scene["sites"][0], **{EARTHWORK: "fail"})
    lifted = alert_world.post(f"/api/alerts/{scene['alert']['id']}/lift", {"reason": "空气质量好转"})
    assert lifted.status_code == 200
    response = alert_world.get(f"/api/alert-reports/{scene['alert']['id']}/xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "alert-report-" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["预警处置"]
    rows = list(book["预警处置"].iter_rows(values_only=True))
    assert rows[0] == ("街道（镇）", "预警级别", "预警文号", "统计起", "统计止", "在建工地数",
                       "预警以来已巡查工地数", "违反预警施工工地数", "未整改预警违规数")
    unit, total = rows[1], rows[2]
    assert unit[:3] == ("新华西路街道", "橙色预警", "呼重污染指办〔2026〕12号")
    assert unit[5:] == (3, 1, 1, 1) and total[0] == "合计" and total[5:] == (3, 1, 1, 1)
    assert unit[3] < unit[4]  # local times, the report ends when the alert was lifted
    db.session.commit()
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "alert_report.download")).all()
    assert event.actor_id == alert_world.users["supervisor"].id

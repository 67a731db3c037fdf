"""The weekly export's 停工工地 sheet: suspended days per site in the week (Beijing calendar days)."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import openpyxl
from sqlalchemy import select

from inspect_app.core.timeutil import LOCAL_TZ, as_utc
from inspect_app.extensions import db
from inspect_app.suspensions.models import SiteSuspension
from inspect_app.suspensions.queries import suspended_days
from tests.suspensions.helpers import decide_stop_work

WEEK = "2026-W48"  # Monday 23 – Sunday 29 November 2026, Beijing time


def _local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def _order(case, started, ended=None) -> SiteSuspension:
    row = db.session.scalar(select(SiteSuspension).where(SiteSuspension.case_id == case.id))
    row.started_at, row.ended_at = started, ended
    if ended is not None:
        row.status = "resumed"
    db.session.commit()
    return row


def _sheet(world, role="admin"):
    response = world.client.get("/api/exports/weekly", query_string={"week": WEEK, "format": "xlsx"},
                                headers=world.headers[role])
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.get_data()))
    assert "停工工地" in book.sheetnames and book.sheetnames[-1] == "分街道汇总"  # the summary stays last
    return list(book["停工工地"].iter_rows(values_only=True))


def test_a_site_suspended_from_wednesday_and_resumed_on_friday_counts_three_days(world):
    _order(decide_stop_work(world, number="罚决-7"), _local(2026, 11, 25, 15, 0), _local(2026, 11, 27, 10, 0))
    header, *rows = _sheet(world)
    assert header == ("街道/镇", "工地名称", "施工单位", "停工决定书文号", "停工起", "复工时间", "本周停工天数", "状态")
    (row,) = rows
    assert row[1] == world.site.name and row[3] == "罚决-7"
    assert row[4] == datetime(2026, 11, 25, 15, 0) and row[5] == datetime(2026, 11, 27, 10, 0)
    assert row[6] == 3 and row[7] == "已复工"


def test_a_site_still_suspended_counts_every_day_of_the_week_and_other_units_do_not_see_it(world):
    _order(decide_stop_work(world, number="罚决-8"), _local(2026, 11, 10, 9, 0))
    (row,) = _sheet(world)[1:]
    assert row[6] == 7 and row[7] == "停工中" and row[5] is None
    assert _sheet(world, "supervisor")[1:] == [row]
    assert _sheet(world, "far_supervisor")[1:] == []


def test_days_are_beijing_dates_and_overlapping_orders_count_once(world):
    first = decide_stop_work(world, number="罚决-1")
    second = decide_stop_work(world, number="罚决-2")
    # 23:30 UTC on Sunday 22 November is already 07:30 on Monday 23 in Beijing
    _order(first, datetime(2026, 11, 22, 23, 30, tzinfo=timezone.utc), _local(2026, 11, 24, 12, 0))
    _order(second, _local(2026, 11, 24, 8, 0), _local(2026, 11, 24, 18, 0))
    start, end = as_utc(_local(2026, 11, 23)), as_utc(_local(2026, 11, 30))
    assert suspended_days(start, end, end) == {world.site.id: 2}
    (row,) = _sheet(world)[1:]
    assert row[3] == "罚决-1、罚决-2" and row[6] == 2


def test_a_week_without_suspensions_has_only_the_header(world):
    assert _sheet(world)[1:] == []

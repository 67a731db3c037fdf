"""The alert report (XLSX) for the alert's whole duration: the dashboard's per-unit sheet, written by the
weekly export's writer (constant memory, Chinese headers, typed cells)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from inspect_app.alertreports import messages  # noqa: F401  (registers strings)
from inspect_app.alertreports.queries import FIGURES, UnitFigures, period
from inspect_app.alerts.models import Alert
from inspect_app.core.i18n import translate
from inspect_app.core.timeutil import to_local
from inspect_app.exports.sheet_spec import Column, Sheet
from inspect_app.exports.writers import write_xlsx

ZH = "zh-CN"  # a document for the district office: always Chinese


@dataclass(frozen=True)
class ReportContext:
    alert: Alert
    start: datetime
    end: datetime
    figures: list[UnitFigures]


LEVEL_LABELS = {"blue": "蓝色预警", "yellow": "黄色预警", "orange": "橙色预警", "red": "红色预警"}
COLUMNS = (
    Column("alert_report_col_unit", 16),
    Column("alert_report_col_level", 10),
    Column("alert_report_col_number", 26),
    Column("alert_report_col_from", 17, "datetime"),
    Column("alert_report_col_to", 17, "datetime"),
    Column("alert_report_col_active_sites", 10, "int"),
    Column("alert_report_col_inspected_sites", 14, "int"),
    Column("alert_report_col_working_sites", 14, "int"),
    Column("alert_report_col_open_violations", 14, "int"),
)


def _naive_local(value: datetime) -> datetime:
    return to_local(value).replace(tzinfo=None)


def unit_rows(ctx: ReportContext) -> Iterator[tuple]:
    """One row per unit, then the total."""
    level = LEVEL_LABELS.get(ctx.alert.level, ctx.alert.level)
    head = (level, ctx.alert.notice_number, _naive_local(ctx.start), _naive_local(ctx.end))
    for row in ctx.figures:
        yield (row.name_zh, *head, *(getattr(row, name) for name in FIGURES))
    yield (translate("alert_report_total", ZH), *head,
           *(sum(getattr(row, name) for row in ctx.figures) for name in FIGURES))


SHEET = Sheet(translate("alert_report_sheet", ZH), COLUMNS, unit_rows)


def report_context(alert: Alert, figures: list[UnitFigures]) -> ReportContext:
    start, end = period(alert)
    return ReportContext(alert, start, end, figures)


def write_report(ctx: ReportContext, target: str | IO[bytes]) -> dict[str, int]:
    return write_xlsx(ctx, target, [SHEET])


def filename(alert: Alert) -> str:
    return f"alert-report-{alert.id}-{to_local(alert.starts_at):%Y%m%d}.xlsx"

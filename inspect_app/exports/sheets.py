"""The sheets of the weekly export, each a small spec: name, columns, and a row generator.

Adding a sheet (e.g. 渣土车 for muck trucks) means writing one ``rows`` function and appending a
:class:`Sheet` to :data:`SHEETS`; the XLSX writer needs no change. Cell values are plain Python:
``str``, ``int``/``float``, naive Beijing-time ``datetime`` (written as real Excel dates) or None.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from inspect_app.core.i18n import translate
from inspect_app.exports.queries import (
    ExportContext,
    cases_stmt,
    effective_status,
    local_naive,
    photo_url,
    scores_stmt,
    stream,
    unit_summary,
    violations_stmt,
)
from inspect_app.scoring.labels import grade_label

ZH = "zh-CN"  # the export is a document for the district office: always Chinese


@dataclass(frozen=True)
class Column:
    header: str  # message code of the header
    width: float  # Excel column width in characters (a CJK character counts about 2)
    kind: str = "text"  # text | int | float | datetime | multiline


@dataclass(frozen=True)
class Sheet:
    name: str  # worksheet title as the district names it (Excel limit: 31 characters)
    columns: tuple[Column, ...]
    rows: Callable[[ExportContext], Iterator[tuple]]

    def headers(self) -> list[str]:
        return [translate(column.header, ZH) for column in self.columns]


def _zh(code: str) -> str:
    return translate(code, ZH)


def violation_rows(ctx: ExportContext) -> Iterator[tuple]:
    """违规明细: one row per violation found in the week."""
    for r in stream(violations_stmt(ctx)):
        yield (r.id, r.unit, r.site, r.contractor, r.item, r.clause, local_naive(r.found_at),
               local_naive(r.deadline), _zh(f"violation_{effective_status(r.status, r.deadline, ctx.now)}"),
               r.fail_count, r.inspector, "\n".join(photo_url(ctx, p) for p in r.photo_ids or []))


def _legal_basis(items: list[dict]) -> str:
    seen: list[str] = []
    for item in items or []:
        basis = item.get("legal_basis") or {}
        text = f"{basis.get('law', '')}{basis.get('obligation_article', '')}"
        if basis.get("penalty_article"):
            text += f"、{basis['penalty_article']}"
        if text and text not in seen:
            seen.append(text)
    return "；".join(seen)


def case_rows(ctx: ExportContext) -> Iterator[tuple]:
    """处罚移送: one row per penalty case queued in the week."""
    for r in stream(cases_stmt(ctx)):
        yield (r.case_number, r.unit, r.site, r.contractor, local_naive(r.created_at), _zh(f"case_{r.status}"),
               _zh(f"authority_{r.authority}"), "；".join(i.get("text_zh", "") for i in r.items or []),
               _legal_basis(r.items), r.fine_min, r.fine_max, len(r.photo_ids or []))


def score_rows(ctx: ExportContext) -> Iterator[tuple]:
    """工地评分: one row per counted site inspection finished in the week."""
    for r in stream(scores_stmt(ctx)):
        yield (local_naive(r.finished_at), r.unit, r.site, r.contractor, r.inspector, r.score,
               grade_label(r.grade, locale=ZH) or None, _zh("export_yes" if r.vetoed else "export_no"),
               len(r.flags or []), _zh(f"export_review_{r.review_status}"))


def unit_rows(ctx: ExportContext) -> Iterator[tuple]:
    """分街道汇总: one row per unit in scope, then the total."""
    totals = {"inspections": 0, "score_sum": 0.0, "scored": 0, "violations": 0, "overdue": 0, "cases": 0}
    lowest = None
    for row in unit_summary(ctx):
        for key in totals:
            totals[key] += row[key]
        if row["min_score"] is not None:
            lowest = row["min_score"] if lowest is None else min(lowest, row["min_score"])
        yield _unit_line(row["unit"], row, row["min_score"])
    yield _unit_line(_zh("export_total"), totals, lowest)


def _unit_line(name: str, figures: dict, lowest) -> tuple:
    average = round(figures["score_sum"] / figures["scored"], 1) if figures["scored"] else None
    return (name, figures["inspections"], average, lowest, figures["violations"], figures["overdue"],
            figures["cases"])


C = Column
VIOLATIONS = Sheet("违规明细", (
    C("export_col_violation_id", 10, "int"), C("export_col_unit", 16), C("export_col_site", 30),
    C("export_col_contractor", 30), C("export_col_item", 50), C("export_col_clause", 22),
    C("export_col_found_at", 17, "datetime"), C("export_col_deadline", 17, "datetime"),
    C("export_col_status", 12), C("export_col_fail_count", 10, "int"), C("export_col_inspector", 12),
    C("export_col_photos", 60, "multiline"),
), violation_rows)

CASES = Sheet("处罚移送", (
    C("export_col_case_number", 28), C("export_col_unit", 16), C("export_col_site", 30),
    C("export_col_contractor", 30), C("export_col_created_at", 17, "datetime"), C("export_col_status", 10),
    C("export_col_authority", 22), C("export_col_case_items", 50), C("export_col_legal_basis", 50),
    C("export_col_fine_min", 14, "float"), C("export_col_fine_max", 14, "float"),
    C("export_col_photo_count", 12, "int"),
), case_rows)

SCORES = Sheet("工地评分", (
    C("export_col_inspected_at", 17, "datetime"), C("export_col_unit", 16), C("export_col_site", 30),
    C("export_col_contractor", 30), C("export_col_inspector", 12), C("export_col_score", 8, "float"),
    C("export_col_grade", 8), C("export_col_vetoed", 10), C("export_col_flags", 12, "int"),
    C("export_col_review_status", 10),
), score_rows)

UNITS = Sheet("分街道汇总", (
    C("export_col_unit", 16), C("export_col_inspections", 10, "int"), C("export_col_avg_score", 10, "float"),
    C("export_col_min_score", 10, "float"), C("export_col_violations", 10, "int"),
    C("export_col_overdue", 10, "int"), C("export_col_cases", 10, "int"),
), unit_rows)

SHEETS: list[Sheet] = [VIOLATIONS, CASES, SCORES, UNITS]

"""The sheets of the weekly export, each a small spec: name, columns, and a row generator.

Adding a sheet means writing one ``rows`` function and appending a :class:`Sheet` to
:data:`SHEETS`; the writers need no change. A feature's sheet may live in its own module built on
:mod:`inspect_app.exports.sheet_spec` (``complaint_sheet``: 投诉处置). Cell values are plain Python: ``str``,
``int``/``float``, naive Beijing-time ``datetime`` (written as real Excel dates) or None.

Photos: a sheet with ``photos`` ends in as many 照片1, 照片2 … columns as the week's row with the
most photos needs (``photos(ctx)``, one query), and each row ends with one signed link per photo
(see :mod:`inspect_app.exports.links`): in XLSX each is a clickable ``HYPERLINK`` cell (a sheet may
hold only 65,530 ``write_url`` links, fewer than a busy week's photos; formulas have no such limit),
in CSV one address per column.

Muck trucks (渣土车) in the export:

* **渣土车** has one row per roadside check finished in the week: the truck, its filing and load,
  the failed items, the origin site, the cases it opened and where they went (区城管执法局, or
  区交管队 for overload), the photos.
* **违规明细** keeps every violation of the week, trucks' included, so its rows add up to the
  per-unit counts of 分街道汇总. A truck violation has no site: its 工地/车辆 cell reads
  ``渣土车 蒙A12345`` (filter on 渣土车 to see them) and its 施工单位/运输企业 cell names the haulage
  company. Its 整改期限 is empty: the truck rules set no rectification period (see
  ``queries.rectification_deadline``), so it is never overdue by the clock. A violation a truck
  caused at its origin site (unwashed, unsealed at the gate) is that site's and is listed as one.
* **处罚移送** lists trucks' cases with the same two cells; the authority column says whether the
  case went to the bureau or to the traffic police.
"""
from __future__ import annotations

from collections.abc import Iterator

from inspect_app.core.timeutil import to_local
from inspect_app.core.wording import flag_text
from inspect_app.exports.queries import (
    CASE_YIELD_PER,
    ExportContext,
    batched,
    cases_stmt,
    load_lookups,
    local_from_epoch,
    local_naive,
    most_truck_check_photos,
    most_violation_photos,
    notice_details,
    notices_stmt,
    photo_urls,
    rectification_deadline,
    scores_stmt,
    stream,
    truck_check_details,
    truck_checks_stmt,
    unit_summary,
    violations_stmt,
)
from inspect_app.exports.complaint_sheet import COMPLAINTS
from inspect_app.exports.sheet_spec import ZH, Column, Sheet, photo_columns  # noqa: F401  (re-exported)
from inspect_app.exports.sheet_spec import texts as _texts
from inspect_app.exports.sheet_spec import zh as _zh
from inspect_app.penalties.models import AUTHORITIES, CASE_STATUSES, DECISIONS, VIOLATION_STATUSES
from inspect_app.penalties.parties import party_label
from inspect_app.scoring.labels import grade_label
from inspect_app.sites.models import Site
from inspect_app.suspensions.queries import suspension_week_rows, suspensions_in_period
from inspect_app.today.weekly import units_of, week_coverage
from inspect_app.auth.queries import scope_to_units
from inspect_app.extensions import db

def truck_label(plate: str | None) -> str:
    """What stands in the site column for a truck: ``渣土车 蒙A12345``."""
    return _zh("export_truck_label", plate=plate or "")


def _note(text: str | None) -> str | None:
    return text.strip() or None if text else None


def violation_rows(ctx: ExportContext) -> Iterator[tuple]:
    """违规明细: one row per violation found in the week (see the module docstring for trucks)."""
    look = load_lookups()
    units, sites, items, users, companies = look.units, look.sites, look.items, look.users, look.companies
    status_text = _texts("violation_", VIOLATION_STATUSES)
    now = ctx.now_epoch
    no_item = (None, None)
    for (violation_id, unit_id, site_id, plate, company_id, item_id, _key, found, deadline, status,
         fail_count, inspector_id, inspection_id, note, photo_ids, _lat, _lon) in stream(violations_stmt(ctx)):
        if site_id is not None:
            site, contractor = sites[site_id][:2]
        else:
            site, contractor = truck_label(plate), companies.get(company_id)
            deadline = rectification_deadline(site_id, found, deadline)
        text, clause = items.get(item_id, no_item)
        if status == "open" and deadline is not None and deadline < now:
            status = "overdue"
        yield (violation_id, units.get(unit_id), site, contractor, text, clause, local_from_epoch(found),
               local_from_epoch(deadline), status_text[status], fail_count, users.get(inspector_id),
               _note(note), *photo_urls(ctx, inspection_id, photo_ids))


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
    """处罚移送: one row per penalty case queued in the week, sites' and trucks' alike."""
    look = load_lookups()
    status_text = _texts("case_", CASE_STATUSES)
    authority_text = _texts("authority_", AUTHORITIES)
    decision_text = _texts("decision_", DECISIONS)
    for (number, unit_id, site_id, plate, party_name, party, created, status, authority, items, fine_min,
         fine_max, photo_ids, decision, fine_amount, amounts, decision_number, decision_date, paid_on,
         receipt) in stream(cases_stmt(ctx), CASE_YIELD_PER):
        site = look.sites[site_id][0] if site_id is not None else truck_label(plate) if plate else None
        yield (number, look.units.get(unit_id), site, party_label(party, party_name, "zh-CN") if party_name else None,
               local_from_epoch(created), status_text[status],
               authority_text.get(authority, authority), "；".join(i.get("text_zh", "") for i in items or []),
               _legal_basis(items), _yuan(fine_min), _yuan(fine_max), len(photo_ids or []),
               decision_text.get(decision, decision), _yuan(fine_amount), _amounts_text(items, amounts),
               decision_number, _iso(decision_date), _iso(paid_on), receipt)


def _amounts_text(items, amounts) -> str | None:
    """逐项罚款: each violation's fine, ``扬尘…：20,000元；抛洒…：6,000元`` (a case is not one range)."""
    if not amounts:
        return None
    names = {item["item_key"]: item.get("text_zh") or item["item_key"] for item in items or []}
    return "；".join(f"{names.get(a['item_key'], a['item_key'])}：{a['amount']:,.0f}元" for a in amounts)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _yuan(amount) -> int | None:
    """Fines are whole yuan (the checklist files hold integers; JSON and Float columns turn them into
    10000.0)."""
    return None if amount is None else int(round(amount))


def score_rows(ctx: ExportContext) -> Iterator[tuple]:
    """工地评分: one row per counted site inspection finished in the week."""
    look = load_lookups()
    grades: dict = {}
    yes, no = _zh("export_yes"), _zh("export_no")
    review_text = _texts("export_review_", ("submitted", "approved", "has_issues", "rejected"))
    for finished, unit_id, site_id, inspector_id, score, grade, vetoed, flags, review in stream(scores_stmt(ctx)):
        if grade not in grades:
            grades[grade] = grade_label(grade, locale=ZH) or None
        site, contractor = look.sites[site_id][:2]
        yield (local_from_epoch(finished), look.units.get(unit_id), site, contractor, look.users.get(inspector_id),
               score, grades[grade], yes if vetoed else no, len(flags or []), review_text.get(review, review),
               flag_lines(flags))


def flag_lines(flags) -> str | None:
    """The flags in words, one a line, through the one flag wording (Beijing time, m/km); photo flags
    name their photo so the sentence stays attached to the picture it concerns."""
    lines = []
    for flag in flags or []:
        text = flag_text(flag, ZH)
        photo = flag.get("photo_id")
        lines.append(_zh("export_flag_photo", photo=str(photo)[:8], text=text) if photo else text)
    return "\n".join(dict.fromkeys(lines)) or None


def truck_rows(ctx: ExportContext) -> Iterator[tuple]:
    """渣土车: one row per roadside check finished in the week; items and cases fetched per batch."""
    look = load_lookups()
    colour_text = _texts("export_plate_colour_", ("yellow", "green", "blue", "yellow_green", "other"))
    filing_text = _texts("export_filing_", ("unknown", "unfiled", "expired", "revoked", "inactive"))
    filed = _zh("export_filing_ok")
    source_text = _texts("export_load_", ("measured", "estimated"))
    authority_text = _texts("authority_", AUTHORITIES)
    review_text = _texts("export_review_", ("submitted", "approved", "has_issues", "rejected"))
    for batch in batched(stream(truck_checks_stmt(ctx))):
        results, cases = truck_check_details([row[0] for row in batch])
        for (inspection_id, unit_id, finished, plate, colour, company_id, approval, filing_problem, rated, load,
             source, overloaded, ratio, origin_site_id, inspector_id, review) in batch:
            answers = results.get(inspection_id, [])
            failed = [look.items.get(item_id, (None,))[0] or "" for item_id, outcome, applicable, _, _ in answers
                      if outcome == "fail" and applicable]
            photos = [photo for *_, photo_ids, _ in answers for photo in photo_ids or []]
            notes = [text for text in (_note(note) for *_, note in answers) if text]
            opened = cases.get(inspection_id, [])
            yield (look.units.get(unit_id), local_from_epoch(finished), plate, colour_text.get(colour, colour),
                   look.companies.get(company_id), approval,
                   filed if filing_problem is None else filing_text.get(filing_problem, filing_problem),
                   rated, load, source_text.get(source), ratio if overloaded else None,
                   "\n".join(failed) or None,
                   look.sites[origin_site_id][0] if origin_site_id is not None else None,
                   look.users.get(inspector_id),
                   "\n".join(number for number, _ in opened) or None,
                   "\n".join(authority_text.get(a, a) for _, a in opened) or None,
                   review_text.get(review, review), "\n".join(notes) or None,
                   *photo_urls(ctx, inspection_id, photos))


def notice_rows(ctx: ExportContext) -> Iterator[tuple]:
    """整改通知书: one row per notice issued in the week: served how and when, deadline, the latest
    follow-up (复查) and where the notice stands."""
    look = load_lookups()
    method_text = _texts("export_service_", ("signed", "refused", "mail", "left"))
    result_text = _texts("follow_up_result_", ("passed", "failed", "partial"))
    for batch in batched(stream(notices_stmt(ctx))):
        for detail in notice_details([row[0] for row in batch]):
            notice, service, task = detail["notice"], detail["service"], detail["task"]
            site = look.sites[notice.site_id][0] if notice.site_id is not None else truck_label(notice.plate)
            deadlines = sorted({item["deadline_date"] for item in notice.content["items"]})
            visit = task.visits[-1] if task is not None and task.visits else None
            yield (notice.number, site, look.units.get(notice.unit_id), local_naive(notice.issued_at),
                   method_text.get(service.method) if service else None,
                   local_naive(service.served_at) if service else None, "\n".join(deadlines),
                   local_naive(visit.visited_at) if visit else None, result_text[visit.result] if visit else None,
                   _notice_status(notice, task, detail["items"], ctx))


def _notice_status(notice, task, items: dict[str, str], ctx: ExportContext) -> str:
    """作废 / 已整改 / 逾期未整改（已立案） / 已逾期 / 整改中, as of the export."""
    if notice.status == "void":
        return _zh("export_notice_void")
    if items and all(status == "closed" for status in items.values()):
        return _zh("export_notice_rectified")
    if task is not None and task.outcome == "escalated":
        return _zh("export_notice_escalated")
    today = local_naive(ctx.now).date()
    late = any(status == "overdue" or (status == "open" and item["deadline_date"] < today.isoformat())
               for item in notice.content["items"] for status in [items.get(item["item_key"], "open")])
    return _zh("export_notice_overdue" if late else "export_notice_open")


def unit_rows(ctx: ExportContext) -> Iterator[tuple]:
    """分街道汇总: one row per unit in scope, then the total."""
    totals = {"inspections": 0, "score_sum": 0.0, "scored": 0, "violations": 0, "overdue": 0, "cases": 0,
              "truck_checks": 0}
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
            figures["cases"], figures["truck_checks"])


C = Column
VIOLATIONS = Sheet("违规明细", (
    C("export_col_violation_id", 10, "int"), C("export_col_unit", 16), C("export_col_site_or_truck", 30),
    C("export_col_contractor_or_company", 30), C("export_col_item", 50), C("export_col_clause", 22),
    C("export_col_found_at", 17, "datetime"), C("export_col_deadline", 17, "datetime"),
    C("export_col_status", 12), C("export_col_fail_count", 10, "int"), C("export_col_inspector", 12),
    C("export_col_note", 40, "multiline"),
), violation_rows, most_violation_photos)

CASES = Sheet("处罚移送", (
    C("export_col_case_number", 28), C("export_col_unit", 16), C("export_col_site_or_truck", 30),
    C("export_col_party", 34), C("export_col_created_at", 17, "datetime"), C("export_col_status", 10),
    C("export_col_authority", 22), C("export_col_case_items", 50), C("export_col_legal_basis", 50),
    C("export_col_fine_min", 14, "money"), C("export_col_fine_max", 14, "money"),
    C("export_col_photo_count", 12, "int"),
    # the bureau's decision (issue 10): outcome, total and per violation, 决定书文号 and date, payment
    C("export_col_decision", 18), C("export_col_fine_amount", 14, "money"),
    C("export_col_fine_per_violation", 50, "multiline"), C("export_col_decision_number", 28),
    C("export_col_decision_date", 12), C("export_col_paid_on", 12), C("export_col_receipt_number", 18),
), case_rows)

SCORES = Sheet("工地评分", (
    C("export_col_inspected_at", 17, "datetime"), C("export_col_unit", 16), C("export_col_site", 30),
    C("export_col_contractor", 30), C("export_col_inspector", 12), C("export_col_score", 8, "float"),
    C("export_col_grade", 8), C("export_col_vetoed", 10), C("export_col_flags", 12, "int"),
    C("export_col_review_status", 10), C("export_col_flag_texts", 60, "multiline"),
), score_rows)

TRUCKS = Sheet("渣土车", (
    C("export_col_unit", 16), C("export_col_checked_at", 17, "datetime"), C("export_col_plate", 12),
    C("export_col_plate_colour", 10), C("export_col_company", 30), C("export_col_approval_number", 20),
    C("export_col_filing", 14), C("export_col_rated_load", 12, "tonnes"), C("export_col_load", 10, "tonnes"),
    C("export_col_load_source", 10), C("export_col_overload_ratio", 10, "percent"),
    C("export_col_failed_items", 40, "multiline"), C("export_col_origin_site", 30),
    C("export_col_inspector", 12), C("export_col_case_number", 30, "multiline"),
    C("export_col_authority", 14, "multiline"), C("export_col_review_status", 10),
    C("export_col_note", 40, "multiline"),
), truck_rows, most_truck_check_photos)

NOTICES = Sheet("整改通知书", (
    C("export_col_notice_number", 28), C("export_col_site_or_truck", 30), C("export_col_unit", 16),
    C("export_col_issued_at", 17, "datetime"), C("export_col_service_method", 10),
    C("export_col_served_at", 17, "datetime"), C("export_col_deadline_dates", 12, "multiline"),
    C("export_col_follow_up_at", 17, "datetime"), C("export_col_follow_up_result", 10),
    C("export_col_notice_status", 18),
), notice_rows)

UNITS = Sheet("分街道汇总", (
    C("export_col_unit", 16), C("export_col_inspections", 10, "int"), C("export_col_avg_score", 10, "float"),
    C("export_col_min_score", 10, "float"), C("export_col_violations", 10, "int"),
    C("export_col_overdue", 10, "int"), C("export_col_cases", 10, "int"), C("export_col_truck_checks", 10, "int"),
), unit_rows)

SHEETS: list[Sheet] = [VIOLATIONS, CASES, SCORES, TRUCKS, NOTICES, UNITS]


def suspension_rows(ctx: ExportContext) -> Iterator[tuple]:
    """停工工地: one row per site under a stop-work order at some moment of the week, with the days
    (Beijing calendar dates) it was suspended in the week; resumed sites show when they resumed."""
    look = load_lookups()
    stmt = suspensions_in_period(ctx.start, ctx.end)
    if ctx.user is not None:
        stmt = scope_to_units(stmt, ctx.user, Site.unit_id)
    rows = suspension_week_rows(db.session.execute(stmt), ctx.start, ctx.end, ctx.now)
    for row in sorted(rows, key=lambda r: (r["unit_id"], r["site_id"])):
        site, contractor = look.sites[row["site_id"]][:2]
        yield (look.units.get(row["unit_id"]), site, contractor, "、".join(dict.fromkeys(row["numbers"])),
               local_naive(row["started_at"]), local_naive(row["ended_at"]) if row["ended_at"] else None,
               row["days"], _zh("export_suspension_open" if row["open"] else "export_suspension_resumed"))


SUSPENDED = Sheet("停工工地", (
    C("export_col_unit", 16), C("export_col_site", 30), C("export_col_contractor", 30),
    C("export_col_stop_work_order", 30), C("export_col_suspended_since", 17, "datetime"),
    C("export_col_resumed_at", 17, "datetime"), C("export_col_suspended_days", 12, "int"),
    C("export_col_status", 10),
), suspension_rows)
SHEETS.insert(SHEETS.index(UNITS), SUSPENDED)  # before the summary, which stays last


SHEETS.insert(SHEETS.index(UNITS), COMPLAINTS)


def coverage_rows(ctx: ExportContext) -> Iterator[tuple]:
    """巡查覆盖: per unit, its target and the open sites due, done, missed and pending in the week
    (see ``today/coverage.py``); then per inspector, the sites a supervisor assigned them."""
    coverage = week_coverage(units_of(ctx.user), ctx.year, ctx.week, to_local(ctx.now).date())
    for unit in coverage["units"]:
        yield (_zh("export_coverage_unit"), unit["name_zh"], unit["every_days"], *_figures(unit))
    for person in coverage["inspectors"]:
        yield (_zh("export_col_inspector"), person["display_name"], None, *_figures(person))


def _figures(row: dict) -> tuple:
    rate = row["done"] / row["due"] if row["due"] else None
    return row["due"], row["done"], row["missed"], row["pending"], rate


COVERAGE = Sheet("巡查覆盖", (
    C("export_col_coverage_scope", 12), C("export_col_coverage_name", 20),
    C("export_col_coverage_target", 14, "int"), C("export_col_coverage_due", 8, "int"),
    C("export_col_coverage_done", 8, "int"), C("export_col_coverage_missed", 8, "int"),
    C("export_col_coverage_pending", 8, "int"), C("export_col_coverage_rate", 10, "percent"),
), coverage_rows)
SHEETS.insert(SHEETS.index(UNITS), COVERAGE)  # before the summary, which stays last

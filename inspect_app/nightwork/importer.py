"""Importing night-work permits (夜间施工证明) from CSV or XLSX, as the vehicle registry is imported.

All or nothing: every row is checked first; if any is refused nothing is written and the report names
each refused row and column. Otherwise each permit is matched by site and 证明编号 — a known permit is
updated to the row, a new one created (each audited). Headers are Chinese (English accepted):
工地 or 工地编号 (the site's name, id or 施工许可证号), 证明编号, 发证机关, 起始日期, 截止日期, 时段
(22:00–06:00), 作业内容, 备注. A supervisor imports only for the sites of their units.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from inspect_app.auth.queries import user_may_see_unit
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, ValidationFailed
from inspect_app.core.spreadsheet import (HEADER_SEARCH_ROWS, Columns, Header, ImportRefused, RowError,
                                          cell_text, parse_date, read_table, rows_with_errors)
from inspect_app.extensions import db
from inspect_app.nightwork import messages  # noqa: F401  (registers strings)
from inspect_app.nightwork.models import NightPermit
from inspect_app.nightwork.operations import FIELDS, permit_summary
from inspect_app.nightwork.queries import permits_by_site_and_number, sites_for_import
from inspect_app.nightwork.rules import parse_hours

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
CODE = "import"  # whole-file refusals: the shared import_* codes of core.spreadsheet

COLUMNS = Columns({
    "site": ("工地", "工地名称", "项目名称", "site", "site name"),
    "site_code": ("工地编号", "施工许可证号", "site id", "site number", "site no"),
    "number": ("证明编号", "夜间施工证明编号", "编号", "permit number", "permit no", "number"),
    "issuing_office": ("发证机关", "发证单位", "issuing office", "issued by"),
    "valid_from": ("起始日期", "开始日期", "有效期起", "valid from", "from"),
    "valid_to": ("截止日期", "结束日期", "有效期至", "valid to", "to", "until"),
    "hours": ("时段", "施工时段", "作业时段", "hours", "permitted hours"),
    "works": ("作业内容", "施工内容", "works", "works covered"),
    "note": ("备注", "note", "notes"),
}, required=("number", "issuing_office", "valid_from", "valid_to", "hours"), key="number", code=CODE)
_MAX_LENGTH = {"number": 60, "issuing_office": 120, "works": 500, "note": 500}


class PermitImportRefused(ImportRefused):
    code = "night_permit_import_refused"


@dataclass
class ImportReport:
    dry_run: bool
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)


class _Row:
    """One row's cells → permit values, collecting a RowError per refused cell."""

    def __init__(self, number: int, cells: dict, header: Header, actor, sites):
        self.number, self.cells, self.header, self.actor, self.sites = number, cells, header, actor, sites
        self.values: dict = {}
        self.errors: list[RowError] = []

    def refuse(self, name: str, code: str, raw, **params) -> None:
        column = self.header.display.get(name) or COLUMNS.columns[name][0]
        self.errors.append(RowError(self.number, column, code, params, cell_text(raw) or None))

    def parse(self) -> dict:
        self._site()
        for name in ("number", "issuing_office", "works", "note"):
            self._text(name, required=name in ("number", "issuing_office"))
        for name in ("valid_from", "valid_to"):
            self._date(name)
        if self.values.get("valid_from") and self.values.get("valid_to") \
                and self.values["valid_to"] < self.values["valid_from"]:
            self.refuse("valid_to", "night_permit_dates_out_of_order", self.cells["valid_to"])
        self._hours()
        return self.values

    def _site(self) -> None:
        by_name, by_code = self.sites
        name = "site_code" if cell_text(self.cells.get("site_code")) else "site"
        raw = self.cells.get(name)
        text = cell_text(raw)
        if not text:
            self.refuse(name, "import_required", raw, column=self.header.display.get(name, "工地"))
            return
        matches = [by_code[text]] if name == "site_code" and text in by_code else by_name.get(text, [])
        if not matches:
            self.refuse(name, "night_permit_import_unknown_site", raw, site=text)
        elif len(matches) > 1:
            self.refuse(name, "night_permit_import_ambiguous_site", raw, site=text, count=len(matches))
        elif not user_may_see_unit(self.actor, matches[0].unit_id):
            self.refuse(name, "night_permit_import_site_not_yours", raw, site=text)
        else:
            self.values["site"] = matches[0]

    def _text(self, name: str, *, required: bool) -> None:
        raw = self.cells.get(name)
        text = cell_text(raw) if isinstance(raw, (int, float)) else str(raw or "").strip()
        if required and not text:
            self.refuse(name, "import_required", raw, column=self.header.display[name])
        elif len(text) > _MAX_LENGTH[name]:
            self.refuse(name, "import_too_long", text, max=_MAX_LENGTH[name])
        self.values[name] = text or None

    def _date(self, name: str) -> None:
        raw = self.cells.get(name)
        try:
            value = parse_date(raw)
        except ValueError:
            self.refuse(name, "import_bad_date", raw, value=cell_text(raw))
            return
        if value is None:
            self.refuse(name, "import_required", raw, column=self.header.display[name])
        self.values[name] = value

    def _hours(self) -> None:
        raw = self.cells.get("hours")
        try:
            self.values["start_time"], self.values["end_time"] = parse_hours(cell_text(raw))
        except ValueError:
            self.refuse("hours", "night_permit_bad_hours", raw, value=cell_text(raw))


def parse_rows(rows, actor, sites) -> tuple[Header, list[tuple[int, dict]], list[RowError]]:
    """Check every row; the good rows' values and every refusal (a repeated site + number too)."""
    header = COLUMNS.locate(rows, MAX_ROWS)
    if "site" not in header.positions and "site_code" not in header.positions:
        raise ValidationFailed(f"{CODE}_missing_columns", columns="工地/工地编号")
    good, errors, first_row = [], [], {}
    for number, values in rows[header.index + 1:]:
        row = _Row(number, header.cells(values), header, actor, sites)
        parsed = row.parse()
        key = (parsed["site"].id, parsed["number"]) if parsed.get("site") and parsed.get("number") else None
        if key in first_row:
            row.refuse("number", "night_permit_import_duplicate", row.cells["number"],
                       first_row=first_row[key], number=key[1])
        elif key:
            first_row[key] = number
        if row.errors:
            errors.extend(row.errors)
        else:
            good.append((number, parsed))
    return header, good, errors


def import_permits(actor, data: bytes, *, dry_run: bool = False) -> ImportReport:
    """Validate the whole file, then create or update every permit by site and number — or refuse it all.

    Raises :class:`PermitImportRefused` (422, each row named) before anything is written if any row is
    refused, a row naming a revoked permit included. Every change is audited; a permit recorded by someone
    else at the same moment makes the import a 409 with nothing written.
    """
    rows = read_table(data, MAX_ROWS + HEADER_SEARCH_ROWS, CODE)
    header, good, errors = parse_rows(rows, actor, sites_for_import(actor))
    existing = permits_by_site_and_number([(values["site"].id, values["number"]) for _, values in good])
    for number, values in good:  # a revoked permit stays as it was revoked, as for an edit (409 there)
        permit = existing.get((values["site"].id, values["number"]))
        if permit is not None and permit.revoked_at is not None:
            errors.append(RowError(number, header.display["number"], "night_permit_import_revoked",
                                   {"number": values["number"]}, values["number"]))
    if errors:
        errors.sort(key=lambda error: error.row)
        raise PermitImportRefused(errors, rows=len(good) + rows_with_errors(errors))
    report = ImportReport(dry_run=dry_run, rows=len(good), ignored_columns=header.ignored)
    try:
        with db.session.begin_nested():
            _write(actor, good, existing, report, dry_run)
    except IntegrityError as exc:  # another import or edit recorded the same site and number meanwhile
        raise Conflict("night_permit_import_conflict") from exc
    return report


def _write(actor, good, existing, report: ImportReport, dry_run: bool) -> None:
    """Create or update each permit of the checked rows (nothing in a dry run), audited; counts in ``report``."""
    for _, values in good:
        permit = existing.get((values["site"].id, values["number"]))
        target = {name: values[name] for name in FIELDS}
        if permit is None:
            report.created += 1
            if not dry_run:
                permit = NightPermit(site=values["site"], created_by_id=getattr(actor, "id", None), **target)
                db.session.add(permit)
                db.session.flush()
                audit.record(actor, "night_permit.create", permit, after=permit_summary(permit))
        elif all(getattr(permit, name) == value for name, value in target.items()):
            report.unchanged += 1
        else:
            report.updated += 1
            if not dry_run:
                before = permit_summary(permit)
                for name, value in target.items():
                    setattr(permit, name, value)
                db.session.flush()
                audit.record(actor, "night_permit.update", permit, before=before, after=permit_summary(permit))
    if not dry_run:
        audit.record(actor, "night_permit.import", None, object_type="night_permits", object_id="import",
                     after={"rows": report.rows, "created": report.created, "updated": report.updated,
                            "unchanged": report.unchanged})
        db.session.flush()

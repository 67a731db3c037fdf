"""Importing organisation records (单位名录) from CSV or XLSX — all or nothing, row by row.

Every row is checked first (name, credit code by GB 32100-2015, no code twice in the file); if any is
refused nothing is written and the report names each row and column (``core.spreadsheet``). A row
updates the record with its credit code, else the one live record of its name, else creates one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from inspect_app.core import audit
from inspect_app.core.errors import DomainError
from inspect_app.core.spreadsheet import (HEADER_SEARCH_ROWS, Columns, ImportRefused, RowError, cell_text,
                                          read_table, rows_with_errors, write_table)
from inspect_app.extensions import db
from inspect_app.organisations import messages  # noqa: F401  (registers strings)
from inspect_app.organisations.models import Organisation
from inspect_app.organisations.operations import checked_credit_code, create_organisation, update_organisation
from inspect_app.organisations.queries import get_by_credit_code, live_by_name

MAX_ROWS = 5_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
CODE = "organisation_import"
COLUMNS = {
    "name": ("单位名称", "名称", "企业名称", "name", "organisation"),
    "credit_code": ("统一社会信用代码", "信用代码", "credit code", "unified social credit code"),
    "address": ("地址", "住所", "address"),
    "contact_name": ("联系人", "contact", "contact name"),
    "contact_phone": ("联系电话", "电话", "phone", "contact phone"),
}
_MAX_LENGTH = {"name": 120, "address": 200, "contact_name": 60, "contact_phone": 30}
COLUMN_SET = Columns(COLUMNS, required=("name",), key="name", code=CODE)


class OrganisationImportRefused(ImportRefused):
    code = "organisation_import_refused"


@dataclass
class OrganisationImportReport:
    dry_run: bool
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored_columns: list[str] = field(default_factory=list)


def text_cell(raw) -> str:
    """A text cell as written (trimmed; not NFKC-folded: names keep their full-width brackets)."""
    return cell_text(raw) if isinstance(raw, (int, float)) else str(raw or "").strip()


def _parse(rows) -> tuple[list[tuple[int, dict]], list[RowError], list[str]]:
    header = COLUMN_SET.locate(rows, MAX_ROWS)
    parsed, errors, first_row_of_code = [], [], {}
    for number, values in rows[header.index + 1:]:
        cells, row_errors, out = header.cells(values), [], {}
        for name in COLUMNS:
            if name not in cells:
                continue
            text = text_cell(cells[name])
            if len(text) > _MAX_LENGTH.get(name, 40):
                row_errors.append(RowError(number, header.display[name], "import_too_long",
                                           {"max": _MAX_LENGTH[name]}, text))
            out[name] = text or None
        if not out.get("name"):
            row_errors.append(RowError(number, header.display["name"], "import_required",
                                       {"column": header.display["name"]}, None))
        if out.get("credit_code"):
            try:
                out["credit_code"] = checked_credit_code(out["credit_code"])
            except DomainError as err:
                row_errors.append(RowError(number, header.display["credit_code"], err.code, err.params,
                                           out["credit_code"]))
            else:
                if out["credit_code"] in first_row_of_code:
                    row_errors.append(RowError(number, header.display["credit_code"],
                                               "organisation_import_duplicate_code",
                                               {"first_row": first_row_of_code[out["credit_code"]]},
                                               out["credit_code"]))
                first_row_of_code.setdefault(out["credit_code"], number)
        errors.extend(row_errors)
        if not row_errors:
            parsed.append((number, out))
    return parsed, errors, header.ignored


def import_organisations(actor, data: bytes, *, dry_run: bool = False) -> OrganisationImportReport:
    """Validate the whole file, then create or update every organisation — or refuse it all."""
    parsed, errors, ignored = _parse(read_table(data, MAX_ROWS + HEADER_SEARCH_ROWS, CODE))
    by_name = live_by_name()
    targets: list[tuple[Organisation | None, dict]] = []
    for number, values in parsed:
        record = get_by_credit_code(values["credit_code"]) if values.get("credit_code") else None
        if record is None:
            same_name = by_name.get(values["name"], [])
            if len(same_name) > 1:
                errors.append(RowError(number, COLUMNS["name"][0], "organisation_import_ambiguous_name",
                                       {"name": values["name"], "count": len(same_name)}, values["name"]))
                continue
            record = same_name[0] if same_name else None
            if record is not None and record.credit_code and values.get("credit_code"):
                record = None  # the name is taken by a record with another code: a different organisation
        targets.append((record, values))
    if errors:
        raise OrganisationImportRefused(errors, rows=len(parsed) + rows_with_errors(errors))
    report = OrganisationImportReport(dry_run=dry_run, rows=len(parsed), ignored_columns=ignored)
    for record, values in targets:
        if record is None:
            report.created += 1
            if not dry_run:
                create_organisation(actor, values)
            continue
        changes = {k: v for k, v in values.items() if getattr(record, k) != v}
        if not changes:
            report.unchanged += 1
            continue
        report.updated += 1
        if not dry_run:
            update_organisation(actor, record, changes)
    if not dry_run:
        audit.record(actor, "organisation.import", None, object_type="organisations", object_id="import",
                     after={"rows": report.rows, "created": report.created, "updated": report.updated})
        db.session.flush()
    return report




def export_organisations(fmt: str) -> bytes:
    """Every live organisation record with the importer's columns."""
    stmt = select(Organisation).where(Organisation.merged_into_id.is_(None)).order_by(Organisation.name)
    rows = [[getattr(org, name) for name in COLUMNS] for org in db.session.scalars(stmt)]
    return write_table("单位名录", [aliases[0] for aliases in COLUMNS.values()], rows, fmt)

"""Importing the vehicle filing list (渣土车备案名单) from CSV or XLSX.

All or nothing: every row is validated first; if any row is refused nothing is written and the
report lists each refusal by spreadsheet row number and column. Otherwise vehicles are upserted
by normalised plate. The file is authoritative for the columns it has: a blank cell clears the
field (except 车牌颜色, which then keeps or defaults), a missing column leaves the field alone,
and a listed vehicle is active. Vehicles missing from the file are not touched. Companies named
in 运输企业 that the registry does not know yet are created; site names must already exist.

Reading and checking (``read_table``, ``parse_rows``) are pure; ``import_vehicles`` is the one
operation that writes.
"""
from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from inspect_app.core import audit
from inspect_app.core.errors import DomainError, UnsupportedMediaType, ValidationFailed
from inspect_app.core.i18n import translate
from inspect_app.extensions import db
from inspect_app.sites.models import Site
from inspect_app.trucks import messages  # noqa: F401  (registers strings)
from inspect_app.trucks.models import Vehicle
from inspect_app.trucks.operations import MAX_RATED_LOAD_T, create_company, vehicle_summary
from inspect_app.trucks.plates import check_plate_colour, validate_plate
from inspect_app.trucks.queries import companies_by_name, site_ids_by_name, vehicles_by_plate

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_REPORTED_ERRORS = 200
_HEADER_SEARCH_ROWS = 10  # a title row such as “回民区渣土车备案名单” may sit above the header

# Canonical column → accepted headers (compared after _header_key). The first is the display name.
COLUMNS = {
    "plate": ("车牌号", "车牌号码", "号牌号码", "车牌", "plate", "plate number", "plate no"),
    "plate_colour": ("车牌颜色", "号牌颜色", "plate colour", "plate color", "colour", "color"),
    "company": ("运输企业", "所属企业", "运输公司", "company", "haulage company"),
    "approval_number": ("核准编号", "核准证号", "approval number", "approval no"),
    "rated_load_t": ("核定载质量(吨)", "核定载质量", "核定载重(吨)", "rated load (t)", "rated load t",
                     "rated load"),
    "filing_status": ("备案状态", "filing status", "status"),
    "filing_expires_on": ("备案有效期", "备案有效期至", "有效期至", "filing expires on",
                          "filing expires", "filing expiry"),
    "sites": ("服务工地", "工地", "served sites", "sites"),
}
REQUIRED_COLUMNS = ("plate", "rated_load_t", "filing_status")
_MAX_LENGTH = {"company": 120, "approval_number": 60}

_COLOURS = {
    "黄": "yellow", "黄色": "yellow", "黄牌": "yellow", "yellow": "yellow",
    "绿": "green", "绿色": "green", "渐变绿": "green", "渐变绿色": "green", "green": "green",
    "蓝": "blue", "蓝色": "blue", "蓝牌": "blue", "blue": "blue",
    "黄绿": "yellow_green", "黄绿色": "yellow_green", "黄绿双拼": "yellow_green",
    "黄绿双拼色": "yellow_green", "yellowgreen": "yellow_green",
    "其他": "other", "其它": "other", "other": "other",
}
_STATUSES = {
    "已备案": "filed", "备案": "filed", "有效": "filed", "filed": "filed",
    "未备案": "unfiled", "unfiled": "unfiled", "notfiled": "unfiled",
    "已过期": "expired", "过期": "expired", "expired": "expired",
    "已撤销": "revoked", "撤销": "revoked", "已注销": "revoked", "注销": "revoked", "revoked": "revoked",
}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_UNITS_SUFFIX = re.compile(r"\s*(吨|t|T)$")


class VehicleImportRefused(ValidationFailed):
    """At least one row is refused; ``details`` lists every refusal (up to a cap)."""

    code = "vehicle_import_refused"

    def __init__(self, errors: list[RowError], rows: int):
        shown = [error.as_json() for error in errors[:MAX_REPORTED_ERRORS]]
        super().__init__(details={"errors": shown, "error_count": len(errors), "rows": rows},
                         count=len(errors))
        self.errors = errors


@dataclass
class RowError:
    """One refusal: spreadsheet row (header is row 1 unless a title sits above), column, reason."""

    row: int
    column: str | None
    code: str
    params: dict = field(default_factory=dict)
    value: str | None = None

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "code": self.code,
                "message": translate(self.code, **self.params), "value": self.value}


@dataclass
class ParsedRow:
    """One valid row: its number and the canonical fields present in the file."""

    row: int
    values: dict


@dataclass
class ParseResult:
    columns: list[str]
    ignored_columns: list[str]
    rows: list[ParsedRow]
    errors: list[RowError]


@dataclass
class ImportReport:
    dry_run: bool
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    companies_created: int = 0
    ignored_columns: list[str] = field(default_factory=list)


# --- reading the file --------------------------------------------------------------------------

def read_table(data: bytes) -> list[tuple[int, list]]:
    """The file's rows as (row number, cell values); XLSX is recognised by content, else CSV."""
    if not data or not data.strip():
        raise ValidationFailed("vehicle_import_empty")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnsupportedMediaType("vehicle_import_xls_unsupported")
    return _read_csv(_decode(data))


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel “Unicode text”), else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ValidationFailed("vehicle_import_unreadable")


def _read_csv(text: str) -> list[tuple[int, list]]:
    head = text[:4096]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _limited(enumerate(reader, start=1))
    except csv.Error as exc:
        raise ValidationFailed("vehicle_import_unreadable") from exc


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    """The first sheet, read-only (streamed) and with cached formula results."""
    import openpyxl  # imported here: only imports of XLSX files need it

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and data validation it does not keep; none matter here.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                return _limited(enumerate(sheet.iter_rows(values_only=True), start=1))
            finally:
                book.close()
    except DomainError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError) as exc:
        raise ValidationFailed("vehicle_import_unreadable") from exc


def _limited(numbered_rows) -> list[tuple[int, list]]:
    """Non-blank rows, refusing files with more data rows than an import should carry."""
    rows = []
    for number, values in numbered_rows:
        values = list(values)
        if any(_cell_text(v) for v in values):
            rows.append((number, values))
            if len(rows) > MAX_ROWS + _HEADER_SEARCH_ROWS:
                raise ValidationFailed("vehicle_import_too_many_rows", max=MAX_ROWS)
    return rows


# --- checking rows -----------------------------------------------------------------------------

def _header_key(text) -> str:
    folded = unicodedata.normalize("NFKC", _cell_text(text)).lower()
    return re.sub(r"[\s_\-*]+", "", folded)


def _cell_text(value) -> str:
    """A cell as trimmed text; integral floats lose their “.0” (Excel stores numbers as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


_ALIASES = {_header_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


def _find_header(rows: list[tuple[int, list]]) -> int:
    """Index of the header row: the first of the leading rows that names the plate column."""
    for index, (_number, values) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        if any(_ALIASES.get(_header_key(v)) == "plate" for v in values):
            return index
    raise ValidationFailed("vehicle_import_no_header")


def parse_rows(rows: list[tuple[int, list]], site_index: dict[str, list[int]]) -> ParseResult:
    """Check every row against the plate rules, value lists and known site names.

    ``site_index`` maps a site name to the ids carrying it (see ``queries.site_ids_by_name``).
    """
    header_at = _find_header(rows)
    header_number, header = rows[header_at]
    positions, display, ignored = {}, {}, []
    for position, title in enumerate(header):
        name = _ALIASES.get(_header_key(title))
        if name and name not in positions:
            positions[name], display[name] = position, _cell_text(title)
        elif _cell_text(title):
            ignored.append(_cell_text(title))
    missing = [COLUMNS[name][0] for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        raise ValidationFailed("vehicle_import_missing_columns", columns="、".join(missing))
    data_rows = rows[header_at + 1:]
    if not data_rows:
        raise ValidationFailed("vehicle_import_no_rows")
    if len(data_rows) > MAX_ROWS:
        raise ValidationFailed("vehicle_import_too_many_rows", max=MAX_ROWS)
    names = {_cell_text(k): v for k, v in site_index.items()}
    result = ParseResult(columns=list(positions), ignored_columns=ignored, rows=[], errors=[])
    first_row_of_plate: dict[str, int] = {}
    for number, values in data_rows:
        cells = {name: values[pos] if pos < len(values) else None for name, pos in positions.items()}
        errors: list[RowError] = []
        parsed = _parse_row(number, cells, display, names, errors)
        plate = parsed.get("plate")
        if plate and plate in first_row_of_plate:
            errors.append(RowError(number, display["plate"], "vehicle_import_duplicate_plate",
                                   {"plate": plate, "first_row": first_row_of_plate[plate]}, plate))
        elif plate:
            first_row_of_plate[plate] = number
        if errors:
            result.errors.extend(errors)
        else:
            result.rows.append(ParsedRow(number, parsed))
    return result


def _parse_row(number, cells, display, site_names, errors) -> dict:
    """Convert one row's cells; append a RowError for every cell that is refused."""
    values: dict = {}

    def refuse(name, code, raw, **params):
        errors.append(RowError(number, display[name], code, params, _cell_text(raw) or None))

    raw_plate = cells["plate"]
    try:
        info = validate_plate(_cell_text(raw_plate))
        values["plate"], values["_plate_info"] = info.plate, info
    except ValidationFailed as err:
        refuse("plate", err.code, raw_plate, **err.params)
        info = None
    if "plate_colour" in cells:
        raw = cells["plate_colour"]
        text = _header_key(raw)
        if not text:
            values["plate_colour"] = None
        elif text not in _COLOURS:
            refuse("plate_colour", "vehicle_import_unknown_colour", raw, value=_cell_text(raw))
        else:
            values["plate_colour"] = _COLOURS[text]
            if info is not None:
                try:
                    check_plate_colour(info, values["plate_colour"])
                except ValidationFailed as err:
                    refuse("plate_colour", err.code, raw, **err.params)
    for name in ("company", "approval_number"):
        if name in cells:
            text = _cell_text(cells[name])
            if len(text) > _MAX_LENGTH[name]:
                refuse(name, "vehicle_import_too_long", cells[name], max=_MAX_LENGTH[name])
            values[name] = text or None
    _parse_rated_load(cells["rated_load_t"], values,
                      lambda code, **p: refuse("rated_load_t", code, cells["rated_load_t"], **p))
    status = _header_key(cells["filing_status"])
    if status in _STATUSES:
        values["filing_status"] = _STATUSES[status]
    else:
        refuse("filing_status", "vehicle_import_unknown_status", cells["filing_status"],
               value=_cell_text(cells["filing_status"]))
    if "filing_expires_on" in cells:
        raw = cells["filing_expires_on"]
        try:
            values["filing_expires_on"] = parse_date(raw)
        except ValueError:
            refuse("filing_expires_on", "vehicle_import_bad_date", raw, value=_cell_text(raw))
    if "sites" in cells:
        values["site_ids"] = _parse_sites(cells["sites"], site_names,
                                          lambda code, **p: refuse("sites", code, cells["sites"], **p))
    return values


def _parse_rated_load(raw, values, refuse) -> None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = float(raw)
    else:
        text = _UNITS_SUFFIX.sub("", _cell_text(raw))
        if not text:
            refuse("vehicle_import_required", column=COLUMNS["rated_load_t"][0])
            return
        try:
            number = float(text)
        except ValueError:
            refuse("vehicle_import_bad_number", value=_cell_text(raw))
            return
    if not math.isfinite(number) or not (0 < number <= MAX_RATED_LOAD_T):
        refuse("rated_load_out_of_range", value=_cell_text(raw), max=MAX_RATED_LOAD_T)
        return
    values["rated_load_t"] = number


def _parse_sites(raw, site_names, refuse) -> list[int]:
    """Site names separated by ； or ; (full-width is folded), each naming exactly one site."""
    ids: list[int] = []
    for name in (part.strip() for part in _cell_text(raw).split(";")):
        if not name:
            continue
        matches = site_names.get(name, [])
        if not matches:
            refuse("vehicle_import_unknown_site", site=name)
        elif len(matches) > 1:
            refuse("vehicle_import_ambiguous_site", site=name, count=len(matches))
        elif matches[0] not in ids:
            ids.append(matches[0])
    return ids


def parse_date(raw) -> date | None:
    """A date cell: Excel date, 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日, 20261231."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = _cell_text(raw)
    if not text:
        return None
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)  # ValueError for 2026-02-30


# --- the operation -----------------------------------------------------------------------------

def import_vehicles(actor, data: bytes, *, dry_run: bool = False) -> ImportReport:
    """Validate the whole file, then upsert every vehicle by plate — or refuse it all.

    Raises :class:`VehicleImportRefused` (422, listing each row) before anything is written if
    any row is refused. With ``dry_run`` nothing is written; the report says what would be
    created, updated or left unchanged. Every created or changed vehicle and company is audited.
    """
    parsed = parse_rows(read_table(data), site_ids_by_name())
    if parsed.errors:
        raise VehicleImportRefused(parsed.errors, rows=len(parsed.rows) + _rows_with_errors(parsed))
    report = ImportReport(dry_run=dry_run, rows=len(parsed.rows),
                          ignored_columns=parsed.ignored_columns)
    company_ids = _company_ids(actor, parsed.rows, report, dry_run)
    existing = vehicles_by_plate([row.values["plate"] for row in parsed.rows])
    wanted_sites = {i for row in parsed.rows for i in row.values.get("site_ids", [])}
    sites = {s.id: s for s in db.session.scalars(select(Site).where(Site.id.in_(wanted_sites)))}
    for row in parsed.rows:
        vehicle = existing.get(row.values["plate"])
        target = _target(vehicle, row.values, company_ids)
        if vehicle is None:
            outcome = "created"
        elif target == vehicle_summary(vehicle):
            outcome = "unchanged"
        else:
            outcome = "updated"
        setattr(report, outcome, getattr(report, outcome) + 1)
        if not dry_run and outcome != "unchanged":
            _write(actor, vehicle, target, sites)
    if not dry_run:
        audit.record(actor, "vehicle.import", None, object_type="vehicles", object_id="import",
                     after={"rows": report.rows, "created": report.created, "updated": report.updated,
                            "unchanged": report.unchanged,
                            "companies_created": report.companies_created})
        db.session.flush()
    return report


def _rows_with_errors(parsed: ParseResult) -> int:
    return len({error.row for error in parsed.errors})


def _company_ids(actor, rows: list[ParsedRow], report: ImportReport, dry_run: bool) -> dict:
    """Company name → id, creating the companies the registry does not know yet.

    In a dry run a new company gets a placeholder id, so its vehicles count as changed.
    """
    ids = {name: company.id for name, company in companies_by_name().items()}
    for row in rows:
        name = row.values.get("company")
        if name and name not in ids:
            report.companies_created += 1
            ids[name] = f"new:{name}" if dry_run else create_company(actor, {"name": name}).id
    return ids


def _target(vehicle: Vehicle | None, values: dict, company_ids: dict) -> dict:
    """The audited fields (see ``vehicle_summary``) the vehicle has once this row is applied."""
    info = values["_plate_info"]
    if vehicle is not None:
        target = vehicle_summary(vehicle)
    else:
        target = {"plate_colour": info.default_colour, "company_id": None, "approval_number": None,
                  "filing_expires_on": None, "site_ids": []}
    target.update(plate=info.plate, rated_load_t=values["rated_load_t"],
                  filing_status=values["filing_status"], active=True)
    for name in ("approval_number", "filing_expires_on"):
        if name in values:
            target[name] = values[name]
    if "site_ids" in values:
        target["site_ids"] = sorted(values["site_ids"])
    if values.get("plate_colour"):
        target["plate_colour"] = values["plate_colour"]
    if "company" in values:
        target["company_id"] = company_ids[values["company"]] if values["company"] else None
    return target


def _write(actor, vehicle: Vehicle | None, target: dict, sites: dict) -> None:
    """Create or change one vehicle to ``target`` and audit it."""
    fields = {k: v for k, v in target.items() if k != "site_ids"}
    if vehicle is None:
        vehicle = Vehicle(sites=[sites[i] for i in target["site_ids"]], **fields)
        db.session.add(vehicle)
        db.session.flush()
        audit.record(actor, "vehicle.create", vehicle, after=vehicle_summary(vehicle))
        return
    before = vehicle_summary(vehicle)
    for name, value in fields.items():
        setattr(vehicle, name, value)
    if target["site_ids"] != before["site_ids"]:  # then they came from the file, so are loaded
        vehicle.sites = [sites[i] for i in target["site_ids"]]
    db.session.flush()
    audit.record(actor, "vehicle.update", vehicle, before=before, after=vehicle_summary(vehicle))

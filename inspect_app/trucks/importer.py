"""Importing the vehicle filing list (渣土车备案名单) from CSV or XLSX.

All or nothing: every row is validated first; if any row is refused nothing is written and the
report lists each refusal by spreadsheet row number and column. Otherwise vehicles are upserted
by normalised plate. The file is authoritative for the columns it has: a blank cell clears the
field (except 车牌颜色, which then keeps or defaults), a missing column leaves the field alone,
and a listed vehicle is active. Vehicles missing from the file are not touched. Companies named
in 运输企业 that the registry does not know yet are created; site names must already exist.

Reading (``spreadsheet.read_table``) and checking (``parse_rows``) are pure; ``import_vehicles``
is the one operation that writes.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from inspect_app.core import audit
from inspect_app.core.errors import PayloadTooLarge, ValidationFailed
from inspect_app.core.spreadsheet import (HEADER_SEARCH_ROWS, Columns, ImportRefused, Rows, RowError,
                                          cell_text, header_key, parse_date, read_table, rows_with_errors,
                                          too_large)
from inspect_app.extensions import db
from inspect_app.sites.models import Site
from inspect_app.trucks import messages  # noqa: F401  (registers strings)
from inspect_app.trucks.models import Vehicle
from inspect_app.trucks.operations import MAX_RATED_LOAD_T, create_company, vehicle_summary
from inspect_app.trucks.plates import check_plate_colour, validate_plate
from inspect_app.trucks.queries import companies_by_name, site_ids_by_name, vehicles_by_plate

__all__ = ["RowError", "parse_date"]  # re-exported: the shared reading lives in core.spreadsheet

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
CODE = "vehicle_import"  # prefix of this importer's stable whole-file codes

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
_UNITS_SUFFIX = re.compile(r"\s*(吨|t|T)$")


def import_too_large(limit_bytes: int) -> PayloadTooLarge:
    """The 413 for an import file above ``limit_bytes``, with the limit in the message."""
    return too_large(limit_bytes, CODE)


class VehicleImportRefused(ImportRefused):
    """At least one row is refused; ``details`` lists every refusal (up to a cap)."""

    code = "vehicle_import_refused"


@dataclass
class ParsedRow:
    """One valid row: its number and the canonical fields present in the file."""

    row: int
    values: dict


@dataclass
class ParseResult:
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


# --- checking rows -----------------------------------------------------------------------------

COLUMN_SET = Columns(COLUMNS, required=REQUIRED_COLUMNS, key="plate", code=CODE)


def parse_rows(rows: Rows, site_index: dict[str, list[int]]) -> ParseResult:
    """Check every row against the plate rules, value lists and known site names.

    ``site_index`` maps a site name to the ids carrying it (see ``queries.site_ids_by_name``).
    """
    header = COLUMN_SET.locate(rows, MAX_ROWS)
    display = header.display
    site_names = {cell_text(name): ids for name, ids in site_index.items()}
    result = ParseResult(ignored_columns=header.ignored, rows=[], errors=[])
    first_row_of_plate: dict[str, int] = {}
    for number, values in rows[header.index + 1:]:
        cells = header.cells(values)
        row = _RowParser(number, cells, display, site_names)
        parsed = row.parse()
        plate = parsed.get("plate")
        if plate in first_row_of_plate:
            row.refuse("plate", "vehicle_import_duplicate_plate", plate, plate=plate,
                       first_row=first_row_of_plate[plate])
        elif plate:
            first_row_of_plate[plate] = number
        if row.errors:
            result.errors.extend(row.errors)
        else:
            result.rows.append(ParsedRow(number, parsed))
    return result


class _RowParser:
    """Converts one row's cells to canonical values, collecting a RowError per refused cell."""

    def __init__(self, number: int, cells: dict, display: dict[str, str], site_names: dict):
        self.number, self.cells, self.display, self.site_names = number, cells, display, site_names
        self.values: dict = {}
        self.errors: list[RowError] = []

    def refuse(self, name: str, code: str, raw, **params) -> None:
        self.errors.append(RowError(self.number, self.display[name], code, params,
                                    cell_text(raw) or None))

    def parse(self) -> dict:
        info = self._plate()
        if "plate_colour" in self.cells:
            self._colour(info)
        for name in ("company", "approval_number"):
            if name in self.cells:
                self._text(name)
        self._rated_load()
        self._status()
        if "filing_expires_on" in self.cells:
            self._expiry()
        if "sites" in self.cells:
            self._sites()
        return self.values

    def _plate(self):
        raw = self.cells["plate"]
        try:
            info = validate_plate(cell_text(raw))
        except ValidationFailed as err:
            self.refuse("plate", err.code, raw, **err.params)
            return None
        self.values["plate"], self.values["_plate_info"] = info.plate, info
        return info

    def _colour(self, info) -> None:
        raw = self.cells["plate_colour"]
        key = header_key(raw)
        if not key:
            self.values["plate_colour"] = None
            return
        if key not in _COLOURS:
            self.refuse("plate_colour", "vehicle_import_unknown_colour", raw, value=cell_text(raw))
            return
        self.values["plate_colour"] = _COLOURS[key]
        if info is not None:
            try:
                check_plate_colour(info, _COLOURS[key])
            except ValidationFailed as err:
                self.refuse("plate_colour", err.code, raw, **err.params)

    def _text(self, name: str) -> None:
        # Kept as written (not NFKC-folded): company names use full-width brackets （分公司）.
        raw = self.cells[name]
        text = cell_text(raw) if isinstance(raw, (int, float)) else str(raw or "").strip()
        if len(text) > _MAX_LENGTH[name]:
            self.refuse(name, "vehicle_import_too_long", text, max=_MAX_LENGTH[name])
        self.values[name] = text or None

    def _rated_load(self) -> None:
        raw = self.cells["rated_load_t"]
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            number = float(raw)
        else:
            text = _UNITS_SUFFIX.sub("", cell_text(raw))
            if not text:
                self.refuse("rated_load_t", "vehicle_import_required", raw,
                            column=self.display["rated_load_t"])
                return
            try:
                number = float(text)
            except ValueError:
                self.refuse("rated_load_t", "vehicle_import_bad_number", raw, value=cell_text(raw))
                return
        if not math.isfinite(number) or not (0 < number <= MAX_RATED_LOAD_T):
            self.refuse("rated_load_t", "rated_load_out_of_range", raw, value=cell_text(raw),
                        max=MAX_RATED_LOAD_T)
            return
        self.values["rated_load_t"] = number

    def _status(self) -> None:
        raw = self.cells["filing_status"]
        key = header_key(raw)
        if not key:
            self.refuse("filing_status", "vehicle_import_required", raw,
                        column=self.display["filing_status"])
        elif key not in _STATUSES:
            self.refuse("filing_status", "vehicle_import_unknown_status", raw, value=cell_text(raw))
        else:
            self.values["filing_status"] = _STATUSES[key]

    def _expiry(self) -> None:
        raw = self.cells["filing_expires_on"]
        try:
            self.values["filing_expires_on"] = parse_date(raw)
        except ValueError:
            self.refuse("filing_expires_on", "vehicle_import_bad_date", raw, value=cell_text(raw))

    def _sites(self) -> None:
        """Site names separated by ； or ; (NFKC folds the full-width one), each naming one site."""
        raw = self.cells["sites"]
        ids: list[int] = []
        for name in (part.strip() for part in cell_text(raw).split(";")):
            matches = self.site_names.get(name, []) if name else None
            if matches is None:
                continue
            if not matches:
                self.refuse("sites", "vehicle_import_unknown_site", raw, site=name)
            elif len(matches) > 1:
                self.refuse("sites", "vehicle_import_ambiguous_site", raw, site=name, count=len(matches))
            elif matches[0] not in ids:
                ids.append(matches[0])
        self.values["site_ids"] = ids


# --- the operation -----------------------------------------------------------------------------

def import_vehicles(actor, data: bytes, *, dry_run: bool = False) -> ImportReport:
    """Validate the whole file, then upsert every vehicle by plate — or refuse it all.

    Raises :class:`VehicleImportRefused` (422, listing each row) before anything is written if
    any row is refused. With ``dry_run`` nothing is written; the report says what would be
    created, updated or left unchanged. Every created or changed vehicle and company is audited.
    """
    parsed = parse_rows(read_table(data, MAX_ROWS + HEADER_SEARCH_ROWS, CODE), site_ids_by_name())
    if parsed.errors:
        raise VehicleImportRefused(parsed.errors, rows=len(parsed.rows) + rows_with_errors(parsed.errors))
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


def _company_ids(actor, rows: list[ParsedRow], report: ImportReport, dry_run: bool) -> dict:
    """Company name (NFKC-folded, so （） and () match) → id, creating unknown companies.

    In a dry run a new company gets a placeholder id, so its vehicles count as changed.
    """
    ids = {cell_text(name): company.id for name, company in companies_by_name().items()}
    for row in rows:
        name = row.values.get("company")
        if name and cell_text(name) not in ids:
            report.companies_created += 1
            new_id = f"new:{name}" if dry_run else create_company(actor, {"name": name}).id
            ids[cell_text(name)] = new_id
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
        target["company_id"] = company_ids[cell_text(values["company"])] if values["company"] else None
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

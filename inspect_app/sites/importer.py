"""Importing the site registry (工地名录) from CSV or XLSX — all or nothing, row by row.

Every row is checked before anything is written (unit, coordinates inside the district in the
datum the row names, phase, project type, dates, the parties); if any row is refused the report
names each row and column and nothing is imported. A row updates the site of the same name in the
same unit, else registers a new one, through the same operations as the API (so both are audited).
A party cell is a credit code (its record must exist) or a name: the one live record of that name,
or a new record (an ambiguous name is refused). The export writes these same columns.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from sqlalchemy import select

from inspect_app.auth.queries import units_by_code_or_name
from inspect_app.core import audit
from inspect_app.core.errors import DomainError
from inspect_app.core.geo import GCJ02, WGS84
from inspect_app.core.spreadsheet import (HEADER_SEARCH_ROWS, Columns, ImportRefused, RowError, cell_text,
                                          header_key, parse_date, read_table, rows_with_errors)
from inspect_app.extensions import db
from inspect_app.organisations.credit_code import is_valid, normalise
from inspect_app.organisations.importer import text_cell
from inspect_app.organisations.operations import checked_credit_code, create_organisation
from inspect_app.organisations.queries import get_by_credit_code, live_by_name
from inspect_app.sites import messages  # noqa: F401  (registers strings)
from inspect_app.sites.models import PARTY_COLUMNS, Site
from inspect_app.sites.operations import create_site, district_point, update_site

MAX_ROWS = 5_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
CODE = "site_import"
# Canonical column → accepted headers; the first is what the export writes.
COLUMNS = {
    "name": ("工地名称", "项目名称", "name", "site"),
    "unit": ("所属街道", "街道/镇", "街道", "unit"),
    "address": ("地址", "项目地址", "address"),
    "lat": ("纬度", "lat", "latitude"),
    "lon": ("经度", "lon", "longitude"),
    "datum": ("坐标系", "datum"),
    "geofence_radius_m": ("电子围栏半径(米)", "围栏半径", "geofence radius m"),
    "phase": ("施工阶段", "阶段", "phase"),
    "permit_number": ("施工许可证号", "施工许可证", "permit number"),
    "project_type": ("项目类型", "project type"),
    "planned_start": ("计划开工日期", "计划开工", "planned start"),
    "planned_finish": ("计划竣工日期", "计划竣工", "planned finish"),
    "floor_area_m2": ("建筑面积(平方米)", "建筑面积", "floor area m2", "floor area"),
    "builder": ("建设单位", "builder"),
    "contractor": ("施工单位", "contractor"),
    "supervisor": ("监理单位", "supervisor"),
    "project_manager_name": ("项目负责人", "project manager"),
    "project_manager_phone": ("项目负责人电话", "project manager phone"),
    "dust_officer_name": ("扬尘治理负责人", "dust officer"),
    "dust_officer_phone": ("扬尘治理负责人电话", "dust officer phone"),
    "dust_plan_filed": ("扬尘防治方案已备案", "扬尘防治方案备案", "dust plan filed"),
    "dust_plan_filed_on": ("方案备案日期", "dust plan filed on"),
}
REQUIRED = ("name", "unit", "lat", "lon", "phase", "contractor")
COLUMN_SET = Columns(COLUMNS, required=REQUIRED, key="name", code=CODE)
_TEXT = {"name": 120, "address": 200, "permit_number": 60, "project_manager_name": 60,
         "project_manager_phone": 30, "dust_officer_name": 60, "dust_officer_phone": 30}
PHASE_WORDS = {"土方": "earthwork", "基础": "foundation", "主体": "structure", "装饰装修": "decoration",
               "装修": "decoration", "拆除": "demolition", "停工": "idle", "完工": "finished"}
PROJECT_TYPE_WORDS = {"房建": "building", "房屋建筑": "building", "市政": "municipal", "拆除": "demolition",
                      "其他": "other", "其它": "other"}
_DATUM_WORDS = {"wgs84": WGS84, "gps": WGS84, "gcj02": GCJ02, "高德": GCJ02, "火星坐标": GCJ02}
_YES = {"是": True, "已备案": True, "yes": True, "y": True, "1": True, "true": True,
        "否": False, "未备案": False, "no": False, "n": False, "0": False, "false": False}


class SiteImportRefused(ImportRefused):
    code = "site_import_refused"


@dataclass
class SiteImportReport:
    dry_run: bool
    rows: int
    created: int = 0
    updated: int = 0
    organisations_created: int = 0
    ignored_columns: list[str] = field(default_factory=list)


class _Row:
    """One row's cells → the fields ``create_site`` / ``update_site`` take, or RowErrors."""

    def __init__(self, number, cells, display, units, organisations):
        self.number, self.cells, self.display = number, cells, display
        self.units, self.organisations = units, organisations
        self.values: dict = {}
        self.parties: dict[str, tuple[str, object]] = {}  # party → ("id", id) or ("new", name)
        self.errors: list[RowError] = []

    def refuse(self, name, code, raw, **params):
        self.errors.append(RowError(self.number, self.display.get(name, COLUMNS[name][0]), code, params,
                                    cell_text(raw) or None))

    def present(self, name) -> bool:
        return name in self.cells

    def parse(self):
        for name, limit in _TEXT.items():
            if self.present(name):
                text = text_cell(self.cells[name])
                if len(text) > limit:
                    self.refuse(name, "import_too_long", text, max=limit)
                self.values[name] = text or None
        if not self.values.get("name"):
            self.refuse("name", "import_required", None, column=self.display["name"])
        self._unit()
        self._point()
        self._choice("phase", PHASE_WORDS, "site_import_unknown_phase", required=True)
        if self.present("project_type"):
            self._choice("project_type", PROJECT_TYPE_WORDS, "site_import_unknown_project_type")
        for name in ("planned_start", "planned_finish", "dust_plan_filed_on"):
            if self.present(name):
                try:
                    self.values[name] = parse_date(self.cells[name])
                except ValueError:
                    self.refuse(name, "import_bad_date", self.cells[name], value=cell_text(self.cells[name]))
        self._numbers()
        self._plan()
        for party in PARTY_COLUMNS:
            if self.present(party):
                self._party(party)
        start, finish = self.values.get("planned_start"), self.values.get("planned_finish")
        if start and finish and finish < start:
            self.refuse("planned_finish", "site_finish_before_start", self.cells["planned_finish"])
        return self

    def _unit(self):
        key = cell_text(self.cells["unit"])
        unit = self.units.get(key)
        if unit is None:
            self.refuse("unit", "unknown_unit", self.cells["unit"], unit=key)
        else:
            self.values["unit"] = unit.code

    def _point(self):
        datum = WGS84
        if self.present("datum") and cell_text(self.cells["datum"]):
            datum = _DATUM_WORDS.get(header_key(self.cells["datum"]))
            if datum is None:
                self.refuse("datum", "site_import_unknown_datum", self.cells["datum"],
                            value=cell_text(self.cells["datum"]))
                return
        numbers = []
        for name in ("lat", "lon"):
            try:
                numbers.append(float(cell_text(self.cells[name])))
            except ValueError:
                self.refuse(name, "import_bad_number", self.cells[name], value=cell_text(self.cells[name]))
        if len(numbers) != 2:
            return
        try:
            district_point(numbers[0], numbers[1], datum)
        except DomainError as err:
            self.refuse("lat", err.code, f"{numbers[0]}, {numbers[1]}", **err.params)
            return
        self.values.update(lat=numbers[0], lon=numbers[1], datum=datum)

    def _choice(self, name, words, code, required=False):
        raw = self.cells[name]
        text = cell_text(raw)
        if not text:
            if required:
                self.refuse(name, "import_required", raw, column=self.display[name])
            else:
                self.values[name] = None
            return
        value = words.get(text) or (text.lower() if text.lower() in words.values() else None)
        if value is None:
            self.refuse(name, code, raw, value=text)
        else:
            self.values[name] = value

    def _numbers(self):
        for name, low, high in (("floor_area_m2", 0, 10_000_000), ("geofence_radius_m", 10, 5000)):
            if not self.present(name) or not cell_text(self.cells[name]):
                continue
            try:
                number = float(cell_text(self.cells[name]))
            except ValueError:
                self.refuse(name, "import_bad_number", self.cells[name], value=cell_text(self.cells[name]))
                continue
            if not math.isfinite(number) or not low <= number <= high:
                self.refuse(name, "site_import_out_of_range", self.cells[name], low=low, high=high)
            else:
                self.values[name] = number

    def _plan(self):
        if self.present("dust_plan_filed"):
            text = header_key(self.cells["dust_plan_filed"])
            if text and text not in _YES:
                self.refuse("dust_plan_filed", "site_import_yes_no", self.cells["dust_plan_filed"],
                            value=cell_text(self.cells["dust_plan_filed"]))
                return
            self.values["dust_plan_filed"] = _YES.get(text, False)
        if self.values.get("dust_plan_filed_on") and self.values.get("dust_plan_filed") is False:
            self.refuse("dust_plan_filed_on", "site_plan_date_without_filing", self.cells["dust_plan_filed_on"])

    def _party(self, party):
        raw = self.cells[party]
        text = text_cell(raw)
        if not text:
            if party == "contractor":
                self.refuse(party, "import_required", raw, column=self.display[party])
            return
        code = normalise(text)
        if len(code) == 18 and code.isascii() and code.isalnum():  # meant as a credit code, not a name
            if not is_valid(code):
                try:
                    checked_credit_code(code)
                except DomainError as err:
                    self.refuse(party, err.code, raw, **err.params)
                return
            record = get_by_credit_code(code)
            if record is None:
                self.refuse(party, "site_import_unknown_credit_code", raw, value=code)
            else:
                self.parties[party] = ("id", record.id)
            return
        named = self.organisations.get(text, [])
        if len(named) > 1:
            self.refuse(party, "organisation_import_ambiguous_name", raw, name=text, count=len(named))
        elif named:
            self.parties[party] = ("id", named[0].id)
        elif len(text) > 120:
            self.refuse(party, "import_too_long", raw, max=120)
        else:
            self.parties[party] = ("new", text)


def parse_rows(rows) -> tuple[list[_Row], list[RowError], list[str]]:
    """Check every row; the valid ones and every refusal."""
    header = COLUMN_SET.locate(rows, MAX_ROWS)
    units = units_by_code_or_name(sorted({cell_text(values[header.positions["unit"]])
                                          for _n, values in rows[header.index + 1:]
                                          if header.positions["unit"] < len(values)}))
    organisations = live_by_name()
    parsed, errors, first_row_of_site = [], [], {}
    for number, values in rows[header.index + 1:]:
        row = _Row(number, header.cells(values), header.display, units, organisations).parse()
        key = (row.values.get("unit"), row.values.get("name"))
        if all(key) and key in first_row_of_site:
            row.refuse("name", "site_import_duplicate_site", row.cells["name"], first_row=first_row_of_site[key])
        elif all(key):
            first_row_of_site[key] = number
        errors.extend(row.errors)
        if not row.errors:
            parsed.append(row)
    return parsed, errors, header.ignored


def import_sites(actor, data: bytes, *, dry_run: bool = False) -> SiteImportReport:
    """Validate the whole file, then register or update every site — or refuse it all (422)."""
    parsed, errors, ignored = parse_rows(read_table(data, MAX_ROWS + HEADER_SEARCH_ROWS, CODE))
    if errors:
        raise SiteImportRefused(errors, rows=len(parsed) + rows_with_errors(errors))
    report = SiteImportReport(dry_run=dry_run, rows=len(parsed), ignored_columns=ignored)
    existing = {(site.unit.code, site.name): site for site in db.session.scalars(select(Site))}
    created_orgs: dict[str, int] = {}
    for row in parsed:
        fields = dict(row.values)
        for party, (kind, value) in row.parties.items():
            if kind == "new" and value not in created_orgs:
                report.organisations_created += 1
                created_orgs[value] = 0 if dry_run else create_organisation(actor, {"name": value}).id
            fields[f"{party}_id"] = value if kind == "id" else created_orgs[value]
        site = existing.get((fields["unit"], fields["name"]))
        report.created += site is None
        report.updated += site is not None
        if dry_run:
            continue
        if site is None:
            create_site(actor, fields)
        else:
            update_site(actor, site, fields)
    if not dry_run:
        audit.record(actor, "site.import", None, object_type="sites", object_id="import",
                     after={"rows": report.rows, "created": report.created, "updated": report.updated,
                            "organisations_created": report.organisations_created})
        db.session.flush()
    return report

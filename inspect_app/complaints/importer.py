"""Importing a day's hotline tickets (12345 / 12369 / 12319 platform exports) from CSV or XLSX.

All or nothing, like the vehicle registry import: every row is checked first (pure, ``parse_rows``);
then each row goes through the single-entry operation (``operations.enter``), so matching, the unit and
the due time are exactly those of a ticket typed in by hand. The same ticket again with the same content
is a replay (counted, nothing written); a ticket already stored with other content, or one held by a unit
the importer cannot see, is a row error. If any row is refused, nothing is written and the report lists
each refusal by spreadsheet row and column. The complainant's name and phone are stored, never reported.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from inspect_app.complaints import messages  # noqa: F401  (registers strings)
from inspect_app.complaints import operations
from inspect_app.complaints.models import CHANNELS
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, ValidationFailed
from inspect_app.core.geo import GCJ02, WGS84
from inspect_app.core.spreadsheet import (HEADER_SEARCH_ROWS, Columns, Header, ImportRefused, Rows, RowError,
                                          cell_text, header_key, parse_datetime, read_table, rows_with_errors)
from inspect_app.extensions import db

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2_000  # a day of the district's tickets is a few dozen

# Canonical column → accepted headers (compared after header_key); the first is the display name.
COLUMNS = {
    "ticket_number": ("工单编号", "工单号", "工单号码", "受理编号", "ticket number", "ticket"),
    "channel": ("来源渠道", "渠道", "来源", "热线", "channel"),
    "received_at": ("受理时间", "来电时间", "登记时间", "派单时间", "received at", "received"),
    "address": ("地址", "事发地址", "诉求地址", "事件地址", "address"),
    "lon": ("经度", "lon", "lng", "longitude"),
    "lat": ("纬度", "lat", "latitude"),
    "datum": ("坐标系", "坐标系统", "坐标类型", "datum"),
    "category": ("诉求类别", "诉求类型", "问题类别", "问题类型", "类别", "category"),
    "text": ("诉求内容", "内容", "诉求描述", "问题描述", "text"),
    "complainant_name": ("来电人", "来电人姓名", "诉求人", "联系人", "姓名", "name"),
    "complainant_phone": ("联系电话", "来电号码", "电话", "手机", "phone"),
}
REQUIRED_COLUMNS = ("ticket_number", "channel", "received_at", "category", "text")
COLUMN_SET = Columns(COLUMNS, required=REQUIRED_COLUMNS, key="ticket_number")
_MAX_LENGTH = {"ticket_number": 40, "text": 4000, "address": 200, "complainant_name": 60,
               "complainant_phone": 30}
# Keywords of a datum cell (“WGS-84”, “GPS”, “GCJ-02”, “高德坐标” …); BD-09 (百度) is not accepted.
_DATUM_KEYWORDS = (("wgs", WGS84), ("gps", WGS84), ("gcj", GCJ02), ("火星", GCJ02), ("高德", GCJ02),
                   ("腾讯", GCJ02))
# The platform writes categories as words; the first keyword a value contains decides.
_CATEGORY_KEYWORDS = (("扬尘", "dust"), ("dust", "dust"), ("渣土", "muck_truck"), ("muck", "muck_truck"),
                      ("噪", "night_noise"), ("noise", "night_noise"), ("其他", "other"), ("其它", "other"),
                      ("other", "other"))


@dataclass
class ImportedRow:
    row: int
    ticket_number: str
    channel: str
    status: str
    complaint_id: int | None = None
    site_name: str | None = None
    replayed: bool = False


@dataclass
class ImportReport:
    dry_run: bool
    rows: int
    created: int = 0
    replayed: int = 0
    matched: int = 0
    unmatched: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    complaints: list[ImportedRow] = field(default_factory=list)


# --- checking rows (pure) ------------------------------------------------------------------------

def parse_rows(rows: Rows) -> tuple[Header, list[tuple[int, dict]], list[RowError]]:
    """Each data row as the single-entry operation's input, or the refusals of its cells."""
    header = COLUMN_SET.locate(rows, MAX_ROWS)
    parsed, errors = [], []
    for number, values in rows[header.index + 1:]:
        row = _RowParser(number, header.cells(values), header.display)
        data = row.parse()
        if row.errors:
            errors.extend(row.errors)
        else:
            parsed.append((number, data))
    return header, parsed, errors


class _RowParser:
    """One row's cells to ``ComplaintInSchema``-shaped values, with a RowError per refused cell."""

    def __init__(self, number: int, cells: dict, display: dict[str, str]):
        self.number, self.cells, self.display = number, cells, display
        self.values: dict = {}
        self.errors: list[RowError] = []

    def refuse(self, name: str, code: str, **params) -> None:
        raw = self.cells.get(name)
        self.errors.append(RowError(self.number, self.display.get(name, COLUMNS[name][0]), code, params,
                                    cell_text(raw) or None))

    def parse(self) -> dict:
        for name in _MAX_LENGTH:
            self._text(name, required=name in REQUIRED_COLUMNS)
        self._channel()
        self._received_at()
        self._category()
        self._coordinates()
        if not self.values.get("address") and self.values.get("lat") is None:
            self.refuse("address", "complaint_location_required")
        return self.values

    def _text(self, name: str, *, required: bool) -> None:
        raw = self.cells.get(name)
        text = cell_text(raw) if isinstance(raw, (int, float)) else str(raw or "").strip()
        if required and not text:
            self.refuse(name, "import_required", column=self.display[name])
        elif len(text) > _MAX_LENGTH[name]:
            self.refuse(name, "import_too_long", max=_MAX_LENGTH[name])
        self.values[name] = text or None

    def _channel(self) -> None:
        text = cell_text(self.cells["channel"])
        found = [channel for channel in CHANNELS if channel in text]
        if len(found) != 1:
            self.refuse("channel", "complaint_import_unknown_channel", value=text)
        else:
            self.values["channel"] = found[0]

    def _received_at(self) -> None:
        try:
            value = parse_datetime(self.cells["received_at"])
        except (ValueError, TypeError):
            self.refuse("received_at", "import_bad_datetime", value=cell_text(self.cells["received_at"]))
            return
        if value is None:
            self.refuse("received_at", "import_required", column=self.display["received_at"])
        self.values["received_at"] = value  # naive: Asia/Shanghai, as entry takes it

    def _category(self) -> None:
        key = header_key(self.cells["category"])
        category = next((code for word, code in _CATEGORY_KEYWORDS if word in key), None)
        if category is None:
            self.refuse("category", "complaint_import_unknown_category", value=cell_text(self.cells["category"]))
        self.values["category"] = category

    def _coordinates(self) -> None:
        lat, lon = self._number("lat", 90), self._number("lon", 180)
        if lat is None and lon is None:
            self.values.update(lat=None, lon=None, datum=WGS84)
            return
        if (lat is None) != (lon is None):
            self.refuse("lat" if lat is None else "lon", "complaint_import_half_coordinates")
            return
        key = header_key(self.cells.get("datum"))
        datum = next((code for word, code in _DATUM_KEYWORDS if word in key), None) if key else None
        if datum is None:  # GCJ-02 read as WGS-84 lies hundreds of metres off: never guess
            self.refuse("datum", "complaint_import_unknown_datum", value=cell_text(self.cells.get("datum")))
        self.values.update(lat=lat, lon=lon, datum=datum)

    def _number(self, name: str, limit: float) -> float | None:
        raw = self.cells.get(name)
        if not cell_text(raw):
            return None
        try:
            number = float(raw) if isinstance(raw, (int, float)) else float(cell_text(raw))
        except ValueError:
            self.refuse(name, "import_bad_number", value=cell_text(raw))
            return None
        if not math.isfinite(number) or abs(number) > limit:
            self.refuse(name, "complaint_import_coordinate_range", value=cell_text(raw))
            return None
        return number


# --- the operation -------------------------------------------------------------------------------

def import_complaints(actor, data: bytes, *, dry_run: bool = False) -> ImportReport:
    """Check the whole file, then enter every ticket through ``operations.enter`` — or refuse it all.

    Raises :class:`ComplaintImportRefused` (422, row by row) with nothing written if any row is refused,
    including a ticket stored with other content. With ``dry_run`` the rows are entered in a savepoint
    that is rolled back: the report says what would happen (matches, replays) without writing.
    """
    header, parsed, errors = parse_rows(read_table(data, MAX_ROWS + HEADER_SEARCH_ROWS))
    if errors:
        raise ComplaintImportRefused(errors, rows=len(parsed) + rows_with_errors(errors))
    report = ImportReport(dry_run=dry_run, rows=len(parsed), ignored_columns=header.ignored)
    savepoint = db.session.begin_nested()
    errors = _enter_rows(actor, parsed, header, report)
    if errors or dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    if errors:
        raise ComplaintImportRefused(errors, rows=len(parsed))
    if dry_run:
        for row in report.complaints:
            row.complaint_id = None
    else:
        audit.record(actor, "complaint.import", None, object_type="complaints", object_id="import",
                     after={"rows": report.rows, "created": report.created, "replayed": report.replayed,
                            "matched": report.matched, "unmatched": report.unmatched})
        db.session.flush()
    return report


def _enter_rows(actor, parsed: list[tuple[int, dict]], header: Header, report: ImportReport) -> list[RowError]:
    """Enter each row (open sites loaded once); a conflict is the row's error, not the file's end."""
    candidates, errors, first_row = operations.open_sites(), [], {}
    for number, data in parsed:
        key = (data["channel"], data["ticket_number"])
        try:
            complaint, created = operations.enter(actor, data, candidates=candidates)
        except (Conflict, ValidationFailed) as err:
            column = header.display["ticket_number"]
            if key in first_row:
                errors.append(RowError(number, column, "complaint_import_duplicate_ticket",
                                       {"first_row": first_row[key]}, data["ticket_number"]))
            else:
                errors.append(RowError(number, column, err.code, err.params, data["ticket_number"]))
            continue
        first_row.setdefault(key, number)
        report.created += created
        report.replayed += not created
        if created:
            report.matched += complaint.site_id is not None
            report.unmatched += complaint.site_id is None
        report.complaints.append(ImportedRow(number, complaint.ticket_number, complaint.channel,
                                             complaint.status, complaint.id,
                                             complaint.site.name if complaint.site else None, not created))
    return errors


class ComplaintImportRefused(ImportRefused):
    """At least one row is refused; ``details`` lists every refusal (up to a cap); nothing was written."""

    code = "complaint_import_refused"

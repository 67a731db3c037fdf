"""Reading an uploaded table (CSV or XLSX) into numbered rows of raw cell values, and the parts every
row-by-row, all-or-nothing import shares: finding the header among its accepted spellings, the refusal
report (one :class:`RowError` per refused cell), dates as clerks type them, and the upload itself.

Clerks export lists from Excel or WPS, so CSV arrives as UTF-8 with or without a BOM, as GB18030 (what
Chinese-locale Excel writes; a superset of GBK), or as UTF-16 “Unicode text” (tab-separated). XLSX is
recognised by its content (a zip), never by the file name. Whole-file refusals carry the importer's
code prefix (``vehicle_import_empty`` for the truck registry, ``import_empty`` by default), so each
importer keeps its stable codes; the generic ``import_*`` texts are registered here.
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from inspect_app.core.errors import DomainError, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from inspect_app.core.i18n import register_messages, translate

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
HEADER_SEARCH_ROWS = 10  # a title row such as “回民区渣土车备案名单” may sit above the header
MAX_REPORTED_ERRORS = 200
# Room for multipart boundaries and part headers around the file itself.
_MULTIPART_OVERHEAD = 64 * 1024

Rows = list[tuple[int, list]]

register_messages({
    "import_refused": (
        "导入未执行：有 {count} 处错误，请按行号改正后重新导入（未导入任何数据）。",
        "Nothing was imported: {count} problems were found; fix the listed rows and import again."),
    "import_empty": ("上传的文件是空的。", "The uploaded file is empty."),
    "import_unreadable": (
        "无法读取该文件：请上传 CSV（UTF-8 或 GBK/GB18030 编码）或 XLSX 文件。",
        "The file cannot be read: upload a CSV (UTF-8 or GBK/GB18030) or an XLSX file."),
    "import_xls_unsupported": (
        "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后上传。",
        "Old Excel (.xls) files are not supported; save it as .xlsx or CSV in Excel and upload that."),
    "import_too_large": (
        "导入文件过大，上限为 {limit_mb} MB；请分批导入。",
        "The import file is too large; the limit is {limit_mb} MB. Split it into several files."),
    "import_too_many_rows": (
        "文件行数过多，一次最多导入 {max} 行；请分批导入。",
        "The file has too many rows; at most {max} can be imported at once. Split it."),
    "import_no_header": (
        "找不到表头：前几行中应有“{column}”列。",
        "No header row found: one of the first rows must have a “{column}” column."),
    "import_missing_columns": ("缺少必需的列：{columns}。", "Required columns are missing: {columns}."),
    "import_no_rows": ("表头下没有数据行。", "There are no data rows below the header."),
    "import_no_file": (
        "请以 multipart 的 file 字段或请求正文上传 CSV / XLSX 文件。",
        "Upload a CSV or XLSX file, as the multipart field \"file\" or as the request body."),
    "import_required": ("“{column}”不能为空。", "\"{column}\" must not be empty."),
    "import_bad_number": ("“{value}”不是数字。", "\"{value}\" is not a number."),
    "import_bad_date": (
        "日期“{value}”无法识别，请写成 2026-12-31 的形式。",
        "The date \"{value}\" is not recognised; write it like 2026-12-31."),
    "import_bad_datetime": (
        "时间“{value}”无法识别，请写成 2026-12-31 08:30 的形式。",
        "The time \"{value}\" is not recognised; write it like 2026-12-31 08:30."),
    "import_too_long": ("内容过长，最多 {max} 个字符。", "Too long: at most {max} characters."),
})


def cell_text(value) -> str:
    """A cell as trimmed, NFKC-folded text; integral floats lose “.0” (Excel stores numbers so)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def header_key(text) -> str:
    """Header or keyword cell folded for comparison: case, spaces, _ - and * markers ignored."""
    return re.sub(r"[\s_\-*]+", "", cell_text(text).lower())


def read_table(data: bytes, max_rows: int, code: str = "import") -> Rows:
    """The non-blank rows as (spreadsheet row number, cell values), at most ``max_rows`` of them.

    XLSX yields typed cells (numbers, datetimes); CSV yields strings. Refusals are ``{code}_…``.
    """
    if not data or not data.strip():
        raise ValidationFailed(f"{code}_empty")
    if data[:4] == _XLSX_MAGIC:
        return _read_xlsx(data, max_rows, code)
    if data[:8] == _OLE_MAGIC:
        raise UnsupportedMediaType(f"{code}_xls_unsupported")
    return _read_csv(_decode(data, code), max_rows, code)


def _decode(data: bytes, code: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030; binary junk is refused."""
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
    raise ValidationFailed(f"{code}_unreadable")


def _read_csv(text: str, max_rows: int, code: str) -> Rows:
    head = text[:4096]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _non_blank(enumerate(reader, start=1), max_rows, code)
    except csv.Error as exc:
        raise ValidationFailed(f"{code}_unreadable") from exc


def _read_xlsx(data: bytes, max_rows: int, code: str) -> Rows:
    """The first sheet, streamed in read-only mode, with cached formula results."""
    import openpyxl  # only XLSX uploads need it

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and data validation it does not keep; none matter here.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return _non_blank(enumerate(book.worksheets[0].iter_rows(values_only=True), start=1),
                                  max_rows, code)
            finally:
                book.close()
    except DomainError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError) as exc:
        raise ValidationFailed(f"{code}_unreadable") from exc


def _non_blank(numbered_rows, max_rows: int, code: str) -> Rows:
    """Rows with at least one non-blank cell; stops reading as soon as there are too many."""
    rows: Rows = []
    for number, values in numbered_rows:
        values = list(values)
        if any(cell_text(v) for v in values):
            rows.append((number, values))
            if len(rows) > max_rows:
                raise ValidationFailed(f"{code}_too_many_rows", max=max_rows)
    return rows


# --- the header and its columns ------------------------------------------------------------------

@dataclass
class Header:
    """Where the header row is, each canonical column's position and its header as written."""

    index: int
    positions: dict[str, int]
    display: dict[str, str]
    ignored: list[str]

    def cells(self, values: list) -> dict:
        """One data row's cells by canonical column (a short row's missing cells are None)."""
        return {name: values[pos] if pos < len(values) else None for name, pos in self.positions.items()}


class Columns:
    """The columns an import knows: canonical name → accepted headers (the first is the display name).

    ``key`` is the column whose header marks the header row; ``required`` must all be present.
    """

    def __init__(self, columns: dict[str, tuple[str, ...]], *, required: tuple[str, ...], key: str,
                 code: str = "import"):
        self.columns, self.required, self.key, self.code = columns, required, key, code
        self.aliases = {header_key(alias): name for name, aliases in columns.items() for alias in aliases}

    def locate(self, rows: Rows, max_rows: int) -> Header:
        """The header among the leading rows, its columns mapped; refused if a required one is missing
        or if no (or too many) data rows follow."""
        index = self._find_header(rows)
        header = self._map(index, rows[index][1])
        data_rows = len(rows) - index - 1
        if not data_rows:
            raise ValidationFailed(f"{self.code}_no_rows")
        if data_rows > max_rows:
            raise ValidationFailed(f"{self.code}_too_many_rows", max=max_rows)
        return header

    def _find_header(self, rows: Rows) -> int:
        for index, (_number, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if any(self.aliases.get(header_key(v)) == self.key for v in values):
                return index
        raise ValidationFailed(f"{self.code}_no_header", column=self.columns[self.key][0])

    def _map(self, index: int, titles: list) -> Header:
        positions, display, ignored = {}, {}, []
        for position, title in enumerate(titles):
            name = self.aliases.get(header_key(title))
            if name and name not in positions:
                positions[name], display[name] = position, cell_text(title)
            elif cell_text(title):
                ignored.append(cell_text(title))
        missing = [self.columns[name][0] for name in self.required if name not in positions]
        if missing:
            raise ValidationFailed(f"{self.code}_missing_columns", columns="、".join(missing))
        return Header(index, positions, display, ignored)


# --- the row-by-row report -----------------------------------------------------------------------

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


class ImportRefused(ValidationFailed):
    """At least one row is refused; ``details`` lists every refusal (up to a cap) and nothing is written."""

    code = "import_refused"

    def __init__(self, errors: list[RowError], rows: int):
        shown = [error.as_json() for error in errors[:MAX_REPORTED_ERRORS]]
        super().__init__(details={"errors": shown, "error_count": len(errors), "rows": rows},
                         count=len(errors))
        self.errors = errors


def rows_with_errors(errors: list[RowError]) -> int:
    """How many distinct rows the refusals name."""
    return len({error.row for error in errors})


# --- cell values ---------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATETIME = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                       r"(?:[\sT]*(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})\s*秒?)?\s*分?)?")


def parse_date(raw) -> date | None:
    """A date cell: Excel date, 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日, 20261231."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = cell_text(raw)
    if not text:
        return None
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) for part in match.groups())
    return date(year, month, day)  # ValueError for 2026-02-30


def parse_datetime(raw) -> datetime | None:
    """A date-and-time cell, naive as written: Excel datetime, 2026-11-30 08:05(:00), 2026/11/30 8:05,
    2026年11月30日 8时5分; a date alone is midnight."""
    if raw is None:
        return None
    if isinstance(raw, datetime):
        return raw
    if isinstance(raw, date):
        return datetime(raw.year, raw.month, raw.day)
    text = cell_text(raw)
    if not text:
        return None
    match = _DATETIME.fullmatch(text)
    if not match:
        raise ValueError(text)
    parts = [int(part) if part else 0 for part in match.groups()]
    return datetime(*parts)  # ValueError for 2026-02-30 or 25:00


# --- the upload ----------------------------------------------------------------------------------

def too_large(limit_bytes: int, code: str = "import") -> PayloadTooLarge:
    """The 413 for an import file above ``limit_bytes``, with the limit in the message."""
    return PayloadTooLarge(f"{code}_too_large", limit_mb=f"{limit_bytes / 1024 / 1024:g}")


def uploaded_bytes(limit: int, code: str = "import") -> bytes:
    """The import file from multipart field ``file`` or the raw body, refused above ``limit`` bytes.

    The declared length is checked before anything is read; chunked bodies are cut off by
    ``request.max_content_length`` as they stream in.
    """
    from flask import request
    from werkzeug.exceptions import RequestEntityTooLarge

    if (request.content_length or 0) > limit + _MULTIPART_OVERHEAD:
        raise too_large(limit, code)
    request.max_content_length = limit + _MULTIPART_OVERHEAD
    try:
        if request.mimetype == "multipart/form-data":
            upload = request.files.get("file")
            if upload is None:
                raise ValidationFailed(f"{code}_no_file")
            data = upload.stream.read(limit + 1)
        else:
            data = request.get_data(cache=False)
    except RequestEntityTooLarge as exc:
        raise too_large(limit, code) from exc
    if len(data) > limit:
        raise too_large(limit, code)
    return data


# --- writing a register back out -----------------------------------------------------------------

def write_table(title: str, headers: list[str], rows: list[list], fmt: str) -> bytes:
    """One table as CSV (UTF-8 with BOM, so Excel and WPS open it as Chinese) or as an XLSX sheet.

    Dates stay dates in XLSX and become 2026-12-31 in CSV, which every importer reads back. As in the
    weekly export, text is never a formula: XLSX cells are typed as strings, and CSV text starting
    with = + - @ tab or CR gets a leading ' (OWASP's advice against CSV injection). Characters a
    worksheet cannot hold (control characters) are dropped.
    """
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    import openpyxl  # only XLSX needs it
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(headers)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.data_type = "s"
                value = cell
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def download(data: bytes, fmt: str, stem: str):
    """A register file as an attachment (``stem`` + date in Beijing time + extension)."""
    from flask import Response

    from inspect_app.core.timeutil import to_local, utcnow

    name = f"{stem}-{to_local(utcnow()):%Y%m%d}.{fmt}"
    return Response(data, content_type=CONTENT_TYPES[fmt],
                    headers={"Content-Disposition": f"attachment; filename={name}",
                             "Cache-Control": "private, no-store"})

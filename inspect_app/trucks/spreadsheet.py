"""Reading an uploaded table (CSV or XLSX) into numbered rows of raw cell values. Pure, no database.

Clerks export the filing list from Excel or WPS, so CSV arrives as UTF-8 with or without a BOM,
as GB18030 (what Chinese-locale Excel writes), or as UTF-16 “Unicode text” (tab-separated).
XLSX is recognised by its content (a zip), never by the file name.
"""
from __future__ import annotations

import csv
import io
import unicodedata
import warnings
import zipfile

from inspect_app.core.errors import DomainError, UnsupportedMediaType, ValidationFailed
from inspect_app.trucks import messages  # noqa: F401  (registers strings)

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)

Rows = list[tuple[int, list]]


def cell_text(value) -> str:
    """A cell as trimmed, NFKC-folded text; integral floats lose “.0” (Excel stores numbers so)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def read_table(data: bytes, max_rows: int) -> Rows:
    """The non-blank rows as (spreadsheet row number, cell values), at most ``max_rows`` of them.

    XLSX yields typed cells (numbers, datetimes); CSV yields strings.
    """
    if not data or not data.strip():
        raise ValidationFailed("vehicle_import_empty")
    if data[:4] == _XLSX_MAGIC:
        return _read_xlsx(data, max_rows)
    if data[:8] == _OLE_MAGIC:
        raise UnsupportedMediaType("vehicle_import_xls_unsupported")
    return _read_csv(_decode(data), max_rows)


def _decode(data: bytes) -> str:
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
    raise ValidationFailed("vehicle_import_unreadable")


def _read_csv(text: str, max_rows: int) -> Rows:
    head = text[:4096]
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _non_blank(enumerate(reader, start=1), max_rows)
    except csv.Error as exc:
        raise ValidationFailed("vehicle_import_unreadable") from exc


def _read_xlsx(data: bytes, max_rows: int) -> Rows:
    """The first sheet, streamed in read-only mode, with cached formula results."""
    import openpyxl  # only XLSX uploads need it

    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and data validation it does not keep; none matter here.
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return _non_blank(enumerate(book.worksheets[0].iter_rows(values_only=True), start=1),
                                  max_rows)
            finally:
                book.close()
    except DomainError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError) as exc:
        raise ValidationFailed("vehicle_import_unreadable") from exc


def _non_blank(numbered_rows, max_rows: int) -> Rows:
    """Rows with at least one non-blank cell; stops reading as soon as there are too many."""
    rows: Rows = []
    for number, values in numbered_rows:
        values = list(values)
        if any(cell_text(v) for v in values):
            rows.append((number, values))
            if len(rows) > max_rows:
                raise ValidationFailed("vehicle_import_too_many_rows", max=max_rows)
    return rows

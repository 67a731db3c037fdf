"""Writing the weekly export as XLSX, CSV or GeoJSON, in constant memory.

XLSX: xlsxwriter with ``constant_memory`` flushes each row to a temporary file as it is written,
so memory stays flat however many rows the week has; the finished workbook (a zip, complete
only at the end) is then streamed from a temporary file. The data rows are turned into sheet XML
by :mod:`inspect_app.exports.xlsx_rows` (the XML xlsxwriter would write, ten times faster); the
header, styles and everything else are xlsxwriter's own calls. CSV and GeoJSON are generated as rows
arrive from the database cursor.

Photo links are signed, expiring links (``exports/links.py``), one per photo: in XLSX a
``HYPERLINK()`` formula cell each (a worksheet holds at most 65,530 ``write_url`` hyperlinks, fewer
than a busy week's photos; formulas have no such limit). Every other text is written as a string
cell, never a formula, whatever it starts with. CSV has no string type, so text starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with ``'`` (OWASP's advice
against CSV injection): a spreadsheet shows it as text and runs nothing.
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

import xlsxwriter

from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.exports import xlsx_rows
from inspect_app.exports.links import hyperlink_formula
from inspect_app.exports.queries import (
    ExportContext,
    Lookups,
    effective_status,
    load_lookups,
    local_from_epoch,
    photo_urls,
    rectification_deadline,
    stream,
    violations_stmt,
)
from inspect_app.exports.sheets import SHEETS, VIOLATIONS, Column, Sheet

DATE_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "#,##0"  # whole yuan with thousands separators: 10,000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet evaluate a CSV field
CSV_BATCH = 500
FAST_ROWS = True  # data rows through xlsx_rows.RowWriter (tests compare it with the per-cell path)
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}


def filename(ctx: ExportContext, fmt: str) -> str:
    return f"weekly-violations-{ctx.label}.{fmt}"


def write_xlsx(ctx: ExportContext, target: str | IO[bytes], sheets: list[Sheet] = SHEETS) -> dict[str, int]:
    """Write every sheet to ``target`` (path or binary file); returns rows written per sheet."""
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_urls": False,
                                            "strings_to_numbers": False, "strings_to_formulas": False})
    formats = _formats(workbook)
    counts = {}
    try:
        for sheet in sheets:
            counts[sheet.name] = _write_sheet(workbook, sheet.layout(ctx), sheet, sheet.rows(ctx), formats)
    finally:
        workbook.close()
    return counts


def _formats(workbook) -> dict:
    """The cell formats, numbered in a fixed order (so a sheet's XML does not depend on which
    format its first rows happen to use)."""
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                       "valign": "vcenter"}),
        "datetime": workbook.add_format({"num_format": DATE_FORMAT}),
        "multiline": workbook.add_format({"text_wrap": True}),
        "float": workbook.add_format({"num_format": "0.0"}),
        "money": workbook.add_format({"num_format": MONEY_FORMAT}),
        "link": workbook.add_format({"font_color": "#0563C1", "underline": 1}),
        "tonnes": workbook.add_format({"num_format": "0.00"}),
        "percent": workbook.add_format({"num_format": "0.0%"}),
    }
    for cell_format in formats.values():
        cell_format._get_xf_index()
    return formats


def _write_sheet(workbook, columns: tuple[Column, ...], sheet: Sheet, rows: Iterable[tuple], formats: dict, *,
                 fast: bool | None = None) -> int:
    """One worksheet: widths, frozen Chinese header, the rows, an autofilter; returns the row count.

    ``columns`` is the sheet's layout for this export (its photo columns included). Data rows go
    through :class:`xlsx_rows.RowWriter` (the same XML, an order of magnitude faster) unless ``fast``
    is False or the installed xlsxwriter is not one it knows.
    """
    worksheet = workbook.add_worksheet(sheet.name)
    for index, column in enumerate(columns):
        worksheet.set_column(index, index, column.width, formats.get(column.kind))
    worksheet.freeze_panes(1, 0)
    worksheet.write_row(0, 0, [column.title for column in columns], formats["header"])
    if fast is None:
        fast = FAST_ROWS
    if fast and xlsx_rows.supported(worksheet):
        styles = [formats.get(column.kind) for column in columns]  # the cell's, as xlsxwriter
        labels = [column.title if column.kind == "link" else None for column in columns]
        last = xlsx_rows.RowWriter(worksheet, [column.kind for column in columns], styles, labels).write_rows(rows, 1)
    else:
        last = _write_cells(worksheet, columns, rows, formats)
    worksheet.autofilter(0, 0, max(last, 1), len(columns) - 1)
    return last


def _write_cells(worksheet, columns: tuple[Column, ...], rows: Iterable[tuple], formats: dict) -> int:
    """The same rows through xlsxwriter's own typed per-cell calls."""
    writers = [_cell_writer(worksheet, column, formats) for column in columns]
    row_number = 0
    for row_number, row in enumerate(rows, start=1):
        for col, (write, value) in enumerate(zip(writers, row)):
            if value is not None and value != "":
                write(row_number, col, value)
    return row_number


def _cell_writer(worksheet, column: Column, formats: dict):
    """The typed xlsxwriter call for a column (skips write()'s per-cell type sniffing)."""
    kind = column.kind
    if kind == "link":
        link, label = formats["link"], column.title

        def write_link(r, c, url):
            formula = hyperlink_formula(url, label)
            if formula is None:  # too long for HYPERLINK(): the address as text
                return worksheet.write_string(r, c, url, link)
            return worksheet.write_formula(r, c, formula, link, label)
        return write_link
    if kind == "datetime":
        date_format = formats["datetime"]
        return lambda r, c, v: worksheet.write_datetime(r, c, v, date_format)
    if kind == "multiline":
        wrap = formats["multiline"]
        return lambda r, c, v: worksheet.write_string(r, c, v, wrap)
    if kind == "text":
        return worksheet.write_string
    return worksheet.write_number


def xlsx_tempfile(ctx: ExportContext) -> tuple[IO[bytes], dict[str, int]]:
    """The workbook in an anonymous temporary file, rewound for streaming (gone when closed)."""
    handle = tempfile.TemporaryFile()
    try:
        counts = write_xlsx(ctx, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle, counts


class FileChunks:
    """A WSGI body reading a file in chunks; the file is closed at its end or when the server
    closes the body (client gone), whichever comes first, so the temporary file never lingers."""

    def __init__(self, handle: IO[bytes], chunk_size: int = 256 * 1024):
        self.handle, self.chunk_size = handle, chunk_size

    def __iter__(self) -> Iterator[bytes]:
        try:
            while chunk := self.handle.read(self.chunk_size):
                yield chunk
        finally:
            self.close()

    def close(self) -> None:
        self.handle.close()


def csv_text(text: str) -> str:
    """Text a spreadsheet will not evaluate: a formula-like start (``=HYPERLINK(…)``, ``@SUM(…)``,
    ``+…``, ``-…``, a tab, a carriage return) gets a leading ``'``."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return csv_text(value)
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def csv_chunks(ctx: ExportContext, counts: dict | None = None, sheet: Sheet = VIOLATIONS) -> Iterator[bytes]:
    """The violations sheet as UTF-8 CSV with a BOM (so Excel opens the Chinese correctly).

    ``counts`` (optional) receives the number of data rows under the sheet's name. Every row has as
    many fields as the header (rows with fewer photos are padded).
    """
    counts = {} if counts is None else counts
    counts[sheet.name] = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    headers = sheet.headers(ctx)
    padding = [""] * len(headers)
    writer.writerow(headers)
    yield "\ufeff".encode() + buffer.getvalue().encode()
    buffer.seek(0), buffer.truncate()
    for index, row in enumerate(sheet.rows(ctx), start=1):
        fields = [_csv_value(v) for v in row]
        writer.writerow(fields + padding[len(fields):])
        counts[sheet.name] = index
        if index % CSV_BATCH == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0), buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def geojson_chunks(ctx: ExportContext, counts: dict | None = None) -> Iterator[bytes]:
    """Violations of the week as a GeoJSON FeatureCollection (WGS-84, lon/lat): a site's violation at
    the site, a truck's where the roadside check ended (no geometry when that is unknown)."""
    counts = {} if counts is None else counts
    counts[VIOLATIONS.name] = 0
    yield (f'{{"type":"FeatureCollection","name":"violations-{ctx.label}",'
           f'"week":"{ctx.label}","features":[').encode()
    look = load_lookups()
    separator = ""
    for row in stream(violations_stmt(ctx)):
        yield (separator + json.dumps(_feature(row, ctx, look), ensure_ascii=False)).encode()
        separator = ","
        counts[VIOLATIONS.name] += 1
    yield b"]}"


def _feature(row, ctx: ExportContext, look: Lookups) -> dict:
    (violation_id, unit_id, site_id, plate, company_id, item_id, item_key, found, deadline, status, fail_count,
     inspector_id, inspection_id, note, photo_ids, finish_lat, finish_lon) = row
    deadline = rectification_deadline(site_id, found, deadline)
    if site_id is not None:
        site, contractor, lat, lon = look.sites[site_id]
    else:
        site, contractor, lat, lon = None, look.companies.get(company_id), finish_lat, finish_lon
    geometry = None
    if lat is not None and lon is not None:
        geometry = {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}
    text, clause = look.items.get(item_id, (None, None))
    return {
        "type": "Feature",
        "id": violation_id,
        "geometry": geometry,
        "properties": {
            "violation_id": violation_id, "unit": look.units.get(unit_id), "site": site,
            "contractor": contractor, "plate": plate, "item_key": item_key, "item": text, "clause": clause,
            "found_at": _local_iso(found), "deadline": _local_iso(deadline),
            "status": effective_status(status, deadline, ctx.now_epoch),
            "fail_count": fail_count, "inspector": look.users.get(inspector_id), "note": (note or "").strip() or None,
            "photos": photo_urls(ctx, inspection_id, photo_ids),
        },
    }


def _local_iso(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return local_from_epoch(seconds).replace(tzinfo=LOCAL_TZ).isoformat(timespec="seconds")


STREAMED = {"csv": csv_chunks, "geojson": geojson_chunks}

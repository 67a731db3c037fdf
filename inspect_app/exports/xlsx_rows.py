"""Data rows of a constant-memory xlsxwriter worksheet, written at the speed a busy week needs.

xlsxwriter's per-cell path (``write_string`` → its row table → ``_write_single_row`` →
``_write_cell`` with three regular expressions per string and one file write per element) costs
about 18 µs a cell on the district's 2-core server, and a 100,000-violation week has 1.2 million
cells: 22 s in xlsxwriter alone. So the workbook — styles, column widths, frozen header, autofilter,
the zip — stays xlsxwriter's, in ``constant_memory`` mode, and so does the header row; only the
``<row>`` elements of the data rows are produced here and appended, a few hundred rows per write,
to the worksheet's own row temp file, exactly where xlsxwriter would put them. Memory stays flat.

The XML is the one xlsxwriter writes for the same values, byte for byte (the export tests write a
sheet both ways and compare): inline strings with xlsxwriter's ``_xHHHH_`` escapes for control
characters, ``xml:space="preserve"`` for leading or trailing whitespace, ``&``/``<``/``>`` escaped;
numbers as ``%.16G``; dates as Excel serial numbers computed as xlsxwriter does; a link as the
``HYPERLINK()`` formula cell ``write_formula`` writes (``links.hyperlink_formula``), with its label
as the cached string value (an address too long for ``HYPERLINK()`` as a string cell, as the
per-cell path does). One deliberate
difference: a string that looks like ``<r>…</r>`` is escaped as text (xlsxwriter would pass it
through as rich-string XML); the export never writes rich strings.

This relies on xlsxwriter 3's worksheet internals (``row_data_fh``, ``previous_row``, the ``dim_*``
bounds, ``_write_single_row``); :func:`supported` checks for them, and the caller falls back to the
ordinary per-cell calls when they are missing (e.g. after a major upgrade).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from inspect_app.exports.links import EXCEL_LINK_LIMIT

STRING_MAX = 32767  # Excel's limit, in UTF-16 code units
_CACHE_LIMIT = 16_384  # escaped strings kept per sheet (names repeat, case numbers do not); cleared when full
_FLUSH_ROWS = 256

# Characters that make xlsxwriter change a string on its way into the XML (see _inline).
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]")
_XML_DATA = re.compile(r"[&<>]")
_ESCAPED_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_LEADING_SPACE = re.compile(r"^\s")
_TRAILING_SPACE = re.compile(r"\s$")
_EXCEL_EPOCH = datetime(1899, 12, 31)
_FIRST_PLAIN_DATE = datetime(1900, 3, 1)  # before it, Excel's 1900 leap-year bug needs xlsxwriter's care


def supported(worksheet) -> bool:
    """Whether ``worksheet`` is a constant-memory xlsxwriter 3 sheet this module knows how to feed."""
    return (xlsxwriter.__version__.split(".")[0] == "3" and getattr(worksheet, "constant_memory", False)
            and not worksheet.date_1904 and worksheet.excel_version == 2007
            and all(hasattr(worksheet, name) for name in (
                "row_data_fh", "previous_row", "table", "row_info", "dim_rowmin", "dim_rowmax",
                "dim_colmin", "dim_colmax", "_write_single_row", "default_row_height", "original_row_height"))
            and worksheet.default_row_height == worksheet.original_row_height)


def _escape_inline(text: str) -> str:
    """The ``<t>`` element xlsxwriter writes for an inline string (constant-memory mode)."""
    if len(text) > STRING_MAX // 2 and len(text.encode("utf-16-le", "surrogatepass")) // 2 > STRING_MAX:
        text = _utf16_truncate(text)
    text = _ESCAPED_ESCAPE.sub(r"_x005F\1", text)
    text = _CONTROL.sub(lambda match: f"_x{ord(match.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    preserve = _LEADING_SPACE.search(text) or _TRAILING_SPACE.search(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<t xml:space="preserve">{text}</t>' if preserve else f"<t>{text}</t>"


def _utf16_truncate(text: str) -> str:
    length = 0
    for index, char in enumerate(text):
        length += 2 if ord(char) > 0xFFFF else 1
        if length > STRING_MAX:
            return text[:index]
    return text


def _inline(text: str) -> str:
    """``<t>text</t>`` unless xlsxwriter would change the (non-empty) text: an escape-like ``_x``,
    a special character, leading or trailing whitespace (re's ``^\\s``/``\\s$`` are str.isspace
    of the first and last character), or a length near Excel's limit."""
    if (_SPECIAL.search(text) or "_x" in text or text[0].isspace() or text[-1].isspace()
            or len(text) > STRING_MAX // 2):
        return _escape_inline(text)
    return f"<t>{text}</t>"


def _escape_data(text: str) -> str:
    """xlsxwriter's XMLwriter._escape_data (formula text and a formula's cached value)."""
    if _XML_DATA.search(text):
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _number(value) -> str:
    if value.__class__ is not int and (math.isnan(value) or math.isinf(value)):
        raise TypeError("NAN/INF not supported in write_number()")  # as xlsxwriter without nan_inf_to_errors
    return f"{value:.16G}"


class RowWriter:
    """Appends data rows to one worksheet; ``kinds`` and ``styles`` are per column.

    Kinds: ``text`` and ``multiline`` (strings; ``text`` ones are cached escaped, as names repeat),
    ``datetime`` (naive datetimes), ``link`` (an address, written as ``HYPERLINK(address, label)``
    with the column's label from ``labels``), anything else a number. ``styles`` are xlsxwriter
    Formats or None (then the cell carries no style, as xlsxwriter does for a cell whose column has
    none). None and "" are written as no cell at all.
    """

    def __init__(self, worksheet, kinds: list[str], styles: list, labels: list | None = None):
        self.worksheet = worksheet
        self.fh = worksheet.row_data_fh
        self.kinds = kinds
        self.prefixes = [f'<c r="{xl_col_to_name(col)}' for col in range(len(kinds))]
        self.styles = [f' s="{style._get_xf_index()}"' if style is not None else "" for style in styles]
        self.labels = labels or [None] * len(kinds)
        self.cache: dict[str, str] = {}

    def write_rows(self, rows: Iterable[tuple], first_row: int) -> int:
        """Write ``rows`` from row index ``first_row`` on; returns the index of the last row written
        (``first_row - 1`` when there were none)."""
        worksheet = self.worksheet
        worksheet._write_single_row(first_row)  # flush what xlsxwriter holds (the header row)
        cells = self._cell_functions()
        # Bounds as xlsxwriter keeps them; with a header over every column only rows can widen them.
        track_cols = not (worksheet.dim_colmin == 0 and worksheet.dim_colmax == len(cells) - 1)
        buffer: list[str] = []
        row_index = first_row - 1
        first_written = last_written = None
        for row_index, row in enumerate(rows, start=first_row):
            number = str(row_index + 1)
            parts = [cell(value, number) for cell, value in zip(cells, row) if value is not None and value != ""]
            if not parts:
                continue  # xlsxwriter writes no <row> for a row without cells
            buffer.append(f'<row r="{number}">{"".join(parts)}</row>')
            if first_written is None:
                first_written = row_index
            last_written = row_index
            if track_cols:
                used = [col for col, value in enumerate(row[:len(cells)]) if value is not None and value != ""]
                self._extend_cols(used[0], used[-1])
            if len(buffer) >= _FLUSH_ROWS:
                self.fh.write("".join(buffer))
                buffer.clear()
        if buffer:
            self.fh.write("".join(buffer))
        if last_written is not None:
            self._extend_rows(first_written, last_written)
        worksheet.previous_row = max(worksheet.previous_row, row_index)
        return row_index

    def _extend_rows(self, first: int, last: int) -> None:
        worksheet = self.worksheet
        if worksheet.dim_rowmin is None or first < worksheet.dim_rowmin:
            worksheet.dim_rowmin = first
        if worksheet.dim_rowmax is None or last > worksheet.dim_rowmax:
            worksheet.dim_rowmax = last

    def _extend_cols(self, first: int, last: int) -> None:
        worksheet = self.worksheet
        if worksheet.dim_colmin is None or first < worksheet.dim_colmin:
            worksheet.dim_colmin = first
        if worksheet.dim_colmax is None or last > worksheet.dim_colmax:
            worksheet.dim_colmax = last

    def _cell_functions(self) -> list:
        functions = []
        for kind, prefix, style, label in zip(self.kinds, self.prefixes, self.styles, self.labels):
            if kind == "link":
                functions.append(self._link(prefix, style, label))
            elif kind == "text":
                functions.append(self._cached_string(prefix, style))
            elif kind == "multiline":
                functions.append(self._string(prefix, style))
            elif kind == "datetime":
                functions.append(self._datetime(prefix, style))
            else:
                functions.append(self._numeric(prefix, style))
        return functions

    def _cached_string(self, prefix: str, style: str):
        cache = self.cache
        head = f'"{style} t="inlineStr"><is>'

        def cell(value: str, number: str) -> str:
            inline = cache.get(value)
            if inline is None:
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                inline = cache[value] = _inline(value)
            return f"{prefix}{number}{head}{inline}</is></c>"
        return cell

    @staticmethod
    def _string(prefix: str, style: str):
        head = f'"{style} t="inlineStr"><is>'
        return lambda value, number: f"{prefix}{number}{head}{_inline(value)}</is></c>"

    @staticmethod
    def _link(prefix: str, style: str, label: str):
        # _escape_data(hyperlink_formula(url, label)), with the label's part escaped once: both
        # escapes work character by character, so escaping the parts equals escaping the whole.
        formula_head = f'"{style} t="str"><f>HYPERLINK("'
        tail = "\",\"" + _escape_data(label.replace('"', '""')) + f"\")</f><v>{_escape_data(label)}</v></c>"
        string_head = f'"{style} t="inlineStr"><is>'

        def cell(url: str, number: str) -> str:
            if len(url) > EXCEL_LINK_LIMIT:  # hyperlink_formula() would refuse it: the address as text
                return f"{prefix}{number}{string_head}{_inline(url)}</is></c>"
            if '"' in url:
                url = url.replace('"', '""')
            return f"{prefix}{number}{formula_head}{_escape_data(url)}{tail}"
        return cell

    @staticmethod
    def _numeric(prefix: str, style: str):
        head = f'"{style}><v>'
        return lambda value, number: f"{prefix}{number}{head}{_number(value)}</v></c>"

    def _datetime(self, prefix: str, style: str):
        head = f'"{style}><v>'
        convert = self.worksheet._convert_date_time

        def cell(value: datetime, number: str) -> str:
            if value < _FIRST_PLAIN_DATE:
                serial = convert(value)
            else:  # xlsxwriter's arithmetic, without its type dispatch
                delta = value - _EXCEL_EPOCH
                serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / (60 * 60 * 24)
                serial += 1  # Excel counts 1900-02-29
            return f"{prefix}{number}{head}{serial:.16G}</v></c>"
        return cell

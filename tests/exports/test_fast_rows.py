"""The fast row writer writes the XML xlsxwriter would, and Beijing time by arithmetic is Beijing time.

The export's data rows bypass xlsxwriter's per-cell calls (see inspect_app/exports/xlsx_rows.py);
these tests hold it to producing the same worksheet XML byte for byte, for awkward strings and for
a whole seeded week, and check the fixed UTC+8 offset against the tz database.
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.exports import writers
from inspect_app.exports.queries import FIXED_OFFSET_SINCE, export_context, local_from_epoch
from inspect_app.exports.sheets import SHEETS, Column, Sheet
from tests.exports.test_weekly_export import week  # noqa: F401  (fixture)

AWKWARD = [
    "新华西路街道", " leading space", "trailing space ", "tab\tinside", "line\nbreak", "ends with newline\n",
    "a & b < c > d \"quoted\"", "_x0041_ looks like an escape", "bell \x07 and \x1f", "\ufffe\uffff",
    "<r>not rich</r>x", "emoji 🚛 plate 蒙A12345", "x" * 20000, "y" * 40000 + "🚛",
    '=HYPERLINK("http://evil.example","x")', "@SUM(A1:A9)", "+86 139", "-1+1", "=1+1",
]
LINKS = ["https://inspect.example.cn/api/exports/photo-links/42_0b6c1c52.aSSBAA.hDjXII2uTWLIeZ9jvXfS6SEKj7E",
         "http://a.example/?x=1&y=<2>", 'http://quote.example/"q"', "/relative/link", "https://long.example/" + "t" * 300]


def _sheet_xml(rows: list[tuple], columns: tuple[Column, ...], *, fast: bool) -> dict[str, bytes]:
    sheet = Sheet("测试", columns, lambda ctx: iter(rows))
    buffer = io.BytesIO()
    original = writers.FAST_ROWS
    writers.FAST_ROWS = fast
    try:
        writers.write_xlsx(None, buffer, [sheet])
    finally:
        writers.FAST_ROWS = original
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.startswith("xl/")}


def test_fast_rows_are_byte_for_byte_what_xlsxwriter_writes_for_awkward_values():
    columns = (Column("export_col_violation_id", 10, "int"), Column("export_col_site", 30),
               Column("export_col_photos", 60, "multiline"), Column("export_col_found_at", 17, "datetime"),
               Column("export_col_score", 8, "float"), Column("export_col_overload_ratio", 8, "percent"),
               Column("export_col_load", 8, "tonnes"), Column("export_col_fine_min", 8, "money"),
               Column("export_col_photo_n", 8, "link", {"n": 1}), Column("export_col_photo_n", 8, "link", {"n": 2}))
    rows = [(i, text, text, datetime(2026, 11, 29, 23, 59, 59) - timedelta(days=i), 67.25 + i, 1 / 6, 21.0, 10000,
             LINKS[i % len(LINKS)], LINKS[(i + 1) % len(LINKS)] if i % 3 else None)
            for i, text in enumerate(AWKWARD)]
    rows += [(None, "", None, None, None, None, None, None, None, None),  # an empty row: no <row> at all
             (10 ** 17, None, "only\nthis", datetime(1900, 1, 1, 12), 0.1 + 0.2, -0.0, 1e-9, 2_000_000),
             (1, "fewer cells than columns")]
    fast, slow = _sheet_xml(rows, columns, fast=True), _sheet_xml(rows, columns, fast=False)
    assert fast == slow
    sheet = fast["xl/worksheets/sheet1.xml"]
    assert b"<is><t>\xe6\x96\xb0" in sheet  # inline strings really were written
    assert b'<f>HYPERLINK("https://inspect.example.cn/' in sheet and b"<v>\xe7\x85\xa7\xe7\x89\x871</v>" in sheet
    assert b"<f>=" not in sheet and b"<f>@" not in sheet  # formula-like text stays text


def test_a_sheet_without_rows_is_the_same_too():
    columns = (Column("export_col_violation_id", 10, "int"), Column("export_col_site", 30))
    assert _sheet_xml([], columns, fast=True) == _sheet_xml([], columns, fast=False)


def worksheets(ctx, *, fast: bool) -> dict[str, bytes]:
    """The worksheet XML files of the whole export, with or without the fast row writer."""
    buffer = io.BytesIO()
    original = writers.FAST_ROWS
    writers.FAST_ROWS = fast
    try:
        writers.write_xlsx(ctx, buffer)
    finally:
        writers.FAST_ROWS = original
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")}


def test_the_whole_export_is_the_same_with_and_without_the_fast_rows(app, week):  # noqa: F811
    ctx = export_context(None, "2026-W48", base_url="https://inspect.example.cn")
    fast = worksheets(ctx, fast=True)
    assert fast == worksheets(ctx, fast=False)
    assert len(fast) == len(SHEETS)


@pytest.mark.parametrize("year", range(1992, 2051, 3))
def test_fixed_utc_plus_8_is_what_the_tz_database_says_since_1992(year):
    for instant in (datetime(year, 1, 1, tzinfo=timezone.utc), datetime(year, 7, 1, 16, 0, 59, tzinfo=timezone.utc),
                    datetime(year, 12, 31, 15, 59, 59, tzinfo=timezone.utc)):
        seconds = int(instant.timestamp())
        assert local_from_epoch(seconds) == instant.astimezone(LOCAL_TZ).replace(tzinfo=None)


def test_before_1992_the_tz_database_decides_including_chinas_summer_time():
    summer_1988 = datetime(1988, 6, 1, 12, 0, tzinfo=timezone.utc)  # China kept DST 1986–1991: UTC+9
    assert int(summer_1988.timestamp()) < FIXED_OFFSET_SINCE
    assert local_from_epoch(int(summer_1988.timestamp())) == datetime(1988, 6, 1, 21, 0)
    assert local_from_epoch(None) is None

"""The shared table reading every import uses (trucks, complaints, night permits)."""
from datetime import date, datetime

import pytest

from inspect_app.core.errors import UnsupportedMediaType, ValidationFailed
from inspect_app.core.spreadsheet import Columns, parse_date, parse_datetime, read_table


def test_gbk_csv_from_chinese_excel_is_read():
    rows = read_table("工单编号,地址\nA1,回民区中山西路\n".encode("gbk"), 10)
    assert rows == [(1, ["工单编号", "地址"]), (2, ["A1", "回民区中山西路"])]


@pytest.mark.parametrize("data, code, error", [
    (b"", "import_empty", ValidationFailed),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8, "import_xls_unsupported", UnsupportedMediaType),
    (b"PK\x03\x04 not a workbook", "import_unreadable", ValidationFailed),
])
def test_whole_file_refusals_carry_the_importers_prefix(data, code, error):
    with pytest.raises(error) as default:
        read_table(data, 10)
    assert default.value.code == code
    with pytest.raises(error) as prefixed:
        read_table(data, 10, "vehicle_import")
    assert prefixed.value.code == "vehicle_" + code


def test_header_is_found_below_a_title_by_any_accepted_spelling():
    columns = Columns({"ticket": ("工单编号", "工单号"), "text": ("诉求内容", "内容")},
                      required=("ticket", "text"), key="ticket")
    rows = [(1, ["12345热线工单导出"]), (2, ["工单号", " 内容 ", "备注"]), (3, ["A1", "扬尘", "x"])]
    header = columns.locate(rows, 10)
    assert header.index == 1 and header.positions == {"ticket": 0, "text": 1}
    assert header.ignored == ["备注"] and header.cells(["A1"]) == {"ticket": "A1", "text": None}
    with pytest.raises(ValidationFailed) as missing:
        columns.locate([(1, ["工单编号"]), (2, ["A1"])], 10)
    assert missing.value.code == "import_missing_columns" and missing.value.params == {"columns": "诉求内容"}


@pytest.mark.parametrize("text, expected", [
    ("2026-11-30 08:05", datetime(2026, 11, 30, 8, 5)),
    ("2026/11/30 8:05:09", datetime(2026, 11, 30, 8, 5, 9)),
    ("2026年11月30日 8时5分", datetime(2026, 11, 30, 8, 5)),
    ("2026-11-30T08:05:00", datetime(2026, 11, 30, 8, 5)),
    ("2026-11-30", datetime(2026, 11, 30)),
    (datetime(2026, 11, 30, 8, 5), datetime(2026, 11, 30, 8, 5)),
    (date(2026, 11, 30), datetime(2026, 11, 30)),
    ("", None),
])
def test_parse_datetime_reads_what_clerks_type(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30 08:00", "2026-11-30 25:00", "yesterday", "11/30/2026"])
def test_parse_datetime_refuses_what_is_not_a_time(text):
    with pytest.raises(ValueError):
        parse_datetime(text)


def test_parse_date_is_shared():
    assert parse_date("2026年12月31日") == date(2026, 12, 31)

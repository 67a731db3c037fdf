"""``flask exports weekly``: the scheduled job writes the files and says what it wrote."""
from __future__ import annotations

import csv
import json

import openpyxl

from inspect_app.core.timeutil import last_complete_week
from tests.exports.test_weekly_export import VIOLATION_HEADERS, photo_cells, week  # noqa: F401  (fixture)

BASE = ["--base-url", "https://inspect.example.cn"]


def test_cli_writes_each_format_and_reports_row_counts(runner, week, tmp_path):  # noqa: F811
    result = runner.invoke(args=["exports", "weekly", "--week", "2026-W48", "--out", str(tmp_path / "out"),
                                 "--format", "xlsx", "--format", "csv", "--format", "geojson", *BASE])
    assert result.exit_code == 0, result.output
    xlsx = tmp_path / "out" / "weekly-violations-2026-W48.xlsx"
    book = openpyxl.load_workbook(xlsx)
    assert [row[0] for row in book["违规明细"].iter_rows(min_row=2, values_only=True)] == [
        week["monday_start"], week["other_unit"], week["sunday_end"]]  # the district: every unit
    assert "违规明细 3 行" in result.output and "处罚移送 1 行" in result.output
    assert "秒" in result.output and "2026-11-23 至 2026-11-29" in result.output
    with (tmp_path / "out" / "weekly-violations-2026-W48.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == VIOLATION_HEADERS and len(rows) == 4
    assert photo_cells(rows[1])[0][0] == "https://inspect.example.cn/api/exports/photo-links"
    collection = json.loads((tmp_path / "out" / "weekly-violations-2026-W48.geojson").read_text("utf-8"))
    assert len(collection["features"]) == 3


def test_cli_defaults_to_the_last_complete_week(runner, tmp_path):
    result = runner.invoke(args=["exports", "weekly", "--out", str(tmp_path), *BASE])
    assert result.exit_code == 0, result.output
    year, number = last_complete_week()
    assert (tmp_path / f"weekly-violations-{year}-W{number:02d}.xlsx").exists()


def test_cli_refuses_a_bad_week_without_a_traceback(runner, tmp_path):
    result = runner.invoke(args=["exports", "weekly", "--week", "2026-W99", "--out", str(tmp_path), *BASE])
    assert result.exit_code == 2
    assert "2026-W99" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())

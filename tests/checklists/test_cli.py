"""``flask checklists sync`` and ``flask checklists check``."""
from __future__ import annotations

import shutil
from pathlib import Path

REAL_DIR = Path(__file__).resolve().parents[2] / "checklists"


def test_sync_reports_new_versions_then_unchanged(runner, tmp_path):
    lists = tmp_path / "lists"
    shutil.copytree(REAL_DIR, lists)
    first = runner.invoke(args=["checklists", "sync", "--dir", str(lists)])
    assert first.exit_code == 0, first.output
    assert "six-100：新版本 1" in first.output
    second = runner.invoke(args=["checklists", "sync", "--dir", str(lists)])
    assert second.exit_code == 0
    assert "six-100：未变化（版本 1）" in second.output


def test_sync_refuses_a_bad_directory_with_the_problem(runner, tmp_path):
    lists = tmp_path / "lists"
    shutil.copytree(REAL_DIR, lists)
    path = lists / "muck-truck.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('authority = "traffic_police"', 'authority = "cops"'),
                    encoding="utf-8")
    result = runner.invoke(args=["checklists", "sync", "--dir", str(lists)])
    assert result.exit_code != 0
    assert "muck-truck.toml" in result.output and "not_overloaded" in result.output


def test_check_passes_the_real_files(runner):
    result = runner.invoke(args=["checklists", "check", "--dir", str(REAL_DIR)])
    assert result.exit_code == 0, result.output
    assert "six-100.toml" in result.output


def test_check_fails_with_every_message(runner, tmp_path):
    lists = tmp_path / "lists"
    shutil.copytree(REAL_DIR, lists)
    path = lists / "six-100.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('phases = ["earthwork", "foundation"]', 'phases = ["digging"]'), encoding="utf-8")
    other = lists / "green-construction.toml"
    other.write_text(other.read_text(encoding="utf-8").replace("weight = 5", "weight = \"5\"", 1), encoding="utf-8")
    result = runner.invoke(args=["checklists", "check", "--dir", str(lists)])
    assert result.exit_code == 1
    assert "six-100.toml" in result.output and "digging" in result.output
    assert "green-construction.toml" in result.output and "high_hoarding_enclosed" in result.output

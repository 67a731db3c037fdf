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


def _publish_from_the_screen(text: str):
    """What the desk does: the current six-100 with the hoarding item's text changed, published."""
    import tomllib

    from inspect_app.checklists.operations import publish_source
    from inspect_app.checklists.queries import current_version
    from inspect_app.extensions import db

    current = current_version("six-100")
    document = tomllib.loads(current.raw_text)
    document["items"][0]["text_zh"] = text
    version, created = publish_source(None, "six-100", document, current.version)
    db.session.commit()
    assert created
    return version


def test_sync_refuses_to_overwrite_a_version_published_from_the_screen(runner, tmp_path):
    lists = tmp_path / "lists"
    shutil.copytree(REAL_DIR, lists)
    assert runner.invoke(args=["checklists", "sync", "--dir", str(lists)]).exit_code == 0
    published = _publish_from_the_screen("围挡改过的说法")

    refused = runner.invoke(args=["checklists", "sync", "--dir", str(lists)])
    assert refused.exit_code != 0
    assert "six-100：当前版本 2 是在后台发布的" in refused.output
    assert "条目“hoarding” text_zh：围挡改过的说法 → 施工工地周边100%围挡" in refused.output
    assert "--overwrite-published" in refused.output
    from inspect_app.checklists.queries import current_version
    assert current_version("six-100").id == published.id  # nothing stored

    overwritten = runner.invoke(args=["checklists", "sync", "--dir", str(lists), "--overwrite-published"])
    assert overwritten.exit_code == 0, overwritten.output
    assert "six-100：新版本 3" in overwritten.output and "eight-musts：未变化（版本 1）" in overwritten.output
    assert current_version("six-100").origin == "file"


def test_sync_of_the_exported_toml_stores_nothing_new(runner, tmp_path):
    lists = tmp_path / "lists"
    shutil.copytree(REAL_DIR, lists)
    assert runner.invoke(args=["checklists", "sync", "--dir", str(lists)]).exit_code == 0
    published = _publish_from_the_screen("围挡改过的说法")
    (lists / "six-100.toml").write_text(published.raw_text, encoding="utf-8")  # the screen's export, committed
    result = runner.invoke(args=["checklists", "sync", "--dir", str(lists)])
    assert result.exit_code == 0, result.output
    assert "six-100：未变化（版本 2）" in result.output


def test_the_demo_keeps_a_published_version(app, tmp_path):
    from inspect_app.checklists.operations import KEEP, sync_checklists
    from inspect_app.checklists.queries import current_version

    sync_checklists(None, REAL_DIR)
    published = _publish_from_the_screen("围挡改过的说法")
    results = {r.source_key: r for r in sync_checklists(None, REAL_DIR, published=KEEP)}
    assert results["six-100"].kept_published is True and results["six-100"].created is False
    assert current_version("six-100").id == published.id

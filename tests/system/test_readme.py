"""The README is a newcomer's guide: its quick start comes first and is the real commands, its
configuration table names exactly the settings the app reads, and every picture it shows exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from inspect_app.features import FEATURES

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def test_the_two_quick_start_commands_come_first():
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    assert [b.strip() for b in blocks[:2]] == [
        "pip install -r requirements.txt && flask --app wsgi demo",
        "pip install -r requirements-test.txt && python -m pytest -n 2",
    ]
    assert README.index("## Quick start") < README.index("## Using it")


def _settings_read_from_the_environment() -> set[str]:
    names = set()
    for path in (REPO / "inspect_app" / "config.py", REPO / "inspect_app" / "__init__.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"""(?:environ\.get|_int|_float|_bool)\(\s*["']([A-Z][A-Z0-9_]+)["']""", text))
    return names


def test_the_configuration_table_names_exactly_the_settings_the_app_reads():
    rows = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", _section("Configuration"), flags=re.M))
    read = _settings_read_from_the_environment()
    assert read, "no settings found in config.py: the pattern is stale"
    assert sorted(read - rows) == [], "settings the README does not document"
    assert sorted(rows - read) == [], "README rows for settings the app no longer reads"


@pytest.mark.parametrize("picture", sorted(set(re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", README))))
def test_every_screenshot_shown_exists(picture):
    assert (REPO / picture).is_file()


def test_the_notice_screens_are_shown():
    for picture in ("notice-pdf.png", "serve-signature.png", "verify-page.png"):
        assert f"docs/screenshots/{picture}" in _section("Screenshots")


def test_the_project_layout_names_every_feature():
    layout = _section("Project layout")
    assert [f for f in FEATURES if not re.search(rf"\b{f}/", layout)] == []

"""The site-status condition of checklist items (the 停工 check exists only for suspended sites)."""
from __future__ import annotations

from pathlib import Path

import pytest

from inspect_app.checklists.forms import NOT_FOR_SITE_STATUS, compose_form, is_applicable
from inspect_app.checklists.loader import ChecklistFileError, load_source
from tests.inspections.helpers import WINTER_MORNING

REAL = Path(__file__).resolve().parents[2] / "checklists" / "suspended-site.toml"


def test_the_stop_work_item_is_asked_only_at_suspended_sites():
    source = load_source(REAL)
    (item,) = compose_form("site", [source.as_form_source()])["items"]
    assert item["key"] == "no_work_while_suspended" and item["veto"] is True
    assert is_applicable(item, "structure", WINTER_MORNING, "suspended") == (True, "applicable")
    for status in ("active", "closed", None):
        assert is_applicable(item, "structure", WINTER_MORNING, status) == (False, NOT_FOR_SITE_STATUS)


def test_items_without_the_condition_are_asked_whatever_the_status():
    item = {"key": "hoarding", "phases": ["all"], "window": None}
    assert is_applicable(item, "idle", WINTER_MORNING, "suspended")[0]
    assert is_applicable(item, "idle", WINTER_MORNING)[0]


def test_a_requirement_asked_everywhere_by_one_source_stays_asked_everywhere():
    source = load_source(REAL).as_form_source()
    other = {**source, "key": "other", "position": 1,
             "items": [{**source["items"][0], "key": "other_key", "site_statuses": None}]}
    (item,) = compose_form("site", [source, other])["items"]
    assert item["site_statuses"] is None


def test_an_unknown_site_status_is_refused_naming_the_allowed_ones(tmp_path):
    text = REAL.read_text(encoding="utf-8").replace('site_statuses = ["suspended"]', 'site_statuses = ["stopped"]')
    path = tmp_path / "suspended-site.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ChecklistFileError) as error:
        load_source(path)
    assert error.value.codes == ["checklist_unknown_site_status"]
    assert "stopped" in str(error.value) and "suspended" in str(error.value)

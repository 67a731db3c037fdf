"""A bad checklist file is refused with a message naming the file, the item and what is wrong."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from inspect_app.checklists.loader import ChecklistFileError, load_directory, load_source

REAL_DIR = Path(__file__).resolve().parents[2] / "checklists"

GOOD = """
[source]
key = "demo"
kind = "site"
title_zh = "示例"
title_en = "Demo"
clause = "测试"

[[items]]
key = "hoarding"
requirement = "hoarding"
text_zh = "围挡"
text_en = "Hoarding"
clause = "①"
weight = 15
veto = true
photos_on_fail = 1
phases = ["earthwork"]
rectify_days = 3
liable = "contractor"
[items.legal_basis]
law = "《中华人民共和国大气污染防治法》"
obligation_article = "第六十九条"
penalty_article = "第一百一十五条"
fine_min = 10000
fine_max = 100000
authority = "bureau"

[[items]]
key = "covering"
requirement = "covering"
text_zh = "覆盖"
text_en = "Cover"
clause = "②"
weight = 10
veto = false
photos_on_fail = 1
phases = ["all"]
rectify_days = 1
liable = "builder"
[items.legal_basis]
law = "《中华人民共和国大气污染防治法》"
obligation_article = "第六十九条"
penalty_article = "第一百一十五条"
fine_min = 10000
fine_max = 100000
authority = "bureau"
"""


def write(tmp_path: Path, text: str, name: str = "demo.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> ChecklistFileError:
    with pytest.raises(ChecklistFileError) as info:
        load_source(write(tmp_path, text))
    return info.value


def test_a_well_formed_file_loads_with_items_in_file_order(tmp_path):
    source = load_source(write(tmp_path, GOOD))
    assert source.key == "demo" and source.kind == "site"
    assert [item["key"] for item in source.items] == ["hoarding", "covering"]
    assert source.items[0]["legal_basis"]["fine_max"] == 100000
    assert len(source.content_hash) == 64


def test_content_hash_is_the_sha256_of_the_file_bytes(tmp_path):
    import hashlib

    path = write(tmp_path, GOOD)
    assert load_source(path).content_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_missing_key_names_file_item_and_key(tmp_path):
    err = refusal(tmp_path, GOOD.replace('text_en = "Cover"\n', ""))
    assert err.codes == ["checklist_missing_key"]
    message = err.text("en")
    assert "demo.toml" in message and "'covering'" in message and "'text_en'" in message


def test_missing_item_key_points_at_the_item_by_number(tmp_path):
    err = refusal(tmp_path, GOOD.replace('key = "covering"\n', ""))
    assert err.codes == ["checklist_missing_key"]
    assert "item #2" in err.text("en") and "'key'" in err.text("en")


def test_duplicate_item_key_is_refused(tmp_path):
    err = refusal(tmp_path, GOOD.replace('key = "covering"', 'key = "hoarding"'))
    assert "checklist_duplicate_key" in err.codes
    assert "duplicate item key 'hoarding'" in err.text("en") and "demo.toml" in err.text("en")


def test_weight_that_is_not_a_number_is_refused_even_if_it_looks_like_one(tmp_path):
    for bad in ('"fifteen"', '"15"', "true"):
        err = refusal(tmp_path, GOOD.replace("weight = 10", f"weight = {bad}"))
        assert err.codes == ["checklist_not_a_number"], bad
        assert "item 'covering': 'weight' is not a number" in err.text("en")


def test_unknown_phase_is_refused_with_the_allowed_phases(tmp_path):
    err = refusal(tmp_path, GOOD.replace('phases = ["earthwork"]', 'phases = ["earthwork", "digging"]'))
    assert err.codes == ["checklist_unknown_phase"]
    text = err.text("en")
    assert "item 'hoarding'" in text and "'digging'" in text and "foundation" in text


def test_dates_ending_before_they_start_are_refused(tmp_path):
    err = refusal(tmp_path, GOOD.replace('clause = "②"', 'clause = "②"\nwindow = { start = "09-30", end = "05-01" }'))
    assert err.codes == ["checklist_window_end_before_start"]
    assert "item 'covering'" in err.text("en") and "ends before it starts" in err.text("en")


def test_hours_across_midnight_are_a_night_window(tmp_path):
    path = tmp_path / "demo.toml"
    path.write_text(GOOD.replace('clause = "②"', 'clause = "②"\nwindow = { start_time = "22:00", end_time = "06:00" }'),
                    encoding="utf-8")
    source = load_source(path)
    covering = next(i for i in source.items if i["key"] == "covering")
    assert covering["window"] == {"start_time": "22:00", "end_time": "06:00"}


def test_an_empty_hour_window_is_refused(tmp_path):
    err = refusal(tmp_path, GOOD.replace('clause = "②"', 'clause = "②"\nwindow = { start_time = "10:00", end_time = "10:00" }'))
    assert err.codes == ["checklist_window_empty"]
    assert "item 'covering'" in err.text("en") and "22:00" in err.text("en")


def test_source_window_ending_before_it_starts_is_reported_on_the_source(tmp_path):
    err = refusal(tmp_path, GOOD.replace('clause = "测试"', 'clause = "测试"\nwindow = { start = "10-01", end = "04-30" }'))
    assert err.codes == ["checklist_window_end_before_start"]
    assert "[source] section" in err.text("en")


@pytest.mark.parametrize("window, code", [
    ('{ start = "05-01" }', "checklist_window_incomplete"),
    ('{ start = "02-30", end = "03-01" }', "checklist_bad_format"),
    ('{ start_time = "25:00", end_time = "26:00" }', "checklist_bad_format"),
])
def test_malformed_windows_are_refused(tmp_path, window, code):
    err = refusal(tmp_path, GOOD.replace('clause = "②"', f'clause = "②"\nwindow = {window}'))
    assert code in err.codes


def test_unknown_authority_is_refused(tmp_path):
    err = refusal(tmp_path, GOOD.replace('authority = "bureau"', 'authority = "police"', 1))
    assert err.codes == ["checklist_unknown_authority"]
    assert "'police'" in err.text("en") and "traffic_police" in err.text("en")


def test_fine_min_above_fine_max_is_refused(tmp_path):
    err = refusal(tmp_path, GOOD.replace("fine_min = 10000", "fine_min = 200000", 1))
    assert err.codes == ["checklist_fine_min_above_max"]
    assert "item 'hoarding'" in err.text("en")


def test_unknown_kind_is_refused(tmp_path):
    err = refusal(tmp_path, GOOD.replace('kind = "site"', 'kind = "boat"'))
    assert err.codes == ["checklist_bad_kind"]
    assert "[source] section" in err.text("en") and "'boat'" in err.text("en")


def test_misspelt_key_is_refused_rather_than_ignored(tmp_path):
    err = refusal(tmp_path, GOOD.replace("veto = false", "veto = false\nvetto = true"))
    assert err.codes == ["checklist_unknown_field"]
    assert "'vetto'" in err.text("en")


def test_veto_must_be_an_explicit_boolean(tmp_path):
    assert refusal(tmp_path, GOOD.replace("veto = false", 'veto = "no"')).codes == ["checklist_not_a_boolean"]
    assert refusal(tmp_path, GOOD.replace("veto = false\n", "")).codes == ["checklist_missing_key"]


def test_every_item_needs_a_legal_basis(tmp_path):
    text = GOOD.replace("[items.legal_basis]", "[items.legal]", 1)
    assert "checklist_missing_key" in refusal(tmp_path, text).codes


def test_source_key_must_equal_the_file_name(tmp_path):
    err = refusal(tmp_path, GOOD.replace('key = "demo"', 'key = "other"'))
    assert err.codes == ["checklist_key_not_file_stem"]


def test_toml_syntax_error_is_reported_with_the_file(tmp_path):
    err = refusal(tmp_path, GOOD + "\n[[items]\n")
    assert err.codes == ["checklist_toml_syntax"] and "demo.toml" in err.text("en")


def test_every_problem_in_a_file_is_reported_at_once(tmp_path):
    text = GOOD.replace("weight = 10", 'weight = "x"').replace('phases = ["earthwork"]', 'phases = ["nope"]')
    err = refusal(tmp_path, text)
    assert sorted(err.codes) == ["checklist_not_a_number", "checklist_unknown_phase"]


def test_messages_are_chinese_by_default(tmp_path):
    err = refusal(tmp_path, GOOD.replace('text_en = "Cover"\n', ""))
    assert "缺少必填字段" in str(err)


def test_the_real_checklist_directory_loads(tmp_path):
    keys = [source.key for source in load_directory(REAL_DIR)]
    # files load in file-name order ("heavy-pollution-trucks.toml" sorts before "heavy-pollution.toml")
    assert keys == sorted(["six-100", "eight-musts", "green-construction", "ozone-season", "muck-truck",
                          "night-work", "suspended-site", "heavy-pollution", "heavy-pollution-trucks"],
                          key=lambda key: f"{key}.toml")


def test_a_directory_with_one_bad_file_loads_nothing(tmp_path):
    shutil.copytree(REAL_DIR, tmp_path / "lists")
    path = tmp_path / "lists" / "six-100.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("weight = 15", 'weight = "x"', 1), encoding="utf-8")
    with pytest.raises(ChecklistFileError) as info:
        load_directory(tmp_path / "lists")
    assert "six-100.toml" in info.value.text("en")


def test_an_empty_directory_is_an_error(tmp_path):
    with pytest.raises(ChecklistFileError) as info:
        load_directory(tmp_path)
    assert info.value.codes == ["checklist_no_files"]


def test_a_shared_requirement_cannot_have_different_windows(tmp_path):
    write(tmp_path, GOOD)
    other = GOOD.replace('key = "demo"', 'key = "summer"').replace(
        'clause = "测试"', 'clause = "测试"\nwindow = { start = "05-01", end = "09-30" }')
    write(tmp_path, other, "summer.toml")
    with pytest.raises(ChecklistFileError) as info:
        load_directory(tmp_path)
    assert set(info.value.codes) == {"checklist_requirement_window_conflict"}
    assert "summer.toml" in info.value.text("en") and "demo.toml" in info.value.text("en")


def test_a_file_without_a_source_table_says_so(tmp_path):
    err = refusal(tmp_path, GOOD.split("[source]")[0] + GOOD.split('clause = "测试"')[1])
    assert err.codes == ["checklist_missing_key"]
    assert "demo.toml: file: missing required key 'source'" in err.text("en")


def test_a_file_without_items_is_refused(tmp_path):
    err = refusal(tmp_path, "items = []\n" + GOOD.split("[[items]]")[0])
    assert err.codes == ["checklist_no_items"]


# ---- the alert condition (重污染天气预警) ----

def _with_alert(text: str, value: str) -> str:
    return text.replace('liable = "contractor"', f'liable = "contractor"\nalert = {value}', 1)


def test_an_alert_condition_is_loaded_as_listed(tmp_path):
    source = load_source(write(tmp_path, _with_alert(GOOD, '["red", "orange"]')))
    assert source.items[0]["alert"] == ["red", "orange"] and source.items[1]["alert"] is None


@pytest.mark.parametrize("value, code, words", [
    ('["purple"]', "checklist_unknown_alert_level", "unknown alert level 'purple' (allowed: blue, yellow, orange, red)"),
    ("[]", "checklist_alert_levels_empty_or_repeated", "at least one alert level"),
    ('["red", "red"]', "checklist_alert_levels_empty_or_repeated", "each once"),
    ('"red"', "checklist_not_a_list", "alert"),
])
def test_a_bad_alert_condition_names_the_item_and_what_is_allowed(tmp_path, value, code, words):
    err = refusal(tmp_path, _with_alert(GOOD, value))
    assert err.codes == [code]
    assert "item 'hoarding'" in err.text("en") and words in err.text("en")
    assert "预警" in err.text("zh-CN") or code == "checklist_not_a_list"


def test_a_shared_requirement_must_have_the_same_alert_condition(tmp_path):
    write(tmp_path, _with_alert(GOOD, '["orange", "red"]'))
    write(tmp_path, _with_alert(GOOD.replace('key = "demo"', 'key = "alerts"'), '["red"]'), "alerts.toml")
    with pytest.raises(ChecklistFileError) as info:
        load_directory(tmp_path)
    assert set(info.value.codes) == {"checklist_requirement_alert_conflict"}
    assert "alert condition" in info.value.text("en")
    # the same levels in another order are the same condition
    write(tmp_path, _with_alert(GOOD.replace('key = "demo"', 'key = "alerts"'), '["red", "orange"]'), "alerts.toml")
    assert len(load_directory(tmp_path)) == 2

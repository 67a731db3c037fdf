"""Every checklist item names the party liable for it (施工单位, 建设单位, 运输单位 or 驾驶人)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from inspect_app.checklists.loader import ChecklistFileError, load_directory, load_source
from inspect_app.checklists.models import ChecklistItem
from inspect_app.extensions import db
from tests.checklists.test_loader import GOOD, write

REAL_DIR = Path(__file__).resolve().parents[2] / "checklists"


def _liable_by_key() -> dict[tuple[str, str], str]:
    return {(source.key, item["key"]): item["liable"] for source in load_directory(REAL_DIR)
            for item in source.items}


def test_every_real_item_names_one_of_the_four_parties():
    liable = _liable_by_key()
    # "none": an observation with no liable party (issue 10: haul routes are the road owners' duty)
    assert liable and set(liable.values()) <= {"contractor", "builder", "haulier", "driver", "none"}


def test_bare_idle_land_is_the_builders_and_overload_the_drivers_duty():
    liable = _liable_by_key()
    # 大气法 第一百一十五条第二款: bare land not yet built on → 建设单位
    assert liable[("eight-musts", "idle_area_cover")] == "builder"
    # 道路交通安全法 第九十二条 fines the driver of an overloaded truck
    assert liable[("muck-truck", "not_overloaded")] == "driver"
    trucks = {key: party for (source, key), party in liable.items() if source == "muck-truck"}
    assert {key for key, party in trucks.items() if party == "haulier"} == {
        "filed", "documents_carried", "sealed", "no_spilling", "no_illegal_dumping"}
    site_items = {(s, k): p for (s, k), p in liable.items() if s not in ("muck-truck", "heavy-pollution-trucks")}
    assert {k for k, p in site_items.items() if p != "contractor"} == {
        ("eight-musts", "idle_area_cover"), ("green-construction", "haul_route_paved_cleaned"),
        # the night-work notice and noise monitoring are the builder's (噪声污染防治法 第七十八条)
        ("night-work", "night_work_notice_posted"), ("night-work", "noise_monitoring_networked")}
    assert site_items[("green-construction", "haul_route_paved_cleaned")] == "none"


def test_an_item_without_liable_party_is_refused_naming_it(tmp_path):
    text = GOOD.replace('liable = "builder"\n', "")
    with pytest.raises(ChecklistFileError) as info:
        load_source(write(tmp_path, text))
    assert info.value.codes == ["checklist_missing_key"]
    assert "covering" in info.value.text("en") and "liable" in info.value.text("en")


def test_an_unknown_liable_party_is_refused_listing_the_four(tmp_path):
    with pytest.raises(ChecklistFileError) as info:
        load_source(write(tmp_path, GOOD.replace('liable = "builder"', 'liable = "owner"')))
    assert info.value.codes == ["checklist_unknown_liable"]
    message = info.value.text("en")
    assert "owner" in message and "contractor, builder, haulier, driver" in message


def test_sync_stores_the_liable_party_on_each_item(checklists):
    stored = {item.key: item.liable for item in db.session.scalars(select(ChecklistItem))}
    assert stored["idle_area_cover"] == "builder"
    assert stored["not_overloaded"] == "driver"
    assert stored["hoarding"] == "contractor"
    assert stored["sealed"] == "haulier"

"""The checklist files say what the plan and the national rules say, with a legal basis for each item."""
from __future__ import annotations

import hashlib
import tomllib
from pathlib import Path

import pytest

from inspect_app.checklists.forms import compose_form
from inspect_app.checklists.loader import load_directory

REAL_DIR = Path(__file__).resolve().parents[2] / "checklists"


@pytest.fixture(scope="module")
def sources():
    return {source.key: source for source in load_directory(REAL_DIR)}


def texts(source):
    return [item["text_zh"] for item in source.items]


def test_six_100_has_the_six_items_in_published_order(sources):
    assert texts(sources["six-100"]) == [
        "施工工地周边100%围挡",
        "物料堆放100%覆盖",
        "出入车辆100%冲洗",
        "施工现场地面100%硬化",
        "土方开挖100%湿法作业",
        "渣土车辆100%密闭运输",
    ]


def test_eight_musts_are_the_plans_eight_in_order(sources):
    items = texts(sources["eight-musts"])
    assert len(items) == 8
    # a distinctive phrase of each of ①–⑧ in clause 11.1 of the plan
    for text, phrase in zip(items, [
        "视频监控系统和空气质量检测仪", "严禁露天放置易飞扬的细颗粒建筑材料", "土方施工等采取湿法作业",
        "散装物料（白灰、粉煤灰）", "拆除作业要采用“湿法”作业", "每天早晚洒水不少于1次",
        "暂不施工的现场要做好覆盖工作", "自动喷淋或喷雾等降尘装置",
    ]):
        assert phrase in text


# SHA-256 of clause 11.1's list as the plan states it ("①…;②…;…⑧…。", the plan text's own ASCII
# punctuation), computed once from the published 2022 plan when the wording was copied into the
# checklist file. Nothing outside the repository is read: this constant pins the stored quotes.
PLAN_EIGHT_MUSTS_SHA256 = "f1465593856409938e1b5085d2b3ceac19296ce267ed3d912ee5db9aec6d38cf"
CIRCLED = "①②③④⑤⑥⑦⑧"
FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "："})


def test_eight_musts_quote_the_plan_verbatim_in_order(sources):
    quotes = [item.get("source_text") for item in sources["eight-musts"].items]
    assert all(quotes), "every 八个必须 item stores its sentence from the plan"
    assert [quote[0] for quote in quotes] == list(CIRCLED)  # ①–⑧, in the plan's order
    clause = ";".join(quotes) + "。"
    assert hashlib.sha256(clause.encode("utf-8")).hexdigest() == PLAN_EIGHT_MUSTS_SHA256


def test_eight_musts_wording_is_the_stored_plan_sentence(sources):
    for item in sources["eight-musts"].items:
        number, sentence = item["source_text"][0], item["source_text"][1:]
        assert item["clause"] == f"八个必须 {number}", item["key"]
        # the file's wording is the plan's sentence with full-width Chinese punctuation
        assert item["text_zh"] == sentence.translate(FULL_WIDTH), item["key"]


def test_source_text_is_validated_like_other_text(tmp_path):
    from inspect_app.checklists.loader import ChecklistFileError, load_source

    text = (REAL_DIR / "eight-musts.toml").read_text(encoding="utf-8")
    path = tmp_path / "eight-musts.toml"
    path.write_text(text.replace('source_text = "①', 'source_text = 1 # "①', 1), encoding="utf-8")
    with pytest.raises(ChecklistFileError) as err:
        load_source(path)
    assert err.value.codes == ["checklist_not_a_string"]
    assert "source_text" in err.value.text("en")


def test_ozone_items_are_the_six_prohibited_works_inside_the_summer_window(sources):
    ozone = sources["ozone-season"]
    assert ozone.window == {"start": "05-01", "end": "09-30", "start_time": "10:00", "end_time": "17:00"}
    works = ["墙体喷涂", "切割焊接", "装修装饰", "市政道路划线", "围栏刷漆", "沥青摊铺"]
    assert len(ozone.items) == 6
    for item, work in zip(ozone.items, works):
        assert work in item["text_zh"]


def test_heavy_pollution_items_are_clause_14_responses_asked_only_under_an_alert(sources):
    site, trucks = sources["heavy-pollution"], sources["heavy-pollution-trucks"]
    assert (site.kind, trucks.kind) == ("site", "truck")
    assert site.clause == trucks.clause == "回政发〔2022〕28号 二(二)14"
    alert_of = {item["requirement"]: item["alert"] for item in (*site.items, *trucks.items)}
    # stop earthwork and demolition (大气法 第九十六条), outdoor spraying and cutting; more sprinkling; trucks off
    # the road under red — the levels are the city's plan's (unverified), never absent
    assert alert_of == {"alert_no_earthwork": ["orange", "red"], "alert_no_demolition": ["orange", "red"],
                        "alert_no_outdoor_spraying_cutting": ["orange", "red"],
                        "alert_more_sprinkling": ["yellow", "orange", "red"], "alert_truck_off_road": ["red"]}
    for item in (*site.items, *trucks.items):
        basis = item["legal_basis"]
        assert (basis["obligation_article"], basis["penalty_article"]) == ("第九十六条", "第一百二十一条第二款")
        assert basis["unverified"] is True and basis["note_zh"], item["key"]  # the seed plan names no measure
        assert item["rectify_days"] == 0 and item["phases"] == ["all"]
    # the two measures the statute names (第九十六条) veto: working on is the refusal 第一百二十一条第二款 fines
    assert [item["key"] for item in (*site.items, *trucks.items) if item["veto"]] == ["no_earthwork", "no_demolition"]
    # no other file asks anything only under an alert
    others = [item["key"] for key, source in sources.items() if not key.startswith("heavy-pollution")
              for item in source.items if item.get("alert")]
    assert others == []


def test_muck_truck_list_covers_clause_11_2(sources):
    truck = sources["muck-truck"]
    assert truck.kind == "truck"
    requirements = {item["requirement"] for item in truck.items}
    assert {"truck_filed", "truck_sealed", "truck_no_spilling", "truck_not_overloaded",
            "truck_no_illegal_dumping"} <= requirements


def test_green_construction_has_high_hoarding_and_paved_haul_routes(sources):
    assert [item["requirement"] for item in sources["green-construction"].items] == [
        "high_hoarding_enclosed", "haul_route_paved_cleaned"]


def test_every_item_has_a_legal_basis_and_every_fine_an_article(sources):
    # issue 10: an order to correct (papers carried), another authority's item (ozone hours, 生态环境)
    # and an observation (haul routes) carry no bureau fine range — tests/legal/ names each
    for source in sources.values():
        for item in source.items:
            basis = item["legal_basis"]
            assert basis["law"] and basis["obligation_article"], item["key"]
            if basis["fine_min"] is not None:
                assert basis["penalty_article"] and 0 < basis["fine_min"] <= basis["fine_max"], item["key"]


def test_legal_bases_follow_the_domain_table(sources):
    by_requirement = {item["requirement"]: item["legal_basis"] for s in sources.values() for item in s.items}
    assert (by_requirement["hoarding"]["obligation_article"], by_requirement["hoarding"]["penalty_article"],
            by_requirement["hoarding"]["fine_min"], by_requirement["hoarding"]["fine_max"]) == (
        "第六十九条", "第一百一十五条", 10000, 100000)
    sealed = by_requirement["truck_sealed"]
    assert (sealed["obligation_article"], sealed["penalty_article"], sealed["fine_min"], sealed["fine_max"]) == (
        "第七十条", "第一百一十六条", 2000, 20000)
    # issue 10: ⑥ covered and sprinkled is 大气法 115(1)(二); 固废法 111 only when not removed in time
    waste = by_requirement["construction_waste_removed"]
    assert "大气污染" in waste["law"] and waste["penalty_article"] == "第一百一十五条第一款第（二）项"
    [removal] = waste["concurrent"]
    assert "固体废物" in removal["law"] and removal["obligation_article"] == "第六十三条"
    assert (removal["fine_min"], removal["fine_max"], removal["applies_when"]) == (100000, 1000000, "overdue_refail")
    overload = by_requirement["truck_not_overloaded"]
    assert overload["authority"] == "traffic_police" and overload["penalty_article"] == "第九十二条"
    dumping = by_requirement["truck_no_illegal_dumping"]
    assert dumping["penalty_article"] == "第二十六条" and (dumping["fine_min"], dumping["fine_max"]) == (5000, 50000)


def test_missing_hoarding_and_unsealed_truck_are_vetoes(sources):
    vetoes = {(s.key, item["key"]) for s in sources.values() for item in s.items if item["veto"]}
    assert ("six-100", "hoarding") in vetoes
    assert ("muck-truck", "sealed") in vetoes


def test_every_veto_choice_is_justified_by_a_comment_in_the_file():
    """A ``veto = true`` line must have a comment in the lines just above it."""
    for path in REAL_DIR.glob("*.toml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.strip() == "veto = true":
                above = lines[max(0, number - 6):number]
                assert any(text.lstrip().startswith("#") for text in above), f"{path.name}:{number + 1}"


def test_source_keys_equal_file_names_and_parse_with_tomllib():
    for path in REAL_DIR.glob("*.toml"):
        with path.open("rb") as handle:
            assert tomllib.load(handle)["source"]["key"] == path.stem


def test_shared_requirements_are_asked_once_listing_both_sources(sources):
    form = compose_form("site", [s.as_form_source() for s in sources.values()])
    keys = [item["key"] for item in form["items"]]
    assert len(keys) == len(set(keys))
    by_key = {item["key"]: item for item in form["items"]}
    for requirement, expected in {
        "material_cover": ["six-100", "eight-musts"],
        "wet_earthwork": ["six-100", "eight-musts"],
    }.items():
        assert [src["source_key"] for src in by_key[requirement]["sources"]] == expected
    # the plain hoarding and green construction's high hoarding stay separate questions
    assert [src["source_key"] for src in by_key["hoarding"]["sources"]] == ["six-100"]
    assert "high_hoarding_enclosed" in by_key


def test_sources_of_a_shared_requirement_agree_on_veto_deadline_and_legal_basis(sources):
    """Readers that look at one source item (e.g. penalties) then see the same as the merged form."""
    seen: dict[str, dict] = {}
    for source in sources.values():
        for item in source.items:
            first = seen.setdefault(item["requirement"], item)
            for attribute in ("veto", "rectify_days", "legal_basis"):
                assert item[attribute] == first[attribute], (item["requirement"], attribute)


def test_site_form_starts_with_six_100_and_truck_form_is_the_truck_list(sources):
    site = compose_form("site", [s.as_form_source() for s in sources.values()])
    truck = compose_form("truck", [s.as_form_source() for s in sources.values()])
    assert [s["key"] for s in site["sources"]] == ["six-100", "eight-musts", "green-construction", "ozone-season",
                                                 "heavy-pollution", "night-work", "suspended-site"]
    assert site["items"][0]["key"] == "hoarding"
    assert [s["key"] for s in truck["sources"]] == ["muck-truck", "heavy-pollution-trucks"]


def test_night_work_items_are_asked_only_at_night_and_name_the_noise_law(sources):
    night = sources["night-work"]
    assert night.kind == "site"
    # 《噪声污染防治法》第八十八条: 夜间 = 22:00 to 06:00 — a window across midnight
    assert night.window == {"start_time": "22:00", "end_time": "06:00"}
    assert [item["requirement"] for item in night.items] == [
        "night_work_permit", "night_work_notice_posted", "noise_monitoring_networked"]
    articles = [(item["legal_basis"]["obligation_article"], item["legal_basis"]["penalty_article"],
                 item["legal_basis"]["fine_min"], item["legal_basis"]["fine_max"], item["liable"])
                for item in night.items]
    assert articles == [("第四十三条", "第七十七条第（二）项", 10000, 100000, "contractor"),
                        ("第四十三条", "第七十八条第（四）项", 5000, 50000, "builder"),
                        ("第四十二条", "第七十八条第（三）项", 5000, 50000, "builder")]
    for item in night.items:
        basis = item["legal_basis"]
        assert basis["law"] == "《中华人民共和国噪声污染防治法》"
        # nothing of it is in the plan or confirmed in DOMAIN.md: every article is marked, and the
        # designated department is referred to, never a bureau fine
        assert basis["unverified"] is True and basis["authority"] == "housing", item["key"]
        assert basis["note_zh"] and basis["note_en"]
        assert not item["veto"]


def test_night_items_join_the_site_form_once_with_their_window(sources):
    form = compose_form("site", [s.as_form_source() for s in sources.values()])
    night = [i for i in form["items"] if i["window"] == {"start_time": "22:00", "end_time": "06:00"}]
    assert [i["key"] for i in night] == ["night_work_permit", "night_work_notice_posted", "noise_monitoring_networked"]
    # noise monitoring is its own requirement, not the dust monitor of 八个必须 ①
    assert any(i["key"] == "monitoring_networked" and i["window"] is None for i in form["items"])

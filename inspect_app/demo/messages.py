"""What ``flask demo`` prints about the demo trucks (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "demo_trucks_heading": (
        "演示渣土车（巡查员“渣土车”页，输入车牌）：",
        "Demo muck trucks (inspector's 渣土车 tab, type the plate):",
    ),
    "demo_truck_line": ("{plate}  {company}，核定载质量 {rated} 吨 — {path}",
                        "{plate}  {company}, rated load {rated} t — {path}"),
    "demo_truck_path_filed": ("已备案，正常通过", "filed: a clean check"),
    "demo_truck_path_filing_expired": ("备案已过期（{expires}），备案项不合格", "filing expired on {expires}: the filing item fails"),
    "demo_truck_path_overload": ("已备案；载重填 12 吨即超载 50%，移送区交管队",
                                 "filed; enter a 12 t load to be 50 % over and referred to the traffic police"),
    "demo_truck_path_unfiled": ("未备案，备案项不合格", "not filed: the filing item fails"),
    "demo_truck_unknown": ("{plate}  未登记的车牌 — 按未备案处理，可试“未登记车辆”流程",
                           "{plate}  not in the registry — treated as unfiled (the unknown-plate path)"),
}
register_messages(MESSAGES)

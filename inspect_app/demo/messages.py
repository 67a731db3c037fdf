"""What ``flask demo`` prints about the demo trucks and the demo enforcement chain (zh-CN, English)."""
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
    "demo_history_heading": (
        "演示执法链（王巡查名下，均经真实流程生成）：",
        "Demo enforcement chain (the inspector 王巡查's, all recorded through the real operations):",
    ),
    "demo_history_served": ("{number}  {site} — 现场签收送达，{due} 复查",
                            "{number}  {site} — signed for on the spot; follow-up due {due}"),
    "demo_history_due_today": ("{number}  {site} — 尚未送达，今日复查（{due}）",
                               "{number}  {site} — not served yet; follow-up due today ({due})"),
    "demo_history_decided": ("{number}  {site} — 围挡否决项，邮寄送达；案件已作出罚款决定 {decision}（区城管执法局）",
                             "{number}  {site} — hoarding (veto), served by mail; the case is decided, a fine, {decision}"),
}
register_messages(MESSAGES)

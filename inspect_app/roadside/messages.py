"""User-facing strings of roadside truck checks (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    # refusals
    "roadside_photo_required": (
        "路检至少需要一张照片（车牌和装载情况）。",
        "A roadside check needs at least one photo (the plate and the load).",
    ),
    "roadside_unit_unknown": (
        "无法确定这次路检归哪个单位（七办一镇）处理：您的账号没有所属单位，且没有可用的定位，"
        "或定位附近 {radius} 米内没有登记的工地。请管理员为您的账号分配所属单位后再发送。",
        "Cannot tell which unit (七办一镇) this roadside check belongs to: your account has no unit, and the "
        "check has no usable position or no registered site lies within {radius} m of it. Ask an administrator "
        "to assign your account a unit, then send it again.",
    ),
    "weighbridge_ticket_required": (
        "填写了过磅实测载重，须在“未超载”一项附上过磅单照片；仅有目测估算时请填写估算载重。",
        "A measured load needs a photo of the weighbridge ticket on the “not overloaded” item; "
        "without one, enter the load as an estimate.",
    ),
    "unknown_truck_checklist_version": (
        "检查表版本 {versions} 不存在或不是渣土车检查表。",
        "Checklist versions {versions} do not exist or are not the muck-truck checklist.",
    ),
    # findings the server records itself (stored in Chinese in the item note, shown in the reader's language)
    "filing_unknown": (
        "车辆登记中没有该车牌：未备案车辆（系统自动判定不合格）",
        "The plate is not in the vehicle registry: an unfiled vehicle (failed automatically)",
    ),
    "filing_unfiled": (
        "该车未办理准入备案（系统自动判定不合格）",
        "The vehicle has no admission filing (failed automatically)",
    ),
    "filing_expired": (
        "该车准入备案已过期（系统自动判定不合格）",
        "The vehicle's admission filing has expired (failed automatically)",
    ),
    "filing_revoked": (
        "该车准入备案已被撤销（系统自动判定不合格）",
        "The vehicle's admission filing was revoked (failed automatically)",
    ),
    "filing_inactive": (
        "该车已从车辆登记中注销（系统自动判定不合格）",
        "The vehicle was removed from the registry (failed automatically)",
    ),
    "overload": (
        "载重 {load} 吨超过核定载质量 {rated} 吨（超 {percent}%），移交区交管队",
        "Load {load} t exceeds the rated {rated} t ({percent}% over); referred to the traffic police",
    ),
    "overload_high": (
        "载重 {load} 吨超过核定载质量 {rated} 吨（超 {percent}%，超过30%，适用500元以上2000元以下罚款），移交区交管队",
        "Load {load} t exceeds the rated {rated} t ({percent}% over, more than 30%: the 500–2,000 CNY range); "
        "referred to the traffic police",
    ),
    "overload_estimated": (
        "目测估算载重 {load} 吨，超过核定载质量 {rated} 吨（超 {percent}%）；未过磅，仅作记录，不移交",
        "Estimated load {load} t above the rated {rated} t ({percent}% over); not weighed: recorded only, "
        "not referred",
    ),
    # case and violation texts
    "reason_overload_referral": ("过磅实测超载，移交区交管队", "weighed overload: referred to the traffic police"),
    "roadside_recipient_bureau": ("区城管执法局", "District Urban Management Law Enforcement Bureau"),
    "roadside_recipient_traffic_police": (
        "区交管队（超载由交管依《道路交通安全法》第九十二条处罚，本局不作处罚决定）",
        "District Traffic Police (overload is punished by them under Road Traffic Safety Law art. 92, "
        "not by the bureau)",
    ),
    "roadside_site_violation_note": (
        "渣土车 {plate} 路检发现：{finding}（来源工地）",
        "Muck truck {plate} found at the roadside: {finding} (origin site)",
    ),
    "roadside_site_finding_truck_sealed": ("车厢未密闭或密闭不严", "load not sealed or poorly sealed"),
    "roadside_site_finding_truck_no_spilling": ("沿途遗撒或车轮车身带泥上路", "spilling, or mud carried onto the road"),
}
register_messages(MESSAGES)

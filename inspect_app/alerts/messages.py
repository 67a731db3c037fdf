"""Alert (重污染天气预警) texts and refusals."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "alert_end_before_start": ("预警结束时间须晚于开始时间。", "An alert must end after it starts."),
    "alert_too_long": ("一次预警最长 {days} 天；更长请延长或另行发布。",
                       "An alert lasts at most {days} days; extend it or declare another."),
    "alert_units_required": ("按街道（镇）发布的预警须至少选择一个街道（镇）。",
                             "An alert for some units must name at least one unit."),
    "alert_units_unknown": ("街道（镇）不存在：{ids}。", "No such unit: {ids}."),
    "alert_scope_forbidden": (
        "您无权对该范围发布或修改预警：督导只能针对本人负责的街道（镇），全区预警须由管理员或负责全区的督导发布。",
        "You may not declare or change an alert for this scope: a supervisor acts for their own units only; "
        "a district-wide alert needs an admin or a supervisor responsible for every unit."),
    "alert_lifted": ("该预警已解除。", "This alert has been lifted."),
    "alert_over": ("该预警已结束，不能延长或解除；如需要请发布新的预警。",
                   "This alert is over; it cannot be extended or lifted. Declare a new one if needed."),
    "alert_extend_not_later": ("延长后的结束时间须晚于当前结束时间。", "The new end must be later than the current end."),
    "alert_nothing_to_correct": ("更正内容与现有内容相同。", "The correction changes nothing."),
    "alert_not_found": ("找不到该预警。", "No such alert."),
}

register_messages(MESSAGES)

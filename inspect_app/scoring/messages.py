"""User-facing strings of scoring: grade labels and why an item did not count (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "grade_excellent": ("优良", "Excellent"),
    "grade_pass": ("合格", "Pass"),
    "grade_fail": ("不合格", "Fail"),
    "score_reason_not_in_phase": ("当前施工阶段不适用", "Not applicable in the site's current phase"),
    "score_reason_out_of_season": ("不在管控季节内", "Outside the control season"),
    "score_reason_outside_hours": ("不在管控时段内", "Outside the control hours"),
    "score_reason_not_for_site_status": ("仅对停工整治中的工地检查", "Checked only at a site under a stop-work order"),
    "score_reason_answered_na": ("现场判定不适用", "Marked not applicable on site"),
    "score_reason_observation": ("周边情况观察项，不计分", "An observation about the surroundings: not scored"),
    "score_reason_additional": ("附加项：不合格扣除其分值，合格不加分，不计入总分",
                                "Additional requirement: a failure deducts its weight, a pass adds nothing"),
    "scoring_rule_1": ("按原评分规则（2026年前）评分：时段项适用时计入总分",
                       "Graded by the earlier rule (before 2026): windowed items joined the total while they applied"),
    "scoring_rule_2": ("按2026版评分规则评分：时段项、预警项为附加扣分项，不计入总分",
                       "Graded by the 2026 rule: windowed and alert items are additional requirements, outside the total"),
    "score_additional_deduction": ("附加项不合格，扣{points}分", "Additional requirement failed: −{points} points"),
    "score_vetoed": ("否决项不合格，整表评为最低等级", "A veto item failed: the sheet gets the lowest grade"),
}
register_messages(MESSAGES)

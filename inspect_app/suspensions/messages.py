"""User-facing strings of stop-work orders and resumption (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "suspension_suspended": ("停工整治中", "Stopped (stop-work order)"),
    "suspension_applied": ("已申请复工", "Resumption applied for"),
    "suspension_inspected": ("复工检查合格，待批准", "Resumption inspection passed, awaiting approval"),
    "suspension_resumed": ("已复工", "Resumed"),
    "resumption_site_not_suspended": ("该工地未处于停工整治中。", "The site is not under a stop-work order."),
    "resumption_already_applied": ("该工地已申请复工。", "The site has already applied to resume."),
    "resumption_not_applied": (
        "该工地尚未申请复工：请先登记复工申请。",
        "The site has not applied to resume: record its application first.",
    ),
    "resumption_inspection_required": (
        "复工申请后尚无合格的复工检查：须由巡查员完成一次全面检查，且无不合格项。",
        "No passing inspection since the application: an inspector must complete a full inspection with no "
        "failed item.",
    ),
    "resumption_note_too_long": ("说明过长（最多 1000 字）。", "The note is too long (at most 1,000 characters)."),
}
register_messages(MESSAGES)

"""Alert report (预警处置) texts: sheet and column titles."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "alert_report_sheet": ("预警处置", "Alert response"),
    "alert_report_col_unit": ("街道（镇）", "Unit"),
    "alert_report_col_active_sites": ("在建工地数", "Active sites"),
    "alert_report_col_inspected_sites": ("预警以来已巡查工地数", "Sites inspected since the alert began"),
    "alert_report_col_working_sites": ("违反预警施工工地数", "Sites found working against the alert"),
    "alert_report_col_open_violations": ("未整改预警违规数", "Open alert violations"),
    "alert_report_col_level": ("预警级别", "Alert level"),
    "alert_report_col_number": ("预警文号", "Notice number"),
    "alert_report_col_from": ("统计起", "From"),
    "alert_report_col_to": ("统计止", "To"),
    "alert_report_total": ("合计", "Total"),
}

register_messages(MESSAGES)

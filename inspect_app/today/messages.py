"""Today's list (今日任务): risk reasons, stop kinds, skip reasons, coverage words and refusals."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    # risk reasons (risk.py): "32 天未巡查 · 2 项逾期未整改"
    "risk_never_inspected": ("从未巡查", "Never inspected"),
    "risk_days_since": ("{days} 天未巡查", "{days} days since the last inspection"),
    "risk_last_grade_fail": ("上次评定不合格", "Failed last time"),
    "risk_last_grade_pass": ("上次评定合格（非优良）", "Passed last time, not excellent"),
    "risk_overdue_violations": ("{n} 项逾期未整改", "{n} overdue violations"),
    "risk_open_violations": ("{n} 项整改中", "{n} violations being rectified"),
    "risk_phase_earthwork": ("土方阶段", "Earthwork phase"),
    "risk_phase_demolition": ("拆除阶段", "Demolition phase"),
    "risk_phase_foundation": ("基础阶段", "Foundation phase"),
    "risk_phase_idle": ("停工裸地", "Idle, bare land"),
    "risk_phase_structure": ("主体阶段", "Structure phase"),
    "risk_phase_decoration": ("装饰装修阶段", "Decoration phase"),
    "risk_failures_90d": ("90 天内 {n} 项不合格", "{n} failures in 90 days"),
    "risk_complaints_30d": ("30 天内 {n} 次投诉", "{n} complaints in 30 days"),
    "risk_alert_in_force": ("重污染天气预警中", "Pollution alert in force"),
    "risk_suspended": ("责令停工中，查是否违规施工", "Under a stop-work order: check it is obeyed"),
    # why a stop is on the list
    "stop_follow_up_overdue": ("复查已逾期", "Follow-up overdue"),
    "stop_follow_up_today": ("今日复查", "Follow-up due today"),
    "stop_complaint": ("投诉核查", "Complaint to check"),
    "stop_alert_check": ("预警检查", "Alert check"),
    "stop_assigned": ("督导指派", "Assigned by a supervisor"),
    "stop_suggested": ("风险推荐", "Suggested by risk"),
    "stop_visited": ("今日已巡查", "Inspected today"),
    "skip_reason_site_closed": ("工地大门紧闭，无人开门", "Gate shut, nobody to open it"),
    "skip_reason_no_access": ("无法安全进入", "No safe access"),
    "skip_reason_out_of_time": ("时间不够", "Out of time"),
    "skip_reason_weather": ("天气原因", "Weather"),
    "skip_reason_other": ("其他原因", "Other"),
    "coverage_done": ("已巡查", "Done"),
    "coverage_missed": ("漏查", "Missed"),
    "coverage_pending": ("待巡查", "Pending"),
    "coverage_not_due": ("本周未到期", "Not due this week"),
    # refusals
    "today_inspector_required": (
        "请指定要查看的巡查员（inspector_id）。", "Say whose day to show (inspector_id)."),
    "today_position_incomplete": ("位置需同时给出纬度和经度。", "A position needs both lat and lon."),
    "assignment_not_inspector": ("只能指派给在岗的巡查员。", "Sites can be assigned only to an active inspector."),
    "assignment_other_unit": (
        "工地 {site} 不属于该巡查员所在的街道（镇）。", "Site {site} is not in a unit of that inspector."),
    "assignment_site_closed": ("工地 {site} 已关闭，不能指派。", "Site {site} is closed and cannot be assigned."),
    "assignment_range_invalid": (
        "结束日期不能早于开始日期，且最长 92 天。", "The end date cannot be before the start, and a range is at most 92 days."),
    "assignment_not_active": ("该指派已撤销。", "This assignment is already cancelled."),
    "skip_note_required": ("原因为“其他”时须写明说明。", "With the reason “other”, a note is required."),
    "skip_conflict": (
        "同一编号的跳过记录内容不同，未保存。", "A skip with this id was already stored with other content."),
    "skip_site_unknown": ("找不到该工地，或不属于您的街道（镇）。", "That site is not one of your units' sites."),
    "coverage_unit_unknown": ("找不到该街道（镇），或不属于您。", "That unit does not exist or is not one of yours."),
}

register_messages(MESSAGES)

# the weekly export's 巡查覆盖 sheet (exports/sheets.py)
register_messages({
    "export_col_coverage_scope": ("范围", "Scope"),
    "export_col_coverage_target": ("覆盖要求（天/次）", "Target (days)"),
    "export_col_coverage_due": ("应查", "Due"),
    "export_col_coverage_done": ("已查", "Done"),
    "export_col_coverage_missed": ("漏查", "Missed"),
    "export_col_coverage_pending": ("待查", "Pending"),
    "export_col_coverage_rate": ("覆盖率", "Coverage"),
    "export_col_coverage_name": ("名称", "Name"),
    "export_coverage_unit": ("街道（镇）", "Unit"),
})

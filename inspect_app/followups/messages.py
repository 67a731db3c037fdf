"""Follow-up (复查) texts and refusals."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "follow_up_bucket_overdue": ("已逾期", "Overdue"),
    "follow_up_bucket_today": ("今日复查", "Due today"),
    "follow_up_bucket_upcoming": ("待复查", "Upcoming"),
    "follow_up_status_open": ("待复查", "Open"),
    "follow_up_status_closed": ("已结束", "Closed"),
    "follow_up_status_cancelled": ("已撤销", "Cancelled"),
    "follow_up_outcome_rectified": ("已整改", "Rectified"),
    "follow_up_outcome_escalated": ("逾期未整改，已移送立案", "Not rectified in time: case opened"),
    "follow_up_result_passed": ("复查合格", "Passed"),
    "follow_up_result_failed": ("复查不合格", "Failed"),
    "follow_up_result_partial": ("部分整改", "Partly rectified"),
    "closure_reason_season_ended": ("臭氧管控时段已结束，无法复查", "The ozone season has ended: cannot be re-checked"),
    "closure_reason_phase_moved_on": ("施工阶段已变更，无法复查", "The site has moved to another phase: cannot be re-checked"),
    "closure_reason_other": ("其他原因无法复查", "Cannot be re-checked for another reason"),
    # refusals
    "follow_up_item_not_in_notice": (
        "“{item}”不在这份整改通知书中，复查只检查通知书列明的项目。",
        "“{item}” is not on this notice: a follow-up checks only the notice's items."),
    "follow_up_truck_by_roadside": (
        "渣土车的复查请做一次路检（渣土车检查），通过即整改完成。",
        "A truck is followed up by a roadside check of the plate; passing it closes the violations."),
    "follow_up_assignee_not_inspector": ("只能指派给在岗的巡查员。", "A follow-up can be assigned only to an active inspector."),
    "follow_up_assignee_other_unit": (
        "该巡查员不属于此复查任务所在的街道（镇）。", "That inspector does not belong to the task's unit."),
    "follow_up_not_open": ("该复查任务已结束，不能再指派。", "This follow-up is no longer open and cannot be reassigned."),
    "closure_evidence_required": (
        "关闭整改需附证据：说明或照片。", "Closing a violation needs evidence: a note or a photo."),
    "closure_note_required": ("原因为“其他”时须写明说明。", "With the reason “other”, a note is required."),
    "closure_photo_unknown": (
        "照片 {photo} 不是该工地（车辆）已存的照片。", "Photo {photo} is not a stored photo of this site (or truck)."),
    "violation_not_open": ("该整改事项已关闭或已作废。", "This violation is already closed or void."),
}

register_messages(MESSAGES)

# the weekly export's 整改通知书 sheet (exports/sheets.py)
register_messages({
    "export_col_notice_number": ("通知书编号", "Notice number"),
    "export_col_issued_at": ("下达时间", "Issued"),
    "export_col_service_method": ("送达方式", "Served by"),
    "export_col_served_at": ("送达时间", "Served at"),
    "export_col_deadline_dates": ("整改期限", "Deadline"),
    "export_col_follow_up_at": ("复查时间", "Followed up"),
    "export_col_follow_up_result": ("复查结果", "Follow-up result"),
    "export_col_notice_status": ("状态", "Status"),
    "export_service_signed": ("签收", "signed"),
    "export_service_refused": ("拒签", "refused"),
    "export_service_mail": ("邮寄", "by mail"),
    "export_service_left": ("留置", "left at the site"),
    "export_notice_void": ("已作废", "void"),
    "export_notice_rectified": ("已整改", "rectified"),
    "export_notice_escalated": ("逾期未整改（已立案）", "not rectified in time (case opened)"),
    "export_notice_overdue": ("已逾期", "overdue"),
    "export_notice_open": ("整改中", "being rectified"),
})

"""User-facing strings of the weekly export (zh-CN, English).

Column headers are registered here too; the export itself is always written with the zh-CN text
because it is a document for the district office (区扬尘办), whoever downloads it.
"""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "bad_week": (
        "周次“{week}”无效，应为 ISO 周，例如 2026-W48。",
        "“{week}” is not a valid week; use an ISO week such as 2026-W48.",
    ),
    "export_written": (
        "已写出 {path}（{format}），{rows}，用时 {seconds} 秒。",
        "Wrote {path} ({format}): {rows}; {seconds} s.",
    ),
    "export_sheet_rows": ("{sheet} {rows} 行", "{sheet}: {rows} rows"),
    "export_week_range": (
        "{week}：{start} 至 {end}（北京时间）",
        "{week}: {start} to {end} (Beijing time)",
    ),
    "export_yes": ("是", "yes"),
    "export_no": ("否", "no"),
    "export_total": ("合计", "Total"),
    # Column headers
    "export_col_violation_id": ("违规编号", "Violation no."),
    "export_col_unit": ("街道/镇", "Unit"),
    "export_col_site": ("工地名称", "Site"),
    "export_col_contractor": ("施工单位", "Contractor"),
    "export_col_item": ("检查项", "Requirement"),
    "export_col_clause": ("依据条款", "Source clause"),
    "export_col_found_at": ("发现时间", "Found at"),
    "export_col_deadline": ("整改期限", "Deadline"),
    "export_col_status": ("状态", "Status"),
    "export_col_fail_count": ("不合格次数", "Times failed"),
    "export_col_inspector": ("巡查员", "Inspector"),
    "export_col_photos": ("照片链接", "Photo links"),
    "export_col_case_number": ("案件编号", "Case no."),
    "export_col_created_at": ("移送时间", "Referred at"),
    "export_col_authority": ("移送机关", "Authority"),
    "export_col_case_items": ("违法事项", "Offences"),
    "export_col_legal_basis": ("法律依据", "Legal basis"),
    "export_col_fine_min": ("罚款下限（元）", "Minimum fine (CNY)"),
    "export_col_fine_max": ("罚款上限（元）", "Maximum fine (CNY)"),
    "export_col_photo_count": ("证据照片数", "Photos"),
    "export_col_inspected_at": ("巡查时间", "Inspected at"),
    "export_col_score": ("得分", "Score"),
    "export_col_grade": ("等级", "Grade"),
    "export_col_vetoed": ("一票否决", "Vetoed"),
    "export_col_flags": ("证据异常数", "Evidence flags"),
    "export_col_review_status": ("审核状态", "Review status"),
    "export_col_inspections": ("巡查次数", "Inspections"),
    "export_col_avg_score": ("平均得分", "Average score"),
    "export_col_min_score": ("最低得分", "Lowest score"),
    "export_col_violations": ("新增违规", "New violations"),
    "export_col_overdue": ("其中逾期", "Of which overdue"),
    "export_col_cases": ("处罚移送", "Penalty referrals"),
    "export_review_submitted": ("待审核", "submitted"),
    "export_review_approved": ("已通过", "approved"),
    "export_review_has_issues": ("有问题", "has issues"),
    "export_review_rejected": ("已退回", "rejected"),
}
register_messages(MESSAGES)

"""User-facing strings of rectification and penalties (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "reason_veto": ("否决项不合格", "a veto item failed"),
    "reason_overdue_refail": ("整改逾期后复查仍不合格", "still failing after the rectification deadline"),
    "reason_repeat_failures": ("30 天内同一项第三次不合格", "third failure of the same item within 30 days"),
    "violation_open": ("待整改", "open"),
    "violation_overdue": ("逾期未整改", "overdue"),
    "violation_closed": ("已整改", "rectified"),
    "violation_void": ("已作废", "void"),
    "case_pending_review": ("待审核", "pending review"),
    "case_approved": ("已移送", "referred"),
    "case_dismissed": ("不予移送", "dismissed"),
    "case_accepted": ("已受理", "accepted"),
    "case_decided": ("已决定", "decided"),
    "case_closed": ("已结案", "closed"),
    "authority_bureau": ("区城管执法局", "District Urban Management Law Enforcement Bureau"),
    "authority_traffic_police": ("区交管队", "District Traffic Police"),
}
register_messages(MESSAGES)

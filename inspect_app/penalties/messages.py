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
    "case_referred_out": ("已移交区交管队", "referred to the traffic police"),
    "decision_fine": ("罚款", "fine"),
    "decision_stop_work": ("责令停工整治", "order to stop work and rectify"),
    "authority_note_bureau": (
        "由区城管执法局受理并作出处罚决定。",
        "The district law-enforcement bureau accepts the case and decides the penalty.",
    ),
    "authority_note_traffic_police": (
        "超载属区交管队管辖（《道路交通安全法》第九十二条），本局不作处罚决定：督导移交交管后，待交管反馈再结案。",
        "Overloading is for the traffic police (Road Traffic Safety Law art. 92), not the bureau: a supervisor "
        "refers the case to them and closes it once they report back.",
    ),
    "fine_range": ("罚款幅度 {min}–{max} 元", "fine range CNY {min}–{max}"),
    # errors of the queue
    "case_role_not_allowed": (
        "您的角色不能将处罚案件改为“{target}”。",
        "Your role may not move a penalty case to “{target}”.",
    ),
    "case_bad_transition": (
        "该案件当前状态为“{current}”，不能改为“{target}”。",
        "This case is currently “{current}” and cannot be moved to “{target}”.",
    ),
    "case_wrong_authority": (
        "该案件由{authority}处理，不能进行此操作。",
        "This case belongs to the {authority}; this move is not for it.",
    ),
    "case_inspection_under_correction": (
        "该案件所依据的巡查已被退回更正或已被取代，暂不能移送。",
        "The inspection behind this case was sent back for correction or replaced; it cannot be referred now.",
    ),
    "case_request_reused": (
        "该请求编号已用于本案件的另一项操作。",
        "This request id was already used for a different move of this case.",
    ),
    "dismiss_reason_required": ("不予移送必须填写理由。", "A reason is required to dismiss a case."),
    "decision_required": (
        "请选择处理决定：罚款或责令停工整治。",
        "Choose the decision: a fine or an order to stop work and rectify.",
    ),
    "decision_number_required": ("请填写决定书文号。", "The decision number (决定书文号) is required."),
    "fine_amount_required": ("罚款决定必须填写罚款金额。", "A fine decision needs the amount."),
    "fine_out_of_range": (
        "罚款金额 {amount} 元超出本案法定幅度 {min}–{max} 元。",
        "A fine of CNY {amount} is outside this case's legal range of CNY {min}–{max}.",
    ),
    "fine_range_unknown": (
        "本案缺少法定罚款幅度，不能作出罚款决定。",
        "This case has no legal fine range; a fine cannot be decided.",
    ),
    "fine_with_stop_work": (
        "责令停工整治的决定不填写罚款金额。",
        "An order to stop work carries no fine amount; record a fine as its own decision.",
    ),
    "rectification_order_required": (
        "责令停工整治必须写明整改要求。",
        "An order to stop work must state what must be rectified.",
    ),
    # events the system records in a case's history
    "inspection_superseded": (
        "所依据的巡查已被更正记录取代。",
        "The inspection behind this case was replaced by a correction.",
    ),
    "inspection_rejected": (
        "所依据的巡查已被督导驳回，不再作为证据。",
        "The inspection behind this case was rejected by a supervisor and no longer counts as evidence.",
    ),
    "authority_bureau": ("区城管执法局", "District Urban Management Law Enforcement Bureau"),
    "authority_traffic_police": ("区交管队", "District Traffic Police"),
}
register_messages(MESSAGES)

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
    "case_referred_out": ("已移交外部机关", "referred to another authority"),
    "case_referred_out_to": ("已移交{authority}", "referred to the {authority}"),
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
    "authority_note_ecology": (
        "夏季臭氧管控时段施工属生态环境分局管辖（《大气污染防治法》第一百零八条），本局不作处罚决定：督导移交生态环境分局后，"
        "记录其反馈结果再结案。",
        "Ozone-hour works are for the ecology and environment branch (Air Pollution Law art. 108), not the bureau: "
        "a supervisor refers the case to it and records the outcome it reports back before closing.",
    ),
    "authority_note_housing": (
        "本案属区住建局管辖，本局不作处罚决定：督导移交区住建局后，记录其反馈结果再结案。",
        "This case is for the district housing and construction bureau, not this bureau: a supervisor refers it "
        "and records the outcome it reports back before closing.",
    ),
    "reason_referral": ("属外部机关管辖，移送处理", "another authority's matter: referred to it"),
    "referral_outcome_required": (
        "结案前请记录外部机关反馈的处理结果。",
        "Record the outcome the other authority reported back before closing the case.",
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
    "decision_number_required": ("请填写决定书文号。", "The decision number (决定书文号) is required."),
    "fine_amount_required": ("罚款决定必须逐项填写罚款金额。", "A fine decision needs the amount of each violation."),
    "fine_out_of_range": (
        "“{item}”的罚款金额 {amount} 元超出该项法定幅度 {min}–{max} 元。",
        "A fine of CNY {amount} for “{item}” is outside its legal range of CNY {min}–{max}.",
    ),
    "fine_range_unknown": (
        "本案缺少法定罚款幅度，不能作出罚款决定。",
        "This case has no legal fine range; a fine cannot be decided.",
    ),
    "fine_with_stop_work": (
        "责令停工整治的决定不填写罚款金额。",
        "An order to stop work carries no fine amount; decide “fine and stop-work” for both.",
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
    "authority_housing": ("区住建局", "District Housing and Construction Bureau"),
    "authority_ecology": ("生态环境分局", "Ecology and Environment Branch"),
}
register_messages(MESSAGES)

# 当事人: who a case is against (penalties/parties.py)
PARTY_MESSAGES = {
    "case_party": ("当事人", "Party"),
    "case_party_contractor": ("施工单位", "contractor"),
    "case_party_builder": ("建设单位", "builder"),
    "case_party_haulier": ("运输单位", "haulage company"),
    "case_party_driver": ("驾驶人", "driver"),
    "case_party_label": ("{name}（{kind}）", "{name} ({kind})"),
    "case_party_unknown_contractor": ("施工单位（名称未登记）", "the contractor (name not on record)"),
    "case_party_unknown_builder": ("建设单位（名称未登记）", "the builder (name not on record)"),
    "case_party_unknown_haulier": ("运输单位（未登记）", "the haulage company (not on record)"),
    "case_party_unknown_driver": ("车牌 {plate} 的驾驶人", "the driver of {plate}"),
}
register_messages(PARTY_MESSAGES)

# ---- decisions, payment, withdrawal (penalties/decisions.py, decision_rules.py) ----
DECISION_MESSAGES = {
    "case_decision_pending": ("减轻处罚待复核", "reduced fine awaiting a second approver"),
    "case_paid": ("已缴款", "paid"),
    "case_withdrawn": ("已撤案", "withdrawn"),
    "decision_warning": ("警告", "warning"),
    "decision_fine_and_stop_work": ("罚款并责令停工整治", "fine and order to stop work and rectify"),
    "decision_no_penalty": ("不予处罚", "no penalty"),
    "decision_reduced_fine": ("减轻处罚（罚款）", "reduced fine"),
    "decision_reason_first_minor_corrected": ("首违不罚：初次违法且危害后果轻微并及时改正",
                                              "first minor violation, corrected in time"),
    "decision_reason_minor_corrected": ("违法行为轻微并及时改正，没有造成危害后果",
                                        "minor violation corrected in time, no harm done"),
    "decision_reason_no_fault": ("有证据足以证明没有主观过错", "evidence shows no fault"),
    "decision_reason_insufficient_evidence": ("违法事实不清、证据不足", "facts unclear or evidence insufficient"),
    "decision_reason_time_barred": ("违法行为在二年内未被发现", "not discovered within two years"),
    "decision_reason_other": ("其他法定情形", "another legal ground"),
    "decision_reason_mitigated_harm": ("主动消除或者减轻违法行为危害后果", "removed or reduced the harm of its own accord"),
    "decision_reason_coerced": ("受他人胁迫或者诱骗实施违法行为", "acted under coercion or deceit"),
    "decision_reason_confessed": ("主动供述行政机关尚未掌握的违法行为", "confessed a violation not yet known"),
    "decision_reason_cooperated": ("配合行政机关查处违法行为有立功表现", "helped the authority investigate"),
    "decision_reason_other_statutory": ("法律、法规、规章规定的其他减轻处罚情形",
                                        "another ground for reduction set by law"),
    "decision_required": (
        "请选择处理决定：警告、罚款、罚款并责令停工整治、责令停工整治、不予处罚或减轻处罚。",
        "Choose the decision: warning, fine, fine and stop-work, stop-work, no penalty or reduced fine.",
    ),
    "decision_amounts_per_violation": (
        "本案有 {count} 项违法行为，请逐项填写罚款金额。",
        "This case has {count} violations: give the fine for each of them.",
    ),
    "decision_amount_unknown_item": ("“{item}”不是本案的违法行为。", "“{item}” is not a violation of this case."),
    "decision_amount_no_range": (
        "“{item}”没有法定罚款幅度（责令改正），不能对其罚款。",
        "“{item}” has no legal fine range (an order to correct): it cannot be fined.",
    ),
    "decision_amount_twice": ("“{item}”的罚款金额填写了两次。", "The fine for “{item}” was given twice."),
    "decision_total_mismatch": ("罚款合计与逐项金额之和不一致。", "The total does not match the amounts per violation."),
    "fine_not_for_outcome": ("该处理决定不含罚款，不能填写罚款金额。", "This decision carries no fine amount."),
    "rectification_order_without_stop_work": (
        "只有责令停工整治的决定才填写整改要求。",
        "Only an order to stop work carries rectification requirements.",
    ),
    "stop_work_needs_site": (
        "责令停工整治只适用于工地，渣土车案件不能停工。",
        "Stop-work orders are for building sites; a muck-truck case cannot be ordered to stop work.",
    ),
    "stop_work_needs_refusal": (
        "责令停工整治须以当事人拒不改正为前提（《大气污染防治法》第一百一十五条），本案违法行为不具备该情形。",
        "A stop-work order needs a refusal to correct (Air Pollution Law art. 115); no violation of this case shows one.",
    ),
    "decision_reason_required": ("请选择法定事由。", "Choose the legal ground."),
    "decision_reason_text_required": ("请写明理由。", "Write out the reason."),
    "decision_reason_not_for_outcome": (
        "只有不予处罚和减轻处罚需要填写法定事由。",
        "Only no-penalty and reduced-fine decisions carry a legal ground.",
    ),
    "reduction_not_below_minimum": (
        "减轻处罚须至少一项罚款低于法定最低额；在幅度内的罚款请作“罚款”决定。",
        "A reduced fine must go below the legal minimum for at least one violation; within the range, decide a fine.",
    ),
    "reduction_needs_second_approver": (
        "减轻处罚须提交另一名执法人员复核，不能直接决定。",
        "A reduced fine must be confirmed by a second bureau user; submit it for approval.",
    ),
    "only_reduction_waits_for_approval": (
        "只有减轻处罚需要复核，其他决定请直接作出。",
        "Only a reduced fine waits for a second approver; record other decisions directly.",
    ),
    "decision_awaiting_second_approver": (
        "本案的减轻处罚正在等待复核：请确认或退回，不能另作决定。",
        "This case's reduced fine is awaiting a second approver: confirm or send it back.",
    ),
    "reduction_second_approver_required": (
        "减轻处罚须由另一名执法人员复核，提出人不能自行确认。",
        "A reduced fine must be confirmed by a different bureau user than the one who proposed it.",
    ),
    "return_reason_required": ("退回减轻处罚必须填写理由。", "A reason is required to send a reduced fine back."),
    "decision_date_in_future": ("决定日期 {date} 晚于今天。", "The decision date {date} is in the future."),
    "decision_date_before_case": (
        "决定日期 {date} 早于案件移送日期 {earliest}。",
        "The decision date {date} is before the case was queued ({earliest}).",
    ),
    "decision_number_taken": (
        "决定书文号“{number}”已用于案件 {case}。",
        "The decision number “{number}” is already used by case {case}.",
    ),
    "case_no_fine_to_pay": ("本案决定不含罚款，无需缴款。", "This case's decision has no fine to pay."),
    "receipt_number_required": ("请填写缴款收据号。", "The payment receipt number is required."),
    "paid_on_required": ("请填写缴款日期。", "The payment date is required."),
    "paid_on_in_future": ("缴款日期 {date} 晚于今天。", "The payment date {date} is in the future."),
    "paid_before_decision": (
        "缴款日期 {date} 早于决定日期 {decided}。",
        "The payment date {date} is before the decision date {decided}.",
    ),
    "close_unpaid_fine_needs_note": (
        "罚款尚未缴纳：结案须在备注中写明原因（如已申请人民法院强制执行）。",
        "The fine is unpaid: closing needs a note saying why (e.g. enforcement applied for at the court).",
    ),
    "withdraw_reason_required": ("撤案必须填写理由。", "A reason is required to withdraw a case."),
    "decision_pdf_not_final": (
        "本案尚未作出处罚决定，没有决定书。",
        "This case has no final decision yet, so there is no decision document.",
    ),
    # the 决定书 (penalties/decision_document.py; printed in Chinese)
    "decision_doc_authority_bureau": ("回民区城管执法局", "Huimin District Urban Management Law Enforcement Bureau"),
    "decision_doc_title": ("行政处罚决定书", "Administrative penalty decision"),
    "decision_doc_title_no_penalty": ("不予行政处罚决定书", "Decision not to impose an administrative penalty"),
    "decision_doc_not_recorded": ("（未登记）", "(not recorded)"),
    "decision_doc_party": ("当事人", "Party"),
    "decision_doc_site": ("工地", "Site"),
    "decision_doc_address": ("地址", "Address"),
    "decision_doc_plate": ("车牌号", "Plate"),
    "decision_doc_facts": (
        "经查，当事人有下列违法行为（案件编号 {case}，巡查时间 {at}，有现场检查记录及照片为证）：",
        "The party committed the following violations (case {case}, inspected {at}; inspection record and photos):",
    ),
    "decision_doc_col_number": ("序号", "No."),
    "decision_doc_col_item": ("违法行为", "Violation"),
    "decision_doc_col_basis": ("处罚依据", "Legal basis"),
    "decision_doc_col_amount": ("罚款金额", "Fine"),
    "decision_doc_amount": ("{amount} 元", "CNY {amount}"),
    "decision_doc_no_fine": ("不罚款", "no fine"),
    "decision_doc_outcome": ("本机关决定：{outcome}。", "This authority decides: {outcome}."),
    "decision_doc_total": ("罚款合计人民币 {amount} 元。", "Fines total CNY {amount}."),
    "decision_doc_stop_work": (
        "责令停工整治，整改要求：{order}", "Stop work and rectify; requirements: {order}",
    ),
    "decision_doc_no_penalty": (
        "依据《中华人民共和国行政处罚法》{ground}，决定不予行政处罚。{reason}",
        "Under the Administrative Penalty Law {ground}, no penalty is imposed. {reason}",
    ),
    "decision_doc_reduced": (
        "依据《中华人民共和国行政处罚法》{ground}，减轻处罚。理由：{reason}",
        "Under the Administrative Penalty Law {ground}, the penalty is reduced. Reason: {reason}",
    ),
    "decision_doc_payment": (
        "当事人应当自收到本决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款（《行政处罚法》第六十七条）。"
        "到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款（第七十二条）。",
        "Pay within 15 days of receiving this decision at the designated bank or electronically (art. 67); late "
        "payment adds 3 % of the fine per day (art. 72).",
    ),
    "decision_doc_resumption": (
        "整改完成后，由当事人提出复工申请，经本机关复查合格后方可复工。",
        "Work may resume only after the party applies and this authority finds the rectification done.",
    ),
    "decision_doc_remedies": (
        "当事人如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
        "行政复议或者行政诉讼期间，本决定不停止执行（《行政处罚法》第七十三条）。",
        "The party may apply for administrative review within 60 days of receiving this decision or sue in a "
        "people's court within six months; the decision is carried out meanwhile (art. 73).",
    ),
    "decision_doc_paid": ("已于 {date} 缴款，收据号 {receipt}。", "Paid on {date}, receipt {receipt}."),
    "decision_doc_seal": ("（印章）", " (seal)"),
}
register_messages(DECISION_MESSAGES)

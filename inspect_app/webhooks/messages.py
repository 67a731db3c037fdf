"""User-facing strings of group-robot notifications (zh-CN first, English second).

Robots post in Chinese (the groups are the district's); the English is for the admin API.
"""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "webhook_case_queued": (
        "【扬尘巡查】新处罚案件待审核\n案件：{number}\n对象：{subject}\n当事人：{party}\n问题：{items}\n"
        "巡查时间：{time}\n请督导在“处罚案件”中审核。",
        "[Dust inspection] New penalty case to review\nCase: {number}\nSubject: {subject}\nParty: {party}\n"
        "Items: {items}\nInspected: {time}\nSupervisors: review it under Penalty cases.",
    ),
    "webhook_sent_back": (
        "【扬尘巡查】巡查记录已退回修改\n对象：{subject}\n巡查员：{inspector}\n巡查时间：{time}\n"
        "退回人：{reviewer}\n退回理由：{note}",
        "[Dust inspection] Inspection sent back for correction\nSubject: {subject}\nInspector: {inspector}\n"
        "Inspected: {time}\nSent back by: {reviewer}\nReason: {note}",
    ),
    "webhook_overdue": (
        "【扬尘巡查】{unit}逾期未复查 {count} 项（截至 {today}）：\n{lines}",
        "[Dust inspection] {unit}: {count} follow-ups overdue (as of {today}):\n{lines}",
    ),
    "webhook_overdue_line": ("· {subject}，通知书{number}，应于{due}复查，巡查员{inspector}",
                             "· {subject}, notice {number}, due {due}, inspector {inspector}"),
    "webhook_overdue_more": ("……另有 {count} 项", "… and {count} more"),
    "webhook_alert_declared": (
        "【扬尘巡查】重污染天气{level}预警\n时间：{start} 至 {end}（北京时间）\n范围：{scope}\n文号：{notice}\n{note}"
        "预警期间请按应急要求停止土石方、拆除等作业并加强巡查。",
        "[Dust inspection] Heavy-pollution alert: {level}\nFrom {start} to {end} (Beijing time)\nScope: {scope}\n"
        "Notice: {notice}\n{note}During the alert, earthwork and demolition stop and inspections increase.",
    ),
    "webhook_alert_district": ("全区", "the whole district"),
    "webhook_alert_note": ("说明：{note}\n", "Note: {note}\n"),
    "webhook_no_target": ("未配置该对象的群机器人（WEBHOOK_URLS）", "No group robot is configured for this audience (WEBHOOK_URLS)"),
    "webhook_not_failed": ("只有发送失败（已停止重试）的通知可以再试一次。",
                           "Only a notification that was given up can be tried again."),
    "webhook_status_pending": ("待发送", "Pending"),
    "webhook_status_delivered": ("已送达", "Delivered"),
    "webhook_status_failed": ("发送失败（已停止重试）", "Failed (no more retries)"),
    "webhook_event_case_queued": ("新处罚案件", "New penalty case"),
    "webhook_event_sent_back": ("退回修改", "Sent back"),
    "webhook_event_overdue": ("逾期复查", "Overdue follow-ups"),
    "webhook_event_alert_declared": ("重污染天气预警", "Heavy-pollution alert"),
}
register_messages(MESSAGES)

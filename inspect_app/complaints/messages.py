"""Complaint (投诉) texts and refusals."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "complaint_location_required": ("投诉须填写地址或坐标。", "A complaint needs an address or coordinates."),
    "complaint_ticket_conflict": (
        "该渠道的工单号已登记，内容不同。", "This channel's ticket number is already recorded with different content."),
    "complaint_not_unmatched": ("该投诉已匹配工地。", "This complaint already has a site."),
    "complaint_site_unknown": ("工地不存在、已关闭或不在您的辖区。", "No such open site in your units."),
    "complaint_site_closed": ("该投诉已办结。", "This complaint is closed."),
    "complaint_inspection_unknown": ("找不到该巡查记录。", "No such inspection."),
    "complaint_inspection_other_site": (
        "该巡查不是投诉所涉工地的巡查。", "That inspection is not of the complaint's site."),
    "complaint_inspection_too_early": (
        "该巡查在投诉受理之前完成，不能作为处置。", "That inspection finished before the complaint was received."),
    "complaint_reply_needs_inspection": (
        "须先关联处置巡查，才能办结回复。", "Link the answering inspection before recording the reply."),
    "complaint_no_site": ("该投诉尚未匹配工地。", "This complaint has no site yet."),
}

register_messages(MESSAGES)

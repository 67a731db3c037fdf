"""User-facing strings of inspection review and notification counts (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "review_submitted": ("待审核", "awaiting review"),
    "review_approved": ("审核通过", "approved"),
    "review_has_issues": ("存在问题", "has issues"),
    "review_rejected": ("已驳回", "rejected"),
    "review_rejected_sent_back": ("已退回修改", "sent back for correction"),
    "review_superseded": ("已被更正记录取代", "replaced by a correction"),
    "review_note_required": (
        "标记“存在问题”或“驳回”时必须填写审核意见。",
        "A note is required when marking an inspection as having issues or rejecting it.",
    ),
    "review_send_back_needs_rejection": (
        "只有驳回的巡查才能退回巡查员修改。",
        "Only a rejected inspection can be sent back to the inspector.",
    ),
    "review_inspection_superseded": (
        "该巡查已被更正记录 {correction} 取代，请审核更正后的记录。",
        "This inspection was replaced by the correction {correction}; review the correction instead.",
    ),
    "review_final_rejection": (
        "该巡查已被驳回且不予更正，不能再次审核。",
        "This inspection was rejected for good and cannot be reviewed again.",
    ),
    "review_photos_missing": (
        "该巡查还有 {count} 张照片未上传，不能审核通过。",
        "{count} photo(s) of this inspection have not arrived yet; it cannot be approved.",
    ),
}
register_messages(MESSAGES)

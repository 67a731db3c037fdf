"""User-facing strings of the inspections feature (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "inspection_conflict": (
        "该巡查编号已提交过不同的内容，不能覆盖。如需更正，请在督导退回后重新提交。",
        "An inspection with this id was already submitted with different content; it cannot be overwritten. "
        "Resubmit a correction after a supervisor sends it back.",
    ),
    "unknown_item": ("检查项 {item} 不存在。", "Checklist item {item} does not exist."),
    "item_not_in_versions": (
        "检查项 {item} 不属于本次使用的检查表版本。",
        "Checklist item {item} is not part of the checklist versions this inspection used.",
    ),
    "unknown_checklist_version": (
        "检查表版本 {versions} 不存在或不适用于工地巡查。",
        "Checklist versions {versions} do not exist or are not for site inspections.",
    ),
    "answers_missing": (
        "以下适用检查项尚未作答：{items}。",
        "These applicable items have no answer: {items}.",
    ),
    "duplicate_item": ("检查项 {item} 重复作答。", "Checklist item {item} was answered twice."),
    "photos_required": (
        "检查项 {item} 不合格，需要至少 {count} 张照片作为证据。",
        "Item {item} failed and needs at least {count} photo(s) as evidence.",
    ),
    "duplicate_photo_id": ("照片编号 {photo} 被重复使用。", "Photo id {photo} is used more than once."),
    "too_many_photos": (
        "一次巡查最多申报 {limit} 张照片。",
        "An inspection may declare at most {limit} photos.",
    ),
    "finished_before_started": ("结束时间早于开始时间。", "The finish time is before the start time."),
    "site_not_active": ("该工地已关闭，不能再提交巡查。", "This site is closed; inspections can no longer be submitted."),
    "supersede_not_allowed": (
        "只能更正被督导退回的本人巡查记录。",
        "Only your own inspection that a supervisor sent back can be corrected.",
    ),
    "annotation_photo_unknown": (
        "标注照片 {photo} 不是本次巡查申报的照片，不能关联。",
        "Photo {photo} is not a photo declared by this inspection; an annotated copy cannot be linked to it.",
    ),
    "annotation_invalid": (
        "标注照片 {photo} 的关联无效：副本只能标注本次巡查的一张原始照片，且只能关联一次。",
        "The link of annotated photo {photo} is invalid: a copy annotates one original photo of this "
        "inspection, once.",
    ),
}
register_messages(MESSAGES)

"""User-facing strings of the sites feature (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "site_outside_district": (
        "坐标不在回民区范围内（经度 111.436–111.669，纬度 40.788–40.948）。",
        "The coordinates are outside Huimin District (lon 111.436–111.669, lat 40.788–40.948).",
    ),
    "site_unit_forbidden": ("您无权管理该街道/镇的工地。", "You may not manage sites of that unit."),
    "site_suspended_resume_through_resumption": (
        "该工地处于停工整治中，只能通过复工程序（申请、复查、批准）恢复。",
        "The site is under a stop-work order; it becomes active again only through resumption "
        "(application, inspection, approval).",
    ),
    "site_suspended_only_by_decision": (
        "工地只能由责令停工整治决定设为停工。",
        "A site is suspended only by a stop-work decision.",
    ),
    "site_contractor_required": (
        "请填写施工单位（名称或单位档案）。", "Name the contractor (by name or by its organisation record)."),
    "site_finish_before_start": (
        "计划竣工日期早于计划开工日期。", "The planned finish is before the planned start."),
    "site_plan_date_without_filing": (
        "填写了扬尘防治方案备案日期，却标记为未备案。",
        "A filing date is given for the dust-control plan, but the plan is marked as not filed."),
    "bad_near": ("near 参数应为“纬度,经度”。", "The near parameter must be 'lat,lon'."),
}
register_messages(MESSAGES)

"""User-facing strings of night-work permits (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "night_permit_dates_out_of_order": (
        "截止日期不能早于起始日期。", "The last valid date cannot be before the first."),
    "night_permit_bad_hours": (
        "时段“{value}”无法识别，请写成 22:00–06:00 的形式（开始与结束不能相同）。",
        "The hours \"{value}\" are not recognised; write them like 22:00–06:00 (start and end must differ)."),
    "night_permit_number_taken": (
        "该工地已有编号为“{number}”的夜间施工证明。",
        "This site already has a night-work permit numbered \"{number}\"."),
    "night_permit_revoked": (
        "该夜间施工证明已撤销，不能再修改。", "This night-work permit was revoked and can no longer be changed."),
    "night_permit_site_closed": (
        "工地已关闭，不能再登记夜间施工证明。", "The site is closed; no night-work permit can be recorded for it."),
    # the import (夜间施工证明导入): whole-file refusals are core.spreadsheet's import_* codes
    "night_permit_import_refused": (
        "导入未执行：有 {count} 处错误，请按行号改正后重新导入（未导入任何证明）。",
        "Nothing was imported: {count} problems were found; fix the listed rows and import again."),
    "night_permit_import_unknown_site": (
        "找不到工地“{site}”（请填写工地名称或编号）。", "No site \"{site}\" (give the site's name or number)."),
    "night_permit_import_ambiguous_site": (
        "有 {count} 个工地名为“{site}”，请改填工地编号。",
        "{count} sites are named \"{site}\"; give the site's number instead."),
    "night_permit_import_site_not_yours": (
        "工地“{site}”不属于您管理的街道/镇。", "The site \"{site}\" is not in your units."),
    "night_permit_import_revoked": (
        "证明“{number}”已撤销，不能通过导入修改；请改用新的证明编号。",
        "The permit \"{number}\" was revoked and cannot be changed by an import; use a new permit number."),
    "night_permit_import_conflict": (
        "导入期间有人同时登记了相同编号的证明，未导入任何证明；请重新导入。",
        "Someone recorded a permit with the same number while importing; nothing was imported. Import again."),
    "night_permit_import_duplicate": (
        "与第 {first_row} 行重复：同一工地的证明编号“{number}”。",
        "Same as row {first_row}: permit number \"{number}\" for the same site."),
}
register_messages(MESSAGES)

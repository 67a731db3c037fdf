"""User-facing strings of the checklists feature (zh-CN, English).

Problems found in a checklist file are reported as ``checklist_file_problem`` wrapping one of the
``checklist_*`` problem codes below, so an admin reads which file, which item and what is wrong.
"""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "checklist_file_problem": ("{file}：{where}：{problem}", "{file}: {where}: {problem}"),
    "checklist_where_item": ("条目“{item}”", "item '{item}'"),
    "checklist_where_item_no": ("第 {number} 个条目", "item #{number}"),
    "checklist_where_source": ("[source] 部分", "[source] section"),
    "checklist_where_file": ("文件", "file"),
    # problems
    "checklist_missing_key": ("缺少必填字段“{field}”", "missing required key '{field}'"),
    "checklist_unknown_field": ("未知字段“{field}”", "unknown key '{field}'"),
    "checklist_duplicate_key": ("条目 key“{value}”重复", "duplicate item key '{value}'"),
    "checklist_duplicate_requirement": (
        "同一文件中 requirement“{value}”重复",
        "requirement '{value}' appears twice in one file",
    ),
    "checklist_not_a_number": ("“{field}”不是数字", "'{field}' is not a number"),
    "checklist_not_an_integer": ("“{field}”不是整数", "'{field}' is not a whole number"),
    "checklist_not_a_boolean": ("“{field}”应为 true 或 false", "'{field}' must be true or false"),
    "checklist_not_a_string": ("“{field}”应为文本", "'{field}' must be text"),
    "checklist_not_a_list": ("“{field}”应为列表", "'{field}' must be a list"),
    "checklist_not_a_table": ("“{field}”应为表（table）", "'{field}' must be a table"),
    "checklist_out_of_range": ("“{field}”超出允许范围 {detail}", "'{field}' is out of range {detail}"),
    "checklist_bad_format": ("“{field}”格式不对：{detail}", "'{field}' has the wrong format: {detail}"),
    "checklist_unknown_phase": (
        "未知施工阶段“{value}”（可用：{allowed}）",
        "unknown phase '{value}' (allowed: {allowed})",
    ),
    "checklist_unknown_authority": (
        "未知执法主体“{value}”（可用：{allowed}）",
        "unknown authority '{value}' (allowed: {allowed})",
    ),
    "checklist_unknown_liable": (
        "未知责任方“{value}”（可用：{allowed}）",
        "unknown liable party '{value}' (allowed: {allowed})",
    ),
    "checklist_unknown_alert_level": (
        "未知预警级别“{value}”（可用：{allowed}）",
        "unknown alert level '{value}' (allowed: {allowed})",
    ),
    "checklist_alert_levels_empty_or_repeated": (
        "alert 须列出至少一个预警级别且不得重复，例如 alert = [\"orange\", \"red\"]",
        "alert must list at least one alert level, each once, e.g. alert = [\"orange\", \"red\"]",
    ),
    "checklist_unknown_site_status": (
        "未知工地状态“{value}”（可用：{allowed}）",
        "unknown site status '{value}' (allowed: {allowed})",
    ),
    "checklist_bad_kind": ("未知检查表类型“{value}”（可用：{allowed}）", "unknown kind '{value}' (allowed: {allowed})"),
    "checklist_window_end_before_start": (
        "时间窗口的结束早于开始（{field}）",
        "the window ends before it starts ({field})",
    ),
    "checklist_window_empty": (
        "时间窗口的开始与结束相同，窗口为空（{field}）；跨午夜的时段写作 start_time = \"22:00\", end_time = \"06:00\"",
        "the window starts and ends at the same time, so it is empty ({field}); hours across midnight are written "
        "start_time = \"22:00\", end_time = \"06:00\"",
    ),
    "checklist_window_incomplete": (
        "时间窗口须成对给出 start/end 或 start_time/end_time",
        "a window needs start and end, or start_time and end_time, in pairs",
    ),
    "checklist_fine_min_above_max": (
        "罚款下限 fine_min 高于上限 fine_max",
        "fine_min is greater than fine_max",
    ),
    "checklist_phases_empty": ("phases 不能为空", "phases must not be empty"),
    "checklist_fine_range_incomplete": (
        "罚款幅度须同时给出下限和上限（{field}）",
        "a fine range needs both its minimum and its maximum ({field})",
    ),
    "checklist_fine_without_article": (
        "有罚款幅度必须写明罚则条款 penalty_article",
        "a fine range needs the penalty_article that sets it",
    ),
    "checklist_unknown_condition": (
        "未知适用条件“{value}”（可用：{allowed}）",
        "unknown condition '{value}' (allowed: {allowed})",
    ),
    "checklist_observation_punished": (
        "无责任方的观察项（liable = \"none\"）不能是否决项，也不能有罚则",
        "an observation (liable = \"none\") can be neither a veto nor carry a penalty",
    ),
    "checklist_key_not_file_stem": (
        "source.key“{value}”应与文件名“{stem}”一致",
        "source.key '{value}' must equal the file name '{stem}'",
    ),
    "checklist_no_items": ("文件中没有任何条目", "the file has no items"),
    "checklist_toml_syntax": ("TOML 语法错误：{detail}", "TOML syntax error: {detail}"),
    "checklist_unreadable": ("无法读取文件：{detail}", "cannot read the file: {detail}"),
    "checklist_not_utf8": ("文件不是 UTF-8 编码", "the file is not UTF-8 text"),
    "checklist_no_files": ("目录中没有 .toml 检查表文件", "no .toml checklist files in the directory"),
    "checklist_duplicate_source": ("检查表来源“{value}”重复", "checklist source '{value}' defined twice"),
    "checklist_requirement_window_conflict": (
        "requirement“{value}”在“{other}”中的时间窗口不同；带时间窗口的条目不能与其他来源合并",
        "requirement '{value}' has a different window in '{other}'; windowed items cannot share a requirement",
    ),
    "checklist_requirement_alert_conflict": (
        "requirement“{value}”在“{other}”中的预警条件（alert）不同；同一要求在各来源中须在相同预警级别下检查",
        "requirement '{value}' has a different alert condition in '{other}'; a shared requirement is asked "
        "under the same alert levels in every source",
    ),
    "checklist_requirement_kind_conflict": (
        "requirement“{value}”在“{other}”中属于另一类检查表",
        "requirement '{value}' is used by '{other}' of another kind",
    ),
    "checklist_invalid_value": ("“{field}”的值无效：{detail}", "'{field}' is invalid: {detail}"),
    # API / sync
    "checklist_versions_unknown": ("检查表版本不存在：{ids}。", "Unknown checklist version(s): {ids}."),
    "checklist_versions_required": ("请提供检查表版本。", "Checklist versions are required."),
    "checklist_versions_mixed_kinds": (
        "检查表版本不属于同一类检查表。", "The checklist versions belong to different kinds of form.",
    ),
    "checklist_versions_same_source": (
        "同一检查表来源只能提供一个版本：{source}", "Only one version per checklist source: {source}",
    ),
    "checklist_sync_new": ("{source}：新版本 {version}", "{source}: new version {version}"),
    "checklist_sync_unchanged": ("{source}：未变化（版本 {version}）", "{source}: unchanged (version {version})"),
    "checklist_sync_missing_file": (
        "{source}：数据库中有，但目录中已无文件（当前版本 {version} 仍然有效）",
        "{source}: stored but no longer on disk (version {version} stays current)",
    ),
    "checklist_check_ok": ("{file}：通过（{count} 个条目）", "{file}: ok ({count} items)"),
    "checklist_sync_published_differs": (
        "{source}：当前版本 {version} 是在后台发布的，与文件内容不同：",
        "{source}: current version {version} was published on the desk and differs from the file:",
    ),
    "checklist_sync_refused": (
        "未存储任何版本。请先把后台发布的版本导出为 TOML 放进检查表目录；确要以文件覆盖已发布版本，"
        "请加 --overwrite-published 重新运行。",
        "Nothing was stored. Export the desk's published version as TOML into the checklist directory first; "
        "to replace the published version with the file anyway, run again with --overwrite-published.",
    ),
    # the checklist screen (admin desk)
    "checklist_source_unknown": ("检查表来源不存在：{source}。", "Unknown checklist source: {source}."),
    "checklist_version_unknown": ("检查表版本不存在。", "Unknown checklist version."),
    "checklist_draft_invalid": (
        "检查表修改未通过校验，未发布：\n{problems}",
        "The checklist change is invalid and was not published:\n{problems}",
    ),
    "checklist_draft_stale": (
        "{source} 在你编辑期间已发布了版本 {current}（你的修改基于版本 {base}）；请重新打开后再修改。",
        "{source} version {current} was published while you edited version {base}; reopen it and edit again.",
    ),
    "checklist_diff_source_field": ("[source] {field}：{before} → {after}", "[source] {field}: {before} → {after}"),
    "checklist_diff_item_field": ("条目“{item}” {field}：{before} → {after}",
                                  "item '{item}' {field}: {before} → {after}"),
    "checklist_diff_item_added": ("新增条目“{item}”", "item '{item}' added"),
    "checklist_diff_item_removed": ("删除条目“{item}”", "item '{item}' removed"),
}
register_messages(MESSAGES)

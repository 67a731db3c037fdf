"""User-facing strings of the organisations feature (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "credit_code_invalid": (
        "统一社会信用代码“{value}”无效：{reason}。",
        "The unified social credit code \"{value}\" is not valid: {reason}.",
    ),
    "credit_code_reason.length": ("应为 18 位", "it must have 18 characters"),
    "credit_code_reason.character": (
        "含有不允许的字符（代码只用数字和除 I、O、Z、S、V 以外的大写字母）",
        "it contains a character codes never use (digits and capitals except I, O, Z, S and V)",
    ),
    "credit_code_reason.division": ("第 3–8 位应为行政区划代码（6 位数字）",
                                    "characters 3–8 must be the six-digit division code"),
    "credit_code_reason.check": ("校验位不符，请核对营业执照", "the check character does not match; check the licence"),
    "credit_code_taken": (
        "统一社会信用代码 {value} 已属于“{name}”（编号 {id}）。",
        "The credit code {value} already belongs to \"{name}\" (id {id}).",
    ),
    "organisation_merged_away": (
        "该单位已合并到编号 {id} 的单位，请修改那一条记录。",
        "This organisation was merged into organisation {id}; change that record instead.",
    ),
    "organisation_merge_self": ("不能把单位合并到它自己。", "An organisation cannot be merged into itself."),
    "organisation_merge_codes_differ": (
        "两个单位的统一社会信用代码不同（{a} 与 {b}），不是同一单位，不能合并。",
        "The two organisations have different credit codes ({a} and {b}): they are not the same "
        "organisation and cannot be merged.",
    ),
    "unknown_organisation": ("找不到编号为 {id} 的单位。", "There is no organisation with id {id}."),
}
register_messages(MESSAGES)

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
    "organisation_import_refused": (
        "导入未执行：有 {count} 处错误，请按行号改正后重新导入（未导入任何数据）。",
        "Nothing was imported: {count} problems were found; fix the listed rows and import again."),
    "organisation_import_empty": ("上传的文件是空的。", "The uploaded file is empty."),
    "organisation_import_unreadable": (
        "无法读取该文件：请上传 CSV（UTF-8 或 GBK/GB18030 编码）或 XLSX 文件。",
        "The file cannot be read: upload a CSV (UTF-8 or GBK/GB18030) or an XLSX file."),
    "organisation_import_xls_unsupported": (
        "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后上传。",
        "Old Excel (.xls) files are not supported; save it as .xlsx or CSV and upload that."),
    "organisation_import_too_large": ("导入文件过大，上限为 {limit_mb} MB。", "The import file is too large; the limit is {limit_mb} MB."),
    "organisation_import_too_many_rows": ("一次最多导入 {max} 行。", "At most {max} rows can be imported at once."),
    "organisation_import_no_header": ("找不到表头：前几行中应有“{column}”列。",
                                      "No header row found: one of the first rows must have a “{column}” column."),
    "organisation_import_missing_columns": ("缺少必需的列：{columns}。", "Required columns are missing: {columns}."),
    "organisation_import_no_rows": ("表头下没有数据行。", "There are no data rows below the header."),
    "organisation_import_no_file": ("请以 multipart 的 file 字段或请求正文上传 CSV / XLSX 文件。",
                                    "Upload a CSV or XLSX file, as the multipart field \"file\" or as the request body."),
    "organisation_import_duplicate_code": ("该信用代码在第 {first_row} 行已出现。",
                                           "This credit code already appears in row {first_row}."),
    "organisation_import_ambiguous_name": ("有 {count} 个单位名为“{name}”，请填写统一社会信用代码以区分。",
                                           "{count} organisations are named \"{name}\"; give the credit code to choose."),
    "unknown_organisation": ("找不到编号为 {id} 的单位。", "There is no organisation with id {id}."),
}
register_messages(MESSAGES)

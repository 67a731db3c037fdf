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
    "site_import_refused": (
        "导入未执行：有 {count} 处错误，请按行号改正后重新导入（未导入任何数据）。",
        "Nothing was imported: {count} problems were found; fix the listed rows and import again."),
    "site_import_empty": ("上传的文件是空的。", "The uploaded file is empty."),
    "site_import_unreadable": (
        "无法读取该文件：请上传 CSV（UTF-8 或 GBK/GB18030 编码）或 XLSX 文件。",
        "The file cannot be read: upload a CSV (UTF-8 or GBK/GB18030) or an XLSX file."),
    "site_import_xls_unsupported": (
        "不支持旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV 后上传。",
        "Old Excel (.xls) files are not supported; save it as .xlsx or CSV and upload that."),
    "site_import_too_large": ("导入文件过大，上限为 {limit_mb} MB。", "The import file is too large; the limit is {limit_mb} MB."),
    "site_import_too_many_rows": ("一次最多导入 {max} 行。", "At most {max} rows can be imported at once."),
    "site_import_no_header": ("找不到表头：前几行中应有“{column}”列。",
                              "No header row found: one of the first rows must have a “{column}” column."),
    "site_import_missing_columns": ("缺少必需的列：{columns}。", "Required columns are missing: {columns}."),
    "site_import_no_rows": ("表头下没有数据行。", "There are no data rows below the header."),
    "site_import_no_file": ("请以 multipart 的 file 字段或请求正文上传 CSV / XLSX 文件。",
                            "Upload a CSV or XLSX file, as the multipart field \"file\" or as the request body."),
    "site_import_unknown_phase": ("施工阶段“{value}”无法识别（土方、基础、主体、装饰装修、拆除、停工、完工）。",
                                  "The phase \"{value}\" is not recognised (土方, 基础, 主体, 装饰装修, 拆除, 停工, 完工)."),
    "site_import_unknown_project_type": ("项目类型“{value}”无法识别（房建、市政、拆除、其他）。",
                                         "The project type \"{value}\" is not recognised (房建, 市政, 拆除, 其他)."),
    "site_import_unknown_datum": ("坐标系“{value}”无法识别（WGS84 或 GCJ02/高德）。",
                                  "The datum \"{value}\" is not recognised (WGS84, or GCJ02 for Amap)."),
    "site_import_out_of_range": ("数值应在 {low} 到 {high} 之间。", "The value must be between {low} and {high}."),
    "site_import_yes_no": ("“{value}”应填“是”或“否”。", "\"{value}\" must be 是 (yes) or 否 (no)."),
    "site_import_unknown_credit_code": ("信用代码 {value} 没有对应的单位档案，请先导入单位。",
                                        "No organisation has the credit code {value}; import the organisations first."),
    "site_import_duplicate_site": ("同一街道的同名工地在第 {first_row} 行已出现。",
                                   "A site of this name in this unit already appears in row {first_row}."),
    "site_export_sheet": ("工地名录", "Sites"),
    "bad_near": ("near 参数应为“纬度,经度”。", "The near parameter must be 'lat,lon'."),
}
register_messages(MESSAGES)

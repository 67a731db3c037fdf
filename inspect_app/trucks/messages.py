"""User-facing strings of the trucks feature (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "invalid_plate": (
        "车牌号“{plate}”格式不正确：{reason}。应为省份简称 + 发牌机关字母 + 5 位号码（如 蒙A12345），"
        "挂车为 4 位号码加“挂”（如 蒙A1234挂），新能源为 6 位号码（大型如 蒙A12345D，小型如 蒙AD12345）。",
        "The plate \"{plate}\" is not valid: {reason}. Expected a province character, an issuing-office "
        "letter and 5 letters/digits (e.g. 蒙A12345); trailers have 4 plus 挂 (蒙A1234挂); new-energy "
        "plates have 6 (large: 蒙A12345D, small: 蒙AD12345).",
    ),
    "plate_reason.empty": ("未填写车牌号", "it is empty"),
    "plate_reason.unknown_province": ("首字不是省份简称", "the first character is not a province abbreviation"),
    "plate_reason.bad_office_letter": ("第二位应为发牌机关字母", "the second character must be the issuing-office letter"),
    "plate_reason.letter_i_or_o": ("号牌不使用字母 I 和 O", "plates never use the letters I and O"),
    "plate_reason.wrong_length": ("位数不对", "it has the wrong number of characters"),
    "plate_reason.bad_serial": ("号码只能由字母和数字组成", "the serial may contain only letters and digits"),
    "plate_reason.bad_trailer": ("挂车号牌应为 4 位号码加“挂”", "a trailer plate has 4 letters/digits before 挂"),
    "plate_reason.bad_new_energy": (
        "新能源号牌应为 5 位数字加 D/F，或 D/F 加 1 位字母或数字再加 4 位数字",
        "a new-energy plate is five digits then D or F, or D or F, a letter or digit, then four digits",
    ),
    "plate_colour_mismatch": (
        "车牌“{plate}”的颜色“{colour}”与号牌种类不符：新能源号牌为绿色或黄绿色，其他号牌不是。",
        "The colour \"{colour}\" does not fit the plate \"{plate}\": new-energy plates are green or "
        "yellow-green, other plates are not.",
    ),
    "company_name_taken": ("运输企业“{name}”已存在。", "A haulage company named \"{name}\" already exists."),
    "unknown_company": ("找不到编号为 {company} 的运输企业。", "There is no haulage company with id {company}."),
    "unknown_site": ("找不到工地：{site}。", "Unknown site: {site}."),
    "vehicle_plate_taken": ("车牌“{plate}”已登记。", "The plate \"{plate}\" is already registered."),
    "vehicle_unknown": (
        "车辆登记中没有车牌“{plate}”：该车未备案或车牌有误。",
        "No registered vehicle has the plate \"{plate}\": it is not filed, or the plate was mistyped.",
    ),
    "rated_load_out_of_range": (
        "核定载质量“{value}”无效：应大于 0 且不超过 {max:g} 吨（是否误填了千克？）。",
        "The rated load \"{value}\" is invalid: it must be above 0 and at most {max:g} tonnes "
        "(was it entered in kilograms?).",
    ),
    # import: the whole file
    "vehicle_import_refused": (
        "导入未执行：有 {count} 处错误，请按行号改正后重新导入（未导入任何数据）。",
        "Nothing was imported: {count} problems were found; fix the listed rows and import again.",
    ),
    "vehicle_import_empty": ("上传的文件是空的。", "The uploaded file is empty."),
    "vehicle_import_unreadable": (
        "无法读取该文件：请上传 CSV（UTF-8 或 GB18030 编码）或 XLSX 文件。",
        "The file cannot be read: upload a CSV (UTF-8 or GB18030) or an XLSX file.",
    ),
    "vehicle_import_xls_unsupported": (
        "不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后上传。",
        "Old Excel (.xls) files are not supported; save it as .xlsx or CSV in Excel and upload that.",
    ),
    "vehicle_import_too_large": (
        "导入文件过大，上限为 {limit_mb} MB；请分批导入。",
        "The import file is too large; the limit is {limit_mb} MB. Split it into several files.",
    ),
    "vehicle_import_too_many_rows": (
        "文件行数过多，一次最多导入 {max} 行；请分批导入。",
        "The file has too many rows; at most {max} can be imported at once. Split it.",
    ),
    "vehicle_import_no_header": (
        "找不到表头：前几行中应有“车牌号”列。",
        "No header row found: one of the first rows must have a 车牌号 (plate) column.",
    ),
    "vehicle_import_missing_columns": ("缺少必需的列：{columns}。", "Required columns are missing: {columns}."),
    "vehicle_import_no_rows": ("表头下没有数据行。", "There are no data rows below the header."),
    "vehicle_import_no_file": (
        "请以 multipart 的 file 字段或请求正文上传 CSV / XLSX 文件。",
        "Upload a CSV or XLSX file, as the multipart field \"file\" or as the request body.",
    ),
    # import: one cell
    "vehicle_import_required": ("“{column}”不能为空。", "\"{column}\" must not be empty."),
    "vehicle_import_bad_number": ("“{value}”不是数字。", "\"{value}\" is not a number."),
    "vehicle_import_bad_date": (
        "日期“{value}”无法识别，请写成 2026-12-31 的形式。",
        "The date \"{value}\" is not recognised; write it like 2026-12-31.",
    ),
    "vehicle_import_unknown_colour": (
        "车牌颜色“{value}”无法识别：应为 黄、绿、蓝、黄绿 或 其他。",
        "Unknown plate colour \"{value}\": use yellow, green, blue, yellow-green or other.",
    ),
    "vehicle_import_unknown_status": (
        "备案状态“{value}”无法识别：应为 已备案、未备案、已过期 或 已撤销。",
        "Unknown filing status \"{value}\": use filed, unfiled, expired or revoked.",
    ),
    "vehicle_import_unknown_site": (
        "系统中没有名为“{site}”的工地（名称须与工地登记完全一致）。",
        "No site is named \"{site}\" (names must match the site register exactly).",
    ),
    "vehicle_import_ambiguous_site": (
        "有 {count} 个工地都叫“{site}”，无法确定是哪一个；请先在工地登记中区分名称。",
        "{count} sites are named \"{site}\"; rename them in the site register so the name is unique.",
    ),
    "vehicle_import_duplicate_plate": (
        "车牌“{plate}”在第 {first_row} 行已出现过，同一车辆只能出现一次。",
        "The plate \"{plate}\" already appears in row {first_row}; list each vehicle once.",
    ),
    "vehicle_import_summary": (
        "已读取 {rows} 行：新增 {created}，更新 {updated}，未变 {unchanged}；新建运输企业 {companies} 家。",
        "Read {rows} rows: {created} created, {updated} updated, {unchanged} unchanged; "
        "{companies} new companies.",
    ),
    "vehicle_import_summary_dry_run": (
        "试导入（未写入）：{rows} 行，将新增 {created}，更新 {updated}，未变 {unchanged}；"
        "将新建运输企业 {companies} 家。",
        "Dry run (nothing written): {rows} rows; would create {created}, update {updated}, "
        "leave {unchanged} unchanged; {companies} new companies.",
    ),
    "vehicle_import_ignored_columns": ("未识别、已忽略的列：{columns}", "Columns not recognised and ignored: {columns}"),
    "vehicle_import_row_error": ("第 {row} 行【{column}】：{message}", "row {row} [{column}]: {message}"),
    "vehicle_import_too_long": ("内容过长，最多 {max} 个字符。", "Too long: at most {max} characters."),
}
register_messages(MESSAGES)

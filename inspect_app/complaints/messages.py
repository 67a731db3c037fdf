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
    # labels (the desk, the export)
    "complaint_category_dust": ("扬尘", "Dust"),
    "complaint_category_muck_truck": ("渣土车", "Muck truck"),
    "complaint_category_night_noise": ("夜间施工噪声", "Night-work noise"),
    "complaint_category_other": ("其他", "Other"),
    "complaint_status_no_site_matched": ("未匹配工地", "No site matched"),
    "complaint_status_open": ("待处置", "Open"),
    "complaint_status_answered": ("已处置待回复", "Answered, reply pending"),
    "complaint_status_closed": ("已办结", "Closed"),
    # import of a day's hotline tickets
    "complaint_import_refused": (
        "导入未执行：有 {count} 处错误，请按行号改正后重新导入（未导入任何工单）。",
        "Nothing was imported: {count} problems were found; fix the listed rows and import again."),
    "complaint_import_unknown_channel": (
        "来源渠道“{value}”无法识别：应为 12345、12369 或 12319。",
        "Unknown channel \"{value}\": use 12345, 12369 or 12319."),
    "complaint_import_unknown_category": (
        "诉求类别“{value}”无法识别：应为 扬尘、渣土车、夜间噪声 或 其他。",
        "Unknown category \"{value}\": use dust, muck truck, night noise or other."),
    "complaint_import_unknown_datum": (
        "坐标系“{value}”无法识别：有经纬度时须注明 WGS-84（GPS）或 GCJ-02（高德/腾讯）。",
        "Unknown datum \"{value}\": coordinates need WGS-84 (GPS) or GCJ-02 (Amap/Tencent)."),
    "complaint_import_half_coordinates": ("经度和纬度须同时填写。", "Longitude and latitude go together."),
    "complaint_import_coordinate_range": (
        "坐标“{value}”超出范围（经纬度是否填反了？）。",
        "The coordinate \"{value}\" is out of range (are longitude and latitude swapped?)."),
    "complaint_import_duplicate_ticket": (
        "该渠道的工单号在第 {first_row} 行已出现，内容不同。",
        "This channel's ticket number already appears in row {first_row} with different content."),
}

register_messages(MESSAGES)

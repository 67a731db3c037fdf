"""User-facing strings of the evidence feature (zh-CN, English): photo refusals and evidence flags."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    # Photo refusals (raised by imaging.process_photo)
    "unsupported_image": (
        "不支持的文件类型：只接受 {accepted} 格式的照片。",
        "Unsupported file type: only {accepted} photos are accepted.",
    ),
    "photo_too_large": (
        "照片过大，上限为 {limit_mb} MB。",
        "The photo is too large; the limit is {limit_mb} MB.",
    ),
    "image_too_many_pixels": (
        "照片像素过多（上限 {limit_mp} 百万像素），已拒收。",
        "The photo has too many pixels (limit {limit_mp} megapixels) and was refused.",
    ),
    "image_corrupt": (
        "照片文件已损坏或不完整，请重新拍摄或重新上传。",
        "The photo file is damaged or incomplete; please take or upload it again.",
    ),
    "photo_decoder_busy": (
        "服务器正忙于处理其他照片，请稍后重试。",
        "The server is busy processing other photos; please try again shortly.",
    ),
    "photo_id_taken": (
        "照片编号 {photo} 已属于另一次巡查，不能再次申报；请使用新拍的照片。",
        "Photo id {photo} already belongs to another inspection and cannot be declared again; "
        "use a newly taken photo.",
    ),
    # flask photos sweep
    "photo_sweep_summary": (
        "检查了 {scanned} 个证据文件（照片、送达签名与拒签照片）：删除无记录引用的孤立文件 {orphans} 个"
        "（{megabytes} MB，{bytes} 字节）；保留有记录的 {referenced} 个、未到时限的 {young} 个；删除失败 {failed} 个。",
        "Checked {scanned} evidence files (photos, service signatures and refusal photos): deleted {orphans} "
        "orphans no record references ({megabytes} MB, {bytes} bytes); kept {referenced} referenced and {young} "
        "too young; {failed} could not be deleted.",
    ),
    "photo_sweep_summary_dry_run": (
        "试运行，未删除任何文件。检查了 {scanned} 个证据文件（照片、送达签名与拒签照片）：将删除孤立文件 {orphans} 个"
        "（{megabytes} MB，{bytes} 字节）；保留有记录的 {referenced} 个、未到时限的 {young} 个。",
        "Dry run, nothing deleted. Checked {scanned} evidence files (photos and service pictures): would delete "
        "{orphans} orphans ({megabytes} MB, {bytes} bytes); keeping {referenced} referenced and {young} too young.",
    ),
    "photo_sweep_bad_age": (
        "无法识别的时长“{value}”：请写秒数，或如 90m、2h、1d。",
        "Cannot read the age \"{value}\": give seconds, or e.g. 90m, 2h, 1d.",
    ),
    "photo_sweep_age_too_short": (
        "时限至少为 {minutes} 分钟，否则可能删除正在上传的照片。",
        "The age must be at least {minutes} minutes, or files of uploads in progress could be deleted.",
    ),
    # Text burned into the watermark when a value is unknown
    "watermark_no_position": ("无定位", "no position"),
    "watermark_no_time": ("时间未知", "time unknown"),
    # Whose position the band shows: the phone's fix sent with the inspection, or the photo's own EXIF.
    "watermark_device_position": ("上传时设备位置 {position}", "device at upload {position}"),
    "watermark_photo_position": ("照片拍摄位置 {position}", "photo taken at {position}"),
    "watermark_photo_far": ("照片拍摄位置距工地 {distance}", "photo taken {distance} from the site"),
    # Evidence flags (checks.evidence_flags); the key is "flag_" + code (+ "_" + reason where given)
    "flag_off_site": (
        "设备位置距工地 {distance}，超出 {geofence}围栏。",
        "The device was {distance} from the site, outside the {geofence} geofence.",
    ),
    "flag_low_accuracy": (
        "定位精度为 {accuracy}，低于要求（{limit}以内）。",
        "Location accuracy was {accuracy}, worse than the required {limit}.",
    ),
    "flag_no_position": (
        "本次巡查没有设备定位。",
        "This inspection carries no device position.",
    ),
    # Generic wording for readers that only know the code; describe_flag picks the reason's own wording.
    "flag_photo_not_fresh": (
        "无法确认照片是本次巡查现场新拍的（拍摄时间缺失或与巡查时间不符）。",
        "The photo cannot be shown to be freshly taken during this inspection "
        "(capture time missing or not matching the inspection).",
    ),
    "flag_photo_not_fresh_before_start": (
        "照片拍摄时间 {taken_at} 早于巡查开始时间 {started_at}（允许提前 {margin_minutes} 分钟）。",
        "The photo was taken at {taken_at}, before the inspection started at {started_at} "
        "(allowed margin {margin_minutes} min).",
    ),
    "flag_photo_not_fresh_no_capture_time": (
        "照片没有拍摄时间（EXIF），无法确认是现场新拍。",
        "The photo has no capture time (EXIF), so it cannot be shown to be freshly taken.",
    ),
    "flag_photo_not_fresh_after_received": (
        "照片拍摄时间 {taken_at} 晚于服务器收到的时间 {received_at}。",
        "The photo's capture time {taken_at} is later than the time the server received it ({received_at}).",
    ),
    "flag_photo_off_site": (
        "照片拍摄位置距工地 {distance}，超出 {geofence}围栏。",
        "The photo was taken {distance} from the site, outside the {geofence} geofence.",
    ),
    "flag_reused_photo": (
        "同一张照片已用于另一次巡查。",
        "The same photo was already used in another inspection.",
    ),
    "flag_annotated_copy": (
        "这是巡查员在手机上加了标注（圈、箭头、文字）的照片副本，没有相机 EXIF；拍摄时间与位置以原图为准。",
        "This is a copy of a photo the inspector annotated on the phone (circle, arrow, label); it has no camera "
        "EXIF — its original answers for when and where it was taken.",
    ),
    "flag_clock_skew": (
        "设备时间与服务器时间相差 {skew_minutes} 分钟（允许 {tolerance_minutes} 分钟）。",
        "The device clock differs from the server's by {skew_minutes} min (tolerance {tolerance_minutes} min).",
    ),
}
register_messages(MESSAGES)

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
    # Text burned into the watermark when a value is unknown
    "watermark_no_position": ("无定位", "no position"),
    "watermark_no_time": ("时间未知", "time unknown"),
    # Evidence flags (checks.evidence_flags); the key is "flag_" + code (+ "_" + reason where given)
    "flag_off_site": (
        "设备位置距工地 {distance_m} 米，超出围栏 {geofence_m} 米。",
        "The device was {distance_m} m from the site, outside the {geofence_m} m geofence.",
    ),
    "flag_low_accuracy": (
        "定位精度为 {accuracy_m} 米，低于要求（{limit_m} 米以内）。",
        "Location accuracy was {accuracy_m} m, worse than the required {limit_m} m.",
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
        "照片拍摄位置距工地 {distance_m} 米，超出围栏 {geofence_m} 米。",
        "The photo was taken {distance_m} m from the site, outside the {geofence_m} m geofence.",
    ),
    "flag_reused_photo": (
        "同一张照片已用于另一次巡查。",
        "The same photo was already used in another inspection.",
    ),
    "flag_clock_skew": (
        "设备时间与服务器时间相差 {skew_minutes} 分钟（允许 {tolerance_minutes} 分钟）。",
        "The device clock differs from the server's by {skew_minutes} min (tolerance {tolerance_minutes} min).",
    ),
}
register_messages(MESSAGES)

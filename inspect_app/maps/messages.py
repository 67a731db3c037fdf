"""User-facing strings of the maps API (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "map_near_needs_both": ("位置需同时给出纬度和经度。", "A position needs both lat and lon."),
}
register_messages(MESSAGES)

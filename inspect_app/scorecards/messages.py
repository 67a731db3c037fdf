"""User-facing strings of scorecards and rankings (zh-CN, English)."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "scorecard_trend_up": ("上升", "improving"),
    "scorecard_trend_down": ("下降", "worsening"),
    "scorecard_trend_flat": ("持平", "steady"),
}
register_messages(MESSAGES)

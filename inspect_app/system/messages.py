"""User-facing strings of the system feature (zh-CN, English): who may read /metrics."""
from inspect_app.core.i18n import register_messages

MESSAGES = {
    "metrics_forbidden": (
        "无权读取监控指标：需要 METRICS_TOKEN 令牌，或从 METRICS_ALLOW_CIDRS 允许的网络访问。",
        "Not allowed to read the metrics: send the METRICS_TOKEN bearer token, or scrape from a network "
        "METRICS_ALLOW_CIDRS allows.",
    ),
    "metrics_token_invalid": (
        "监控指标令牌不正确。",
        "The metrics token is wrong.",
    ),
}

register_messages(MESSAGES)

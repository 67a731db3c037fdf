"""The one translation layer for server-side user-facing text: zh-CN first, English second.

Each feature keeps its strings in its own ``messages.py`` as ``MESSAGES = {code: (zh, en)}`` and
registers them here; ``translate(code, **params)`` picks the request's language.
"""
from __future__ import annotations

from flask import has_request_context, request

DEFAULT_LOCALE = "zh-CN"
LOCALES = ("zh-CN", "en")

_CATALOGUE: dict[str, tuple[str, str]] = {}


def register_messages(messages: dict[str, tuple[str, str]]) -> None:
    """Add a feature's (zh-CN, English) strings; a code may be registered only once."""
    for code, pair in messages.items():
        if code in _CATALOGUE and _CATALOGUE[code] != pair:
            raise ValueError(f"message code {code!r} registered twice with different text")
        if len(pair) != 2:
            raise ValueError(f"message {code!r} needs exactly (zh-CN, English)")
        _CATALOGUE[code] = pair


def negotiate_locale() -> str:
    """The request's language from Accept-Language; zh-CN unless English is preferred."""
    if not has_request_context():
        return DEFAULT_LOCALE
    explicit = request.args.get("lang")
    if explicit in LOCALES:
        return explicit
    # Walk the header by quality ourselves: werkzeug's best_match prefers an exact "zh-CN;q=0.5"
    # over a better-liked "en-US", so an English phone with Chinese as second choice got Chinese.
    for value, quality in sorted(request.accept_languages, key=lambda item: -item[1]):
        primary = value.replace("_", "-").split("-")[0].lower()
        if quality > 0 and primary in ("en", "zh"):
            return "en" if primary == "en" else "zh-CN"
    return DEFAULT_LOCALE


def translate(code: str, locale: str | None = None, **params) -> str:
    """The message for ``code`` in ``locale`` (default: the request's), formatted with params."""
    locale = locale or negotiate_locale()
    pair = _CATALOGUE.get(code)
    if pair is None:
        return code
    template = pair[1] if locale == "en" else pair[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def catalogue() -> dict[str, tuple[str, str]]:
    """A copy of every registered message (for tests and tooling)."""
    return dict(_CATALOGUE)


register_messages(
    {
        "bad_request": ("请求无效。", "The request is invalid."),
        "malformed_json": ("请求内容不是有效的 JSON。", "The request body is not valid JSON."),
        "validation_error": ("提交的数据有误，请检查标出的字段。", "Some fields are invalid; see the details."),
        "not_authenticated": ("请先登录。", "Please log in."),
        "token_invalid": ("登录已失效，请重新登录。", "Your session has expired or was revoked; please log in again."),
        "forbidden": ("您的角色无权执行此操作。", "Your role is not allowed to do this."),
        "not_found": ("找不到请求的内容。", "The requested resource was not found."),
        "method_not_allowed": ("不支持该请求方法。", "This method is not allowed here."),
        "payload_too_large": (
            "上传内容过大，上限为 {limit_mb} MB。",
            "The upload is too large; the limit is {limit_mb} MB.",
        ),
        "rate_limited": ("尝试次数过多，请稍后再试。", "Too many attempts; please try again later."),
        "conflict": ("与已有数据冲突。", "This conflicts with existing data."),
        "internal_error": ("服务器内部错误，已记录。", "Internal server error; it has been logged."),
        "unsupported_media_type": ("不支持的文件类型。", "Unsupported file type."),
    }
)

"""Group-robot webhooks (企业微信 / 钉钉): targets from settings, backoff, signing, the JSON body.
Pure functions: no database, no network.

Both robots take ``POST {"msgtype": "text", "text": {"content": …}}`` and answer HTTP 200 with
``{"errcode": 0, "errmsg": "ok"}`` — an error (a bad key, a keyword filter, a rate limit) is a
non-zero ``errcode`` under HTTP 200, so both the status and the errcode decide success. A 钉钉 robot
with 加签 security needs ``timestamp`` (ms) and ``sign`` = Base64(HMAC-SHA256(secret,
"{timestamp}\\n{secret}")) on the URL; the secret is configured per audience (WEBHOOK_SECRETS).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

BUREAU = "bureau"  # 区城管执法局
ALL_UNITS = "units"  # the robot of every unit's supervisors that has none of its own
MAX_BACKOFF_SECONDS = 6 * 3600
_AUDIENCE = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class Target:
    """Where one audience's notifications go."""

    audience: str
    url: str
    secret: str | None = None


def _entries(text: str, setting: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for entry in re.split(r"[\s,]+", (text or "").strip()):
        if not entry:
            continue
        audience, sep, value = entry.partition("=")
        audience = audience.strip()
        if not sep or not value or not _AUDIENCE.fullmatch(audience):
            raise ValueError(f"{setting} entry {entry!r}: expected 'audience=value' (audience: bureau, units "
                             "or a unit code such as xinhuaxilu)")
        if audience in found:
            raise ValueError(f"{setting} names {audience!r} twice")
        found[audience] = value
    return found


def parse_targets(urls: str, secrets: str = "") -> dict[str, Target]:
    """WEBHOOK_URLS (``bureau=https://…,units=https://…,xinhuaxilu=https://…``) and WEBHOOK_SECRETS
    (``units=SEC…``) as {audience: Target}. Raises ValueError naming the bad entry."""
    targets = {}
    for audience, url in _entries(urls, "WEBHOOK_URLS").items():
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"WEBHOOK_URLS entry for {audience!r}: {url!r} is not an http(s) URL")
        targets[audience] = Target(audience, url)
    for audience, secret in _entries(secrets, "WEBHOOK_SECRETS").items():
        if audience not in targets:
            raise ValueError(f"WEBHOOK_SECRETS names {audience!r}, which has no URL in WEBHOOK_URLS")
        targets[audience] = Target(audience, targets[audience].url, secret)
    return targets


def unit_audience(targets: dict[str, Target], unit_code: str | None) -> str | None:
    """The robot of a unit's supervisors: the unit's own, else the shared ``units`` one, else none."""
    if unit_code and unit_code in targets:
        return unit_code
    return ALL_UNITS if ALL_UNITS in targets else None


def backoff_seconds(attempts: int, base: float) -> float:
    """Wait before the next try after ``attempts`` failed ones: base, 2×, 4× … capped at 6 hours."""
    return min(MAX_BACKOFF_SECONDS, base * 2 ** max(0, attempts - 1))


def signed_url(url: str, secret: str | None, timestamp_ms: int) -> str:
    """The URL to post to: with 钉钉's ``timestamp`` and ``sign`` when a secret is configured."""
    if not secret:
        return url
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp_ms}&sign={sign}"


def robot_body(text: str) -> bytes:
    """The JSON both robots accept for a text message."""
    return json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()


def robot_error(status: int | None, body: bytes) -> str | None:
    """None when the robot took the message, else why not (HTTP status, or its errcode/errmsg)."""
    if status is None or not 200 <= status < 300:
        return f"HTTP {status}"
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return None  # a 2xx without JSON (a plain relay): taken
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code not in (0, "0"):
        return f"errcode {code}: {str(answer.get('errmsg', ''))[:200]}"
    return None

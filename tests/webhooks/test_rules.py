"""The pure parts: which robot hears what, backoff, 钉钉 signing, what counts as taken."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest

from inspect_app.webhooks.rules import (
    MAX_BACKOFF_SECONDS,
    Target,
    backoff_seconds,
    parse_targets,
    robot_body,
    robot_error,
    signed_url,
    unit_audience,
)

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
DING = "https://oapi.dingtalk.com/robot/send?access_token=xyz"


def test_settings_name_a_robot_per_audience_and_a_secret_for_dingtalk():
    targets = parse_targets(f"bureau={WECOM}, units={DING}\nxinhuaxilu={WECOM}", "units=SECabc")
    assert targets == {"bureau": Target("bureau", WECOM), "units": Target("units", DING, "SECabc"),
                       "xinhuaxilu": Target("xinhuaxilu", WECOM)}
    assert parse_targets("", "") == {}


@pytest.mark.parametrize("urls, secrets, says", [
    ("bureau", "", "audience=value"),
    (f"Bureau={WECOM}", "", "audience=value"),
    ("bureau=ftp://x/y", "", r"not an http\(s\) URL"),
    (f"bureau={WECOM},bureau={DING}", "", "twice"),
    (f"bureau={WECOM}", "units=SEC", "has no URL"),
])
def test_bad_settings_are_refused_naming_the_entry(urls, secrets, says):
    with pytest.raises(ValueError, match=says):
        parse_targets(urls, secrets)


@pytest.mark.parametrize("configured, unit, audience", [
    ({"xinhuaxilu", "units"}, "xinhuaxilu", "xinhuaxilu"),
    ({"xinhuaxilu", "units"}, "zhongshanxilu", "units"),
    ({"xinhuaxilu"}, "zhongshanxilu", None),
    ({"bureau"}, None, None),
])
def test_a_unit_hears_through_its_own_robot_else_the_shared_one(configured, unit, audience):
    assert unit_audience({a: Target(a, WECOM) for a in configured}, unit) == audience


@pytest.mark.parametrize("attempts, wait", [(1, 60), (2, 120), (3, 240), (4, 480), (9, 15360),
                                            (20, MAX_BACKOFF_SECONDS)])
def test_backoff_doubles_and_is_capped_at_six_hours(attempts, wait):
    assert backoff_seconds(attempts, 60) == wait


def test_dingtalk_signing_is_hmac_sha256_of_timestamp_and_secret():
    url = signed_url(DING, "SECsecret", 1700000000000)
    query = parse_qs(urlsplit(url).query)
    expected = base64.b64encode(hmac.new(b"SECsecret", b"1700000000000\nSECsecret", hashlib.sha256).digest()).decode()
    assert query["access_token"] == ["xyz"] and query["timestamp"] == ["1700000000000"]
    assert query["sign"] == [expected]
    assert unquote_plus(url.split("sign=")[1]) == expected
    assert signed_url(WECOM, None, 1) == WECOM


def test_the_body_is_the_text_message_both_robots_take():
    assert json.loads(robot_body("【扬尘巡查】测试")) == {"msgtype": "text", "text": {"content": "【扬尘巡查】测试"}}


@pytest.mark.parametrize("status, body, error", [
    (200, b'{"errcode":0,"errmsg":"ok"}', None),
    (200, b"", None),
    (200, b"not json", None),
    (200, b'{"errcode":93000,"errmsg":"invalid webhook url"}', "errcode 93000: invalid webhook url"),
    (200, b'{"errcode":310000,"errmsg":"keywords not in content"}', "errcode 310000: keywords not in content"),
    (500, b"", "HTTP 500"),
    (None, b"", "HTTP None"),
])
def test_a_robot_took_the_message_only_on_2xx_and_errcode_0(status, body, error):
    assert robot_error(status, body) == error

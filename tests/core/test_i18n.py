"""The translation catalogue: every message exists in both languages with the same parameters,
so switching the phone to English never shows a raw code or a KeyError."""
from __future__ import annotations

import string

import pytest

from inspect_app.core.i18n import catalogue, register_messages, translate


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_registered_message_has_chinese_and_english_with_the_same_parameters(app):
    messages = catalogue()
    assert len(messages) > 10
    problems = []
    for code, (zh, en) in messages.items():
        if not zh.strip() or not en.strip():
            problems.append(f"{code}: empty text")
        elif _fields(zh) != _fields(en):
            problems.append(f"{code}: zh {_fields(zh)} vs en {_fields(en)}")
        elif zh == en:
            problems.append(f"{code}: not translated")
    assert problems == []


def test_translate_picks_the_locale_and_fills_parameters(app):
    register_messages({"test_limit": ("上限为 {n} 张。", "The limit is {n}.")})
    assert translate("test_limit", "zh-CN", n=3) == "上限为 3 张。"
    assert translate("test_limit", "en", n=3) == "The limit is 3."
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert translate("test_limit", n=4) == "The limit is 4."
    assert translate("test_limit", n=5) == "上限为 5 张。"  # outside a request: zh-CN


def test_missing_parameter_falls_back_to_the_template_not_an_exception(app):
    register_messages({"test_limit": ("上限为 {n} 张。", "The limit is {n}.")})
    assert translate("test_limit", "en") == "The limit is {n}."


def test_unknown_code_is_returned_as_is(app):
    assert translate("no_such_code_anywhere", "en") == "no_such_code_anywhere"


def test_a_code_cannot_be_registered_twice_with_different_text(app):
    register_messages({"test_once": ("一次", "once")})
    register_messages({"test_once": ("一次", "once")})  # same text: idempotent
    with pytest.raises(ValueError):
        register_messages({"test_once": ("两次", "twice")})


def test_a_message_needs_both_languages(app):
    with pytest.raises(ValueError):
        register_messages({"test_half": ("只有中文",)})

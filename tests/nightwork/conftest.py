"""Sites in two units, users of each role, and a helper to record a permit."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from inspect_app.core.timeutil import to_local, utcnow
from tests.factories import create_site, create_user


@pytest.fixture
def today():
    return to_local(utcnow()).date()


@pytest.fixture
def site():
    return create_site(name="海亮广场")


@pytest.fixture
def other_site():
    return create_site(unit="zhongshanxilu", name="万达二期", lat=40.815, lon=111.64)


@pytest.fixture
def headers(auth):
    return {role: auth.headers(create_user(role, units=() if role in ("admin", "enforcement") else ("xinhuaxilu",)))
            for role in ("inspector", "supervisor", "enforcement", "admin")}


def permit_body(today: date, **extra) -> dict:
    return {"number": "回住建夜证〔2026〕12号", "issuing_office": "回民区住房和城乡建设局",
            "valid_from": (today - timedelta(days=1)).isoformat(), "valid_to": (today + timedelta(days=5)).isoformat(),
            "start_time": "22:00", "end_time": "06:00", "works": "混凝土连续浇筑", "note": None, **extra}

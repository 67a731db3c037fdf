"""Production refuses laptop-only settings: a guessable SECRET_KEY or per-process rate limits
would let anyone brute-force logins across workers."""
from __future__ import annotations

import pytest

from inspect_app import create_app
from inspect_app.config import INSECURE_DEV_SECRET, check_production_config, load_config

STRONG_SECRET = "k" * 40
SHARED_LIMITS = "redis://limits.internal:6379/0"


def _prod(**overrides) -> dict:
    return {"ENV_NAME": "production", "SECRET_KEY": STRONG_SECRET,
            "RATELIMIT_STORAGE_URI": SHARED_LIMITS, **overrides}


@pytest.mark.parametrize("secret", [None, "", INSECURE_DEV_SECRET, "short-secret", "x" * 31])
def test_production_refuses_missing_default_or_short_secret(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        check_production_config(_prod(SECRET_KEY=secret))


@pytest.mark.parametrize("uri", ["memory://", "", None])
def test_production_refuses_in_memory_rate_limit_storage(uri):
    """An empty value is refused too: flask-limiter would silently fall back to memory://."""
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        check_production_config(_prod(RATELIMIT_STORAGE_URI=uri))


def test_production_accepts_real_settings():
    check_production_config(_prod())


def test_development_runs_with_embedded_defaults(tmp_path, monkeypatch):
    for name in ("INSPECT_ENV", "SECRET_KEY", "RATELIMIT_STORAGE_URI", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(tmp_path)
    check_production_config(config)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'inspect.sqlite3'}"


def test_create_app_in_production_without_secret_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECT_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", SHARED_LIMITS)
    monkeypatch.setenv("INSPECT_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_create_app_in_production_with_memory_limits_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    monkeypatch.setenv("INSPECT_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app()


@pytest.mark.parametrize("given, expected", [
    ("postgres://u@db/x", "postgresql+psycopg://u@db/x"),
    ("postgresql://u@db/x", "postgresql+psycopg://u@db/x"),
    ("postgresql+psycopg://u@db/x", "postgresql+psycopg://u@db/x"),
])
def test_database_url_uses_psycopg3(tmp_path, monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == expected


def test_request_size_limit_leaves_room_above_the_photo_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("MAX_PHOTO_BYTES", str(5 * 1024 * 1024))
    config = load_config(tmp_path)
    assert config["MAX_PHOTO_BYTES"] == 5 * 1024 * 1024
    assert config["MAX_CONTENT_LENGTH"] > config["MAX_PHOTO_BYTES"]

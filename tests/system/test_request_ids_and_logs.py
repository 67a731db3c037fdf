"""Request ids tie a response, its error body and its log line together; log lines are JSON a collector parses."""
from __future__ import annotations

import json
import logging
import re

import pytest

from inspect_app.core.logs import REQUEST_LOGGER, JsonFormatter, configure_logging, formatter_for
from tests import factories

HEX32 = r"^[0-9a-f]{32}$"


def test_a_valid_incoming_request_id_is_echoed(client):
    response = client.get("/api/health", headers={"X-Request-Id": "lb-7f3a.2026:11-30_abc"})
    assert response.headers["X-Request-Id"] == "lb-7f3a.2026:11-30_abc"


def test_a_request_without_one_gets_a_generated_id(client):
    first = client.get("/api/health").headers["X-Request-Id"]
    second = client.get("/api/health").headers["X-Request-Id"]
    assert re.match(HEX32, first) and re.match(HEX32, second) and first != second


@pytest.mark.parametrize("bad", ["short", "x" * 129, "has space in it", 'quote"injection', "line\\nbreak-forged"])
def test_an_invalid_incoming_id_is_replaced(client, bad):
    response = client.get("/api/health", headers={"X-Request-Id": bad})
    assert response.headers["X-Request-Id"] != bad
    assert len(response.headers["X-Request-Id"]) == 32


def test_error_bodies_carry_the_request_id(client):
    response = client.get("/api/inspections", headers={"X-Request-Id": "phone-outbox-0001"})
    assert response.status_code == 401
    assert response.get_json()["request_id"] == "phone-outbox-0001"
    generated = client.post("/api/auth/login", data="{", content_type="application/json")
    assert generated.status_code == 400
    assert generated.get_json()["request_id"] == generated.headers["X-Request-Id"]
    unmatched = client.get("/api/no-such-thing")
    assert unmatched.get_json()["request_id"] == unmatched.headers["X-Request-Id"]


def test_the_openapi_error_schema_documents_request_id(client):
    spec = client.get("/api/openapi.json").get_json()
    problem = spec["components"]["schemas"]["Problem"]
    assert "request_id" in problem["properties"] and "request_id" in problem["required"]


class _Lines(logging.Handler):
    """Formats records the way production's handler does, and keeps the lines."""

    def __init__(self):
        super().__init__()
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def request_lines():
    handler = _Lines()
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_each_request_writes_one_json_line_with_its_fields(client, auth, request_lines):
    user = factories.create_user("supervisor", units=("xinhuaxilu",))
    headers = auth.headers(user)
    request_lines.clear()
    response = client.get("/api/sites?page_size=5", headers={**headers, "X-Request-Id": "trace-req-42"})
    assert response.status_code == 200
    assert len(request_lines) == 1
    line = json.loads(request_lines[0])
    assert line["request_id"] == "trace-req-42"
    assert line["method"] == "GET" and line["path"] == "/api/sites" and line["status"] == 200
    assert line["endpoint"].startswith("sites.")  # the Flask endpoint name
    assert line["user_id"] == user.id
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    # the serving thread's CPU time: positive, and never more than the wall time it was part of
    assert isinstance(line["cpu_ms"], float) and 0 < line["cpu_ms"] <= line["duration_ms"] + 0.5
    assert line["level"] == "INFO" and line["logger"] == REQUEST_LOGGER and line["ts"].endswith("+00:00")


def test_an_anonymous_refusal_is_logged_without_a_user(client, request_lines):
    client.get("/api/inspections", headers={"X-Request-Id": "anon-refused-1"})
    line = json.loads(request_lines[-1])
    assert (line["status"], line["user_id"], line["request_id"]) == (401, None, "anon-refused-1")


def test_log_format_applies_to_plain_stream_handlers_only(app, monkeypatch):
    root = logging.Logger("isolated-root")
    plain, other = logging.StreamHandler(), logging.FileHandler("/dev/null")
    root.addHandler(plain), root.addHandler(other)
    monkeypatch.setitem(app.config, "LOG_FORMAT", "json")
    configure_logging(app, root)
    assert isinstance(plain.formatter, JsonFormatter) and not isinstance(other.formatter, JsonFormatter)
    other.close()


def test_an_unknown_log_format_is_refused():
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        formatter_for("xml")


def test_log_format_defaults_to_json_in_production_and_text_elsewhere(monkeypatch, tmp_path):
    from inspect_app.config import load_config

    monkeypatch.delenv("LOG_FORMAT", raising=False)
    monkeypatch.setenv("INSPECT_ENV", "production")
    assert load_config(tmp_path)["LOG_FORMAT"] == "json"
    monkeypatch.setenv("INSPECT_ENV", "development")
    assert load_config(tmp_path)["LOG_FORMAT"] == "text"

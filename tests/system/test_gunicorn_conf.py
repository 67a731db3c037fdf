"""gunicorn.conf.py: the production settings read the environment, and the access log is one JSON object a line."""
from __future__ import annotations

import json
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace


CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_workers_follow_the_cpu_count_unless_the_environment_says_otherwise(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 3)
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    settings = runpy.run_path(str(CONF))
    assert settings["workers"] == 3 and settings["worker_class"] == "sync"
    monkeypatch.setenv("GUNICORN_WORKERS", "5")
    assert runpy.run_path(str(CONF))["workers"] == 5


def test_an_access_log_line_is_json_with_quotes_in_values_escaped():
    from gunicorn.config import Config

    settings = runpy.run_path(str(CONF))
    config = Config()
    config.set("accesslog", "-")
    access_logger = settings["JsonAccessLogger"](config)
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    access_logger.access_log.handlers = [handler]
    response = SimpleNamespace(status="201 CREATED", sent=42, headers=[("X-Request-Id", "abc")])
    environ = {"REMOTE_ADDR": "10.0.0.7", "REQUEST_METHOD": "PUT", "PATH_INFO": "/api/inspections/x/photos/y",
               "QUERY_STRING": "", "HTTP_USER_AGENT": 'phone "quoted"'}
    access_logger.access(response, None, environ, timedelta(milliseconds=12.5))
    record = json.loads(lines[0])
    assert record["status"] == 201 and record["method"] == "PUT" and record["duration_ms"] == 12.5
    assert record["user_agent"] == 'phone "quoted"' and record["request_id"] == "abc" and record["bytes"] == 42


def test_the_metrics_hooks_are_gunicorns_server_hooks():
    from inspect_app.core.metrics import child_exit, clear_multiprocess_dir

    settings = runpy.run_path(str(CONF))
    assert settings["on_starting"] is clear_multiprocess_dir and settings["child_exit"] is child_exit

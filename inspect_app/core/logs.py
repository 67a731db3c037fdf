"""Log lines a machine can read: one JSON object a line (LOG_FORMAT=json), or plain text for a terminal.

Why the standard library and not python-json-logger: the app's lines have a fixed, small set of
fields (time, level, logger, message, request id, the request line's fields, an exception), which a
twenty-line ``Formatter`` writes with ``json.dumps``; a dependency would add configuration surface,
not capability. Every record logged during a request carries its ``request_id`` (core/requestid.py),
so a warning from deep inside an operation is found beside its request line.

``LOG_FORMAT`` defaults to ``json`` when ``INSPECT_ENV=production`` (log collectors parse it) and to
``text`` otherwise (a developer reads a terminal). The format is applied to the plain stream handlers
on the root logger (the one ``logging.basicConfig`` installs, or gunicorn's stderr); handlers other
code installed (pytest's capture, a file handler) keep theirs.

Each request ends with one line on the ``inspect_app.request`` logger: method, path (no query string:
signed export links carry their signature there), endpoint, status, duration in milliseconds, the
CPU milliseconds the serving thread spent on it (``cpu_ms``: what sizes a node — the duration also
counts waiting), the user's id when a token was checked, and the request id.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

from flask import Flask

from inspect_app.core.requestid import request_id

REQUEST_LOGGER = "inspect_app.request"
LOG_FORMATS = ("json", "text")
# Attributes every LogRecord has: anything else on a record came from ``extra=`` and is a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts (UTC, ISO 8601), level, logger, message, request_id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id()
        if rid:
            entry["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The usual ``LEVEL logger: message``, with the request id appended when there is one."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        rid = getattr(record, "request_id", None) or request_id()
        return f"{line} [request {rid}]" if rid else line


def formatter_for(log_format: str) -> logging.Formatter:
    """The formatter LOG_FORMAT names; anything else is a configuration error."""
    if log_format not in LOG_FORMATS:
        raise RuntimeError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure_logging(app: Flask, root: logging.Logger | None = None) -> None:
    """Apply LOG_FORMAT to the root logger's plain stream handlers (adding one if there is none)."""
    root = root or logging.getLogger()
    formatter = formatter_for(app.config.get("LOG_FORMAT") or "text")
    streams = [h for h in root.handlers if type(h) is logging.StreamHandler]
    if not root.handlers:
        streams = [logging.StreamHandler()]
        root.addHandler(streams[0])
    for handler in streams:
        handler.setFormatter(formatter)


_request_log = logging.getLogger(REQUEST_LOGGER)


def log_request(method: str, path: str, endpoint: str, status: int, duration_ms: float,
                user_id: int | None, cpu_ms: float | None = None) -> None:
    """The request's one line (fields as ``extra``: the JSON formatter writes each as a key)."""
    if not _request_log.isEnabledFor(logging.INFO):
        return
    cpu = round(cpu_ms, 1) if cpu_ms is not None else None
    _request_log.info(
        "%s %s %s %.1f ms (cpu %s ms)", method, path, status, duration_ms, cpu,
        extra={"method": method, "path": path, "endpoint": endpoint, "status": status,
               "duration_ms": round(duration_ms, 1), "cpu_ms": cpu, "user_id": user_id,
               "request_id": request_id()})

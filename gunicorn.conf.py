"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every setting can be overridden from the environment (``GUNICORN_WORKERS=3`` …) or on the command line.
Why these values (bench/load.py, README "Performance"):

- **workers = CPU count**, sync worker class. The work of a request is CPU in Python (JSON, ORM, Pillow for
  photos), so one process per core keeps every core busy. On the measured 2-core machine 1, 2 and 4 workers cost
  the same CPU per inspection (583, 576, 570 ms); more workers than cores only queue more requests at once (README
  "Performance" has the curve). Threads (gthread) would share one GIL per worker for this CPU-bound work.
  Inspectors' phones talk to a load balancer or reverse proxy (nginx) that buffers slow uploads, so a sync worker
  is never held by a slow client.
- **timeout 60 s**: the longest legitimate request is a 25 MB HEIC photo decoded on a busy core, or a weekly export;
  a worker silent for longer is stuck and is replaced. graceful_timeout lets in-flight uploads finish on reload.
- **max_requests** with jitter recycles workers now and then, bounding the growth of a long-lived process (Pillow
  and the PDF renderer allocate large buffers) without every worker restarting at once.
- **access log in JSON**, one object a line on stdout, for the log collector.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from gunicorn import glogging

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the app's package, whatever the working directory

# /metrics under several workers (PROMETHEUS_MULTIPROC_DIR, README "Operations"): empty the shared directory when the
# server starts and drop a dead worker's live gauges.
from inspect_app.core.metrics import child_exit, clear_multiprocess_dir as on_starting  # noqa: F401


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", os.cpu_count() or 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Photos are at most MAX_PHOTO_BYTES; headers stay small (a bearer token, an If-None-Match).
limit_request_field_size = 8190
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# One app per worker, loaded after the fork: no database connection or boto3 client is shared between processes.
preload_app = False


class JsonAccessLogger(glogging.Logger):
    """Writes each access-log line as one JSON object (values escaped, unlike a format string)."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        record = {
            "time": self.now().strip("[]"),
            "remote": environ.get("REMOTE_ADDR", "-"),
            "method": environ.get("REQUEST_METHOD"),
            "path": environ.get("PATH_INFO"),
            "query": environ.get("QUERY_STRING") or None,
            "status": int(str(resp.status).split(None, 1)[0]),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": resp.headers and dict(resp.headers).get("X-Request-Id"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(record, ensure_ascii=False))
        except Exception:  # never let logging break a response
            self.exception("access log")


logger_class = JsonAccessLogger

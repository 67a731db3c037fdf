"""Prometheus metrics (prometheus-client): what a dashboard of this system needs, and nothing per-user.

Series (all prefixed ``inspect_``):

* ``http_requests_total{method,endpoint,status}`` and ``http_request_duration_seconds{…}`` — per Flask
  endpoint name (``inspections.Inspections``), never the raw path: a path holds UUIDs and would make a
  series per inspection. A request no rule matched is ``endpoint="unmatched"``.
* ``photo_processing_seconds{format}`` — the photo pipeline (check, decode, thumbnail, watermark,
  encode; evidence/operations.py) by sniffed format: jpeg, png, webp, heic.
* ``outbox_replays_total{endpoint}`` — an idempotent write answered 200 as a replay of what is stored
  (the routes that document a 201 with a "replay" 200: inspections, photos, roadside checks, follow-ups,
  complaints, skips); ``outbox_conflicts_total{endpoint,code}`` — every 409, by its stable code. A rising
  replay rate is phones retrying after lost answers; conflicts are phones whose data the server refused.
* ``db_pool_connections_in_use``, ``db_pool_connections_open``, ``db_pool_size`` and
  ``db_pool_checkouts_total`` — from SQLAlchemy's pool events (in use near size: requests wait for a
  connection, then answer 503 after ``DB_CONNECT_TIMEOUT_SECONDS``).

**Several processes (gunicorn).** Each worker counts in its own memory unless
``PROMETHEUS_MULTIPROC_DIR`` names an empty directory, writable by the workers, set in the environment
*before* the app is imported (prometheus-client chooses its storage at import). Then the workers write
their values to files there and ``/metrics`` (answered by any worker) sums them; the directory must
be emptied when the server starts (:func:`clear_multiprocess_dir` in gunicorn's ``on_starting``) and a
dead worker's live gauges dropped (:func:`child_exit`, gunicorn's ``child_exit`` hook).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import generate_latest, multiprocess
from sqlalchemy import event
from sqlalchemy.engine import Engine

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED = "unmatched"

HTTP_REQUESTS = Counter(
    "inspect_http_requests_total", "HTTP requests answered, by Flask endpoint and status",
    ("method", "endpoint", "status"))
HTTP_DURATION = Histogram(
    "inspect_http_request_duration_seconds", "Time from the request's first hook to its response",
    ("method", "endpoint", "status"),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0))
HTTP_CPU = Histogram(
    "inspect_http_request_cpu_seconds", "CPU time of the worker thread serving the request (what a node's capacity is "
    "spent on; the duration also counts waiting on the database, storage and other processes)",
    ("method", "endpoint"),
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5))
PHOTO_PROCESSING = Histogram(
    "inspect_photo_processing_seconds", "Photo pipeline time (check, decode, resize, watermark, encode)",
    ("format",), buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0))
OUTBOX_REPLAYS = Counter(
    "inspect_outbox_replays_total", "Idempotent writes answered 200 as a replay of stored data", ("endpoint",))
OUTBOX_CONFLICTS = Counter(
    "inspect_outbox_conflicts_total", "Requests answered 409, by endpoint and stable error code",
    ("endpoint", "code"))
POOL_IN_USE = Gauge(
    "inspect_db_pool_connections_in_use", "Database connections checked out of the pool",
    multiprocess_mode="livesum")
POOL_OPEN = Gauge(
    "inspect_db_pool_connections_open", "Database connections the pool holds open (in use or idle)",
    multiprocess_mode="livesum")
POOL_SIZE = Gauge(
    "inspect_db_pool_size", "Configured pool size (without overflow), summed over processes",
    multiprocess_mode="livesum")
POOL_CHECKOUTS = Counter("inspect_db_pool_checkouts_total", "Connections checked out of the pool")


def observe_request(method: str, endpoint: str | None, status: int, seconds: float,
                    cpu_seconds: float | None = None) -> None:
    """Count one answered request, its duration and (when measured) its CPU time."""
    labels = (method, endpoint or UNMATCHED, str(status))
    HTTP_REQUESTS.labels(*labels).inc()
    HTTP_DURATION.labels(*labels).observe(seconds)
    if cpu_seconds is not None:
        HTTP_CPU.labels(method, endpoint or UNMATCHED).observe(cpu_seconds)


def observe_outbox(endpoint: str | None, status: int, replay: bool, error_code: str | None) -> None:
    """Count a replay (a 200 the endpoint documents as one) or a conflict (any 409)."""
    if replay and status == 200:
        OUTBOX_REPLAYS.labels(endpoint or UNMATCHED).inc()
    elif status == 409:
        OUTBOX_CONFLICTS.labels(endpoint or UNMATCHED, error_code or "conflict").inc()


def observe_photo(photo_format: str, seconds: float) -> None:
    """Time of one photo through the pipeline, by its format."""
    PHOTO_PROCESSING.labels(photo_format).observe(seconds)


def instrument_pool(engine: Engine) -> None:
    """Follow an engine's pool through its events (idempotent: an engine is instrumented once)."""
    if getattr(engine, "_inspect_metrics", False):
        return
    engine._inspect_metrics = True
    size = getattr(engine.pool, "size", None)
    if callable(size):
        POOL_SIZE.inc(size())
    event.listen(engine, "connect", lambda *a: POOL_OPEN.inc())
    event.listen(engine, "close", lambda *a: POOL_OPEN.dec())
    event.listen(engine, "close_detached", lambda *a: POOL_OPEN.dec())
    event.listen(engine, "checkout", _checked_out)
    event.listen(engine, "checkin", lambda *a: POOL_IN_USE.dec())


def _checked_out(*args) -> None:
    POOL_IN_USE.inc()
    POOL_CHECKOUTS.inc()


def exposition() -> tuple[bytes, str]:
    """The text format and its content type: this process's values, or all workers' in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def clear_multiprocess_dir(server=None) -> None:
    """gunicorn ``on_starting``: empty PROMETHEUS_MULTIPROC_DIR, so no dead run's values are summed."""
    directory = os.environ.get(MULTIPROC_ENV)
    if not directory:
        return
    path = Path(directory)
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


def child_exit(server, worker) -> None:
    """gunicorn ``child_exit``: drop a dead worker's live gauges (its counters stay in the sums)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(worker.pid)

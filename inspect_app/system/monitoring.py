"""``/metrics`` for Prometheus, and the per-request bookkeeping behind it and the logs.

Installed when the system feature registers (a plain blueprint's ``record_once``, the way features
hook into the app without editing ``create_app``):

* a first ``before_request`` hook that starts the request's clock and fixes its id (core/requestid.py);
* an ``after_request`` hook that returns ``X-Request-Id``, counts the request, its replay or conflict
  (core/metrics.py) and writes its one log line (core/logs.py);
* pool instrumentation of every engine, and the LOG_FORMAT formatter.

Who may scrape: a request with ``Authorization: Bearer <METRICS_TOKEN>``, or one from an address in
``METRICS_ALLOW_CIDRS`` (comma-separated networks, e.g. ``127.0.0.1/32,10.0.0.0/8``; the address is
the one ``TRUSTED_PROXY_HOPS`` makes believable). Either suffices; with neither set nobody may. A
wrong token is 401, no token from elsewhere 403, both with a sentence and a stable code.
"""
from __future__ import annotations

import functools
import hmac
import ipaddress
import time

from flask import Blueprint, Flask, Response, current_app, g, request

from inspect_app.core import logs, metrics
from inspect_app.core.errors import problem
from inspect_app.core.requestid import HEADER, request_id
from inspect_app.extensions import db
from inspect_app.system import messages  # noqa: F401  (registers strings)

monitoring = Blueprint("monitoring", __name__)


@monitoring.record_once
def install(state) -> None:
    """Hook the request bookkeeping, the pool events and the log format into the app."""
    app = state.app
    parse_networks(app.config.get("METRICS_ALLOW_CIDRS", ""))  # a malformed setting stops the app here
    logs.configure_logging(app)
    # First of all before_request hooks: an earlier guard that refuses the request is still timed.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.after_request(_finish_request)
    with app.app_context():
        for engine in db.engines.values():
            metrics.instrument_pool(engine)


@functools.lru_cache(maxsize=8)
def parse_networks(setting: str) -> tuple:
    """METRICS_ALLOW_CIDRS as networks; a malformed entry stops the app at startup."""
    networks = []
    for entry in (part.strip() for part in (setting or "").split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise RuntimeError(f"METRICS_ALLOW_CIDRS: {entry!r} is not a network ({exc})") from None
    return tuple(networks)


STARTED_KEY = "inspect_app.request_started"
CPU_STARTED_KEY = "inspect_app.request_cpu_started"


def _start_request() -> None:
    request.environ[STARTED_KEY] = time.perf_counter()
    # The serving thread's CPU clock: sync and gthread workers alike run a request on one thread.
    request.environ[CPU_STARTED_KEY] = time.thread_time()
    request_id()


def _finish_request(response: Response) -> Response:
    """Return the request id, count the request and log its line."""
    response.headers[HEADER] = request_id()
    started = request.environ.get(STARTED_KEY)
    seconds = time.perf_counter() - started if started is not None else 0.0
    cpu_started = request.environ.get(CPU_STARTED_KEY)
    cpu_seconds = time.thread_time() - cpu_started if cpu_started is not None else None
    endpoint = request.url_rule.endpoint if request.url_rule is not None else metrics.UNMATCHED
    status = response.status_code
    metrics.observe_request(request.method, endpoint, status, seconds, cpu_seconds)
    if status in (200, 409):
        metrics.observe_outbox(endpoint, status, _documents_replay(endpoint, request.method),
                               _error_code(response) if status == 409 else None)
    user = g.get("user")  # set by the permission check (auth/permissions.py); None for public views
    logs.log_request(request.method, request.path, endpoint, status, seconds * 1000,
                     getattr(user, "id", None),
                     cpu_ms=cpu_seconds * 1000 if cpu_seconds is not None else None)
    return response


def _documents_replay(endpoint: str, method: str) -> bool:
    """Whether this endpoint answers 201 when it stores and 200 when the same request is a replay.

    Read from the route's own OpenAPI declaration (``@blp.response(201)`` with an
    ``alt_response(200, description="replay …")``), so a new idempotent endpoint is counted as soon
    as it documents itself that way; remembered per endpoint and method.
    """
    cache = current_app.extensions.setdefault("metrics_replay_endpoints", {})
    key = (endpoint, method)
    if key not in cache:
        view = current_app.view_functions.get(endpoint)
        handler = getattr(getattr(view, "view_class", None), method.lower(), None) or view
        apidoc = getattr(handler, "_apidoc", {}) or {}
        alternatives = (apidoc.get("response") or {}).get("responses", {}).get(200) or []
        cache[key] = 201 in (apidoc.get("success_status_codes") or ()) and any(
            str(alt.get("description", "")).lower().startswith("replay") for alt in alternatives)
    return cache[key]


def _error_code(response: Response) -> str | None:
    if not response.is_json or response.is_streamed:
        return None
    body = response.get_json(silent=True)
    return body.get("code") if isinstance(body, dict) else None


@monitoring.get("/metrics")
def scrape():
    """Prometheus text format, for the METRICS_TOKEN bearer or the METRICS_ALLOW_CIDRS networks only."""
    refusal = _refusal()
    if refusal is not None:
        return refusal
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})


scrape.allowed_roles = "metrics"  # not a user's role: the token or network check in _refusal()


def _refusal():
    """None if the caller may scrape, else the problem response (401 wrong token, 403 otherwise)."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer ") and token:
        if hmac.compare_digest(header[7:].strip().encode(), token.encode()):
            return None
    if _from_allowed_network():
        return None
    if header.startswith("Bearer "):
        response, status = problem(401, "metrics_token_invalid")
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response, status
    return problem(403, "metrics_forbidden")


def _from_allowed_network() -> bool:
    networks = parse_networks(current_app.config.get("METRICS_ALLOW_CIDRS", ""))
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in networks)

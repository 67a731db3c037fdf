"""What the per-request bookkeeping costs: request id, Prometheus counters and histogram, the JSON log line.

    python bench/observability.py [--requests 300] [--runs 20]

Setup: an app on a throwaway SQLite database, LOG_FORMAT=json with the request logger writing to a
discarding stream (so the formatter runs but no terminal is timed). Measured, in the same process and
alternating: ``GET /api/no-such-route`` (an unmatched 404: routing, the error handler, no database)
through the test client with the monitoring hooks installed, and with them taken out of the app's
hook lists, in many short alternating runs (a shared machine's load drifts), as the process's CPU time. Prints the median time per
request of each and their difference, then each part of the bookkeeping timed alone inside a request
context (steadier than the difference on a busy machine), and the time of one /metrics scrape.
Asserts nothing.
"""
from __future__ import annotations

import argparse
import io
import logging
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from inspect_app import create_app
    from inspect_app.core import metrics
    from inspect_app.core.logs import JsonFormatter, REQUEST_LOGGER, log_request
    from inspect_app.core.requestid import request_id
    from inspect_app.system import monitoring

    folder = Path(tempfile.mkdtemp(prefix="bench-observability-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite3'}", "LOG_FORMAT": "json",
                      "RATELIMIT_ENABLED": False, "METRICS_TOKEN": "bench", "PHOTO_DIR": str(folder / "p")})
    sink = logging.StreamHandler(io.StringIO())
    sink.setFormatter(JsonFormatter())
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.handlers[:] = [sink]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    client = app.test_client()

    def per_request() -> float:
        # CPU time of this process, not wall time: on a shared, loaded machine wall time counts the
        # moments other processes had the core.
        started = time.process_time()
        for _ in range(args.requests):
            client.get("/api/no-such-route")
        return (time.process_time() - started) / args.requests

    before_hooks = app.before_request_funcs.setdefault(None, [])
    after_hooks = app.after_request_funcs.setdefault(None, [])

    def toggle(on: bool) -> None:
        if on and monitoring._start_request not in before_hooks:
            before_hooks.insert(0, monitoring._start_request)
            after_hooks.append(monitoring._finish_request)
        if not on and monitoring._start_request in before_hooks:
            before_hooks.remove(monitoring._start_request)
            after_hooks.remove(monitoring._finish_request)

    per_request()  # warm-up
    with_hooks, without = [], []
    for _ in range(args.runs):
        toggle(True)
        with_hooks.append(per_request())
        toggle(False)
        without.append(per_request())
    toggle(True)
    scrape = []
    for _ in range(20):
        started = time.process_time()
        assert client.get("/metrics", headers={"Authorization": "Bearer bench"}).status_code == 200
        scrape.append(time.process_time() - started)

    parts = {}
    with app.test_request_context("/api/inspections/x"):
        for name, call in (("request id", request_id),
                           ("counter + histogram", lambda: metrics.observe_request("GET", "x.Y", 200, 0.01)),
                           ("JSON log line", lambda: log_request("GET", "/api/x", "x.Y", 200, 1.0, 7))):
            parts[name] = min(timeit.repeat(call, number=2000, repeat=5, timer=time.process_time)) / 2000

    on, off = statistics.median(with_hooks), statistics.median(without)
    print(f"requests per run: {args.requests}, runs: {args.runs}")
    print(f"with monitoring hooks:    {on * 1e6:8.1f} µs CPU per request (median of runs)")
    print(f"without:                  {off * 1e6:8.1f} µs CPU per request")
    print(f"cost of the bookkeeping:  {(on - off) * 1e6:8.1f} µs per request ({(on - off) / off:+.1%})")
    for name, seconds in parts.items():
        print(f"  {name + ':':24}{seconds * 1e6:8.1f} µs CPU (alone, best of 5)")
    print(f"/metrics scrape:          {statistics.median(scrape) * 1e3:8.2f} ms CPU (median of 20)")


if __name__ == "__main__":
    main()

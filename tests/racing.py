"""Firing requests at the same moment, as several app threads or several app processes would.

``race_threads``: one test client per thread on the session app (each thread its own session and
database connection). ``race_processes``: one forked process per request, each building its own
app and engine on the same database, as ``gunicorn -w N`` does; this is what shows lost updates on
SQLite, where one process's read does not lock out another's write.

A request is ``(method, path, kwargs)``, ``kwargs`` as for the test client (``json=``, ``headers=``).
Both return the status codes in request order.
"""
from __future__ import annotations

import multiprocessing
import threading

BARRIER_TIMEOUT_S = 60  # a process that never reaches the start line fails the test instead of hanging it


def race_threads(app, requests: list[tuple[str, str, dict]]) -> list[int]:
    """Send every request at once from its own thread; returns the status codes."""
    barrier = threading.Barrier(len(requests), timeout=BARRIER_TIMEOUT_S)
    statuses: list[int | None] = [None] * len(requests)

    def fire(index, method, path, kwargs):
        with app.test_client() as own_client:
            barrier.wait()
            statuses[index] = own_client.open(path, method=method, **kwargs).status_code

    threads = [threading.Thread(target=fire, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def race_processes(app, requests: list[tuple[str, str, dict]]) -> list[int]:
    """Send every request at once from its own process, each with its own app on ``app``'s database."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(requests), timeout=BARRIER_TIMEOUT_S)
    results = context.Queue()
    settings = {key: app.config[key] for key in
                ("SQLALCHEMY_DATABASE_URI", "PHOTO_DIR", "SECRET_KEY", "PASSWORD_HASH_METHOD")}
    processes = [context.Process(target=_fire_in_process, args=(settings, barrier, results, i, *request))
                 for i, request in enumerate(requests)]
    for process in processes:
        process.start()
    statuses: list[int | None] = [None] * len(requests)
    for _ in processes:
        index, status = results.get(timeout=BARRIER_TIMEOUT_S * 2)
        statuses[index] = status
    for process in processes:
        process.join(BARRIER_TIMEOUT_S)
    return statuses


def _fire_in_process(settings, barrier, results, index, method, path, kwargs) -> None:
    """In a fresh process: a new app and engine (nothing inherited from the parent's pool), one request."""
    status = -1
    try:
        from inspect_app import create_app

        app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False, **settings})
        with app.test_client() as client:
            barrier.wait()
            status = client.open(path, method=method, **kwargs).status_code
    finally:
        results.put((index, status))

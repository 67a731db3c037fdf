"""Asking the database whether it answers, without ever waiting longer than the health check may.

A load balancer polls ``/api/health`` every few seconds and expects an answer within its own
timeout. The database check runs in one background thread per process: the caller waits at most
``HEALTH_DB_TIMEOUT_SECONDS`` for it and reports ``degraded`` if it has not answered by then. While
a check is still stuck (a connect waiting out its timeout), later health calls wait on that same
check instead of starting another, so a dead database never piles up threads or connections.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Callable

from flask import Flask

from inspect_app.extensions import db

log = logging.getLogger(__name__)


@dataclass
class _Check:
    done: threading.Event = field(default_factory=threading.Event)
    result: object = None
    error: BaseException | None = None


class DatabaseProbe:
    """At most one database check in flight per app and process; callers wait a bounded time."""

    def __init__(self, app: Flask):
        self._app = app
        self._lock = threading.Lock()
        self._current: _Check | None = None

    def run(self, query: Callable[[], object], timeout: float) -> tuple[bool, object]:
        """Run ``query`` in the app's context; (True, its result) if it answered within ``timeout``.

        (False, None) if it raised or has not finished in time (it goes on in the background and
        the next caller picks up its outcome if that arrives in time).
        """
        with self._lock:
            check = self._current
            if check is None or check.done.is_set():
                check = self._current = _Check()
                threading.Thread(target=self._work, args=(check, query), name="health-db-probe",
                                 daemon=True).start()
        if not check.done.wait(timeout):
            log.warning("health: the database did not answer within %.1f s", timeout)
            return False, None
        if check.error is not None:
            log.warning("health: database unreachable: %s", check.error)
            return False, None
        return True, check.result

    def _work(self, check: _Check, query: Callable[[], object]) -> None:
        try:
            with self._app.app_context():
                try:
                    check.result = query()
                finally:
                    db.session.remove()
        except Exception as exc:  # reported to the caller, never raised in the thread
            check.error = exc
        finally:
            check.done.set()


def probe_for(app: Flask) -> DatabaseProbe:
    """The app's probe (created on first use)."""
    probe = app.extensions.get("health_db_probe")
    if probe is None:
        probe = app.extensions.setdefault("health_db_probe", DatabaseProbe(app))
    return probe

"""Binding the database with bounded waits, and answering 503 when it does not answer.

Without a connect timeout libpq waits for an unresponsive server for ever: every request hung
until the WSGI server killed the worker and sent its own HTML 500. Here every connection gets

* a connect timeout (``DB_CONNECT_TIMEOUT_SECONDS``; PostgreSQL ``connect_timeout``, and the
  same bound on waiting for a pooled connection),
* a statement timeout (``DB_STATEMENT_TIMEOUT_MS``; PostgreSQL ``statement_timeout``, sent as a
  startup option appended to any ``options`` the URL already carries, such as a ``search_path``,
  and left off for ``flask`` commands such as migrations; on SQLite the same bound is how long a
  write waits for the database lock),

and a connection failure or timeout anywhere under ``/api/`` becomes
``503 {"code": "database_unavailable", …}`` with ``Retry-After``, which the phone app retries
later, instead of a 500.
"""
from __future__ import annotations

import logging
import sqlite3

import click
import psycopg
from flask import Flask, request
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import ServiceUnavailable

from inspect_app.core.errors import problem
from inspect_app.core.i18n import register_messages
from inspect_app.extensions import db

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
DEFAULT_CONNECT_TIMEOUT_SECONDS = 5
DEFAULT_STATEMENT_TIMEOUT_MS = 15_000

# SQLite reports a busy or missing database file with these; its other OperationalErrors
# ("no such table", a syntax error) are bugs, not an unavailable database.
_SQLITE_UNAVAILABLE = ("database is locked", "database table is locked", "unable to open database file",
                       "disk i/o error")

register_messages({
    "database_unavailable": (
        "数据库暂时无法访问，请稍后重试。已填写的内容不会丢失。",
        "The database is not answering right now; please try again shortly. Nothing you entered is lost.",
    ),
})


def init_database(app: Flask) -> None:
    """Bind ``db`` to the app with bounded connect and statement times, and answer 503 on failures."""
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            event.listen(engine, "do_connect", _connect_parameters(engine.dialect.name, app.config))
            if engine.dialect.name == "sqlite":
                event.listen(engine, "savepoint", _open_transaction_before_savepoint)
    app.register_error_handler(DBAPIError, _handle_database_error)
    app.register_error_handler(PoolTimeoutError, _handle_database_error)


def _open_transaction_before_savepoint(conn, name) -> None:
    """Make a SAVEPOINT nest inside the session's transaction on SQLite.

    Python's sqlite3 (legacy transaction control) opens a transaction only before INSERT, UPDATE,
    DELETE or REPLACE. A SAVEPOINT issued first (``begin_nested`` around the insert of an
    inspection, a photo or a notice number) then starts a transaction of its own, and its RELEASE
    *commits* it: the inspection was stored even when what followed it (violations, cases, the
    audit event) failed and rolled back. Opening the transaction first keeps the request atomic;
    locking is unchanged, since the savepoint is followed by a write anyway.
    """
    raw = conn.connection.dbapi_connection
    if not raw.in_transaction:
        raw.execute("BEGIN")


def engine_options(config: dict) -> dict:
    """The engine options with the wait for a pooled connection bounded too (PostgreSQL's pool)."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    backend = make_url(config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if backend == "postgresql":
        options.setdefault("pool_timeout", _connect_timeout(config))
    return options


def _connect_timeout(config: dict) -> int:
    return int(config.get("DB_CONNECT_TIMEOUT_SECONDS", DEFAULT_CONNECT_TIMEOUT_SECONDS))


def _statement_timeout_ms(config: dict) -> int:
    return int(config.get("DB_STATEMENT_TIMEOUT_MS", DEFAULT_STATEMENT_TIMEOUT_MS))


def _connect_parameters(dialect_name: str, config: dict):
    """A ``do_connect`` listener adding the timeouts to the driver's connect parameters.

    Values the URL sets itself (``?connect_timeout=…``, ``?timeout=…``) are kept; the statement
    timeout is appended to the URL's ``options`` rather than replacing them.
    """
    connect_timeout = _connect_timeout(config)
    statement_ms = _statement_timeout_ms(config)

    def add_timeouts(dialect, connection_record, cargs, cparams):
        if dialect_name == "postgresql":
            if connect_timeout > 0:
                cparams.setdefault("connect_timeout", connect_timeout)
            if statement_ms > 0 and not _in_cli_command():
                existing = cparams.get("options") or ""
                if "statement_timeout" not in existing:
                    cparams["options"] = f"{existing} -c statement_timeout={statement_ms}".strip()
        elif dialect_name == "sqlite" and statement_ms > 0:
            cparams.setdefault("timeout", statement_ms / 1000)

    return add_timeouts


def _in_cli_command() -> bool:
    """Whether this thread runs a ``flask`` command (migrations, the weekly export, sweeps).

    The statement timeout bounds what a web request may wait; a command an operator runs on
    purpose (``flask db upgrade`` rewriting a large table) is not cut off by it. Requests served
    by ``flask run`` are handled on other threads, which have no click context.
    """
    return click.get_current_context(silent=True) is not None


def is_unavailable(err: Exception) -> bool:
    """Whether a database error means "not reachable or not answering in time" (retry later)."""
    if isinstance(err, PoolTimeoutError):
        return True
    if not isinstance(err, DBAPIError):
        return False
    if err.connection_invalidated:
        return True
    original = err.orig
    if isinstance(original, psycopg.OperationalError):
        # connection refused or lost, connect timeout, statement timeout (QueryCanceled),
        # lock timeout, server shutting down: all OperationalError in psycopg.
        return True
    if isinstance(original, sqlite3.OperationalError):
        message = str(original).lower()
        return any(fragment in message for fragment in _SQLITE_UNAVAILABLE)
    return False


def _handle_database_error(err: Exception):
    """503 with Retry-After when the database is unavailable; any other database error is a 500."""
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone; the session is discarded at teardown anyway
        log.debug("rollback after a database error failed", exc_info=True)
    api_request = request.path.startswith("/api/")
    if not is_unavailable(err):
        log.exception("database error on %s %s", request.method, request.path)
        if not api_request:
            raise err
        return problem(500, "internal_error")
    log.warning("database unavailable on %s %s: %s", request.method, request.path, err)
    if not api_request:
        return ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS)
    response, status = problem(503, "database_unavailable")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response, status


def commit_keeping_loaded() -> None:
    """Commit without expiring what this request loaded, for a response made only of rows the request itself
    wrote or holds locked (so nothing in it can be stale): the default expiry reloads the object and every
    eager collection just to dump it — 7 statements after a photo upload."""
    session = db.session()
    session.expire_on_commit = False
    try:
        db.session.commit()
    finally:
        session.expire_on_commit = True

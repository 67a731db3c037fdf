"""A database that does not answer: bounded waits, 503 JSON instead of a hang or a 500, a fast health check.

The unresponsive server is real: a loopback socket that accepts connections and never says a word,
as a PostgreSQL host whose process is stuck does.
"""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from inspect_app import create_app
from inspect_app.core.database import engine_options, is_unavailable
from inspect_app.extensions import api, db, limiter

# Generous behaviour bounds (not benchmarks): without timeouts these requests hang for good.
CONNECT_TIMEOUT_S = 2  # libpq's smallest honoured connect_timeout
REQUEST_BOUND_S = 8
HEALTH_BOUND_S = 5


@pytest.fixture
def silent_server():
    """A TCP port on 127.0.0.1 that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(32)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept_forever():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            accepted.append(conn)  # held open, never read or written

    thread = threading.Thread(target=accept_forever, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    for conn in accepted:
        conn.close()
    listener.close()


@contextmanager
def other_app(tmp_path, **config):
    """A second app with its own settings; the shared ``api``/``limiter`` state is put back after."""
    saved_limiter, saved_api = dict(limiter.__dict__), dict(api.__dict__)
    try:
        app = create_app({"TESTING": True, "PHOTO_DIR": str(tmp_path / "photos"), "RATELIMIT_ENABLED": False,
                          "SECRET_KEY": "other-secret", **config})
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    finally:
        limiter.__dict__.clear()
        limiter.__dict__.update(saved_limiter)
        api.__dict__.clear()
        api.__dict__.update(saved_api)


@pytest.fixture
def stuck_database_app(tmp_path, silent_server):
    with other_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://127.0.0.1:{silent_server}/x",
                   DB_CONNECT_TIMEOUT_SECONDS=CONNECT_TIMEOUT_S, HEALTH_DB_TIMEOUT_SECONDS=1.0) as app:
        yield app


def _timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def test_login_against_an_unresponsive_database_answers_503_json_with_retry_after(stuck_database_app):
    client = stuck_database_app.test_client()
    response, elapsed = _timed(lambda: client.post(
        "/api/auth/login", json={"username": "inspector", "password": "whatever"},
        headers={"Accept-Language": "en"}))
    assert response.status_code == 503
    assert response.is_json
    body = response.get_json()
    assert body["code"] == "database_unavailable" and body["status"] == 503
    assert "try again" in body["message"]
    assert int(response.headers["Retry-After"]) > 0
    assert elapsed < REQUEST_BOUND_S


def test_an_authenticated_read_against_an_unresponsive_database_answers_503_not_500(stuck_database_app):
    client = stuck_database_app.test_client()
    response, elapsed = _timed(lambda: client.get("/api/sites", headers={"Authorization": "Bearer abc"}))
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.get_json()["code"] == "database_unavailable"
    assert "请稍后重试" in response.get_json()["message"]
    assert elapsed < REQUEST_BOUND_S


def test_health_says_degraded_quickly_while_the_database_does_not_answer(stuck_database_app):
    client = stuck_database_app.test_client()
    for _ in range(3):  # later calls share the stuck check instead of starting more
        response, elapsed = _timed(lambda: client.get("/api/health"))
        assert response.status_code == 503
        assert response.get_json()["status"] == "degraded"
        assert response.get_json()["database"] == "unreachable"
        assert elapsed < HEALTH_BOUND_S
    probes = [t for t in threading.enumerate() if t.name == "health-db-probe"]
    assert len(probes) <= 1


def test_health_recovers_when_the_database_answers_again(app, client, checklists, monkeypatch):
    from inspect_app.system.health import probe_for

    release = threading.Event()
    real_execute = db.session.execute

    def hanging_execute(*args, **kwargs):
        release.wait(10)
        return real_execute(*args, **kwargs)

    monkeypatch.setattr(db.session, "execute", hanging_execute)
    monkeypatch.setitem(app.config, "HEALTH_DB_TIMEOUT_SECONDS", 0.3)
    assert client.get("/api/health").get_json()["status"] == "degraded"
    release.set()
    probe_for(app)._current.done.wait(10)
    monkeypatch.setattr(db.session, "execute", real_execute)
    monkeypatch.setitem(app.config, "HEALTH_DB_TIMEOUT_SECONDS", 5)
    response = client.get("/api/health")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


def test_a_busy_sqlite_database_answers_503_with_retry_after(app, client, auth, tmp_path):
    """Another process holds the write lock longer than a write may wait: 503, not 500."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the SQLite write lock")
    from tests import factories

    user = factories.create_user("admin", units=())
    headers = auth.headers(user)
    path = db.engine.url.database
    with other_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", DB_STATEMENT_TIMEOUT_MS=200) as quick:
        locker = sa.create_engine(f"sqlite:///{path}")
        with locker.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # holds the write lock
            try:
                response = quick.test_client().post(
                    "/api/sites", headers=headers,
                    json={"name": "被锁住的工地", "contractor": "某公司", "unit": "xinhuaxilu",
                          "lat": 40.82, "lon": 111.65, "datum": "WGS84", "phase": "earthwork"})
            finally:
                conn.exec_driver_sql("ROLLBACK")
        locker.dispose()
    assert response.status_code == 503, response.get_json()
    assert response.get_json()["code"] == "database_unavailable"
    assert response.headers["Retry-After"]


def test_other_database_errors_are_not_unavailability():
    """Only "not reachable / not in time" is unavailability; a missing table is a bug (500)."""
    import sqlite3

    import psycopg

    def wrapped(original):
        return OperationalError("SELECT 1", {}, original)

    assert not is_unavailable(wrapped(sqlite3.OperationalError("no such table: sites")))
    assert is_unavailable(wrapped(sqlite3.OperationalError("database is locked")))
    assert is_unavailable(wrapped(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")))
    assert is_unavailable(wrapped(psycopg.OperationalError("connection timeout expired")))
    assert not is_unavailable(sa.exc.ProgrammingError("SELECT 1", {}, psycopg.errors.UndefinedTable("x")))


def test_a_database_bug_under_api_stays_a_json_500(app, client, auth, monkeypatch):
    import sqlite3

    from inspect_app.sites import queries as site_queries
    from tests import factories

    headers = auth.headers(factories.create_user("admin", units=()))

    def broken(*args, **kwargs):
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("no such column: sites.nme"))

    monkeypatch.setattr(site_queries, "search_sites", broken)
    response = client.get("/api/sites", headers=headers)
    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"


# ---- the settings reach the driver ----

def test_postgresql_gets_connect_and_pool_timeouts_from_settings():
    options = engine_options({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://h/db",
                              "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
                              "DB_CONNECT_TIMEOUT_SECONDS": 3})
    assert options == {"pool_pre_ping": True, "pool_timeout": 3}
    sqlite_options = engine_options({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.sqlite3",
                                     "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}})
    assert "pool_timeout" not in sqlite_options


def test_postgresql_connect_parameters_keep_the_urls_options_and_skip_the_statement_timeout_in_commands():
    import click

    from inspect_app.core.database import _connect_parameters

    add = _connect_parameters("postgresql", {"DB_CONNECT_TIMEOUT_SECONDS": 4, "DB_STATEMENT_TIMEOUT_MS": 900})
    params = {"options": "-csearch_path=t_main_1", "host": "db"}
    add(None, None, [], params)
    assert params == {"options": "-csearch_path=t_main_1 -c statement_timeout=900", "host": "db",
                      "connect_timeout": 4}
    url_says = {"connect_timeout": 10}
    add(None, None, [], url_says)
    assert url_says["connect_timeout"] == 10  # a value in the URL wins
    with click.Context(click.Command("upgrade")):  # flask db upgrade, flask exports weekly …
        in_command = {}
        add(None, None, [], in_command)
    assert in_command == {"connect_timeout": 4}


def test_sqlite_write_waits_are_bounded_by_the_statement_timeout(tmp_path):
    with other_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.sqlite3'}",
                   DB_STATEMENT_TIMEOUT_MS=1500) as quick, quick.app_context():
        seen = {}
        sa.event.listen(db.engine, "do_connect", lambda d, r, a, params: seen.update(params))
        db.session.execute(sa.text("SELECT 1"))
        assert seen["timeout"] == 1.5


@pytest.fixture
def postgres_url(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL statement timeout")
    return url


def test_postgresql_statement_timeout_is_set_without_losing_the_urls_search_path(tmp_path, postgres_url):
    with other_app(tmp_path, SQLALCHEMY_DATABASE_URI=postgres_url, DB_STATEMENT_TIMEOUT_MS=700) as quick, \
            quick.app_context():
        assert db.session.execute(sa.text("SHOW statement_timeout")).scalar() == "700ms"
        expected_path = sa.engine.make_url(postgres_url).query.get("options", "")
        search_path = db.session.execute(sa.text("SHOW search_path")).scalar()
        if "search_path" in expected_path:
            assert expected_path.split("search_path=")[1] in search_path
        with pytest.raises(OperationalError) as cancelled:
            db.session.execute(sa.text("SELECT pg_sleep(3)"))
        assert is_unavailable(cancelled.value)
        db.session.rollback()


def test_a_statement_stuck_behind_a_lock_answers_503_on_postgresql(app, client, auth, tmp_path, postgres_url):
    from tests import factories

    user = factories.create_user("admin", units=())
    headers = auth.headers(user)
    with other_app(tmp_path, SQLALCHEMY_DATABASE_URI=postgres_url, DB_STATEMENT_TIMEOUT_MS=500) as quick:
        locker = sa.create_engine(postgres_url)
        with locker.connect() as conn:
            conn.exec_driver_sql("LOCK TABLE sites IN ACCESS EXCLUSIVE MODE")
            try:
                response, elapsed = _timed(lambda: quick.test_client().get("/api/sites", headers=headers))
            finally:
                conn.rollback()
        locker.dispose()
    assert response.status_code == 503, response.get_json()
    assert response.get_json()["code"] == "database_unavailable"
    assert elapsed < REQUEST_BOUND_S

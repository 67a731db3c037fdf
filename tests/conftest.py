"""Shared fixtures: one app per test session, a clean database per test, login helpers.

The database is SQLite in a temporary file by default. Set ``TEST_DATABASE_URL`` (e.g.
``postgresql+psycopg://127.0.0.1/test``) to run on PostgreSQL; each pytest-xdist worker then
gets its own schema, dropped at the end.
"""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from inspect_app import create_app
from inspect_app.core.units import ensure_units
from inspect_app.extensions import db
from tests import factories


def _database_url(tmp_path_factory) -> tuple[str, str | None]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}", None
    schema = f"t_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}", schema


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The application under test, with its schema built once."""
    url, schema = _database_url(tmp_path_factory)
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "PHOTO_DIR": str(tmp_path_factory.mktemp("photos")),
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "test-secret",
        # scrypt costs ~0.35 s a hash; tests log in thousands of times (tests/auth checks scrypt)
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _fast_sqlite)
            db.engine.dispose()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        engine = sa.create_engine(os.environ["TEST_DATABASE_URL"])
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _fast_sqlite(dbapi_connection, record):
    """Test databases are throwaway: skip fsync so the suite is not bound by the disk."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("PRAGMA journal_mode=MEMORY")
    cursor.close()


@pytest.fixture(autouse=True)
def app_ctx(app):
    """Every test runs inside an app context on an emptied database with the eight units."""
    with app.app_context():
        ensure_units()
        db.session.commit()
        yield
        db.session.rollback()
        _empty_all_tables()


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()
    db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def auth(client):
    """Log users in through the API and build Authorization headers."""
    return factories.AuthActions(client)


@pytest.fixture
def checklists(app):
    """Sync the real checklist files into the database; returns the stored versions."""
    from inspect_app.checklists.operations import sync_checklists

    results = sync_checklists(None, app.config["CHECKLIST_DIR"])
    db.session.commit()
    return results


@pytest.fixture
def count_queries(app):
    """Count SQL statements executed inside a ``with count_queries() as counter:`` block."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        statements: list[str] = []

        def before(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)

    return counter

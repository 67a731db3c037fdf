"""Fixtures of the backup tests: fresh instances (own instance folder, own photo folder, own empty
database of the suite's kind) built by the real migrations, so each has an alembic revision.

On PostgreSQL each instance is a scratch database ``test_backup_<random>`` on the TEST_DATABASE_URL
server (pg_dump dumps a whole database), dropped after the test. One source instance with history
and its backup are made once per module (migrations are the slow part); each test works on a copy.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from inspect_app import create_app
from inspect_app.extensions import db


class Instances:
    """Builds apps on new empty databases and drops those databases at the end."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch):
        self.root, self.monkeypatch = root, monkeypatch
        self.base = os.environ.get("TEST_DATABASE_URL")
        self.created: list[tuple] = []

    def build(self, name: str, *, migrate: bool = True, **config):
        folder = self.root / name
        database = None
        if self.base:
            database = f"test_backup_{name}_{uuid.uuid4().hex[:8]}"
            self._admin(f'CREATE DATABASE "{database}"')
            url = sa.make_url(self.base).set(database=database).render_as_string(hide_password=False)
        else:
            url = f"sqlite:///{folder / 'inspect.sqlite3'}"
        self.monkeypatch.setenv("INSPECT_INSTANCE_PATH", str(folder))
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "PHOTO_DIR": str(folder / "photos"),
                          "RATELIMIT_ENABLED": False, "SECRET_KEY": "test-secret",
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **config})
        self.created.append((app, database))
        if migrate:
            with app.app_context():
                upgrade(directory=app.extensions["migrate"].directory)
                db.session.remove()
        return app

    def drop_all(self) -> None:
        for app, database in self.created:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            if database:
                self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        engine = sa.create_engine(self.base, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(statement))
        finally:
            engine.dispose()


@pytest.fixture
def new_instance(tmp_path, monkeypatch):
    """``new_instance(name, migrate=True, **config)``: an app on a new empty database and photo folder."""
    instances = Instances(tmp_path, monkeypatch)
    yield instances.build
    instances.drop_all()


@pytest.fixture(scope="module")
def module_instances(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        instances = Instances(tmp_path_factory.mktemp("instances"), monkeypatch)
        yield instances
        instances.drop_all()

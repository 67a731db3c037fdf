"""Migrations build the same schema as the models, upgrade from empty to head and back down.

Runs on SQLite by default and on a fresh PostgreSQL schema when TEST_DATABASE_URL is set.
"""
import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from inspect_app import create_app
from inspect_app.extensions import db


@pytest.fixture
def fresh_app(tmp_path):
    """An app on an empty database of the same kind as the suite's."""
    base = os.environ.get("TEST_DATABASE_URL")
    schema = None
    if base:
        schema = f"mig_{uuid.uuid4().hex[:10]}"
        engine = sa.create_engine(base)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PHOTO_DIR": str(tmp_path / "photos"),
                      "TESTING": True})
    yield app
    with app.app_context():
        db.engine.dispose()
    if schema:
        engine = sa.create_engine(base)
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_to_head_matches_the_models_and_downgrades_to_empty(fresh_app):
    migrations = fresh_app.extensions["migrate"].directory
    with fresh_app.app_context():
        upgrade(directory=migrations)
        assert _table_names() == set(db.metadata.tables)
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        units = db.session.execute(sa.text("SELECT count(*) FROM units")).scalar()
        assert units == 8
        db.session.remove()
        downgrade(directory=migrations, revision="base")
        assert _table_names() == set()

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


def _insert(conn, table_name: str, **given) -> None:
    """A row of the table as the database has it at this revision: the given values, and for every other
    NOT NULL column without a default a plain value of its type."""
    from datetime import datetime, timezone

    table = sa.Table(table_name, sa.MetaData(), autoload_with=conn)
    row = dict(given)
    for column in table.columns:
        if column.name in row or column.nullable or column.server_default is not None or column.primary_key:
            continue
        kind = column.type
        if isinstance(kind, sa.Boolean):
            row[column.name] = False
        elif isinstance(kind, (sa.Integer, sa.Float, sa.Numeric)):
            row[column.name] = 0
        elif isinstance(kind, (sa.DateTime, sa.Date)) or "TIME" in str(kind).upper():
            row[column.name] = datetime(2026, 11, 1, tzinfo=timezone.utc)
        elif isinstance(kind, sa.JSON):
            row[column.name] = []
        else:
            row[column.name] = "x"
    conn.execute(table.insert().values(**row))


def test_0021_fills_site_stats_and_flag_counts_from_existing_inspections(fresh_app):
    """An installation upgrading with history gets every site's row and every inspection's flag count."""
    from datetime import datetime, timezone

    migrations = fresh_app.extensions["migrate"].directory
    with fresh_app.app_context():
        upgrade(directory=migrations, revision="0020")
        with db.engine.begin() as conn:
            unit = conn.scalar(sa.text("SELECT id FROM units ORDER BY id LIMIT 1"))
            _insert(conn, "users", id=1, username="u1", role="inspector")
            _insert(conn, "sites", id=1, name="甲工地", unit_id=unit, phase="earthwork", status="active", lat=40.8, lon=111.6,
                    geofence_radius_m=200.0)
            _insert(conn, "sites", id=2, name="乙工地", unit_id=unit, phase="earthwork", status="active", lat=40.8, lon=111.6,
                    geofence_radius_m=200.0)
            rows = [  # id, finished (day of November), score, grade, review status, flags
                (1, 3, 70.0, "fail", "approved", []),
                (2, 5, 88.0, "excellent", "approved", [{"code": "no_position"}, {"code": "photo_stale"}]),
                (3, 6, 95.0, "excellent", "superseded", []),  # replaced by a correction: does not count
                (4, 7, None, None, "submitted", [{"code": "off_site"}]),  # counted, unscored
                (5, 2, 60.0, "fail", "approved", None),  # flags stored as JSON null: no flags, no error
            ]
            for ident, day, score, grade, status, flags in rows:
                at = datetime(2026, 11, day, 8, tzinfo=timezone.utc)
                _insert(conn, "inspections", id=ident, uuid=str(uuid.uuid4()), kind="site", site_id=1, unit_id=unit,
                        inspector_id=1, started_at=at, finished_at=at, received_at=at, review_status=status,
                        score=score, grade=grade, flags=flags, content_hash="0" * 64, completeness="complete")
        db.session.remove()
        upgrade(directory=migrations)
        with db.engine.connect() as conn:
            stats = {row.site_id: row for row in conn.execute(sa.text("SELECT * FROM site_stats"))}
            counts = dict(conn.execute(sa.text("SELECT id, flag_count FROM inspections")).all())
        assert set(stats) == {1, 2}
        assert (stats[1].score, stats[1].grade, stats[1].previous_score) == (88.0, "excellent", 70.0)
        assert "2026-11-07" in str(stats[1].last_inspected_at)
        assert stats[2].score is None and stats[2].last_inspected_at is None
        assert counts == {1: 0, 2: 2, 3: 0, 4: 1, 5: 0}
        db.session.remove()
        downgrade(directory=migrations, revision="base")

"""The database half of a backup: a consistent copy with its row counts, per database kind.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies the live file page by page while
the app keeps writing; row counts are read from the copy, so they describe exactly what was saved.
PostgreSQL: ``pg_dump --format=custom`` run on a snapshot exported by a REPEATABLE READ transaction
that also counts the rows, so the dump and the counts see the same instant.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from inspect_app.backups.errors import BackupError

SQLITE_FILE = "database.sqlite"
POSTGRES_FILE = "database.dump"
SUPPORTED = ("sqlite", "postgresql")


@dataclass
class DatabaseCopy:
    kind: str
    file: str
    revision: str | None
    tables: dict[str, int]


def database_kind(engine: Engine) -> str:
    kind = engine.dialect.name
    if kind not in SUPPORTED:
        raise BackupError("backup_unsupported_database", kind=kind)
    return kind


def copy_database(engine: Engine, directory: Path) -> DatabaseCopy:
    """Write a consistent copy of the database into ``directory``; its revision and row counts."""
    if database_kind(engine) == "sqlite":
        return _copy_sqlite(engine, directory / SQLITE_FILE)
    return _dump_postgres(engine, directory / POSTGRES_FILE)


def _copy_sqlite(engine: Engine, target: Path) -> DatabaseCopy:
    raw = engine.raw_connection()
    try:
        with closing(sqlite3.connect(target)) as copy:
            raw.driver_connection.backup(copy, pages=4096)
    finally:
        raw.close()
    copy_engine = sa.create_engine(f"sqlite:///{target}")
    try:
        with copy_engine.connect() as conn:
            return DatabaseCopy("sqlite", SQLITE_FILE, read_revision(conn), count_rows(conn))
    finally:
        copy_engine.dispose()


def _dump_postgres(engine: Engine, target: Path) -> DatabaseCopy:
    program = _program("pg_dump")
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with conn.begin():
            snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            tables = count_rows(conn)
            revision = read_revision(conn)
            # the snapshot lives as long as this transaction: pg_dump runs inside it
            _run([program, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                  f"--file={target}", f"--dbname={_libpq_url(engine)}"], engine)
    return DatabaseCopy("postgresql", POSTGRES_FILE, revision, tables)


def restore_database(engine: Engine, kind: str, source: Path) -> None:
    """Load a backup file into the (empty) database ``engine`` points at."""
    if kind == "sqlite":
        raw = engine.raw_connection()
        try:
            with closing(sqlite3.connect(source)) as backup:
                backup.backup(raw.driver_connection, pages=4096)
        finally:
            raw.close()
    else:
        _run([_program("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--dbname={_libpq_url(engine)}", str(source)], engine)
    engine.dispose()  # connections opened before the load must not serve cached schema


def existing_tables(engine: Engine) -> list[str]:
    """Every table in the target: a restore goes only into a database without any."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            rows = conn.execute(sa.text(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"))
        else:
            rows = conn.execute(sa.text(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"))
        return [row[0] for row in rows]


def count_rows(conn: Connection) -> dict[str, int]:
    """Rows per table of the connection's schema, alembic_version included."""
    names = sorted(sa.inspect(conn).get_table_names())
    preparer = conn.dialect.identifier_preparer
    return {name: conn.execute(sa.text(f"SELECT count(*) FROM {preparer.quote(name)}")).scalar_one()
            for name in names}


def read_revision(conn: Connection) -> str | None:
    """The alembic revision the database is at (None when it was not built by migrations)."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _program(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError("backup_pg_dump_missing", program=name)
    return path


def _libpq_url(engine: Engine) -> str:
    """The URL for pg_dump / pg_restore, without the password (that goes in PGPASSWORD, not argv)."""
    url = engine.url.set(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def _run(command: list[str], engine: Engine) -> None:
    env = dict(os.environ)
    if engine.url.password:
        env["PGPASSWORD"] = str(engine.url.password)
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        error = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError("backup_pg_dump_failed", program=Path(command[0]).name, code=done.returncode,
                          error=" / ".join(error[-3:]) or "-")

"""How fast ``flask backup create`` and ``flask backup restore`` go over a local photo store.

    python bench/backup.py [--objects 2000] [--kilobytes 400] [--database-url postgresql+psycopg://…/db]

Setup (not measured): an instance migrated to head (SQLite in a temporary folder, or the empty
PostgreSQL database given, which must exist), and ``--objects`` stored files of ``--kilobytes`` each
(random bytes, so hashes differ) written through the storage interface, as photos and derivatives are.
Measured: ``create`` (database copy, every object copied and hashed, manifest) and ``restore`` into a
second empty instance (every copy hashed before anything is written, objects put back, database loaded,
row counts and audit chain checked), each through the real command in this process; MB/s over the
objects. On PostgreSQL the restore needs a second empty database: ``<db>_restore`` is created and dropped.
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _app(folder: Path, url: str | None):
    from inspect_app import create_app

    os.environ["INSPECT_INSTANCE_PATH"] = str(folder)
    return create_app({"SQLALCHEMY_DATABASE_URI": url or f"sqlite:///{folder / 'bench.sqlite3'}",
                       "PHOTO_DIR": str(folder / "photos"), "SECRET_KEY": "bench-secret" * 3})


def _admin(url: str, statement: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(statement))
    engine.dispose()


def _run(app, *args) -> float:
    started = time.perf_counter()
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
    if result.exit_code != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{result.output}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=2000)
    parser.add_argument("--kilobytes", type=int, default=400)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from flask_migrate import upgrade
    import sqlalchemy as sa

    from inspect_app.core.storage import get_storage, new_key
    from inspect_app.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = _app(folder / "source", args.database_url)
        with source.app_context():
            upgrade(directory=source.extensions["migrate"].directory)
            storage = get_storage()
            for _ in range(args.objects):
                storage.put(new_key("p"), os.urandom(args.kilobytes * 1024))
            db.session.remove()
        total_mb = args.objects * args.kilobytes / 1024
        create = _run(source, "backup", "create", str(folder / "backup"))

        target_url = None
        if args.database_url:
            base = sa.make_url(args.database_url)
            restore_db = f"{base.database}_restore"
            target_url = base.set(database=restore_db).render_as_string(hide_password=False)
            _admin(args.database_url, f'DROP DATABASE IF EXISTS "{restore_db}"')
            _admin(args.database_url, f'CREATE DATABASE "{restore_db}"')
        target = _app(folder / "target", target_url)
        try:
            restore = _run(target, "backup", "restore", str(folder / "backup"))
        finally:
            with target.app_context():
                db.engine.dispose()
            if target_url:
                _admin(args.database_url, f'DROP DATABASE IF EXISTS "{restore_db}"')
        kind = "PostgreSQL" if args.database_url else "SQLite"
        print(f"{kind}, {args.objects} objects × {args.kilobytes} KB = {total_mb:.0f} MB")
        print(f"create : {create:6.2f} s  ({total_mb / create:6.1f} MB/s)")
        print(f"restore: {restore:6.2f} s  ({total_mb / restore:6.1f} MB/s; every copy hashed before any write)")


if __name__ == "__main__":
    main()

"""``flask backup create DIR`` and ``flask backup restore DIR``."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import AppGroup

from inspect_app.backups.errors import BackupError
from inspect_app.backups.operations import create_backup, restore_backup
from inspect_app.core.i18n import translate
from inspect_app.core.storage import StorageError
from inspect_app.extensions import db

backup_cli = AppGroup("backup", help="Back up and restore the database and every stored object.")


def _say(line: str) -> None:
    click.echo(line, err=True)


@contextmanager
def _failing_cleanly(storage_message: str):
    """A refused or failed run rolls back, says why in one sentence and exits 1 (never a traceback)."""
    try:
        yield
    except BackupError as exc:
        db.session.rollback()
        click.echo(str(exc), err=True)
        raise SystemExit(1)
    except StorageError as exc:
        db.session.rollback()
        click.echo(translate(storage_message, error=exc), err=True)
        raise SystemExit(1)


@backup_cli.command("create")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def create_command(directory: Path):
    """Write a new backup directory: the database (SQLite backup API or pg_dump), stored objects and manifest."""
    with _failing_cleanly("backup_storage_failed"):
        manifest = create_backup(directory, _say)
    db.session.commit()
    copied = manifest["storage"]["objects_copied"]
    click.echo(translate("backup_created", path=directory, kind=manifest["database"]["kind"],
                         revision=manifest["alembic_revision"] or "-", objects=len(manifest["objects"]),
                         megabytes=f"{sum(entry['size'] for entry in manifest['objects']) / 1024 / 1024:.1f}",
                         how=translate("backup_objects_copied" if copied else "backup_objects_listed")))


@backup_cli.command("restore")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def restore_command(directory: Path):
    """Restore a backup into an EMPTY database and the configured storage, then verify it (exit 1 if not)."""
    with _failing_cleanly("restore_storage_failed"):
        report = restore_backup(directory, _say)
    db.session.commit()
    click.echo(translate("restore_done", tables=report.tables, rows=report.rows, objects=report.objects,
                         restored=report.written, present=report.present, events=report.events))
    if report.revision != report.head:
        click.echo(translate("restore_upgrade_next", revision=report.revision, head=report.head))

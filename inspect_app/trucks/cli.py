"""``flask vehicles ...`` commands."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from inspect_app.core.errors import DomainError
from inspect_app.core.i18n import translate
from inspect_app.extensions import db
from inspect_app.trucks import importer

vehicles_cli = AppGroup("vehicles", help="Manage the muck-truck registry.")


@vehicles_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
def import_command(file: Path, dry_run: bool):
    """Import the vehicle filing list from CSV or XLSX — all rows or none."""
    limit = current_app.config.get("VEHICLE_IMPORT_MAX_BYTES", importer.MAX_IMPORT_BYTES)
    try:
        if file.stat().st_size > limit:
            raise importer.import_too_large(limit)
        report = importer.import_vehicles(None, file.read_bytes(), dry_run=dry_run)
    except DomainError as err:
        db.session.rollback()
        errors = err.details.get("errors", []) if isinstance(err.details, dict) else []
        for error in errors:
            click.echo(translate("vehicle_import_row_error", row=error["row"], column=error["column"],
                                 message=error["message"]), err=True)
        raise click.ClickException(translate(err.code, **err.params)) from err
    if not dry_run:
        db.session.commit()
    code = "vehicle_import_summary_dry_run" if dry_run else "vehicle_import_summary"
    click.echo(translate(code, rows=report.rows, created=report.created, updated=report.updated,
                         unchanged=report.unchanged, companies=report.companies_created))
    if report.ignored_columns:
        click.echo(translate("vehicle_import_ignored_columns", columns="、".join(report.ignored_columns)))

"""``flask vehicles ...`` commands."""
from pathlib import Path

import click
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
    data = file.read_bytes()
    if len(data) > importer.MAX_IMPORT_BYTES:
        raise click.ClickException(translate("vehicle_import_too_large",
                                             limit_mb=importer.MAX_IMPORT_BYTES // 1024 // 1024))
    try:
        report = importer.import_vehicles(None, data, dry_run=dry_run)
    except DomainError as err:
        db.session.rollback()
        errors = err.details.get("errors", []) if isinstance(err.details, dict) else []
        for error in errors:
            click.echo(f"row {error['row']} [{error['column']}]: {error['message']}", err=True)
        raise click.ClickException(translate(err.code, **err.params)) from err
    if not dry_run:
        db.session.commit()
    code = "vehicle_import_summary_dry_run" if dry_run else "vehicle_import_summary"
    click.echo(translate(code, rows=report.rows, created=report.created, updated=report.updated,
                         unchanged=report.unchanged, companies=report.companies_created))
    if report.ignored_columns:
        click.echo(translate("vehicle_import_ignored_columns", columns="、".join(report.ignored_columns)))

"""``flask checklists sync|check``: load the checklist files into versions, or just validate them."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from inspect_app.checklists.loader import ChecklistFileError, load_directory
from inspect_app.checklists.drafts import diff_lines
from inspect_app.checklists.operations import OVERWRITE, REFUSE, PublishedVersionsDiffer, sync_checklists
from inspect_app.checklists.queries import current_versions
from inspect_app.core.i18n import translate
from inspect_app.extensions import db

checklists_cli = AppGroup("checklists", help="Load and validate the checklist files.")

_DIR_OPTION = click.option(
    "--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Directory of *.toml files (default: CHECKLIST_DIR).",
)


@checklists_cli.command("sync")
@_DIR_OPTION
@click.option("--overwrite-published", is_flag=True, default=False,
              help="Store a file even where it differs from a version published on the admin desk "
                   "(without it, sync lists the differences and stores nothing).")
def sync_command(directory, overwrite_published):
    """Store a new version of each changed checklist file; unchanged files store nothing."""
    directory = directory or current_app.config["CHECKLIST_DIR"]
    try:
        results = sync_checklists(None, directory, published=OVERWRITE if overwrite_published else REFUSE)
    except ChecklistFileError as err:
        db.session.rollback()
        raise click.ClickException(str(err)) from err
    except PublishedVersionsDiffer as err:
        db.session.rollback()
        for source_key, version, diff in err.conflicts:
            click.echo(translate("checklist_sync_published_differs", source=source_key, version=version))
            for line in diff_lines(diff):
                click.echo(f"  {line}")
        raise click.ClickException(translate("checklist_sync_refused")) from err
    db.session.commit()
    for result in results:
        code = "checklist_sync_new" if result.created else "checklist_sync_unchanged"
        click.echo(translate(code, source=result.source_key, version=result.version))
    on_disk = {r.source_key for r in results}
    for version in current_versions():
        if version.source_key not in on_disk:
            click.echo(translate("checklist_sync_missing_file", source=version.source_key, version=version.version))


@checklists_cli.command("check")
@_DIR_OPTION
def check_command(directory):
    """Validate the checklist files without touching the database; exit 1 listing every problem."""
    directory = directory or current_app.config["CHECKLIST_DIR"]
    try:
        loaded = load_directory(directory)
    except ChecklistFileError as err:
        raise click.ClickException(str(err)) from err
    for source in loaded:
        click.echo(translate("checklist_check_ok", file=source.path.name, count=len(source.items)))

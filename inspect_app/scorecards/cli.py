"""``flask scorecards rebuild-stats``: recompute every site's statistics from the inspections."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from inspect_app.core import audit
from inspect_app.extensions import db
from inspect_app.scorecards.operations import rebuild_site_stats

scorecards_cli = AppGroup("scorecards", help="Look after the scorecards' statistics.")


@scorecards_cli.command("rebuild-stats")
def rebuild_stats_command():
    """Recompute site_stats and inspections.flag_count from the inspections (after a bulk load or a restore
    of rows written around the app). Safe to run at any time; one transaction."""
    started = time.perf_counter()
    sites = rebuild_site_stats(db.session.connection())
    audit.record(None, "site_stats.rebuild", None, object_type="site_stats", object_id="all",
                 after={"sites": sites})
    db.session.commit()
    click.echo(f"site statistics rebuilt: {sites} sites in {time.perf_counter() - started:.1f} s")

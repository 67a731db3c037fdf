"""``flask photos ...``: looking after the stored photo files."""
from __future__ import annotations

import re
from datetime import timedelta

import click
from flask.cli import AppGroup

from inspect_app.core.i18n import translate
from inspect_app.evidence import operations
from inspect_app.extensions import db

photos_cli = AppGroup("photos", help="Look after stored photo files.")

# Below this an upload still in flight could lose its files (a request lasts seconds, not minutes).
MIN_AGE = timedelta(minutes=5)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_AGE_RE = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")


def parse_age(text: str) -> timedelta:
    """``90m``, ``2h``, ``1d`` or plain seconds as a timedelta; at least MIN_AGE."""
    match = _AGE_RE.match(text or "")
    if not match:
        raise click.BadParameter(translate("photo_sweep_bad_age", value=text), param_hint="--older-than")
    age = timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2) or "s"])
    if age < MIN_AGE:
        raise click.BadParameter(translate("photo_sweep_age_too_short", minutes=int(MIN_AGE.total_seconds() // 60)),
                                 param_hint="--older-than")
    return age


@photos_cli.command("sweep")
@click.option("--older-than", "older_than", default="1h", show_default=True,
              help="Only files at least this old: seconds, or 90m, 2h, 1d (at least 5m).")
@click.option("--dry-run", is_flag=True, help="Report what would be deleted; delete nothing.")
def sweep_command(older_than: str, dry_run: bool):
    """Delete photo and 送达 picture files no record references (left by a crashed upload); safe any time."""
    age = parse_age(older_than)
    report = operations.sweep_orphan_files(older_than=age, dry_run=dry_run)
    db.session.commit()
    code = "photo_sweep_summary_dry_run" if dry_run else "photo_sweep_summary"
    click.echo(translate(code, scanned=report.scanned, orphans=report.orphans,
                         megabytes=f"{report.orphan_bytes / 1024 / 1024:.1f}", bytes=report.orphan_bytes,
                         referenced=report.referenced, young=report.too_young, failed=report.failed))
    if report.failed:
        raise SystemExit(1)

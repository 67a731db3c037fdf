"""``flask photos ...``: looking after the stored photo files."""
from __future__ import annotations

import re
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from inspect_app.core import audit
from inspect_app.core.i18n import translate
from inspect_app.core.storage import make_storage
from inspect_app.core.storage_copy import CopyInterrupted, copy_store
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


@photos_cli.command("migrate")
@click.option("--to", "target_kind", type=click.Choice(["s3"]), required=True,
              help="Copy into this backend, configured by the S3_* settings.")
def migrate_command(target_kind: str):
    """Copy every stored file from PHOTO_DIR into the bucket, checking each copy's SHA-256; run it again to
    resume or to catch up, then set PHOTO_STORAGE=s3."""
    source = make_storage(current_app.config, "local")
    target = make_storage(current_app.config, target_kind)

    def progress(report):
        click.echo(translate("photo_migrate_progress", done=report.done, total=report.total, copied=report.copied,
                             skipped=report.skipped, megabytes=f"{report.copied_bytes / 1024 / 1024:.1f}"))

    try:
        report = copy_store(source, target, progress=progress)
    except CopyInterrupted as stopped:
        _audit_migration(target_kind, stopped.report, interrupted_at=stopped.key)
        click.echo(translate("photo_migrate_interrupted", key=stopped.key, error=stopped.error,
                             copied=stopped.report.copied, skipped=stopped.report.skipped,
                             total=stopped.report.total), err=True)
        raise SystemExit(1)
    _audit_migration(target_kind, report)
    click.echo(translate("photo_migrate_summary", total=report.total, copied=report.copied,
                         bytes=report.copied_bytes, skipped=report.skipped, temporary=report.temporary))


def _audit_migration(target_kind: str, report, interrupted_at: str | None = None) -> None:
    after = {"to": target_kind, "total": report.total, "copied": report.copied, "bytes": report.copied_bytes,
             "skipped": report.skipped}
    if interrupted_at:
        after["interrupted_at"] = interrupted_at
    audit.record(None, "photos.migrate", None, object_type="photo_storage", object_id="", after=after)
    db.session.commit()

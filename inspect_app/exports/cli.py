"""``flask exports weekly``: the scheduled job that writes the district's weekly export."""
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from inspect_app.core.errors import DomainError
from inspect_app.core.i18n import translate
from inspect_app.exports import operations, writers
from inspect_app.exports.queries import export_context
from inspect_app.exports.schemas import FORMATS
from inspect_app.extensions import db

exports_cli = AppGroup("exports", help="Write exports for the district.")


@exports_cli.command("weekly")
@click.option("--week", default=None, help="ISO week, e.g. 2026-W48 (default: the last complete week).")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write into (created if missing).")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS), default=("xlsx",),
              show_default=True, help="Repeat for several formats.")
@click.option("--base-url", default="",
              help="Public address of this server for the photo links, e.g. https://inspect.example.cn "
                   "(default: PUBLIC_BASE_URL).")
def weekly_command(week: str | None, out_dir: Path, formats: tuple[str, ...], base_url: str):
    """Write the week's export for the whole district; prints files, row counts and seconds.

    Photo links are signed and expire after EXPORT_LINK_DAYS; they need the server's public address,
    so without --base-url or PUBLIC_BASE_URL nothing is written. Each file written is audited.
    """
    base_url = base_url or current_app.config.get("PUBLIC_BASE_URL") or ""
    if not base_url.startswith(("https://", "http://")):
        raise click.UsageError(translate("export_base_url_required"))
    try:
        ctx = export_context(None, week, base_url=base_url)
    except DomainError as err:
        raise click.BadParameter(translate(err.code, **err.params), param_hint="--week") from err
    out_dir.mkdir(parents=True, exist_ok=True)
    click.echo(translate("export_week_range", week=ctx.label, start=ctx.first_day, end=ctx.last_day))
    for fmt in dict.fromkeys(formats):
        path = out_dir / writers.filename(ctx, fmt)
        started = time.perf_counter()
        counts = _write(ctx, fmt, path)
        operations.record_download(None, ctx, fmt, via="cli")
        db.session.commit()
        rows = "，".join(translate("export_sheet_rows", sheet=name, rows=n) for name, n in counts.items())
        click.echo(translate("export_written", path=path, format=fmt, rows=rows,
                             seconds=f"{time.perf_counter() - started:.2f}"))


def _write(ctx, fmt: str, path: Path) -> dict[str, int]:
    """Write one format to ``path`` and count its rows."""
    if fmt == "xlsx":
        return writers.write_xlsx(ctx, str(path))
    counts: dict[str, int] = {}
    with path.open("wb") as handle:
        for chunk in writers.STREAMED[fmt](ctx, counts):
            handle.write(chunk)
    return counts

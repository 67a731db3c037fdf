"""``flask audit ...``: check that nobody edited or deleted audit events."""
import click
from flask.cli import AppGroup

from inspect_app.core.audit import verify_chain

audit_cli = AppGroup("audit", help="Check the tamper-evident audit log.")


@audit_cli.command("verify")
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(100, 100_000),
              help="Events read per query (and between progress lines).")
def verify_command(batch_size):
    """Walk the audit chain; name the first broken link and exit 1 if there is one."""
    def progress(checked, total):
        click.echo(f"checked {checked} of {total} events …", err=True)

    report = verify_chain(progress=progress, batch_size=batch_size)
    if not report.ok:
        click.echo(f"audit chain BROKEN after {report.checked} good events: {report.broken}", err=True)
        raise SystemExit(1)
    click.echo(f"audit chain intact: {report.checked} events, head {report.head_hash}")

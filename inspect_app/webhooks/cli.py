"""`flask webhooks deliver` and `flask webhooks overdue`, for cron."""
from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from inspect_app.extensions import db
from inspect_app.webhooks.delivery import deliver
from inspect_app.webhooks.operations import announce_overdue


@click.group("webhooks", help="Group-robot (企业微信 / 钉钉) notifications.")
def webhooks_cli():
    """Commands for the webhook outbox."""


@webhooks_cli.command("deliver")
@click.option("--limit", default=50, show_default=True, help="Rows claimed at a time.")
@with_appcontext
def deliver_command(limit: int):
    """Post every due notification (first tries and retries); safe to run in several processes at once."""
    counts = deliver(limit=limit)
    click.echo(f"delivered {counts['delivered']}, to retry {counts['retry']}, given up {counts['failed']}")


@webhooks_cli.command("overdue")
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The local day (default today, Asia/Shanghai).")
@click.option("--deliver/--no-deliver", "then_deliver", default=True, show_default=True,
              help="Post right away (else the next `flask webhooks deliver` does).")
@with_appcontext
def overdue_command(on, then_deliver: bool):
    """Tell each unit's robot of its overdue follow-ups (复查), once a day; run it from cron each morning."""
    today: date | None = on.date() if on else None
    created = announce_overdue(today)
    db.session.commit()
    click.echo(f"overdue digests written: {len(created)}")
    if then_deliver:
        counts = deliver([d.id for d in created]) if created else {"delivered": 0, "retry": 0, "failed": 0}
        click.echo(f"delivered {counts['delivered']}, to retry {counts['retry']}, given up {counts['failed']}")

"""``flask demo``: migrate, load demo data, print the logins, and serve the app."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple
from flask_migrate import upgrade
from sqlalchemy import select

from inspect_app.auth import operations as auth_ops
from inspect_app.auth.queries import get_user_by_username
from inspect_app.checklists.operations import sync_checklists
from inspect_app.core.units import ensure_units
from inspect_app.demo.data import DEMO_PASSWORD, DEMO_USERS, demo_sites
from inspect_app.extensions import db
from inspect_app.sites import operations as site_ops
from inspect_app.sites.models import Site


def load_demo_data() -> list[tuple[str, str]]:
    """Idempotently load units, checklists, sites and users; returns (username, role) pairs."""
    ensure_units()
    sync_checklists(None, current_app.config["CHECKLIST_DIR"])
    existing = set(db.session.scalars(select(Site.name)))
    for data in demo_sites():
        if data["name"] not in existing:
            site_ops.create_site(None, data)
    created = []
    for username, role, name, units in DEMO_USERS:
        if get_user_by_username(username) is None:
            auth_ops.create_user(None, username=username, display_name=name, role=role,
                                 password=DEMO_PASSWORD, units=units)
        created.append((username, role))
    db.session.commit()
    return created


@click.command("demo")
@click.option("--serve/--no-serve", default=True, help="Start the development server afterwards.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def demo_cli(serve: bool, host: str, port: int):
    """Create the schema, load demo data (idempotent), print logins and serve on SQLite."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    users = load_demo_data()
    click.echo("\nDemo users (password for all: %s):" % DEMO_PASSWORD)
    for username, role in users:
        click.echo(f"  {username:<12} {role}")
    click.echo(f"\nPhone app: http://{host}:{port}/app/   API docs: http://{host}:{port}/api/docs\n")
    if serve:
        # app.run() is ignored inside a `flask` command; serve with werkzeug directly.
        run_simple(host, port, current_app._get_current_object(), threaded=True, use_reloader=False)

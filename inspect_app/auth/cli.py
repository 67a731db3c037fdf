"""``flask users ...`` commands."""
import click
from flask.cli import AppGroup

from inspect_app.auth import operations
from inspect_app.auth.models import ALL_ROLES
from inspect_app.core.errors import DomainError
from inspect_app.core.i18n import translate
from inspect_app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ALL_ROLES), required=True)
@click.option("--name", "display_name", help="Display name (defaults to the username).")
@click.option("--unit", "units", multiple=True, help="Unit code or Chinese name; repeatable.")
@click.password_option()
def create_user_command(username, role, display_name, units, password):
    """Create a user with a hashed password."""
    try:
        user = operations.create_user(None, username=username, display_name=display_name or username,
                                      role=role, password=password, units=list(units))
    except DomainError as err:
        raise click.ClickException(translate(err.code, **err.params)) from err
    db.session.commit()
    click.echo(f"created {user.username} ({user.role})")

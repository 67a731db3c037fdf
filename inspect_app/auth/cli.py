"""``flask users ...``: create, list, deactivate, reactivate, reset a password, log out everywhere.

Every command goes through the same operations as the admin API, so each change is audited (with
no actor: the operator at the console) and revokes tokens exactly as the API does.
"""
import functools

import click
from flask.cli import AppGroup

from inspect_app.auth import operations, queries
from inspect_app.auth.models import ALL_ROLES, AUTHORITIES, DEFAULT_AUTHORITY
from inspect_app.core.errors import DomainError
from inspect_app.core.i18n import translate
from inspect_app.extensions import db

users_cli = AppGroup("users", help="Manage user accounts.")


def _refusals_as_messages(command):
    """Domain refusals end the command with their sentence (exit 1), never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DomainError as err:
            db.session.rollback()
            raise click.ClickException(translate(err.code, **err.params)) from err
    return wrapper


def _user(username: str):
    user = queries.get_user_by_username(username)
    if user is None:
        raise DomainError("unknown_user", status=404, username=username)
    return user


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ALL_ROLES), required=True)
@click.option("--name", "display_name", help="Display name (defaults to the username).")
@click.option("--unit", "units", multiple=True, help="Unit code or Chinese name; repeatable.")
@click.option("--authority", type=click.Choice(AUTHORITIES), default=DEFAULT_AUTHORITY, show_default=True,
              help="The authority an enforcement user works for (whose case queue they see).")
@click.password_option()
@_refusals_as_messages
def create_user_command(username, role, display_name, units, authority, password):
    """Create a user with a hashed password."""
    user = operations.create_user(None, username=username, display_name=display_name or username,
                                  role=role, password=password, units=list(units), authority=authority)
    db.session.commit()
    click.echo(f"created {user.username} ({user.role})")


@users_cli.command("list")
@click.option("--inactive/--all", "only_inactive", default=None,
              help="Only deactivated accounts (--inactive), or every account (--all, the default).")
def list_users_command(only_inactive):
    """List accounts: username, role, active, units, live tokens."""
    rows = queries.users_with_live_token_counts(active=False if only_inactive else None)
    click.echo(f"{'username':<20} {'role':<12} {'active':<7} {'tokens':>6}  units")
    for user, live_tokens in rows:
        units = ",".join(u.code for u in user.units) or ("(all)" if user.sees_all_units else "-")
        click.echo(f"{user.username:<20} {user.role:<12} {'yes' if user.active else 'no':<7} "
                   f"{live_tokens:>6}  {units}")


@users_cli.command("deactivate")
@click.argument("username")
@_refusals_as_messages
def deactivate_user_command(username):
    """Deactivate a user: they cannot log in and every token stops working at once."""
    user = _user(username)
    live = queries.live_token_count(user)
    operations.set_user_active(None, user, False)
    db.session.commit()
    click.echo(f"deactivated {username}; {live} tokens revoked")


@users_cli.command("reactivate")
@click.argument("username")
@_refusals_as_messages
def reactivate_user_command(username):
    """Reactivate a user; tokens from before stay dead, so they log in again."""
    operations.set_user_active(None, _user(username), True)
    db.session.commit()
    click.echo(f"reactivated {username}; they must log in again")


@users_cli.command("reset-password")
@click.argument("username")
@click.password_option(prompt="New password")
@_refusals_as_messages
def reset_password_command(username, password):
    """Set a new password (hashed like at creation) and revoke every token of the user."""
    user = _user(username)
    live = queries.live_token_count(user)
    operations.reset_password(None, user, password)
    db.session.commit()
    click.echo(f"password of {username} reset; {live} tokens revoked")


@users_cli.command("set-authority")
@click.argument("username")
@click.argument("authority", type=click.Choice(AUTHORITIES))
@_refusals_as_messages
def set_authority_command(username, authority):
    """Set the authority an enforcement user works for (bureau, traffic_police, housing, ecology)."""
    operations.set_user_authority(None, _user(username), authority)
    db.session.commit()
    click.echo(f"{username} now works for {authority}")


@users_cli.command("revoke-tokens")
@click.argument("username")
@_refusals_as_messages
def revoke_tokens_command(username):
    """Log a user out on every device (a lost phone); the account stays active."""
    revoked = operations.revoke_user_tokens(None, _user(username))
    db.session.commit()
    click.echo(f"{revoked} tokens of {username} revoked")

"""Auth API: log in for a bearer token, log out (revoke it), who am I; admins manage accounts."""
import hashlib

from flask import current_app, g, request
from flask.views import MethodView
from flask_limiter.util import get_remote_address
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth import operations, queries
from inspect_app.auth.models import ALL_ROLES, User
from inspect_app.auth.permissions import current_user, public, roles_required
from inspect_app.auth.schemas import (
    AccountListQuerySchema,
    AccountSchema,
    AccountUpdateSchema,
    AuthoritySchema,
    LoginSchema,
    NewAccountOutSchema,
    NewAccountSchema,
    PasswordChangeSchema,
    PasswordResetSchema,
    TokenSchema,
    TokensRevokedSchema,
    UnitListSchema,
    UserSchema,
)
from inspect_app.core.errors import DomainError, NotFound
from inspect_app.extensions import db, limiter

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Login, logout, current user")
users_blp = Blueprint("users", __name__, url_prefix="/api/users",
                      description="User accounts: admins create, change, deactivate, reactivate, reset and "
                                  "revoke; supervisors list the accounts of their units (read only)")
API_BLUEPRINTS = (users_blp,)

# A login body is a username and a password; anything much larger is not worth parsing for a key.
_LOGIN_KEY_BODY_LIMIT = 4096


def _rate_limiting_off() -> bool:
    # The limiter object is shared by every app in the process; each app's own setting decides.
    return not current_app.config["RATELIMIT_ENABLED"]


def login_username_key() -> str:
    """The rate-limit key of the account a login attempt is for (``user:<name>``).

    Read before the schema runs, so it never raises: an unreadable body shares one bucket, and the
    per-address limit still applies to it.
    """
    if request.content_length is None or request.content_length > _LOGIN_KEY_BODY_LIMIT:
        return "user:?"
    try:
        body = request.get_json(silent=True)
    except Exception:  # noqa: BLE001 - a key function must not turn bad input into a 500
        return "user:?"
    username = body.get("username") if isinstance(body, dict) else None
    return f"user:{str(username)[:64]}" if username is not None else "user:?"


@blp.route("/login")
class Login(MethodView):
    # Two separate limits: per client address (behind a proxy, the address from X-Forwarded-For
    # when TRUSTED_PROXY_HOPS says so) and per username, so guessing one account's password from
    # one office address locks neither that office nor the other accounts out.
    decorators = [
        limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=get_remote_address,
                      scope="address", exempt_when=_rate_limiting_off),
        limiter.limit(lambda: current_app.config["LOGIN_USERNAME_RATE_LIMIT"], key_func=login_username_key,
                      scope="username", exempt_when=_rate_limiting_off),
    ]

    @public
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    def post(self, data):
        """Exchange username and password for a bearer token (rate-limited per address and per username)."""
        try:
            user, token, record = operations.login(
                data["username"], data["password"],
                ttl_hours=current_app.config["TOKEN_TTL_HOURS"],
                user_agent=request.headers.get("User-Agent"),
                client_address=request.remote_addr,
            )
        except DomainError:
            db.session.commit()  # keeps the audit of the refused attempt
            raise
        db.session.commit()
        return {"token": token, "expires_at": record.expires_at, "user": user}


@blp.route("/logout")
class Logout(MethodView):
    @roles_required(*ALL_ROLES, before_password_change=True)
    @blp.response(204)
    def post(self):
        """Revoke the token this request was made with."""
        operations.revoke_token(current_user(), g.token)
        db.session.commit()


def password_change_key() -> str:
    """The rate-limit key of a password change: the session (a digest of its bearer token), so a stolen token
    cannot be used to guess its owner's password faster than a login could."""
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.startswith("Bearer ") else ""
    return f"session:{hashlib.sha256(token.encode()).hexdigest()[:32]}" if token else "session:?"


@blp.route("/password")
class ChangePassword(MethodView):
    decorators = [
        limiter.limit(lambda: current_app.config["LOGIN_USERNAME_RATE_LIMIT"], key_func=password_change_key,
                      scope="password-change", exempt_when=_rate_limiting_off),
    ]

    @roles_required(*ALL_ROLES, before_password_change=True)
    @blp.arguments(PasswordChangeSchema)
    @blp.response(200, TokenSchema)
    def post(self, data):
        """Change my own password (the current one is asked again). Every session of the account ends,
        this one included, and the answer carries the new token that replaces it."""
        user = current_user()
        try:
            token, record = operations.change_own_password(
                user, data["current_password"], data["new_password"],
                ttl_hours=current_app.config["TOKEN_TTL_HOURS"], user_agent=request.headers.get("User-Agent"))
        except DomainError:
            db.session.commit()  # keeps the audit of a wrong current password
            raise
        db.session.commit()
        return {"token": token, "expires_at": record.expires_at, "user": user}


@blp.route("/me")
class Me(MethodView):
    @roles_required(*ALL_ROLES, before_password_change=True)
    @blp.response(200, UserSchema)
    def get(self):
        """The logged-in user, role and units."""
        return current_user()


def _load_account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


@users_blp.route("")
class Accounts(MethodView):
    @roles_required("admin", "supervisor")
    @users_blp.arguments(AccountListQuerySchema, location="query")
    @users_blp.response(200, AccountSchema(many=True))
    def get(self, args):
        """Accounts with role, units, state and number of live tokens: every account for an admin, the
        accounts sharing a unit with a supervisor (read only); filter by state, role, unit or name."""
        rows = queries.users_with_live_token_counts(viewer=current_user(), **args)
        return [_account(user, live) for user, live in rows]

    @roles_required("admin")
    @users_blp.arguments(NewAccountSchema)
    @users_blp.response(201, NewAccountOutSchema)
    def post(self, data):
        """Create an account (admin); the password is stored only as a hash. Without a password the
        server chooses one and returns it in ``one_time_password``, this once."""
        chosen = data.pop("password") or None
        password = chosen or operations.one_time_password()
        user = operations.create_user(current_user(), password=password, must_change=True, **data)
        db.session.commit()
        return {**_account(user, 0), **({} if chosen else {"one_time_password": password})}


@users_blp.route("/units")
class AccountUnits(MethodView):
    @roles_required("admin", "supervisor")
    @users_blp.response(200, UnitListSchema(many=True))
    def get(self):
        """The eight units (七办一镇) an account can be given."""
        return queries.all_units()


@users_blp.route("/<int:user_id>")
class Account(MethodView):
    @roles_required("admin")
    @users_blp.arguments(AccountUpdateSchema)
    @users_blp.response(200, AccountSchema)
    def patch(self, data, user_id):
        """Change an account's display name, role or units (admin); a role change ends its sessions."""
        user = operations.update_user(current_user(), _load_account(user_id), data)
        db.session.commit()
        return _account(user, queries.live_token_count(user))


@users_blp.route("/<int:user_id>/deactivate")
class DeactivateAccount(MethodView):
    @roles_required("admin")
    @users_blp.response(200, AccountSchema)
    def post(self, user_id):
        """Deactivate an account: no login, every token stops working at once (admin)."""
        user = operations.set_user_active(current_user(), _load_account(user_id), False)
        db.session.commit()
        return _account(user, 0)


@users_blp.route("/<int:user_id>/reactivate")
class ReactivateAccount(MethodView):
    @roles_required("admin")
    @users_blp.response(200, AccountSchema)
    def post(self, user_id):
        """Reactivate an account; tokens from before stay dead, so the user logs in again (admin)."""
        user = operations.set_user_active(current_user(), _load_account(user_id), True)
        db.session.commit()
        return _account(user, 0)


@users_blp.route("/<int:user_id>/reset-password")
class ResetPassword(MethodView):
    @roles_required("admin")
    @users_blp.arguments(PasswordResetSchema)
    @users_blp.response(200, NewAccountOutSchema)
    def post(self, data, user_id):
        """Set a new password and revoke every token of the account (admin). Without a password the
        server chooses one and returns it in ``one_time_password``, this once."""
        chosen = data["password"]
        password = chosen or operations.one_time_password()
        user = operations.reset_password(current_user(), _load_account(user_id), password, must_change=True)
        db.session.commit()
        return {**_account(user, 0), **({} if chosen else {"one_time_password": password})}


@users_blp.route("/<int:user_id>/authority")
class AccountAuthority(MethodView):
    @roles_required("admin")
    @users_blp.arguments(AuthoritySchema)
    @users_blp.response(200, AccountSchema)
    def put(self, data, user_id):
        """Set the authority an enforcement user works for; they then see only its case queue (admin)."""
        user = operations.set_user_authority(current_user(), _load_account(user_id), data["authority"])
        db.session.commit()
        return _account(user, queries.live_token_count(user))


@users_blp.route("/<int:user_id>/revoke-tokens")
class RevokeTokens(MethodView):
    @roles_required("admin")
    @users_blp.response(200, TokensRevokedSchema)
    def post(self, user_id):
        """Log the account out on every device, e.g. after a phone was lost (admin)."""
        revoked = operations.revoke_user_tokens(current_user(), _load_account(user_id))
        db.session.commit()
        return {"tokens_revoked": revoked}


def _account(user: User, live_tokens: int) -> dict:
    fields = {name: getattr(user, name) for name in UserSchema._declared_fields}
    return {**fields, "created_at": user.created_at, "live_tokens": live_tokens}

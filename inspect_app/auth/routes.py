"""Auth API: log in for a bearer token, log out (revoke it), who am I."""
from flask import current_app, g, request
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth import operations
from inspect_app.auth.models import ALL_ROLES
from inspect_app.auth.permissions import current_user, public, roles_required
from inspect_app.auth.schemas import LoginSchema, TokenSchema, UserSchema
from inspect_app.extensions import db, limiter

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Login, logout, current user")


@blp.route("/login")
class Login(MethodView):
    # The limiter object is shared by every app in the process; each app's own setting decides.
    decorators = [limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"],
                                exempt_when=lambda: not current_app.config["RATELIMIT_ENABLED"])]

    @public
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    def post(self, data):
        """Exchange username and password for a bearer token (rate-limited)."""
        user, token, record = operations.login(
            data["username"], data["password"],
            ttl_hours=current_app.config["TOKEN_TTL_HOURS"],
            user_agent=request.headers.get("User-Agent"),
        )
        db.session.commit()
        return {"token": token, "expires_at": record.expires_at, "user": user}


@blp.route("/logout")
class Logout(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.response(204)
    def post(self):
        """Revoke the token this request was made with."""
        operations.revoke_token(current_user(), g.token)
        db.session.commit()


@blp.route("/me")
class Me(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.response(200, UserSchema)
    def get(self):
        """The logged-in user, role and units."""
        return current_user()

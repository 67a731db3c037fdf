"""Alerts API: the list, what binds the caller today (for the phone), declaring, extending, lifting
and correcting an alert."""
from __future__ import annotations

from flask.views import MethodView

from inspect_app.alerts import operations, queries
from inspect_app.alerts.schemas import (
    ActiveAlertsSchema,
    AlertArgs,
    AlertInSchema,
    AlertSchema,
    CorrectSchema,
    ExtendSchema,
    LiftSchema,
)
from inspect_app.auth.models import ALL_ROLES
from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate
from inspect_app.core.parsing import Blueprint
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db

blp = Blueprint("alerts", __name__, url_prefix="/api/alerts",
                description="重污染天气预警: heavy-pollution alerts and the units they bind")

DECLARERS = ("supervisor", "admin")
AlertPageSchema = paged_schema(AlertSchema, "AlertPage")


def _alert_or_404(alert_id: int):
    alert = queries.get_visible_alert(current_user(), alert_id)
    if alert is None:
        raise NotFound("alert_not_found")
    return alert


@blp.route("")
class Alerts(MethodView):
    @roles_required("supervisor", "admin", "enforcement")
    @blp.arguments(AlertArgs, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, AlertPageSchema)
    def get(self, args, page, page_size):
        """Alerts binding the caller's units (district-wide roles: all), newest first; filters."""
        return paginate(queries.list_alerts(current_user(), **args), page, page_size)

    @roles_required(*DECLARERS)
    @blp.arguments(AlertInSchema)
    @blp.response(201, AlertSchema)
    def post(self, data):
        """Declare an alert (district-wide: admins, or a supervisor of every unit)."""
        alert = operations.declare(current_user(), data)
        db.session.commit()
        return alert


@blp.route("/active")
class ActiveAlerts(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.response(200, ActiveAlertsSchema)
    def get(self):
        """Alerts binding the caller's units now or later today; the phone caches them offline."""
        now = utcnow()
        body = {"now": now, "alerts": queries.active_alerts(current_user(), now)}
        return body, 200, {"Cache-Control": "private, max-age=60"}


@blp.route("/<int:alert_id>")
class AlertItem(MethodView):
    @roles_required("supervisor", "admin", "enforcement")
    @blp.response(200, AlertSchema)
    def get(self, alert_id):
        """One alert with its revisions."""
        return _alert_or_404(alert_id)


@blp.route("/<int:alert_id>/extend")
class AlertExtend(MethodView):
    @roles_required(*DECLARERS)
    @blp.arguments(ExtendSchema)
    @blp.response(200, AlertSchema)
    def post(self, data, alert_id):
        """A later end for a running alert."""
        alert = operations.extend(current_user(), _alert_or_404(alert_id), data["ends_at"], data.get("reason"))
        db.session.commit()
        return alert


@blp.route("/<int:alert_id>/lift")
class AlertLift(MethodView):
    @roles_required(*DECLARERS)
    @blp.arguments(LiftSchema)
    @blp.response(200, AlertSchema)
    def post(self, data, alert_id):
        """Lift the alert now (解除), before its planned end."""
        alert = operations.lift(current_user(), _alert_or_404(alert_id), data.get("reason"))
        db.session.commit()
        return alert


@blp.route("/<int:alert_id>/correct")
class AlertCorrect(MethodView):
    @roles_required(*DECLARERS)
    @blp.arguments(CorrectSchema)
    @blp.response(200, AlertSchema)
    def post(self, data, alert_id):
        """Fix the level, scope, notice number or note, with the reason."""
        reason = data.pop("reason")
        alert = operations.correct(current_user(), _alert_or_404(alert_id), data, reason)
        db.session.commit()
        return alert

"""Webhook deliveries API: admins see what was posted to the group robots, and what failed and why."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate
from inspect_app.core.parsing import Blueprint
from inspect_app.extensions import db
from inspect_app.webhooks import operations, queries
from inspect_app.webhooks.models import WebhookDelivery
from inspect_app.webhooks.delivery import deliver_after_response
from inspect_app.webhooks.rules import parse_targets
from inspect_app.webhooks.schemas import DeliveryArgs, DeliverySchema, SummarySchema

blp = Blueprint("webhooks", __name__, url_prefix="/api/webhooks",
                description="群机器人通知: group-robot (企业微信 / 钉钉) deliveries and failures")
DeliveryPageSchema = paged_schema(DeliverySchema, "WebhookDeliveryPage")

# Notifications written by a request are posted after its response has gone out.
blp.after_app_request(deliver_after_response)


@blp.record_once
def _check_settings(state):
    """A mistyped WEBHOOK_URLS stops the app at start, not the first notification."""
    parse_targets(state.app.config.get("WEBHOOK_URLS", ""), state.app.config.get("WEBHOOK_SECRETS", ""))


@blp.route("/summary")
class Summary(MethodView):
    @roles_required("admin")
    @blp.response(200, SummarySchema)
    def get(self):
        """The robots configured (audiences, never their URLs or secrets) and the outbox by status."""
        targets = parse_targets(current_app.config.get("WEBHOOK_URLS", ""), current_app.config.get("WEBHOOK_SECRETS", ""))
        return {"audiences": sorted(targets), "signed": sorted(a for a, t in targets.items() if t.secret),
                "counts": queries.status_counts()}


@blp.route("/deliveries")
class Deliveries(MethodView):
    @roles_required("admin")
    @blp.arguments(DeliveryArgs, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, DeliveryPageSchema)
    def get(self, args, page, page_size):
        """Recent notifications, newest first, with every attempt (filter by status: pending, delivered, failed)."""
        return paginate(queries.list_deliveries(**args), page, page_size)


@blp.route("/deliveries/<int:delivery_id>/retry")
class DeliveryRetry(MethodView):
    @roles_required("admin")
    @blp.response(200, DeliverySchema)
    def post(self, delivery_id):
        """Try a notification that was given up once more (409 webhook_not_failed for any other)."""
        delivery = db.session.get(WebhookDelivery, delivery_id)
        if delivery is None:
            raise NotFound()
        operations.retry(current_user(), delivery)
        db.session.commit()
        return delivery

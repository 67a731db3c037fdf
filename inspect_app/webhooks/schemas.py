"""Response shapes of the webhook deliveries API (admins)."""
from marshmallow import Schema, fields, validate

from inspect_app.core.i18n import translate
from inspect_app.core.timeutil import local_text
from inspect_app.webhooks.models import DELIVERY_STATUSES, EVENTS


class DeliveryArgs(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(DELIVERY_STATUSES))
    event = fields.String(load_default=None, validate=validate.OneOf(EVENTS))


class AttemptSchema(Schema):
    at = fields.DateTime()
    at_local = fields.Function(lambda a: local_text(a.at))
    duration_ms = fields.Integer()
    http_status = fields.Integer(allow_none=True)
    ok = fields.Boolean()
    error = fields.String(allow_none=True)


class DeliverySchema(Schema):
    id = fields.Integer()
    event = fields.String()
    event_label = fields.Function(lambda d: translate(f"webhook_event_{d.event}"))
    audience = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda d: translate(f"webhook_status_{d.status}"))
    text = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime()
    last_error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    created_at_local = fields.Function(lambda d: local_text(d.created_at))
    delivered_at = fields.DateTime(allow_none=True)
    attempt_log = fields.List(fields.Nested(AttemptSchema))


class SummarySchema(Schema):
    """Which group robots are configured (by audience only: a robot's URL carries its key) and the outbox."""
    audiences = fields.List(fields.String())
    signed = fields.List(fields.String())
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())

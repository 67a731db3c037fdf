"""Request and response shapes of stop-work orders and resumption."""
from marshmallow import Schema, fields, validate

from inspect_app.suspensions.models import SUSPENSION_STATUSES


class ResumptionStepSchema(Schema):
    """A supervisor's step of resumption: the site's application, or the approval."""

    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class SuspensionSchema(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    case_number = fields.Function(lambda s: s.case.case_number if s.case else None, allow_none=True)
    decision_number = fields.String()
    status = fields.String(metadata={"description": " | ".join(SUSPENSION_STATUSES)})
    status_label = fields.String()
    started_at = fields.DateTime()
    ended_at = fields.DateTime(allow_none=True)
    applied_at = fields.DateTime(allow_none=True)
    application_note = fields.String(allow_none=True)
    resumption_inspection_id = fields.Integer(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    approval_note = fields.String(allow_none=True)


class SiteSuspensionsSchema(Schema):
    """A site's status with its stop-work orders, newest first."""

    site_id = fields.Integer()
    site_status = fields.String()
    suspension_order_number = fields.String(allow_none=True)
    suspensions = fields.List(fields.Nested(SuspensionSchema))

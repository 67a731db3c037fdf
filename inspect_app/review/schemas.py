"""Request and response shapes of inspection review and notification counts."""
from marshmallow import Schema, fields, validate

from inspect_app.core.i18n import translate
from inspect_app.inspections.schemas import InspectionSchema
from inspect_app.review.models import REVIEW_DECISIONS


class ReviewArgs(Schema):
    """A supervisor's decision on an inspection."""

    status = fields.String(required=True, validate=validate.OneOf(REVIEW_DECISIONS))
    note = fields.String(load_default="", allow_none=True, validate=validate.Length(max=2000))
    send_back = fields.Boolean(load_default=False)


class ReviewEventSchema(Schema):
    id = fields.Integer()
    inspection = fields.Function(lambda e: e.inspection.uuid)
    at = fields.DateTime()
    reviewer = fields.Function(lambda e: {"id": e.reviewer.id, "display_name": e.reviewer.display_name})
    from_status = fields.String()
    to_status = fields.String()
    to_label = fields.Function(lambda e: translate(
        "review_rejected_sent_back" if e.to_status == "rejected" and e.send_back else f"review_{e.to_status}"))
    note = fields.String(allow_none=True)
    send_back = fields.Boolean()


class ReviewResultSchema(Schema):
    review = fields.Nested(ReviewEventSchema)
    inspection = fields.Nested(InspectionSchema)


class ChainEntrySchema(Schema):
    """One version of the inspection: the original and each correction, oldest first."""

    uuid = fields.String()
    review_status = fields.String()
    received_at = fields.DateTime()
    score = fields.Float(allow_none=True)
    grade = fields.String(allow_none=True)
    supersedes = fields.Function(lambda i: i.supersedes.uuid if i.supersedes_id else None)


class ReviewHistorySchema(Schema):
    inspection = fields.String()
    review_status = fields.String()
    superseded_by = fields.String(allow_none=True)
    versions = fields.List(fields.Nested(ChainEntrySchema))
    events = fields.List(fields.Nested(ReviewEventSchema))


class NotificationCountsSchema(Schema):
    """How much work waits for the caller; only the keys that concern the caller's role are present."""

    role = fields.String()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    total = fields.Integer()

"""Response shapes of violations and penalty cases."""
from marshmallow import Schema, fields, validate

from inspect_app.core.i18n import translate
from inspect_app.penalties.models import CASE_STATUSES, VIOLATION_STATUSES


class PenaltySiteSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    contractor = fields.String()


class ViolationSchema(Schema):
    id = fields.Integer()
    site = fields.Nested(PenaltySiteSchema, allow_none=True)
    item_key = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda v: translate(f"violation_{v.status}"))
    found_at = fields.DateTime()
    deadline = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    fail_count = fields.Integer()
    note = fields.String(allow_none=True)
    opened_by = fields.Function(lambda v: v.opened_by.uuid)


class PenaltyCaseSchema(Schema):
    id = fields.Integer()
    case_number = fields.String()
    site = fields.Nested(PenaltySiteSchema, allow_none=True)
    contractor = fields.String(allow_none=True)
    status = fields.String()
    status_label = fields.Function(lambda c: translate(f"case_{c.status}"))
    authority = fields.String()
    authority_label = fields.Function(lambda c: translate(f"authority_{c.authority}"))
    items = fields.List(fields.Dict())
    photo_ids = fields.List(fields.String())
    fine_min = fields.Float(allow_none=True)
    fine_max = fields.Float(allow_none=True)
    inspection = fields.Function(lambda c: c.inspection.uuid)
    created_at = fields.DateTime()


class ViolationArgs(Schema):
    site_id = fields.Integer(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(VIOLATION_STATUSES))


class CaseArgs(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(CASE_STATUSES))

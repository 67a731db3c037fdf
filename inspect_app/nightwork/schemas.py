"""Request and response shapes of night-work permits."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from inspect_app.core.timeutil import LOCAL_TZ, utcnow
from inspect_app.nightwork.rules import HHMM, STATUSES, permit_status

_TIME = validate.Regexp(HHMM, error="HH:MM (00:00–23:59, or 24:00 as an end)")


class NightPermitInSchema(Schema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=60),
                           metadata={"description": "证明编号, unique per site"})
    issuing_office = fields.String(required=True, validate=validate.Length(min=1, max=120),
                                   metadata={"description": "发证机关"})
    valid_from = fields.Date(required=True, metadata={"description": "first night, inclusive (Asia/Shanghai)"})
    valid_to = fields.Date(required=True, metadata={"description": "last night, inclusive"})
    start_time = fields.String(required=True, validate=_TIME, metadata={"description": "HH:MM Asia/Shanghai"})
    end_time = fields.String(required=True, validate=_TIME,
                             metadata={"description": "HH:MM; before start_time = the next morning (22:00–06:00)"})
    works = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500),
                          metadata={"description": "作业内容 covered"})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))

    @validates_schema
    def check(self, data, partial=False, **kwargs):
        """Dates in order, hours not empty and not starting at 24:00 (fields present in a partial edit)."""
        if data.get("valid_from") and data.get("valid_to") and data["valid_to"] < data["valid_from"]:
            raise ValidationError("valid_to is before valid_from", "valid_to")
        if data.get("start_time") == "24:00":
            raise ValidationError("a start cannot be 24:00", "start_time")
        if data.get("start_time") and data.get("start_time") == data.get("end_time"):
            raise ValidationError("start_time and end_time are the same: the hours are empty", "end_time")


class RevokeSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class PermitListArgs(Schema):
    valid_at = fields.AwareDateTime(load_default=None, default_timezone=LOCAL_TZ, metadata={
        "description": "only permits that allow work at this instant (Asia/Shanghai when no offset)"})


class NightPermitSchema(Schema):
    id = fields.Integer()
    site_id = fields.Integer()
    site_name = fields.Function(lambda p: p.site.name)
    number = fields.String()
    issuing_office = fields.String()
    valid_from = fields.Date()
    valid_to = fields.Date()
    start_time = fields.String()
    end_time = fields.String()
    works = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    status = fields.Function(lambda p: permit_status(p, utcnow()),
                             metadata={"enum": list(STATUSES), "description": "derived: today in Asia/Shanghai"})
    revoked_at = fields.DateTime(allow_none=True)
    revoke_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class NightPermitListSchema(Schema):
    items = fields.List(fields.Nested(NightPermitSchema))


class PermitImportArgsSchema(Schema):
    dry_run = fields.Boolean(load_default=False)


class PermitImportReportSchema(Schema):
    dry_run = fields.Boolean()
    rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    ignored_columns = fields.List(fields.String())


class NightPermitUpdateSchema(NightPermitInSchema):
    """A correction: any of the fields (used with ``partial=True``)."""

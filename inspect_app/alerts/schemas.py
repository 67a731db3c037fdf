"""Request and response shapes of alerts. Times without an offset are Asia/Shanghai."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from inspect_app.alerts.models import ALERT_LEVELS
from inspect_app.core.fields import Id

SCOPES = ("district", "units")
_LOCAL = {"description": "Asia/Shanghai when no offset is given"}


def _plausible_year(value):
    """Years outside 2000–2099 are typing mistakes (and would overflow time zone arithmetic)."""
    if not 2000 <= value.year <= 2099:
        raise ValidationError("a year from 2000 to 2099")


def _time(**kwargs):
    return fields.DateTime(validate=_plausible_year, metadata=_LOCAL, **kwargs)


def _scope_units(data):
    if data.get("scope") == "district" and data.get("unit_ids"):
        raise ValidationError("a district-wide alert names no units", "unit_ids")


class AlertInSchema(Schema):
    level = fields.String(required=True, validate=validate.OneOf(ALERT_LEVELS))
    starts_at = _time(required=True)
    ends_at = _time(required=True)
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    unit_ids = fields.List(Id(strict=True), load_default=list, validate=validate.Length(max=20))
    notice_number = fields.String(required=True, validate=validate.Length(min=1, max=80))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def scope_units(self, data, **kwargs):
        _scope_units(data)


class ExtendSchema(Schema):
    ends_at = _time(required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class LiftSchema(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class CorrectSchema(Schema):
    level = fields.String(validate=validate.OneOf(ALERT_LEVELS))
    scope = fields.String(validate=validate.OneOf(SCOPES))
    unit_ids = fields.List(Id(strict=True), validate=validate.Length(max=20))
    notice_number = fields.String(validate=validate.Length(min=1, max=80))
    note = fields.String(allow_none=True, validate=validate.Length(max=2000))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))

    @validates_schema
    def scope_units(self, data, **kwargs):
        _scope_units(data)


class AlertArgs(Schema):
    level = fields.String(load_default=None, validate=validate.OneOf(ALERT_LEVELS))
    unit_id = Id(load_default=None)
    in_force = fields.Boolean(load_default=None)
    since = _time(load_default=None)
    until = _time(load_default=None)


class RevisionSchema(Schema):
    action = fields.String()
    at = fields.String()
    by = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    before = fields.Dict()
    after = fields.Dict()


class AlertSchema(Schema):
    id = fields.Integer()
    level = fields.String()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    effective_end = fields.AwareDateTime(metadata={"description": "the end, or when it was lifted if earlier"})
    scope = fields.String()
    unit_ids = fields.List(fields.Integer())
    notice_number = fields.String()
    note = fields.String(allow_none=True)
    declared_by_id = fields.Integer()
    declared_at = fields.AwareDateTime()
    lifted_at = fields.AwareDateTime(allow_none=True)
    lifted_by_id = fields.Integer(allow_none=True)
    revisions = fields.List(fields.Nested(RevisionSchema))


class ActiveAlertsSchema(Schema):
    """What the phone caches: alerts binding the caller's units now or later today."""

    now = fields.AwareDateTime()
    alerts = fields.List(fields.Nested(AlertSchema))

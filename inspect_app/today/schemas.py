"""Request and response shapes of today's list, skips, assignments and coverage."""
from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from inspect_app.core.fields import Id
from inspect_app.core.i18n import translate
from inspect_app.today.models import SKIP_REASONS

# Dates a person could mean: keeps date arithmetic (a day's bounds, a week) inside datetime's range.
PLAUSIBLE_DATES = validate.Range(min=date(2000, 1, 1), max=date(2100, 12, 31))


class TodayArgs(Schema):
    lat = fields.Float(load_default=None, validate=validate.Range(min=-90, max=90),
                       metadata={"description": "the inspector's position (WGS-84): the route starts here"})
    lon = fields.Float(load_default=None, validate=validate.Range(min=-180, max=180))
    date = fields.Date(load_default=None, validate=PLAUSIBLE_DATES,
                       metadata={"description": "local (Asia/Shanghai) date; default today"})
    inspector_id = Id(load_default=None, metadata={"description": "whose day (supervisors and admins)"})

    @validates_schema
    def both_or_neither(self, data, **kwargs):
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ValidationError(translate("today_position_incomplete"), "lat")


class ReasonSchema(Schema):
    code = fields.String()
    params = fields.Dict()
    points = fields.Integer()
    text = fields.String()


class SkipViewSchema(Schema):
    uuid = fields.String()
    reason = fields.String()
    reason_label = fields.String()
    note = fields.String(allow_none=True)
    at = fields.DateTime()


class StopSchema(Schema):
    site_id = fields.Integer()
    name = fields.String()
    lat = fields.Float(metadata={"description": "WGS-84"})
    lon = fields.Float(metadata={"description": "WGS-84"})
    phase = fields.String()
    site_status = fields.String()
    unit_id = fields.Integer()
    kind = fields.String(metadata={"description": "why it is on the list (the first of kinds)"})
    kinds = fields.List(fields.String(), metadata={
        "description": "follow_up_overdue | follow_up_today | complaint | alert_check | assigned | visited | suggested"})
    kind_labels = fields.List(fields.String())
    follow_up_id = fields.Integer(allow_none=True)
    complaint_id = fields.Integer(allow_none=True)
    assignment_id = fields.Integer(allow_none=True)
    status = fields.String(metadata={"description": "todo | done | skipped"})
    order = fields.Integer(allow_none=True, metadata={"description": "position in the route (todo stops), from 1"})
    leg_m = fields.Float(allow_none=True, metadata={"description": "metres from the previous stop (or the position)"})
    risk_score = fields.Integer(allow_none=True)
    reasons = fields.List(fields.Nested(ReasonSchema))
    skip = fields.Nested(SkipViewSchema, allow_none=True)


class TodaySchema(Schema):
    """The day: stops to visit in route order, then done ones, then skipped ones."""

    date = fields.Date()
    inspector_id = fields.Integer()
    day_size = fields.Integer()
    position = fields.Dict(allow_none=True)
    total_m = fields.Float(metadata={"description": "length of the route through the todo stops, metres"})
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    stops = fields.List(fields.Nested(StopSchema))
    skip_reasons = fields.List(fields.Dict(keys=fields.String(), values=fields.String()), metadata={
        "description": "why a stop may be skipped: code and label in the caller's language (the phone caches them)"})


class SkipSchema(Schema):
    uuid = fields.UUID(required=True)
    site_id = Id(required=True)
    date = fields.Date(required=True, validate=PLAUSIBLE_DATES)
    reason = fields.String(required=True, validate=validate.OneOf(SKIP_REASONS))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class SkipResultSchema(Schema):
    uuid = fields.String()
    site_id = fields.Integer()
    date = fields.Date(attribute="day")
    reason = fields.String()
    reason_label = fields.Function(lambda s: translate(f"skip_reason_{s.reason}"))
    note = fields.String(allow_none=True)
    created_at = fields.DateTime()


class AssignmentCreateSchema(Schema):
    inspector_id = Id(required=True)
    site_ids = fields.List(Id(), required=True, validate=validate.Length(min=1, max=100))
    start_on = fields.Date(required=True, validate=PLAUSIBLE_DATES)
    end_on = fields.Date(load_default=None, validate=PLAUSIBLE_DATES, metadata={"description": "default: start_on"})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class AssignmentArgs(Schema):
    date = fields.Date(load_default=None, validate=PLAUSIBLE_DATES, metadata={"description": "active on this day"})
    inspector_id = Id(load_default=None)


class AssignmentSchema(Schema):
    id = fields.Integer()
    site_id = fields.Integer()
    site_name = fields.Function(lambda a: a.site.name)
    unit_id = fields.Integer()
    inspector_id = fields.Integer()
    inspector_name = fields.Function(lambda a: a.inspector.display_name)
    start_on = fields.Date()
    end_on = fields.Date()
    note = fields.String(allow_none=True)
    status = fields.String()
    created_at = fields.DateTime()


class AssignmentListSchema(Schema):
    items = fields.List(fields.Nested(AssignmentSchema))


class CoverageArgs(Schema):
    week = fields.String(load_default=None, validate=validate.Length(max=20), metadata={
        "description": "ISO week in Asia/Shanghai, e.g. 2026-W48 (default: the current week)"})
    unit = fields.String(load_default=None, validate=validate.Length(max=40), metadata={"description": "unit code"})


class CoverageTargetSchema(Schema):
    every_days = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=366))


class CoverageTargetResultSchema(Schema):
    unit_id = fields.Integer()
    every_days = fields.Integer()
    updated_at = fields.DateTime()


class CoverageSiteSchema(Schema):
    site_id = fields.Integer()
    name = fields.String()
    status = fields.String()


class CoverageFigures(Schema):
    due = fields.Integer()
    done = fields.Integer()
    missed = fields.Integer()
    pending = fields.Integer()


class UnitCoverageSchema(CoverageFigures):
    unit_id = fields.Integer()
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    every_days = fields.Integer()
    target_set = fields.Boolean()
    sites = fields.List(fields.Nested(CoverageSiteSchema))


class InspectorCoverageSchema(CoverageFigures):
    inspector_id = fields.Integer()
    display_name = fields.String()
    skips = fields.Integer()


class CoverageSchema(Schema):
    week = fields.String()
    monday = fields.Date()
    sunday = fields.Date()
    units = fields.List(fields.Nested(UnitCoverageSchema))
    inspectors = fields.List(fields.Nested(InspectorCoverageSchema))

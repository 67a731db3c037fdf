"""Request and response shapes of complaints; the complainant's details only in the supervisors' shape."""
from marshmallow import Schema, ValidationError, fields, post_dump, validate, validates_schema

from inspect_app.auth.permissions import current_user

from inspect_app.complaints.models import CATEGORIES, CHANNELS, STATUSES
from inspect_app.complaints.queries import sees_personal_data
from inspect_app.core.fields import Id
from inspect_app.core.geo import DATUMS


class ComplaintInSchema(Schema):
    ticket_number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    received_at = fields.DateTime(required=True, metadata={"description": "Asia/Shanghai when no offset"})
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    text = fields.String(required=True, validate=validate.Length(min=1, max=4000))
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    lat = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90), allow_nan=False)
    lon = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180), allow_nan=False)
    datum = fields.String(load_default="WGS84", validate=validate.OneOf(DATUMS))
    complainant_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    complainant_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=30))

    @validates_schema
    def pair(self, data, **kwargs):
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ValidationError("lat and lon go together", "lat")


class ComplaintArgs(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    overdue = fields.Boolean(load_default=False)


class SiteChoiceSchema(Schema):
    site_id = Id(required=True, strict=True)


class InspectionLinkSchema(Schema):
    inspection_uuid = fields.UUID(required=True)


class ReplySchema(Schema):
    reply = fields.String(required=True, validate=validate.Length(min=1, max=4000))


class ComplaintSiteSchema(Schema):
    """The matched site, with what the phone needs to compose its form."""

    id = fields.Integer()
    name = fields.String()
    lat = fields.Float()
    lon = fields.Float()
    phase = fields.String()
    status = fields.String()
    contractor = fields.String(allow_none=True)


class ComplaintSchema(Schema):
    """A complaint as inspectors and enforcement see it: no complainant details."""

    id = fields.Integer()
    channel = fields.String()
    ticket_number = fields.String()
    received_at = fields.AwareDateTime()
    category = fields.String()
    text = fields.String()
    address = fields.String(allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    status = fields.String()
    unit_id = fields.Integer(allow_none=True)
    site = fields.Nested(ComplaintSiteSchema, allow_none=True)
    due_at = fields.AwareDateTime(allow_none=True)
    inspection_uuid = fields.Function(lambda c: c.inspection.uuid if c.inspection else None, allow_none=True)
    reply = fields.String(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)


class ComplaintFullSchema(ComplaintSchema):
    """A complaint as supervisors and admins see it, with the complainant's name and phone."""

    complainant_name = fields.String(allow_none=True)
    complainant_phone = fields.String(allow_none=True)

    @post_dump
    def only_for_supervisors(self, data, **kwargs):
        """Inspectors and enforcement never receive the complainant's details."""
        if not sees_personal_data(current_user()):
            data.pop("complainant_name", None)
            data.pop("complainant_phone", None)
        return data


class ComplaintImportArgsSchema(Schema):
    dry_run = fields.Boolean(load_default=False)


class ComplaintImportedRowSchema(Schema):
    """One imported ticket: never the complainant's details."""

    row = fields.Integer()
    ticket_number = fields.String()
    channel = fields.String()
    status = fields.String()
    complaint_id = fields.Integer(allow_none=True)
    site_name = fields.String(allow_none=True)
    replayed = fields.Boolean()


class ComplaintImportReportSchema(Schema):
    dry_run = fields.Boolean()
    rows = fields.Integer(metadata={"description": "data rows read (blank rows skipped)"})
    created = fields.Integer()
    replayed = fields.Integer(metadata={"description": "tickets already stored with the same content"})
    matched = fields.Integer()
    unmatched = fields.Integer()
    ignored_columns = fields.List(fields.String())
    complaints = fields.List(fields.Nested(ComplaintImportedRowSchema))

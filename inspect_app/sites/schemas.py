"""Request and response shapes of the sites API."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from inspect_app.auth.schemas import UnitSchema
from inspect_app.core.geo import DATUMS
from inspect_app.sites.models import PHASES, SITE_STATUSES


class SiteInSchema(Schema):
    """A site as an admin creates it. Coordinates carry their datum and are stored as WGS-84."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    permit_number = fields.String(load_default=None, validate=validate.Length(max=60))
    contractor = fields.String(required=True, validate=validate.Length(min=1, max=120))
    builder = fields.String(load_default=None, validate=validate.Length(max=120))
    address = fields.String(load_default=None, validate=validate.Length(max=200))
    unit = fields.String(required=True, metadata={"description": "unit code or Chinese name"})
    lat = fields.Float(required=True, validate=validate.Range(-90, 90))
    lon = fields.Float(required=True, validate=validate.Range(-180, 180))
    datum = fields.String(load_default="WGS84", validate=validate.OneOf(DATUMS))
    geofence_radius_m = fields.Float(load_default=200.0, validate=validate.Range(min=10, max=5000))
    phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    contact_name = fields.String(load_default=None, validate=validate.Length(max=60))
    contact_phone = fields.String(load_default=None, validate=validate.Length(max=30))


class SiteUpdateSchema(SiteInSchema):
    """Partial update: every field optional; coordinates must come as a pair."""

    status = fields.String(validate=validate.OneOf(SITE_STATUSES))

    @validates_schema
    def pair(self, data, **kwargs):
        if ("lat" in data) != ("lon" in data):
            raise ValidationError("lat and lon must be given together", "lat")


class SiteOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    permit_number = fields.String(allow_none=True)
    contractor = fields.String()
    builder = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    unit = fields.Nested(UnitSchema)
    lat = fields.Float()
    lon = fields.Float()
    datum = fields.Constant("WGS84")
    geofence_radius_m = fields.Float()
    phase = fields.String()
    status = fields.String()
    suspension_order_number = fields.String(allow_none=True, metadata={
        "description": "决定书文号 of the stop-work order(s) while the site is suspended"})
    suspended_since = fields.DateTime(allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    distance_m = fields.Float(metadata={"description": "present when the list was asked with near="})


class SiteQuerySchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=60))
    near = fields.String(load_default=None, metadata={"description": "lat,lon"})
    datum = fields.String(load_default="WGS84", validate=validate.OneOf(DATUMS))
    unit = fields.String(load_default=None)
    phase = fields.String(load_default=None, validate=validate.OneOf(PHASES))
    status = fields.String(load_default="open", validate=validate.OneOf(SITE_STATUSES + ("open", "all")),
                           metadata={"description": "open (default): active and suspended sites; all: closed too"})

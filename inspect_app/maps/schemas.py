"""Request and response shapes of the maps API."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from inspect_app.core.geo import DATUMS
from inspect_app.core.i18n import translate
from inspect_app.maps import messages  # noqa: F401  (registers strings)
from inspect_app.scorecards.schemas import UnitBrief

MAX_MAP_POINTS = 2000


class MapSitesArgs(Schema):
    unit = fields.String(load_default=None, validate=validate.Length(max=40),
                         metadata={"description": "unit code or Chinese name; only that unit's sites"})
    lat = fields.Float(load_default=None, validate=validate.Range(min=-90, max=90),
                       metadata={"description": "with lon: nearest sites first (the inspector's position)"})
    lon = fields.Float(load_default=None, validate=validate.Range(min=-180, max=180))
    datum = fields.String(load_default="WGS84", validate=validate.OneOf(DATUMS))
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1, max=MAX_MAP_POINTS),
                           metadata={"description": f"at most this many sites (1–{MAX_MAP_POINTS})"})

    @validates_schema
    def both_or_neither(self, data, **kwargs):
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ValidationError(translate("map_near_needs_both"), "lat")


class TileSettingsSchema(Schema):
    url = fields.String(required=True, metadata={"description": "Leaflet URL template ({s} {x} {y} {z})"})
    subdomains = fields.String(required=True, metadata={"description": "each character is one {s}"})
    attribution = fields.String(required=True)
    datum = fields.String(required=True, metadata={"description": "GCJ02: the tiles' datum; convert markers"})


class MapSiteSchema(Schema):
    site_id = fields.Integer(required=True)
    name = fields.String(required=True)
    lat = fields.Float(required=True, metadata={"description": "WGS-84 (convert to the tiles' datum)"})
    lon = fields.Float(required=True, metadata={"description": "WGS-84"})
    phase = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "active | suspended"})
    suspension_order_number = fields.String(allow_none=True)
    contractor = fields.String(allow_none=True)
    unit = fields.Nested(UnitBrief, required=True)
    grade = fields.String(allow_none=True, metadata={"description": "latest grade code; null: never inspected"})
    grade_label = fields.String(allow_none=True)
    score = fields.Float(allow_none=True)
    last_inspected_at = fields.DateTime(allow_none=True)
    open_violations = fields.Integer(required=True)
    overdue_violations = fields.Integer(required=True)
    distance_m = fields.Float(allow_none=True, metadata={"description": "from lat/lon, when given"})


class MapSitesSchema(Schema):
    tiles = fields.Nested(TileSettingsSchema, required=True)
    truncated = fields.Boolean(required=True, metadata={"description": "more sites than limit matched"})
    items = fields.List(fields.Nested(MapSiteSchema), required=True)

"""Request shapes of the export API."""
from marshmallow import Schema, fields, validate

FORMATS = ("xlsx", "csv", "geojson")


class WeeklyArgs(Schema):
    week = fields.String(load_default=None, validate=validate.Length(max=20), metadata={
        "description": "ISO week in Asia/Shanghai, e.g. 2026-W48 (default: the last complete week)"})
    format = fields.String(load_default="xlsx", validate=validate.OneOf(FORMATS))

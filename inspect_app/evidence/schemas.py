"""Response shapes of the evidence API."""
from marshmallow import Schema, fields


class PhotoSchema(Schema):
    id = fields.String(attribute="uuid")
    item_key = fields.String()
    sha256 = fields.String()
    format = fields.String()
    size_bytes = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    taken_at = fields.DateTime(allow_none=True)
    exif_lat = fields.Float(allow_none=True)
    exif_lon = fields.Float(allow_none=True)
    received_at = fields.DateTime()
    annotates = fields.String(attribute="annotates_uuid", allow_none=True)


class CompletenessSchema(Schema):
    uuid = fields.String()
    completeness = fields.String()
    missing_photos = fields.List(fields.String())


class PhotoUploadSchema(Schema):
    photo = fields.Nested(PhotoSchema)
    inspection = fields.Nested(CompletenessSchema)

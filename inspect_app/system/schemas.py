"""Response shape of the health check (load balancers and the phone read it)."""
from marshmallow import Schema, fields


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ok | degraded"})
    version = fields.String(required=True)
    database = fields.String(required=True, metadata={"description": "ok | unreachable"})
    checklists = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True, metadata={
        "description": "newest stored version of each checklist source (empty when degraded)"})
    cjk_font = fields.String(allow_none=True, required=True,
                             metadata={"description": "font used for Chinese watermarks, or null"})

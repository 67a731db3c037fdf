"""Response shape of the alert dashboard."""
from marshmallow import Schema, fields

from inspect_app.alerts.schemas import AlertSchema


class UnitFiguresSchema(Schema):
    unit_id = fields.Integer()
    name_zh = fields.String()
    name_en = fields.String()
    active_sites = fields.Integer()
    inspected_sites = fields.Integer(metadata={"description": "sites inspected since the alert began"})
    working_sites = fields.Integer(metadata={"description": "sites where an alert item failed while it bound"})
    open_violations = fields.Integer(metadata={"description": "open violations of alert items found during it"})


class AlertDashboardSchema(Schema):
    alert = fields.Nested(AlertSchema)
    period_start = fields.AwareDateTime()
    period_end = fields.AwareDateTime(metadata={"description": "now while in force, else the (lifted) end"})
    in_force = fields.Boolean()
    units = fields.List(fields.Nested(UnitFiguresSchema))

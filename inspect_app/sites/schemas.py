"""Request and response shapes of the sites API."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from inspect_app.auth.schemas import UnitSchema
from inspect_app.core.fields import Id
from inspect_app.core.geo import DATUMS
from inspect_app.organisations.schemas import OrganisationBriefSchema
from inspect_app.sites.models import PHASES, PROJECT_TYPES, SITE_STATUSES


def _party_id(label: str):
    return Id(allow_none=True, metadata={"description": f"{label}: an organisation id (null detaches it)"})


class SiteInSchema(Schema):
    """A site as an admin creates it. Coordinates carry their datum and are stored as WGS-84."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    permit_number = fields.String(load_default=None, validate=validate.Length(max=60))
    contractor = fields.String(validate=validate.Length(min=1, max=120), metadata={
        "description": "施工单位 by name; required unless contractor_id names its record"})
    builder = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=120))
    builder_id = _party_id("建设单位")
    contractor_id = _party_id("施工单位")
    supervisor_id = _party_id("监理单位")
    address = fields.String(load_default=None, validate=validate.Length(max=200))
    unit = fields.String(required=True, metadata={"description": "unit code or Chinese name"})
    lat = fields.Float(required=True, validate=validate.Range(-90, 90))
    lon = fields.Float(required=True, validate=validate.Range(-180, 180))
    datum = fields.String(load_default="WGS84", validate=validate.OneOf(DATUMS))
    geofence_radius_m = fields.Float(load_default=200.0, validate=validate.Range(min=10, max=5000))
    phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    contact_name = fields.String(load_default=None, validate=validate.Length(max=60))
    contact_phone = fields.String(load_default=None, validate=validate.Length(max=30))
    project_type = fields.String(allow_none=True, validate=validate.OneOf(PROJECT_TYPES), metadata={
        "description": "building 房建 | municipal 市政 | demolition 拆除 | other 其他"})
    planned_start = fields.Date(allow_none=True)
    planned_finish = fields.Date(allow_none=True)
    floor_area_m2 = fields.Float(allow_none=True, validate=validate.Range(min=0, max=10_000_000))
    project_manager_name = fields.String(allow_none=True, validate=validate.Length(max=60))
    project_manager_phone = fields.String(allow_none=True, validate=validate.Length(max=30))
    dust_officer_name = fields.String(allow_none=True, validate=validate.Length(max=60))
    dust_officer_phone = fields.String(allow_none=True, validate=validate.Length(max=30))
    dust_plan_filed = fields.Boolean()
    dust_plan_filed_on = fields.Date(allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def contractor_named(self, data, **kwargs):
        """A new site names its 施工单位, by name or by record."""
        if not self.partial and not data.get("contractor") and not data.get("contractor_id"):
            raise ValidationError("Missing data for required field.", "contractor")


class SiteUpdateSchema(SiteInSchema):
    """Partial update: every field optional; coordinates must come as a pair."""

    status = fields.String(validate=validate.OneOf(SITE_STATUSES))
    status_reason = fields.String(allow_none=True, validate=validate.Length(max=200),
                                  metadata={"description": "why the site is finished or closed"})

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
    builder_org = fields.Nested(OrganisationBriefSchema, allow_none=True)
    contractor_org = fields.Nested(OrganisationBriefSchema, allow_none=True)
    supervisor_org = fields.Nested(OrganisationBriefSchema, allow_none=True)
    project_type = fields.String(allow_none=True)
    planned_start = fields.Date(allow_none=True)
    planned_finish = fields.Date(allow_none=True)
    floor_area_m2 = fields.Float(allow_none=True)
    project_manager_name = fields.String(allow_none=True)
    project_manager_phone = fields.String(allow_none=True)
    dust_officer_name = fields.String(allow_none=True)
    dust_officer_phone = fields.String(allow_none=True)
    dust_plan_filed = fields.Boolean()
    dust_plan_filed_on = fields.Date(allow_none=True)
    status_reason = fields.String(allow_none=True)
    entered_datum = fields.String(allow_none=True, metadata={
        "description": "the datum the coordinates were entered in (lat/lon are always WGS-84)"})
    distance_m = fields.Float(metadata={"description": "present when the list was asked with near="})


class SiteQuerySchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=60))
    near = fields.String(load_default=None, metadata={"description": "lat,lon"})
    datum = fields.String(load_default="WGS84", validate=validate.OneOf(DATUMS))
    unit = fields.String(load_default=None)
    phase = fields.String(load_default=None, validate=validate.OneOf(PHASES))
    status = fields.String(load_default="open", validate=validate.OneOf(SITE_STATUSES + ("open", "all")),
                           metadata={"description": "open (default): active and suspended sites; all: closed too"})


class PhaseChangeSchema(Schema):
    phase = fields.String()
    previous_phase = fields.String(allow_none=True)
    changed_at = fields.DateTime()
    changed_by_id = fields.Integer(allow_none=True)


class CloseSchema(Schema):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class RegistryImportArgs(Schema):
    dry_run = fields.Boolean(load_default=False)


class SiteImportReportSchema(Schema):
    dry_run = fields.Boolean()
    rows = fields.Integer(metadata={"description": "data rows read (blank rows skipped)"})
    created = fields.Integer()
    updated = fields.Integer()
    organisations_created = fields.Integer()
    ignored_columns = fields.List(fields.String())


class RegistryExportArgs(Schema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(("xlsx", "csv")))

"""Request and response shapes of the truck registry API."""
from marshmallow import Schema, fields, validate

from inspect_app.core.fields import Id
from inspect_app.trucks.models import FILING_STATUSES
from inspect_app.trucks.operations import MAX_RATED_LOAD_T
from inspect_app.trucks.plates import PLATE_COLOURS, validate_plate
from inspect_app.trucks.queries import local_today

_rated_load = validate.Range(min=0, max=MAX_RATED_LOAD_T, min_inclusive=False)


class CompanyInSchema(Schema):
    """A haulage company as an admin registers it."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    licence_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    contact_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    contact_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=30))


class CompanyUpdateSchema(CompanyInSchema):
    """Partial update of a company (used with ``partial=True``)."""


class CompanyRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class CompanyOutSchema(CompanyRefSchema):
    licence_number = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)


class CompanyQuerySchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=60))


class VehicleInSchema(Schema):
    """A muck truck as an admin registers it; the plate is normalised and checked on save."""

    plate = fields.String(required=True, validate=validate.Length(min=1, max=20),
                          metadata={"description": "any spelling: 蒙A12345, 蒙 a·12345 …"})
    plate_colour = fields.String(load_default=None, allow_none=True,
                                 validate=validate.OneOf(PLATE_COLOURS),
                                 metadata={"description": "defaults from the plate form"})
    company_id = Id(load_default=None, allow_none=True)
    approval_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    rated_load_t = fields.Float(required=True, validate=_rated_load,
                                metadata={"description": "核定载质量, tonnes"})
    filing_status = fields.String(load_default="unfiled", validate=validate.OneOf(FILING_STATUSES))
    filing_expires_on = fields.Date(load_default=None, allow_none=True,
                                    metadata={"description": "last day the filing is valid"})
    site_ids = fields.List(Id(), load_default=list, validate=validate.Length(max=200))


class VehicleUpdateSchema(VehicleInSchema):
    """Partial update; ``active`` false takes the truck out of service."""

    active = fields.Boolean()


class SiteRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class VehicleOutSchema(Schema):
    id = fields.Integer()
    plate = fields.String()
    plate_kind = fields.Function(lambda v: validate_plate(v.plate).kind)
    plate_colour = fields.String()
    company = fields.Nested(CompanyRefSchema, allow_none=True)
    approval_number = fields.String(allow_none=True)
    rated_load_t = fields.Float()
    filing_status = fields.String()
    filing_expires_on = fields.Date(allow_none=True)
    filing_valid = fields.Function(
        lambda v: v.filing_valid_on(local_today()),
        metadata={"description": "filed, active and not expired at today's Asia/Shanghai date"})
    filing_problem = fields.Function(
        lambda v: v.filing_problem(local_today()),
        metadata={"description": "null, or inactive | unfiled | revoked | expired"})
    active = fields.Boolean()
    sites = fields.List(fields.Nested(SiteRefSchema))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class VehicleQuerySchema(Schema):
    plate = fields.String(load_default=None, validate=validate.Length(max=20),
                          metadata={"description": "plate prefix, any spelling"})
    company_id = Id(load_default=None)
    company = fields.String(load_default=None, validate=validate.Length(max=120),
                            metadata={"description": "part of the company name"})
    filing_status = fields.String(load_default=None, validate=validate.OneOf(FILING_STATUSES))
    site_id = Id(load_default=None)
    active = fields.String(load_default="true", validate=validate.OneOf(("true", "false", "all")))


class LookupQuerySchema(Schema):
    plate = fields.String(required=True, validate=validate.Length(min=1, max=20))


class ImportArgsSchema(Schema):
    dry_run = fields.Boolean(load_default=False)


class ImportErrorSchema(Schema):
    row = fields.Integer()
    column = fields.String(allow_none=True)
    code = fields.String()
    message = fields.String()
    value = fields.String(allow_none=True)


class ImportReportSchema(Schema):
    dry_run = fields.Boolean()
    rows = fields.Integer(metadata={"description": "data rows read (blank rows skipped)"})
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    companies_created = fields.Integer()
    ignored_columns = fields.List(fields.String())

"""Request and response shapes of the organisations API."""
from marshmallow import Schema, fields, validate

from inspect_app.core.fields import Id


class OrganisationInSchema(Schema):
    """An organisation as an admin records it; the credit code is checked by the operation."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    credit_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40),
                                metadata={"description": "统一社会信用代码 (18 characters, GB 32100-2015)"})
    address = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    contact_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    contact_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=30))


class OrganisationUpdateSchema(OrganisationInSchema):
    """Partial update: every field optional."""


class OrganisationOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    credit_code = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    merged_into_id = fields.Integer(allow_none=True, metadata={
        "description": "set when this record was merged into another; use that one"})


class OrganisationBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    credit_code = fields.String(allow_none=True)


class OrganisationQuerySchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=60))


class MergeSchema(Schema):
    duplicate_id = Id(required=True, metadata={"description": "the record folded into this one"})


class OrganisationImportReportSchema(Schema):
    dry_run = fields.Boolean()
    rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    ignored_columns = fields.List(fields.String())


class ImportArgs(Schema):
    dry_run = fields.Boolean(load_default=False)


class ExportArgs(Schema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(("xlsx", "csv")))

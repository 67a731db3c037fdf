"""Request and response shapes of notices."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from inspect_app.core.fields import Id
from inspect_app.core.i18n import negotiate_locale, translate
from inspect_app.notices.models import DESK_METHODS, FIELD_METHODS, NOTICE_KINDS, NOTICE_STATUSES


class NoticeListArgs(Schema):
    site_id = Id()
    status = fields.String(validate=validate.OneOf(NOTICE_STATUSES))
    kind = fields.String(validate=validate.OneOf(NOTICE_KINDS))
    plate = fields.String(validate=validate.Length(min=1, max=12))


class NoticeSiteSchema(Schema):
    id = fields.Integer()
    name = fields.String()


def _unit_name(notice) -> str | None:
    if notice.unit is None:
        return None
    return notice.unit.name_en if negotiate_locale() == "en" else notice.unit.name_zh


class NoticeSummarySchema(Schema):
    id = fields.Integer()
    number = fields.String()
    kind = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda n: translate(f"notice_status_{n.status}"))
    issued_at = fields.DateTime()
    site = fields.Nested(NoticeSiteSchema, allow_none=True)
    plate = fields.String(allow_none=True)
    unit = fields.Function(_unit_name, allow_none=True)
    inspection = fields.Function(lambda n: n.inspection.uuid)
    item_count = fields.Function(lambda n: len(n.content["items"]))
    pdf_url = fields.Function(lambda n: f"/api/notices/{n.id}.pdf")


class LegalBasisSchema(Schema):
    law = fields.String(allow_none=True)
    obligation_article = fields.String(allow_none=True)
    penalty_article = fields.String(allow_none=True)
    fine_min = fields.Integer(allow_none=True)
    fine_max = fields.Integer(allow_none=True)
    authority = fields.String(allow_none=True)


class GoverningProvisionSchema(Schema):
    law = fields.String()
    penalty_article = fields.String()
    fine_min = fields.Float()
    fine_max = fields.Float()


class NoticeItemSchema(Schema):
    item_key = fields.String()
    text_zh = fields.String()
    clause = fields.String()
    legal_basis = fields.Nested(LegalBasisSchema)
    governing = fields.Nested(GoverningProvisionSchema, allow_none=True, metadata={
        "description": "the provision a failure past the deadline is fined under, for the liable party "
                       "(行政处罚法 第二十九条: the higher fine); null: no fine of its own"})
    liable = fields.String(metadata={"description": "contractor | builder | haulier | driver"})
    liable_name = fields.String()
    rectify_days = fields.Integer()
    deadline = fields.String(metadata={"description": "ISO 8601, Asia/Shanghai"})
    deadline_date = fields.String()
    note = fields.String(allow_none=True)
    photo_ids = fields.List(fields.String())
    status = fields.String(metadata={"description": "open | overdue | closed (its violation)"})
    status_label = fields.Function(lambda item: translate(f"notice_item_{item['status']}"))


class NoticePhotoSchema(Schema):
    id = fields.String()
    item_key = fields.String()
    arrived = fields.Boolean()
    taken_at = fields.DateTime(allow_none=True)
    sha256 = fields.String(allow_none=True)


class AddresseeSchema(Schema):
    party = fields.String()
    name = fields.String()


class NoticeRenderingSchema(Schema):
    sha256 = fields.String()
    photos_shown = fields.Integer()
    shows_service = fields.Boolean()
    rendered_at = fields.DateTime()


class NoticeSchema(NoticeSummarySchema):
    addressees = fields.Function(lambda v: v.content["addressees"], metadata={"type": "array"})
    site_facts = fields.Function(lambda v: v.content.get("site"), allow_none=True)
    truck = fields.Function(lambda v: v.content.get("truck"), allow_none=True)
    issuing_unit = fields.Function(lambda v: v.content.get("unit"), allow_none=True)
    inspector = fields.Function(lambda v: v.content.get("inspector"))
    items = fields.List(fields.Nested(NoticeItemSchema))
    consequences = fields.Function(lambda v: v.content["consequences"])
    photos = fields.List(fields.Nested(NoticePhotoSchema))
    served = fields.Boolean()
    rectified = fields.Boolean()
    verify_url = fields.String()
    signature = fields.String()
    key_id = fields.String()
    renderings = fields.List(fields.Nested(NoticeRenderingSchema))
    service = fields.Nested(lambda: ServiceSchema(), allow_none=True)
    voided_at = fields.DateTime(allow_none=True)
    void_reason = fields.String(allow_none=True)
    replaced_by = fields.Function(lambda v: v.replaced_by.number if v.replaced_by else None, allow_none=True)


# ---- 送达 (service) ----

class ServiceGPSSchema(Schema):
    """Where the notice was served: the phone's WGS-84 fix."""

    lat = fields.Float(required=True, validate=validate.Range(-90, 90), allow_nan=False)
    lon = fields.Float(required=True, validate=validate.Range(-180, 180), allow_nan=False)
    accuracy_m = fields.Float(required=True, validate=validate.Range(min=0, max=100_000), allow_nan=False)


def _name(required: bool = False):
    return fields.String(required=required, validate=validate.Length(min=1, max=60))


class FieldServiceSchema(Schema):
    """A service record made on the phone (签收 or 拒签), naming the inspection, not the notice."""

    uuid = fields.UUID(required=True, metadata={"description": "the record's own client UUID"})
    method = fields.String(required=True, validate=validate.OneOf(FIELD_METHODS))
    signer_name = _name()
    signer_role = _name()
    witness_name = _name()
    note = fields.String(load_default="", validate=validate.Length(max=500))
    served_at = fields.AwareDateTime(required=True)
    gps = fields.Nested(ServiceGPSSchema, allow_none=True, load_default=None)
    evidence_id = fields.UUID(required=True, metadata={
        "description": "id of the picture uploaded next: the signature (PNG) or the refusal photo (JPEG/HEIC)"})

    @validates_schema
    def names_for_method(self, data, **kwargs):
        """签收 names the signer and their role; 拒签 names a witness."""
        needed = {"signed": ("signer_name", "signer_role"), "refused": ("witness_name",)}.get(data.get("method"), ())
        missing = {name: ["Missing data for required field."] for name in needed if not (data.get(name) or "").strip()}
        if missing:
            raise ValidationError(missing)


class DeskServiceSchema(Schema):
    """A service recorded from the desk by a supervisor: by mail (邮寄) or left at the site (留置)."""

    uuid = fields.UUID(required=True)
    method = fields.String(required=True, validate=validate.OneOf(DESK_METHODS))
    note = fields.String(required=True, validate=validate.Length(min=1, max=500))
    served_at = fields.AwareDateTime(required=True)


class ServiceSchema(Schema):
    uuid = fields.String()
    notice_id = fields.Integer()
    number = fields.Function(lambda s: s.notice.number)
    method = fields.String()
    method_label = fields.Function(lambda s: translate(f"service_method_{s.method}"))
    channel = fields.String()
    signer_name = fields.String(allow_none=True)
    signer_role = fields.String(allow_none=True)
    witness_name = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    served_at = fields.DateTime()
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    accuracy_m = fields.Float(allow_none=True)
    evidence_id = fields.String(allow_none=True)
    evidence_sha256 = fields.String(allow_none=True)
    evidence_format = fields.String(allow_none=True)
    evidence_bytes = fields.Integer(allow_none=True)
    evidence_missing = fields.Boolean()
    created_at = fields.DateTime()

"""Request and response shapes of notices."""
from marshmallow import Schema, fields, validate

from inspect_app.core.fields import Id
from inspect_app.core.i18n import negotiate_locale, translate
from inspect_app.notices.models import NOTICE_KINDS, NOTICE_STATUSES


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


class NoticeItemSchema(Schema):
    item_key = fields.String()
    text_zh = fields.String()
    clause = fields.String()
    legal_basis = fields.Nested(LegalBasisSchema)
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
    voided_at = fields.DateTime(allow_none=True)
    void_reason = fields.String(allow_none=True)
    replaced_by = fields.Function(lambda v: v.replaced_by.number if v.replaced_by else None, allow_none=True)

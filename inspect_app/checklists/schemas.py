"""Response shapes of the checklists API (the form the phone renders, and the version list)."""
from marshmallow import Schema, fields


class ChecklistWindowSchema(Schema):
    start = fields.String(metadata={"description": "MM-DD, inclusive"})
    end = fields.String(metadata={"description": "MM-DD, inclusive"})
    start_time = fields.String(metadata={"description": "HH:MM Asia/Shanghai, inclusive"})
    end_time = fields.String(metadata={"description": "HH:MM Asia/Shanghai, exclusive"})


class ChecklistProvisionSchema(Schema):
    """Another provision the same act breaks (《行政处罚法》第二十九条: fined under the higher)."""

    law = fields.String()
    obligation_article = fields.String(allow_none=True)
    penalty_article = fields.String()
    fine_min = fields.Integer(metadata={"description": "CNY (units, or anyone)"})
    fine_max = fields.Integer(metadata={"description": "CNY (units, or anyone)"})
    individual_fine_min = fields.Integer(allow_none=True, metadata={"description": "CNY, for an individual"})
    individual_fine_max = fields.Integer(allow_none=True, metadata={"description": "CNY, for an individual"})
    applies_to = fields.String(metadata={"description": "all | units"})
    applies_when = fields.String(allow_none=True, metadata={"description": "a case reason, e.g. overdue_refail"})
    unverified = fields.Boolean()
    note_zh = fields.String(allow_none=True)
    note_en = fields.String(allow_none=True)


class ChecklistLegalBasisSchema(Schema):
    law = fields.String()
    obligation_article = fields.String()
    penalty_article = fields.String(allow_none=True, metadata={"description": "null: an order to correct only"})
    fine_min = fields.Integer(allow_none=True, metadata={"description": "CNY; null: no fine range of the bureau's"})
    fine_max = fields.Integer(allow_none=True, metadata={"description": "CNY; null: no fine range of the bureau's"})
    individual_fine_min = fields.Integer(allow_none=True, metadata={"description": "CNY, for an individual"})
    individual_fine_max = fields.Integer(allow_none=True, metadata={"description": "CNY, for an individual"})
    authority = fields.String(metadata={"description": "bureau | traffic_police | housing | ecology"})
    stop_work = fields.String(allow_none=True, metadata={
        "description": "refuses_to_correct: 责令停工整治 only after a refusal to correct"})
    concurrent = fields.List(fields.Nested(ChecklistProvisionSchema))
    unverified = fields.Boolean(metadata={"description": "an article not yet confirmed in a primary source"})
    note_zh = fields.String(allow_none=True)
    note_en = fields.String(allow_none=True)


class ChecklistFormItemSourceSchema(Schema):
    """One source document a form item satisfies."""

    source_key = fields.String()
    source_title_zh = fields.String()
    source_title_en = fields.String()
    item_key = fields.String()
    clause = fields.String()
    text_zh = fields.String()
    text_en = fields.String()
    checklist_item_id = fields.Integer(allow_none=True)


class ChecklistFormItemSchema(Schema):
    """One question on the form: a requirement, asked once even if several sources name it."""

    key = fields.String(metadata={"description": "the requirement; answers are keyed by it"})
    position = fields.Integer()
    text_zh = fields.String()
    text_en = fields.String()
    sources = fields.List(fields.Nested(ChecklistFormItemSourceSchema))
    weight = fields.Float()
    veto = fields.Boolean()
    photos_on_fail = fields.Integer()
    phases = fields.List(fields.String())
    window = fields.Nested(ChecklistWindowSchema, allow_none=True)
    site_statuses = fields.List(fields.String(), allow_none=True, metadata={
        "description": "asked only at sites in one of these statuses (e.g. suspended); null: any status"})
    alert = fields.List(fields.String(), allow_none=True, metadata={
        "description": "asked only while an alert of one of these levels (blue/yellow/orange/red) binds the "
                       "site's unit (the district, for a truck) at the inspection's start; null: any time"})
    rectify_days = fields.Integer()
    legal_basis = fields.Nested(ChecklistLegalBasisSchema)
    observation = fields.Boolean(metadata={
        "description": "an observation about the surroundings (no liable party): answered, never scored, "
                       "no violation or case"})


class ChecklistFormSourceSchema(Schema):
    key = fields.String()
    version = fields.Integer(allow_none=True)
    version_id = fields.Integer(allow_none=True)
    title_zh = fields.String()
    title_en = fields.String()
    clause = fields.String()
    window = fields.Nested(ChecklistWindowSchema, allow_none=True)


class ChecklistFormSchema(Schema):
    """The form of one kind, with the version ids a submission must send back."""

    kind = fields.String()
    version_ids = fields.List(fields.Integer())
    sources = fields.List(fields.Nested(ChecklistFormSourceSchema))
    items = fields.List(fields.Nested(ChecklistFormItemSchema))


class ChecklistFormsSchema(Schema):
    site = fields.Nested(ChecklistFormSchema)
    truck = fields.Nested(ChecklistFormSchema)


class ChecklistVersionOutSchema(Schema):
    id = fields.Integer()
    source_key = fields.String()
    version = fields.Integer()
    kind = fields.String()
    title_zh = fields.String()
    title_en = fields.String()
    clause = fields.String()
    content_hash = fields.String()
    created_at = fields.DateTime()
    item_count = fields.Integer()
    current = fields.Boolean()

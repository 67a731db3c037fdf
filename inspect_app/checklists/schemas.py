"""Response shapes of the checklists API (the form the phone renders, and the version list)."""
from marshmallow import Schema, fields, validate

from inspect_app.alerts.models import ALERT_LEVELS
from inspect_app.sites.models import PHASES, SITE_STATUSES


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


# ---------------------------------------------------------------- the checklist screen (admin desk)


class ChecklistSourceOutSchema(Schema):
    """A source with its current version (the list the desk browses)."""

    source_key = fields.String()
    version = fields.Integer()
    version_id = fields.Integer()
    kind = fields.String()
    title_zh = fields.String()
    title_en = fields.String()
    clause = fields.String()
    position = fields.Integer()
    item_count = fields.Integer()
    origin = fields.String(metadata={"description": "file (flask checklists sync) | screen (published on the desk)"})
    published_by_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class ChecklistSourceDetailSchema(ChecklistSourceOutSchema):
    document = fields.Dict(metadata={"description": "the version as a checklist document (its TOML as data): "
                                                    "what a draft starts from"})


class ChecklistDraftArgsSchema(Schema):
    document = fields.Dict(required=True, metadata={
        "description": "the whole changed source in the TOML file's shape: {source: {...}, items: [{...}]}; "
                       "null means absent"})
    phase = fields.String(load_default=None, validate=validate.OneOf(PHASES), metadata={
        "description": "preview: the site's phase (omit for a truck form)"})
    at = fields.DateTime(load_default=None, metadata={
        "description": "preview: the time the form is opened (no offset: Asia/Shanghai); omit for no preview"})
    site_status = fields.String(load_default=None, validate=validate.OneOf(SITE_STATUSES))
    alert = fields.String(load_default=None, validate=validate.OneOf(ALERT_LEVELS), metadata={
        "description": "preview: an alert of this level binds the site's unit"})


class ChecklistPublishArgsSchema(Schema):
    document = fields.Dict(required=True)
    base_version = fields.Integer(load_default=None, metadata={
        "description": "the version the draft was made from; another published since is a 409"})


class ChecklistFieldChangeSchema(Schema):
    field = fields.String()
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class ChecklistItemChangeSchema(Schema):
    key = fields.String()
    status = fields.String(metadata={"description": "added | removed | changed"})
    fields_ = fields.List(fields.Nested(ChecklistFieldChangeSchema), data_key="fields", attribute="fields")


class ChecklistDiffSchema(Schema):
    changed = fields.Boolean()
    source = fields.List(fields.Nested(ChecklistFieldChangeSchema))
    items = fields.List(fields.Nested(ChecklistItemChangeSchema))


class ChecklistPreviewItemSchema(ChecklistFormItemSchema):
    applicable = fields.Boolean()
    reason = fields.String(metadata={"description": "applicable | not_in_phase | out_of_season | outside_hours | "
                                                    "not_for_site_status | no_alert_in_force"})
    from_draft = fields.Boolean(metadata={"description": "the changed source names this item"})


class ChecklistPreviewSchema(Schema):
    kind = fields.String()
    phase = fields.String(allow_none=True)
    at = fields.DateTime()
    items = fields.List(fields.Nested(ChecklistPreviewItemSchema))


class ChecklistDraftOutSchema(Schema):
    source_key = fields.String()
    base_version = fields.Integer()
    diff = fields.Nested(ChecklistDiffSchema)
    preview = fields.Nested(ChecklistPreviewSchema, allow_none=True)
    toml = fields.String(metadata={"description": "the draft as the TOML the version would store"})


class ChecklistPublishOutSchema(ChecklistSourceOutSchema):
    created = fields.Boolean(metadata={"description": "false: the draft had the current content; nothing stored"})

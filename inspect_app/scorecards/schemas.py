"""Request and response shapes of the scorecards API."""
from marshmallow import Schema, fields, validate
from webargs.fields import DelimitedList

from inspect_app.core.fields import Id
from inspect_app.organisations.schemas import OrganisationOutSchema
from inspect_app.scorecards.queries import SORT_KEYS
from inspect_app.scorecards.rankings import RANK_BY
from inspect_app.sites.models import SITE_STATUSES

SORTS = SORT_KEYS + tuple(f"-{key}" for key in SORT_KEYS)


class ScorecardArgs(Schema):
    sort = fields.String(load_default="score", validate=validate.OneOf(SORTS), metadata={
        "description": "score | avg | overdue | days_since | name; prefix - for descending"})
    unit = fields.String(load_default=None, metadata={"description": "unit code or Chinese name"})
    grade = fields.String(load_default=None, validate=validate.Length(max=12))
    has_overdue = fields.Boolean(load_default=None)
    not_inspected_days = fields.Integer(load_default=None, validate=validate.Range(min=0, max=3650))
    q = fields.String(load_default=None, validate=validate.Length(max=60))
    status = fields.String(load_default="active", validate=validate.OneOf(SITE_STATUSES + ("all",)))


class UnitBrief(Schema):
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()


class ScorecardSchema(Schema):
    site_id = fields.Integer()
    name = fields.String()
    contractor = fields.String()
    phase = fields.String()
    status = fields.String()
    unit = fields.Nested(UnitBrief)
    score = fields.Float(allow_none=True, metadata={"description": "latest scored inspection"})
    grade = fields.String(allow_none=True)
    previous_score = fields.Float(allow_none=True)
    trend = fields.String(allow_none=True, metadata={"description": "up | down | flat (±1 point)"})
    trend_label = fields.String(allow_none=True)
    trend_delta = fields.Float(allow_none=True)
    avg_score_30d = fields.Float(allow_none=True)
    inspections_30d = fields.Integer()
    last_inspected_at = fields.DateTime(allow_none=True)
    days_since_inspection = fields.Integer(allow_none=True)
    open_violations = fields.Integer()
    overdue_violations = fields.Integer()
    pending_cases = fields.Integer()
    flags_30d = fields.Integer()
    flagged_inspections_30d = fields.Integer()


class HistoryPointSchema(Schema):
    inspection = fields.String()
    date = fields.Date()
    finished_at = fields.DateTime()
    score = fields.Float()
    grade = fields.String()
    grade_label = fields.String()
    vetoed = fields.Boolean()


class PhotoLinkSchema(Schema):
    id = fields.String()
    item_key = fields.String(allow_none=True)
    taken_at = fields.DateTime(allow_none=True)
    thumb_url = fields.String()
    display_url = fields.String()


class FlagSchema(Schema):
    code = fields.String()
    photo_id = fields.String(allow_none=True)
    message = fields.String()


class SiteInspectionSchema(Schema):
    uuid = fields.String()
    finished_at = fields.DateTime()
    inspector = fields.String()
    score = fields.Float(allow_none=True)
    grade = fields.String(allow_none=True)
    grade_label = fields.String()
    vetoed = fields.Boolean()
    review_status = fields.String()
    failed_items = fields.List(fields.String())
    photos = fields.List(fields.Nested(PhotoLinkSchema))
    flags = fields.List(fields.Nested(FlagSchema))


class OpenViolationSchema(Schema):
    id = fields.Integer()
    item_key = fields.String()
    text = fields.String()
    clause = fields.String()
    found_at = fields.DateTime()
    deadline = fields.DateTime()
    status = fields.String()
    overdue = fields.Boolean()
    days_left = fields.Integer()
    fail_count = fields.Integer()


class SiteContactSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    contractor = fields.String()
    builder = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    permit_number = fields.String(allow_none=True)
    phase = fields.String()
    status = fields.String()
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)


class MapSchema(Schema):
    lat = fields.Float()
    lon = fields.Float()
    datum = fields.String()
    gcj02 = fields.Dict()
    amap_url = fields.String()


class SiteNoticeFollowUpSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    due_on = fields.Date()
    assignee = fields.String()


class SiteNoticeServiceSchema(Schema):
    method = fields.String(metadata={"description": "signed | refused | mail | left"})
    method_label = fields.String()
    served_at = fields.DateTime()


class SiteNoticeSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String()
    issued_at = fields.DateTime()
    deadline_date = fields.String()
    items = fields.Integer()
    rectified = fields.Boolean()
    follow_up = fields.Nested(SiteNoticeFollowUpSchema, allow_none=True)
    pdf_url = fields.String()
    service = fields.Nested(SiteNoticeServiceSchema, allow_none=True)  # 送达, None while unserved


class SiteScorecardSchema(Schema):
    summary = fields.Nested(ScorecardSchema)  # closed sites included (their history stays)
    site = fields.Nested(SiteContactSchema)
    map = fields.Nested(MapSchema)
    history = fields.List(fields.Nested(HistoryPointSchema))
    inspections = fields.List(fields.Nested(SiteInspectionSchema))
    open_violations = fields.List(fields.Nested(OpenViolationSchema))
    notices = fields.List(fields.Nested(SiteNoticeSchema))  # 整改通知书 of the site, newest first


class SiteScorecardArgs(Schema):
    history_days = fields.Integer(load_default=365, validate=validate.Range(min=1, max=3650))


class RankingArgs(Schema):
    by = fields.String(load_default="contractor", validate=validate.OneOf(RANK_BY))
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=365))


class RankingRowSchema(Schema):
    rank = fields.Integer()
    contractor = fields.String()
    organisation_id = fields.Integer(allow_none=True, metadata={
        "description": "the contractor's organisation record (null: ranked by the typed name)"})
    unit = fields.Nested(UnitBrief)
    sites = fields.Integer()
    avg_score = fields.Float(allow_none=True)
    inspections = fields.Integer()
    violations = fields.Integer()
    repeat_violations = fields.Integer()


class RankingSchema(Schema):
    by = fields.String()
    days = fields.Integer()
    items = fields.List(fields.Nested(RankingRowSchema))


class SiteSummaryArgs(Schema):
    ids = DelimitedList(Id(), required=True, validate=validate.Length(min=1, max=200),
                               metadata={"description": "comma-separated site ids, at most 200"})


class SiteSummarySchema(Schema):
    site_id = fields.Integer()
    last_score = fields.Float(allow_none=True)
    last_grade = fields.String(allow_none=True)
    grade_label = fields.String(allow_none=True)
    last_inspected_at = fields.DateTime(allow_none=True)
    open_violations = fields.Integer()
    overdue_violations = fields.Integer()


class SiteSummaryListSchema(Schema):
    items = fields.List(fields.Nested(SiteSummarySchema))


class OrganisationSiteSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    unit = fields.Nested(UnitBrief)
    phase = fields.String()
    status = fields.String()
    roles = fields.List(fields.String(), metadata={"description": "builder | contractor | supervisor"})
    last_score = fields.Float(allow_none=True)
    last_grade = fields.String(allow_none=True)
    grade_label = fields.String(allow_none=True)
    last_inspected_at = fields.DateTime(allow_none=True)
    open_violations = fields.Integer()
    overdue_violations = fields.Integer()


class OrganisationCaseSchema(Schema):
    id = fields.Integer()
    case_number = fields.String()
    status = fields.String()
    authority = fields.String()
    party = fields.String()
    party_name = fields.String(allow_none=True)
    site_id = fields.Integer(allow_none=True)
    site_name = fields.String(allow_none=True)
    created_at = fields.DateTime()


class OrganisationOverviewSchema(Schema):
    organisation = fields.Nested(OrganisationOutSchema)
    sites = fields.List(fields.Nested(OrganisationSiteSchema))
    violations = fields.Dict(keys=fields.String(), values=fields.Integer(),
                             metadata={"description": "violation count by status"})
    cases = fields.List(fields.Nested(OrganisationCaseSchema))

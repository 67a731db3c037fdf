"""Request and response shapes of follow-ups (复查) and of closing a violation by a supervisor."""
from marshmallow import Schema, fields, validate

from inspect_app.core.fields import Id
from inspect_app.core.i18n import translate
from inspect_app.followups.models import CLOSURE_REASONS
from inspect_app.inspections.schemas import GPSSchema, ItemAnswerSchema, SubmissionSchema


class FollowUpAnswerSchema(ItemAnswerSchema):
    """A re-checked item: pass or fail only (N/A is not an answer to a notice)."""

    outcome = fields.String(required=True, validate=validate.OneOf(("pass", "fail")))


class FollowUpSubmissionSchema(SubmissionSchema):
    """A follow-up as the phone sends it: the site and checklist versions come from the task's notice."""

    class Meta:
        exclude = ("site_id", "checklist_version_ids", "supersedes")

    items = fields.List(fields.Nested(FollowUpAnswerSchema), required=True, validate=validate.Length(min=1, max=60))
    gps_start = fields.Nested(GPSSchema, allow_none=True, load_default=None)
    gps_finish = fields.Nested(GPSSchema, allow_none=True, load_default=None)


class FollowUpArgs(Schema):
    all_units = fields.Boolean(load_default=False, metadata={"description": "every open task of the caller's units"})


class AssigneeSchema(Schema):
    assignee_id = Id(required=True, strict=True)


class PersonSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()


class FollowUpSiteSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phase = fields.String()
    contractor = fields.String(allow_none=True)
    lat = fields.Float()
    lon = fields.Float()


class FollowUpItemSchema(Schema):
    key = fields.String()
    text_zh = fields.String()
    text_en = fields.String(allow_none=True)
    clause = fields.String(allow_none=True)
    deadline_date = fields.String()
    status = fields.String()
    photos_on_fail = fields.Integer()
    phases = fields.List(fields.String(), allow_none=True)
    window = fields.Dict(allow_none=True)
    veto = fields.Boolean()


class VisitSchema(Schema):
    inspection = fields.Function(lambda v: v.inspection.uuid)
    visited_at = fields.DateTime()
    result = fields.String()
    result_label = fields.Function(lambda v: translate(f"follow_up_result_{v.result}"))


class FollowUpSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    notice = fields.Function(lambda v: {"id": v.notice.id, "number": v.notice.number, "status": v.notice.status,
                                        "issued_at": v.notice.issued_at.isoformat()})
    site = fields.Function(lambda v: FollowUpSiteSchema().dump(v.notice.site) if v.notice.site else None)
    plate = fields.String(allow_none=True)
    unit_id = fields.Integer(allow_none=True)
    assignee = fields.Function(lambda v: PersonSchema().dump(v.assignee))
    due_on = fields.Date()
    bucket = fields.String(allow_none=True)
    bucket_label = fields.Function(lambda v: translate(f"follow_up_bucket_{v.bucket}") if v.bucket else None)
    status = fields.String()
    outcome = fields.String(allow_none=True)
    label = fields.Method("label_state")
    rectified = fields.Boolean()
    closed_at = fields.DateTime(allow_none=True)
    items = fields.List(fields.Nested(FollowUpItemSchema))
    visits = fields.List(fields.Nested(VisitSchema))

    def label_state(self, view):
        if view.rectified:
            return translate("follow_up_outcome_rectified")
        if view.outcome:
            return translate(f"follow_up_outcome_{view.outcome}")
        return translate(f"follow_up_status_{view.status}")


class FollowUpListSchema(Schema):
    """The caller's open follow-ups, most urgent first, with the counts the home screen shows."""

    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    items = fields.List(fields.Nested(FollowUpSchema))


class ClosureSchema(Schema):
    """Closing a violation that can never be re-checked: why, and evidence (a note, photos, or both)."""

    reason = fields.String(required=True, validate=validate.OneOf(CLOSURE_REASONS))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    photo_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=10))


class ClosureResultSchema(Schema):
    violation_id = fields.Integer()
    status = fields.Function(lambda c: c.violation.status)
    reason = fields.String()
    reason_label = fields.Function(lambda c: translate(f"closure_reason_{c.reason}"))
    note = fields.String(allow_none=True)
    photo_ids = fields.List(fields.String())
    closed_at = fields.DateTime()
    closed_by = fields.Function(lambda c: PersonSchema().dump(c.actor))

"""Request and response shapes of the inspections API (see docs/submission-protocol.md)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from inspect_app.core.fields import Id
from inspect_app.core.geo import DATUMS
from inspect_app.core.wording import flag_text
from inspect_app.inspections.models import OUTCOMES, REVIEW_STATUSES
from inspect_app.scoring.labels import additional_deductions, grade_label, rule_label


class GPSSchema(Schema):
    """A device position with its datum; phones send WGS-84."""

    lat = fields.Float(required=True, validate=validate.Range(-90, 90), allow_nan=False)
    lon = fields.Float(required=True, validate=validate.Range(-180, 180), allow_nan=False)
    accuracy_m = fields.Float(required=True, validate=validate.Range(min=0, max=100_000), allow_nan=False)
    datum = fields.String(load_default="WGS84", validate=validate.OneOf(DATUMS))
    captured_at = fields.AwareDateTime(load_default=None, default_timezone=None)


class ItemAnswerSchema(Schema):
    key = fields.String(required=True, validate=validate.Length(min=1, max=60))
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    photo_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=10))


class PhotoAnnotationSchema(Schema):
    """An annotated copy (drawn on the phone) and the photo of the same submission it annotates."""

    photo_id = fields.UUID(required=True)
    annotates = fields.UUID(required=True)


# The reason for finishing outside the geofence: a sentence, not an essay (工地封闭无法进入).
OFF_SITE_REASON_MAX = 200


class SubmissionSchema(Schema):
    """A finished checklist as the phone sends it, possibly hours later and more than once."""

    uuid = fields.UUID(required=True)
    site_id = Id(required=True, strict=True)
    checklist_version_ids = fields.List(Id(strict=True), required=True,
                                        validate=validate.Length(min=1, max=20))
    started_at = fields.AwareDateTime(required=True)
    finished_at = fields.AwareDateTime(required=True)
    gps_start = fields.Nested(GPSSchema, allow_none=True, load_default=None)
    gps_finish = fields.Nested(GPSSchema, allow_none=True, load_default=None)
    items = fields.List(fields.Nested(ItemAnswerSchema), required=True, validate=validate.Length(min=1, max=200))
    supersedes = fields.UUID(load_default=None, allow_none=True)
    # No load_default on the two below: an absent key stays absent, so the content hash of a submission
    # without them is what it was before they existed (a phone replaying across the upgrade is no conflict).
    off_site_reason = fields.String(allow_none=True, validate=validate.Length(max=OFF_SITE_REASON_MAX))
    photo_annotations = fields.List(fields.Nested(PhotoAnnotationSchema), validate=validate.Length(max=30))

    @validates_schema
    def times_in_order(self, data, **kwargs):
        if data.get("started_at") and data.get("finished_at") and data["finished_at"] < data["started_at"]:
            raise ValidationError("finished_at is before started_at", "finished_at")


class InspectorRefSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()


class InspectionSiteSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    contractor = fields.String()
    phase = fields.String()


class EvidenceFlagSchema(Schema):
    """An evidence flag, explained in words in the reader's language."""

    code = fields.String()
    message = fields.Method("explain")
    photo_id = fields.String(allow_none=True)
    details = fields.Dict()

    def explain(self, flag):
        return flag_text(flag)


class ItemResultSchema(Schema):
    key = fields.String(attribute="item_key")
    outcome = fields.String()
    note = fields.String(allow_none=True)
    photo_ids = fields.List(fields.String())
    applicable = fields.Boolean()


class InspectionSchema(Schema):
    id = fields.Integer()
    uuid = fields.String()
    kind = fields.String()
    site = fields.Nested(InspectionSiteSchema, allow_none=True)
    inspector = fields.Nested(InspectorRefSchema)
    started_at = fields.DateTime()
    finished_at = fields.DateTime()
    received_at = fields.DateTime()
    completeness = fields.String()
    missing_photos = fields.List(fields.String())  # property on the model
    review_status = fields.String()
    review_note = fields.String(allow_none=True)
    score = fields.Float(allow_none=True)
    grade = fields.String(allow_none=True)
    grade_label = fields.Method("label_grade")
    vetoed = fields.Boolean()
    flags = fields.List(fields.Nested(EvidenceFlagSchema))
    breakdown = fields.List(fields.Dict(), attribute="score_breakdown", allow_none=True)
    # Which rule graded the sheet (None when it was not scored, e.g. a 复查), in words, and the
    # deductions of failed additional requirements (rule 2) with a sentence each.
    scoring_rule = fields.Method("rule_number", allow_none=True)
    scoring_rule_label = fields.Method("rule_text")
    additional_deductions = fields.Method("deductions")
    items = fields.List(fields.Nested(ItemResultSchema), attribute="results")
    supersedes = fields.Method("superseded_uuid")
    superseded_by = fields.Method("correction_uuid")
    off_site_reason = fields.String(allow_none=True)
    truck = fields.Method("truck_identity", allow_none=True, metadata={
        "type": "object", "nullable": True,
        "description": "roadside truck checks: plate, plate_colour and haulage company (null for a site)"})
    photo_annotations = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True,
                                    metadata={"description": "annotated copy photo id → the photo it annotates"})
    sent_back = fields.Method("is_sent_back")  # rejected and returned for correction
    # Later features attach relationships to Inspection (opened_violations, penalty_cases);
    # read them by name so this module does not import those features.
    violations_opened = fields.Method("count_violations")
    penalty_cases = fields.Method("list_cases")

    def truck_identity(self, inspection):
        # roadside adds ``Inspection.truck_check`` (loaded per page, company joined); read by name.
        if inspection.kind != "truck":
            return None
        check = getattr(inspection, "truck_check", None)
        company = check.company if check is not None else None
        return {"plate": inspection.plate, "plate_colour": check.plate_colour if check is not None else None,
                "company": company.name if company is not None else None}

    def label_grade(self, inspection):
        return grade_label(inspection.grade) if inspection.grade else None

    def rule_number(self, inspection):
        return inspection.scoring_rule if inspection.score_breakdown is not None else None

    def rule_text(self, inspection):
        return rule_label(self.rule_number(inspection))

    def deductions(self, inspection):
        return additional_deductions(inspection.score_breakdown)

    def superseded_uuid(self, inspection):
        return inspection.supersedes.uuid if inspection.supersedes_id else None

    def correction_uuid(self, inspection):
        if inspection.review_status != "superseded":
            return None
        return inspection.corrections[0].uuid if inspection.corrections else None

    def is_sent_back(self, inspection):
        return inspection.review_status == "rejected" and not inspection.final_rejection

    def count_violations(self, inspection):
        return len(getattr(inspection, "opened_violations", None) or [])

    def list_cases(self, inspection):
        return [{"id": case.id, "case_number": case.case_number, "status": case.status}
                for case in getattr(inspection, "penalty_cases", None) or []]


class InspectionListArgs(Schema):
    mine = fields.Boolean(load_default=False)
    site_id = Id(load_default=None)
    review_status = fields.String(load_default=None, validate=validate.OneOf(REVIEW_STATUSES))

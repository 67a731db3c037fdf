"""Request and response shapes of roadside truck checks (protocol: operations.py and routes.py docstrings)."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from inspect_app.core.fields import Id
from inspect_app.core.i18n import translate
from inspect_app.inspections.schemas import GPSSchema, InspectionSchema, ItemAnswerSchema
from inspect_app.trucks.plates import PLATE_COLOURS

MAX_LOAD_T = 200  # tonnes; anything above is a typo (kilograms?) rather than a truck


class RoadsideSubmissionSchema(Schema):
    """A finished muck-truck check as the phone sends it, possibly late and more than once."""

    uuid = fields.UUID(required=True)
    # Validated and normalised by trucks.plates in the operation (422 invalid_plate with the reason).
    plate = fields.String(required=True, validate=validate.Length(max=40))
    plate_colour = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(PLATE_COLOURS))
    checklist_version_ids = fields.List(Id(strict=True), required=True,
                                        validate=validate.Length(min=1, max=20))
    started_at = fields.AwareDateTime(required=True)
    finished_at = fields.AwareDateTime(required=True)
    gps_start = fields.Nested(GPSSchema, allow_none=True, load_default=None)
    gps_finish = fields.Nested(GPSSchema, allow_none=True, load_default=None)
    items = fields.List(fields.Nested(ItemAnswerSchema), required=True, validate=validate.Length(min=1, max=50))
    # A weighed load: it needs a weighbridge ticket photo on the truck_not_overloaded item (422
    # weighbridge_ticket_required), and only it refers an overloaded truck to 区交管队.
    measured_load_t = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                                   validate=validate.Range(min=0, max=MAX_LOAD_T), metadata={
                                       "description": "weighed load (t); needs a weighbridge ticket photo on "
                                                      "truck_not_overloaded"})
    # An estimate at the roadside: above the rated load it is an observation, never a referral.
    estimated_load_t = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                                    validate=validate.Range(min=0, max=MAX_LOAD_T), metadata={
                                        "description": "estimated load (t): an observation only"})
    origin_site_id = Id(load_default=None, allow_none=True, strict=True)

    @validates_schema
    def times_in_order(self, data, **kwargs):
        if data.get("started_at") and data.get("finished_at") and data["finished_at"] < data["started_at"]:
            raise ValidationError("finished_at is before started_at", "finished_at")


class RoadsideVehicleSchema(Schema):
    id = fields.Integer()
    plate = fields.String()
    plate_colour = fields.String(allow_none=True)
    rated_load_t = fields.Float()
    filing_status = fields.String()
    filing_expires_on = fields.Date(allow_none=True)


class RoadsideCompanySchema(Schema):
    id = fields.Integer()
    name = fields.String()


class OriginSiteSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    contractor = fields.String()


class ServerFindingSchema(Schema):
    """An item the server failed itself, explained in the reader's language."""

    item_key = fields.String()
    code = fields.String()
    message = fields.Function(lambda f: translate(f["code"], **(f.get("params") or {})))
    # True: noted only (an estimated overload), the item's answer stands
    observation = fields.Function(lambda f: bool(f.get("observation")), metadata={"type": "boolean"})


class LoadSchema(Schema):
    load_t = fields.Float(allow_none=True)
    source = fields.String(attribute="load_source", allow_none=True)
    rated_load_t = fields.Float(allow_none=True)
    overloaded = fields.Boolean()
    overload_ratio = fields.Float(allow_none=True)
    over_thirty_percent = fields.Boolean()


def _check(inspection):
    return getattr(inspection, "truck_check", None)


class RoadsideCheckSchema(InspectionSchema):
    """A truck inspection with what the roadside knew: plate, vehicle, company, load, origin site."""

    plate = fields.String(allow_none=True)
    plate_colour = fields.Function(lambda i: _check(i).plate_colour if _check(i) else None)
    vehicle = fields.Nested(RoadsideVehicleSchema, allow_none=True)
    company = fields.Function(
        lambda i: RoadsideCompanySchema().dump(_check(i).company) if _check(i) and _check(i).company else None)
    origin_site = fields.Function(
        lambda i: OriginSiteSchema().dump(_check(i).origin_site) if _check(i) and _check(i).origin_site else None)
    filing_problem = fields.Function(lambda i: _check(i).filing_problem if _check(i) else None)
    load = fields.Function(lambda i: LoadSchema().dump(_check(i)) if _check(i) else None)
    server_findings = fields.Function(
        lambda i: ServerFindingSchema(many=True).dump(_check(i).server_findings or []) if _check(i) else [])
    penalty_cases = fields.Method("list_truck_cases")

    def list_truck_cases(self, inspection):
        return [{"id": case.id, "case_number": case.case_number, "status": case.status,
                 "authority": case.authority,
                 "recipient": translate(f"roadside_recipient_{case.authority}")}
                for case in getattr(inspection, "penalty_cases", None) or []]


class RoadsideListArgs(Schema):
    plate = fields.String(load_default=None, validate=validate.Length(max=40))


class RepeatOffenderArgs(Schema):
    days = fields.Integer(load_default=30, validate=validate.Range(min=1, max=366))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


class OffenderVehicleSchema(Schema):
    plate = fields.String()
    vehicle_id = fields.Integer(allow_none=True)
    company_id = fields.Integer(allow_none=True)
    company_name = fields.String(allow_none=True)
    registered = fields.Boolean()
    checks = fields.Integer()
    failed_checks = fields.Integer()
    open_violations = fields.Integer()
    last_failed_at = fields.DateTime(allow_none=True)


class OffenderCompanySchema(Schema):
    company_id = fields.Integer()
    company_name = fields.String()
    vehicles = fields.Integer()
    checks = fields.Integer()
    failed_checks = fields.Integer()
    open_violations = fields.Integer()


class RepeatOffendersSchema(Schema):
    days = fields.Integer()
    since = fields.DateTime()
    vehicles = fields.List(fields.Nested(OffenderVehicleSchema))
    companies = fields.List(fields.Nested(OffenderCompanySchema))

"""Request and response shapes of violations, penalty cases and their queue moves."""
from marshmallow import Schema, fields, validate

from inspect_app.core.fields import Id
from inspect_app.core.i18n import negotiate_locale, translate
from inspect_app.inspections.schemas import EvidenceFlagSchema
from inspect_app.penalties.decision_rules import NO_PENALTY_REASONS, REDUCTION_REASONS
from inspect_app.penalties.models import CASE_STATUSES, DECISIONS, VIOLATION_STATUSES
from inspect_app.penalties.parties import party_label
from inspect_app.penalties.workflow import TARGETS


def _yuan(amount) -> str:
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def _status_label(case) -> str:
    """The state in words; a referred case names the authority it went to (已移交生态环境分局 …)."""
    if case.status == "referred_out":
        return translate("case_referred_out_to", authority=translate(f"authority_{case.authority}"))
    return translate(f"case_{case.status}")


def _party(case) -> dict:
    """当事人: who the case is against (penalties/parties.py)."""
    name = case.party_name or case.contractor  # a case recorded without a party name: the contractor's
    return {"kind": case.party, "kind_label": translate(f"case_party_{case.party}"), "name": name,
            "label": party_label(case.party, name) if name else None}


class PenaltySiteSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    contractor = fields.String()


class ViolationSchema(Schema):
    id = fields.Integer()
    site = fields.Nested(PenaltySiteSchema, allow_none=True)
    item_key = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda v: translate(f"violation_{v.status}"))
    found_at = fields.DateTime()
    deadline = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    fail_count = fields.Integer()
    note = fields.String(allow_none=True)
    opened_by = fields.Function(lambda v: v.opened_by.uuid)


class PenaltyCaseSchema(Schema):
    id = fields.Integer()
    case_number = fields.String()
    site = fields.Nested(PenaltySiteSchema, allow_none=True)
    contractor = fields.String(allow_none=True)
    # A muck-truck case (roadside): the plate and its haulage company (held in ``contractor``); null for a site.
    truck = fields.Function(lambda c: {"plate": c.plate, "company": c.contractor} if c.plate else None, metadata={
        "type": "object", "nullable": True, "description": "muck-truck cases: plate and haulage company"})
    party = fields.Function(lambda c: _party(c), metadata={
        "description": "当事人: kind (contractor | builder | haulier | driver), kind_label, name, label"})
    status = fields.String()
    status_label = fields.Function(lambda c: _status_label(c))
    authority = fields.String()
    authority_label = fields.Function(lambda c: translate(f"authority_{c.authority}"))
    items = fields.List(fields.Dict())
    photo_ids = fields.List(fields.String())
    fine_min = fields.Float(allow_none=True)
    fine_max = fields.Float(allow_none=True)
    inspection = fields.Function(lambda c: c.inspection.uuid)
    created_at = fields.DateTime()


class CaseSiteSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    contractor = fields.String()
    address = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    lat = fields.Float()
    lon = fields.Float()


class CaseUnitSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    name = fields.Function(lambda u: u.name_en if negotiate_locale() == "en" else u.name_zh)


class CaseInspectionSchema(Schema):
    uuid = fields.String()
    finished_at = fields.DateTime()
    inspector = fields.Function(lambda i: i.inspector.display_name)
    review_status = fields.String()
    score = fields.Float(allow_none=True)
    grade = fields.String(allow_none=True)
    vetoed = fields.Boolean()
    flags = fields.List(fields.Nested(EvidenceFlagSchema))
    off_site_reason = fields.String(allow_none=True)  # the inspector's words beside the off_site flag
    photo_annotations = fields.Dict(keys=fields.String(), values=fields.String(), allow_none=True)


class CasePhotoSchema(Schema):
    id = fields.String()
    item_key = fields.String(allow_none=True)
    arrived = fields.Boolean()
    display_url = fields.String(allow_none=True)
    thumb_url = fields.String(allow_none=True)
    taken_at = fields.DateTime(allow_none=True)
    sha256 = fields.String(allow_none=True)


class CaseEventSchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.Function(lambda e: {"id": e.actor.id, "display_name": e.actor.display_name,
                                       "role": e.actor.role} if e.actor else None)
    from_status = fields.String()
    to_status = fields.String()
    to_label = fields.Function(lambda e: translate(f"case_{e.to_status}"))
    note = fields.String(allow_none=True)
    fields_ = fields.Dict(data_key="fields", attribute="fields")
    message = fields.Function(lambda e: translate(e.fields["system"]) if (e.fields or {}).get("system") else None)


class CaseDetailSchema(PenaltyCaseSchema):
    """One case as its page shows it: site, unit, items with their legal basis, evidence, history."""

    site = fields.Nested(CaseSiteSchema, allow_none=True)
    unit = fields.Nested(CaseUnitSchema, allow_none=True)
    items = fields.Method("explain_items")
    authority_note = fields.Function(lambda c: translate(f"authority_note_{c.authority}"))
    fine_range = fields.Method("label_fine_range")
    inspection = fields.Nested(CaseInspectionSchema)
    flags = fields.Function(lambda c: EvidenceFlagSchema(many=True).dump(c.inspection.flags or []))
    photos = fields.List(fields.Nested(CasePhotoSchema))
    dismissal_reason = fields.String(allow_none=True)
    referral_note = fields.String(allow_none=True)
    referral_outcome = fields.String(allow_none=True)
    referred_to = fields.Function(lambda c: None if c.authority == "bureau" else translate(f"authority_{c.authority}"))
    decision = fields.String(allow_none=True)
    decision_label = fields.Function(lambda c: translate(f"decision_{c.decision}") if c.decision else None)
    fine_amount = fields.Float(allow_none=True)
    rectification_order = fields.String(allow_none=True)
    decision_number = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    decision_detail = fields.Function(lambda c: DecisionDetailSchema().dump(getattr(c, "case", c)) if c.decision else None,
                                      metadata={"type": "object", "nullable": True,
                                                "description": "the decision in full (DecisionDetail)"})
    paid_on = fields.Date(allow_none=True)
    receipt_number = fields.String(allow_none=True)
    withdrawal_reason = fields.String(allow_none=True)
    history = fields.List(fields.Nested(CaseEventSchema))
    next_states = fields.List(fields.String())
    # The 整改通知书 of the case's inspection: notices adds ``Inspection.notice``, read by name so
    # penalties does not import notices.
    notice = fields.Method("link_notice")

    def link_notice(self, case):
        notice = getattr(case.inspection, "notice", None)
        if notice is None:
            return None
        return {"id": notice.id, "number": notice.number, "status": notice.status,
                "pdf_url": f"/api/notices/{notice.id}.pdf"}

    def explain_items(self, case):
        return [{**item, "reason_labels": [translate(f"reason_{r}") for r in item.get("reasons", [])],
                 # the governing provision's range for the party (rules.case_item_range), else the basis's
                 "fine_range": self._range(item.get("governing") or item.get("legal_basis") or {})}
                for item in case.items or []]

    def label_fine_range(self, case):
        return self._range({"fine_min": case.fine_min, "fine_max": case.fine_max})

    @staticmethod
    def _range(basis: dict):
        if basis.get("fine_min") is None or basis.get("fine_max") is None:
            return None
        return translate("fine_range", min=_yuan(basis["fine_min"]), max=_yuan(basis["fine_max"]))


def _person(user):
    return {"id": user.id, "display_name": user.display_name} if user is not None else None


class DecisionAmountSchema(Schema):
    """The fine for one violation of the case (罚款 per violation, not one range for the case)."""

    item_key = fields.String(required=True, validate=validate.Length(min=1, max=60))
    amount = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0, min_inclusive=False,
                                                                                  max=100_000_000))
    fine_min = fields.Float(dump_only=True, allow_none=True)
    fine_max = fields.Float(dump_only=True, allow_none=True)


class DecisionDetailSchema(Schema):
    """A decision as the case page and the 决定书 show it."""

    decision = fields.String()
    decision_label = fields.Function(lambda c: translate(f"decision_{c.decision}"))
    decision_number = fields.String()
    decision_date = fields.Date(allow_none=True)
    amounts = fields.Function(lambda c: [
        {**entry, "text_zh": next((i.get("text_zh") for i in c.items or [] if i["item_key"] == entry["item_key"]),
                                  entry["item_key"])} for entry in c.decision_amounts or []],
        metadata={"type": "array", "items": {"type": "object"}})
    fine_amount = fields.Float(allow_none=True)
    rectification_order = fields.String(allow_none=True)
    reason_code = fields.String(attribute="decision_reason_code", allow_none=True)
    reason_label = fields.Function(lambda c: translate(f"decision_reason_{c.decision_reason_code}")
                                   if c.decision_reason_code else None)
    reason = fields.String(attribute="decision_reason", allow_none=True)
    decided_by = fields.Function(lambda c: _person(c.decided_by))
    second_approver = fields.Function(lambda c: _person(c.second_approver))
    awaiting_second_approver = fields.Function(lambda c: c.status == "decision_pending")
    pdf_url = fields.Function(lambda c: f"/api/penalty-cases/{c.id}/decision.pdf"
                              if c.status in ("decided", "paid", "closed") else None)


class ViolationArgs(Schema):
    site_id = Id(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(VIOLATION_STATUSES))


class CaseArgs(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(CASE_STATUSES))


class TransitionSchema(Schema):
    """A move of a case: the target state and what that move needs (reason, decision …)."""

    to = fields.String(required=True, validate=validate.OneOf(TARGETS))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    decision = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(DECISIONS))
    fine_amount = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                               validate=validate.Range(min=0, min_inclusive=False))
    decision_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    rectification_order = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    # decisions (penalties/decisions.py): amounts per violation, the 决定书 date, the legal ground of
    # 不予处罚 / 减轻处罚 and its written reason; payment (缴款)
    amounts = fields.List(fields.Nested(DecisionAmountSchema), load_default=None, allow_none=True,
                          validate=validate.Length(max=100))
    decision_date = fields.Date(load_default=None, allow_none=True)
    decision_reason_code = fields.String(load_default=None, allow_none=True,
                                         validate=validate.OneOf([*NO_PENALTY_REASONS, *REDUCTION_REASONS]))
    decision_reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    paid_on = fields.Date(load_default=None, allow_none=True)
    receipt_number = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    # Closing a case referred out: what the outside authority reported back (required then).
    referral_outcome = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))
    # The client's id for this request: a retry with the same id changes nothing.
    request_id = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=64))

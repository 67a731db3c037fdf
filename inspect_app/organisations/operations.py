"""State changes of organisation records: create, edit, merge. Operations flush and audit."""
from __future__ import annotations

from inspect_app.core import audit
from inspect_app.core.errors import Conflict, ValidationFailed
from inspect_app.core.i18n import translate
from inspect_app.core.signals import organisation_merged
from inspect_app.extensions import db
from inspect_app.organisations import messages  # noqa: F401  (registers strings)
from inspect_app.organisations.credit_code import CreditCodeError, validate_credit_code
from inspect_app.organisations.models import Organisation
from inspect_app.organisations.queries import get_by_credit_code

FIELDS = ("name", "credit_code", "address", "contact_name", "contact_phone", "merged_into_id")


class InvalidCreditCode(ValidationFailed):
    """The credit code fails GB 32100-2015; ``reason`` says which rule (length, character, division, check)."""

    code = "credit_code_invalid"

    def __init__(self, error: CreditCodeError):
        super().__init__(details={"reason": error.reason, "credit_code": error.code},
                         value=error.code, reason=translate(f"credit_code_reason.{error.reason}"))
        self.reason = error.reason


def organisation_summary(organisation: Organisation) -> dict:
    """The audited fields of an organisation."""
    return {name: getattr(organisation, name) for name in FIELDS}


def checked_credit_code(text: str | None) -> str | None:
    """The normalised code, None for a blank one, :class:`InvalidCreditCode` for a wrong one."""
    if text is None or not text.strip():
        return None
    try:
        return validate_credit_code(text)
    except CreditCodeError as error:
        raise InvalidCreditCode(error) from error


def _claim_code(code: str | None, organisation: Organisation | None) -> None:
    holder = get_by_credit_code(code) if code else None
    if holder is not None and holder is not organisation:
        raise Conflict("credit_code_taken", value=code, name=holder.name, id=holder.id)


def create_organisation(actor, data: dict) -> Organisation:
    """Record an organisation; its credit code, if given, must be valid and not on another record."""
    fields = {name: data.get(name) for name in FIELDS if name in data and name != "merged_into_id"}
    fields["name"] = fields["name"].strip()
    fields["credit_code"] = checked_credit_code(fields.get("credit_code"))
    _claim_code(fields["credit_code"], None)
    organisation = Organisation(**fields)
    db.session.add(organisation)
    db.session.flush()
    audit.record(actor, "organisation.create", organisation, after=organisation_summary(organisation))
    return organisation


def update_organisation(actor, organisation: Organisation, data: dict) -> Organisation:
    """Change an organisation's name, code, address or contacts; before and after are audited."""
    if organisation.merged_into_id is not None:
        raise Conflict("organisation_merged_away", id=organisation.merged_into_id)
    before = organisation_summary(organisation)
    fields = dict(data)
    if "credit_code" in fields:
        fields["credit_code"] = checked_credit_code(fields["credit_code"])
        _claim_code(fields["credit_code"], organisation)
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    for name, value in fields.items():
        setattr(organisation, name, value)
    db.session.flush()
    audit.record(actor, "organisation.update", organisation, before=before,
                 after=organisation_summary(organisation))
    return organisation


def merge_organisations(actor, survivor: Organisation, duplicate: Organisation) -> Organisation:
    """Fold ``duplicate`` into ``survivor``: its sites (and so their cases) move, it leaves the lists.

    Two records with different credit codes are two organisations and are refused. The survivor
    keeps its own details and takes the duplicate's code and contacts where it has none. Both
    records are audited with before and after; receivers of ``organisation_merged`` move references.
    """
    if survivor.id == duplicate.id:
        raise ValidationFailed("organisation_merge_self")
    for record in (survivor, duplicate):
        if record.merged_into_id is not None:
            raise Conflict("organisation_merged_away", id=record.merged_into_id)
    if survivor.credit_code and duplicate.credit_code and survivor.credit_code != duplicate.credit_code:
        raise ValidationFailed("organisation_merge_codes_differ", a=survivor.credit_code, b=duplicate.credit_code)
    before_survivor, before_duplicate = organisation_summary(survivor), organisation_summary(duplicate)
    code = survivor.credit_code or duplicate.credit_code
    duplicate.credit_code = None
    duplicate.merged_into_id = survivor.id
    db.session.flush()  # frees the unique code before the survivor takes it
    survivor.credit_code = code
    for name in ("address", "contact_name", "contact_phone"):
        if not getattr(survivor, name):
            setattr(survivor, name, getattr(duplicate, name))
    db.session.flush()
    moved = organisation_merged.send(survivor, duplicate=duplicate, actor=actor)
    audit.record(actor, "organisation.merge", survivor, before=before_survivor,
                 after={**organisation_summary(survivor), "merged_from": duplicate.id,
                        "moved": {k: v for _receiver, result in moved for k, v in (result or {}).items()}})
    audit.record(actor, "organisation.merged_away", duplicate, before=before_duplicate,
                 after=organisation_summary(duplicate))
    return survivor

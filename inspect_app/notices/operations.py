"""Issuing, voiding and recording renderings of notices. Flush only; the caller commits.

Runs when an inspection is recorded (``core.signals.inspection_recorded``), in the same
transaction: an inspection or roadside check with failed applicable items gets exactly one
notice. A replay is never recorded again (and a notice is unique per inspection); a correction
voids the notice of the inspection it supersedes (kept, status ``void``) and gets its own.
"""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspect_app.checklists.models import ChecklistItem
from inspect_app.core import audit
from inspect_app.core.i18n import translate
from inspect_app.core.models import Unit
from inspect_app.core.signals import inspection_recorded, inspection_rejected, notice_issued
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.notices import messages  # noqa: F401  (registers strings)
from inspect_app.notices import rules, signing
from inspect_app.notices.models import Notice, NoticeRendering
from inspect_app.notices.numbering import next_sequence
from inspect_app.penalties.models import OPEN_STATUSES, Violation

L = rules.NOTICE_LOCALE


@inspection_recorded.connect
def issue_for_recorded(inspection: Inspection, **extra) -> None:
    """A recorded inspection: void the superseded one's notice, issue this one's if anything failed."""
    replaced = None
    if inspection.supersedes_id:
        replaced = void_notice_of(inspection.inspector, inspection.supersedes, reason="superseded")
    notice = issue_notice(inspection)
    if replaced is not None and notice is not None:
        replaced.replaced_by_id = notice.id
    db.session.flush()


@inspection_rejected.connect
def void_for_rejected(inspection: Inspection, actor=None, **extra) -> None:
    """A supervisor rejected the inspection for good: it no longer counts, nor does its notice (kept, void)."""
    void_notice_of(actor, inspection, reason="rejected")
    db.session.flush()


def failed_results(inspection: Inspection) -> list[ItemResult]:
    """The answers a notice lists: applicable items answered ``fail``, in form order.

    An observation about the surroundings (liable "none", e.g. haul roads) is nobody's to rectify.
    """
    failed = [r for r in inspection.results if r.applicable and r.outcome == "fail"]
    items = _checklist_items(failed) if failed else {}
    return [r for r in failed if not items[r.checklist_item_id].observation]


def issue_notice(inspection: Inspection) -> Notice | None:
    """Issue the inspection's notice (None when nothing failed); the existing one if already issued."""
    existing = db.session.scalar(select(Notice).where(Notice.inspection_id == inspection.id))
    if existing is not None:
        return existing
    failed = failed_results(inspection)
    if not failed:
        return None
    content = notice_content(inspection, failed)
    year = rules.numbering_year(inspection.finished_at)
    sequence = next_sequence(inspection.kind, year)
    token = secrets.token_urlsafe(24)
    content = {**content, "number": rules.format_number(inspection.kind, year, sequence), "token": token}
    signature, key_id = signing.sign(rules.canonical_bytes(content))
    notice = Notice(
        number=content["number"], kind=inspection.kind, year=year, sequence=sequence,
        inspection_id=inspection.id, site_id=inspection.site_id, plate=inspection.plate,
        unit_id=inspection.unit_id, inspector_id=inspection.inspector_id, status="issued",
        issued_at=inspection.finished_at, content=content, signature=signature, key_id=key_id, token=token,
    )
    db.session.add(notice)
    db.session.flush()
    audit.record(inspection.inspector, "notice.issue", notice,
                 after={"number": notice.number, "inspection": inspection.uuid,
                        "items": [item["item_key"] for item in content["items"]]})
    notice_issued.send(notice)
    return notice


def void_notice_of(actor, inspection: Inspection, *, reason: str) -> Notice | None:
    """Void the inspection's notice if it has a valid one (kept, marked void); returns it."""
    notice = db.session.scalar(select(Notice).where(Notice.inspection_id == inspection.id,
                                                    Notice.status == "issued"))
    if notice is None:
        return None
    notice.status = "void"
    notice.voided_at = utcnow()
    notice.void_reason = reason
    audit.record(actor, "notice.void", notice, before={"status": "issued"},
                 after={"status": "void", "reason": reason, "inspection": inspection.uuid})
    return notice


def record_rendering(notice: Notice, sha256: str, photos_shown: int, shows_service: bool = False) -> NoticeRendering:
    """Remember the SHA-256 of a PDF handed out for the notice (once per distinct PDF)."""
    found = _rendering(notice, sha256)
    if found is not None:
        return found
    rendering = NoticeRendering(notice_id=notice.id, sha256=sha256, photos_shown=photos_shown,
                                shows_service=shows_service, rendered_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(rendering)
            db.session.flush()
    except IntegrityError:  # the same PDF requested twice at once: the other request recorded it
        return _rendering(notice, sha256)
    audit.record(None, "notice.render", notice, after={"sha256": sha256, "photos": photos_shown,
                                                      "service": shows_service})
    return rendering


def _rendering(notice: Notice, sha256: str) -> NoticeRendering | None:
    return db.session.scalar(select(NoticeRendering).where(NoticeRendering.notice_id == notice.id,
                                                           NoticeRendering.sha256 == sha256))


# ---- what the notice says ----

def notice_content(inspection: Inspection, failed: list[ItemResult]) -> dict:
    """The notice's content as plain JSON data (everything the paper states, and what is signed)."""
    items = _checklist_items(failed)
    site, truck = _site_facts(inspection), _truck_facts(inspection)
    open_deadlines = _open_violation_deadlines(inspection, [r.item_key for r in failed])
    unknown = {party: translate(f"notice_party_unknown_{party}", L, plate=inspection.plate or "")
               for party in rules.LIABLE_PARTIES}
    # A truck registered to no haulage company is an individual's (139号令 第二十六条), as penalties counts it.
    individual_haulier = inspection.kind == "truck" and inspection.vehicle is not None \
        and inspection.vehicle.company_id is None
    listed = []
    for result in failed:
        item = items[result.checklist_item_id]
        deadline = rules.item_deadline(inspection.finished_at, item.rectify_days, open_deadlines.get(result.item_key))
        listed.append({
            "item_key": result.item_key,
            "text_zh": item.text_zh,
            "clause": item.clause,
            "legal_basis": {key: item.legal_basis.get(key) for key in
                            ("law", "obligation_article", "penalty_article", "fine_min", "fine_max", "authority")},
            # 《行政处罚法》第二十九条: the provision a failure past the deadline is fined under
            "governing": rules.governing(item.legal_basis, item.liable, individual_haulier=individual_haulier),
            "liable": item.liable,
            "liable_name": rules.party_name(item.liable, site=site, truck=truck, unknown=unknown),
            "rectify_days": item.rectify_days,
            "deadline": _iso(deadline),
            "deadline_date": to_local(deadline).date().isoformat(),
            "note": result.note,
            "photo_ids": list(result.photo_ids or []),
        })
    unit = db.session.get(Unit, inspection.unit_id) if inspection.unit_id else None
    return {
        "kind": inspection.kind,
        "inspection": inspection.uuid,
        "issued_at": _iso(inspection.finished_at),
        "issue_date": to_local(inspection.finished_at).date().isoformat(),
        "unit": unit.name_zh if unit else None,
        "inspector": inspection.inspector.display_name,
        "site": site,
        "truck": truck,
        "addressees": rules.addressees(listed),
        "items": listed,
        "consequences": rules.consequences(listed, inspection.kind),
    }


def _iso(value: datetime) -> str:
    return to_local(value).isoformat()


def _checklist_items(results: list[ItemResult]) -> dict[int, ChecklistItem]:
    ids = {r.checklist_item_id for r in results}
    return {item.id: item for item in db.session.scalars(select(ChecklistItem).where(ChecklistItem.id.in_(ids)))}


def _site_facts(inspection: Inspection) -> dict | None:
    site = inspection.site
    if site is None:
        return None
    return {"id": site.id, "name": site.name, "address": site.address, "permit_number": site.permit_number,
            "contractor": site.contractor, "builder": site.builder}


def _truck_facts(inspection: Inspection) -> dict | None:
    """The truck as the roadside check recorded it (the company at the time of the check)."""
    if inspection.kind != "truck":
        return None
    check = getattr(inspection, "truck_check", None)
    vehicle = inspection.vehicle
    company = (check.company if check is not None else None) or (vehicle.company if vehicle else None)
    return {"plate": inspection.plate, "company": company.name if company else None,
            "company_licence": company.licence_number if company else None,
            "approval_number": vehicle.approval_number if vehicle else None}


def _open_violation_deadlines(inspection: Inspection, keys: list[str]) -> dict[str, datetime]:
    """Deadlines of violations already open for these items before this inspection.

    Read the same way whether penalties has reacted to this inspection yet or not (signal
    receivers run in no fixed order, and roadside opens truck violations after the signal):
    violations opened by this inspection, or by the one it supersedes, are left out — for those
    the deadline is counted from this finding, as penalties counts it.
    """
    excluded = [i for i in (inspection.id, inspection.supersedes_id) if i is not None]
    stmt = select(Violation.item_key, Violation.deadline).where(
        Violation.item_key.in_(keys), Violation.status.in_(OPEN_STATUSES),
        Violation.opened_by_inspection_id.not_in(excluded))
    if inspection.site_id is not None:
        stmt = stmt.where(Violation.site_id == inspection.site_id)
    else:
        stmt = stmt.where(Violation.site_id.is_(None), Violation.plate == inspection.plate)
    return {key: deadline for key, deadline in db.session.execute(stmt)}

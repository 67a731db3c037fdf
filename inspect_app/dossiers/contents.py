"""Gathering everything a case file (案卷) holds, before a single byte is streamed.

All database reads happen here (a fixed number of queries, whatever the number of photos), so the
streaming that follows needs only plain data and the photo storage. The case's inspections are its
own inspection, the inspections that found (or re-found) the violations it is about, and the
resumption inspections of a stop-work order it gave.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, or_, select

from inspect_app.auth.models import User
from inspect_app.checklists.models import ChecklistItem
from inspect_app.core.models import AuditEvent
from inspect_app.core.timeutil import as_utc
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.inspections.schemas import InspectionSchema
from inspect_app.notices.models import Notice, NoticeService
from inspect_app.notices.rendering import render_notice
from inspect_app.penalties.models import CaseEvent, PenaltyCase, Violation
from inspect_app.penalties.queries import case_view
from inspect_app.penalties.schemas import CaseDetailSchema
from inspect_app.suspensions.models import SiteSuspension


@dataclass(frozen=True)
class PhotoFile:
    """An original photo to copy into the file: where it is stored and what it should hash to."""

    path: str  # inside the archive
    storage_key: str
    sha256: str
    inspection_uuid: str
    item_key: str
    taken_at: datetime | None


@dataclass(frozen=True)
class ServicePicture:
    """The signature or refusal photo of a 送达 record, copied byte for byte as uploaded."""

    path: str  # inside the archive
    storage_key: str
    sha256: str


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    what: str  # message code
    params: dict = field(default_factory=dict)


@dataclass
class CaseRecord:
    case: PenaltyCase
    case_json: dict
    inspections: list[tuple[Inspection, dict]]  # (row, JSON as the API shows it)
    photos: list[PhotoFile]
    notices: list[tuple[Notice, bytes, dict | None]]  # (notice, issued PDF, service record)
    service_pictures: list[ServicePicture]
    suspensions: list[SiteSuspension]
    audit: list[AuditEvent]
    timeline: list[TimelineEntry]
    users: dict[int, str]
    item_texts: dict[int, tuple[str, str]]  # checklist item id → (text_zh, clause)


def gather(user: User, case: PenaltyCase) -> CaseRecord:
    """Read the case and everything around it; renders the notices' PDFs (flushes their hashes)."""
    inspections = _inspections(case)
    by_id = {inspection.id: inspection for inspection in inspections}
    photos = _photos(by_id)
    notices = list(db.session.scalars(select(Notice).where(Notice.inspection_id.in_(list(by_id)))
                                      .order_by(Notice.issued_at, Notice.id)))
    services = {s.notice_id: s for s in db.session.scalars(
        select(NoticeService).where(NoticeService.notice_id.in_([n.id for n in notices])))}
    suspensions = list(db.session.scalars(select(SiteSuspension).where(SiteSuspension.case_id == case.id)))
    events = list(db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                     .order_by(CaseEvent.at, CaseEvent.id)))
    violations = _violation_ids(case)
    audit_events = _audit(case, list(by_id), violations, [n.id for n in notices], [s.id for s in suspensions])
    actor_ids = ({i.inspector_id for i in inspections} | {e.actor_id for e in events if e.actor_id}
                 | {s.recorded_by_id for s in services.values()} | {a.actor_id for a in audit_events if a.actor_id}
                 | {uid for s in suspensions for uid in (s.applied_by_id, s.approved_by_id, s.ordered_by_id) if uid})
    users = dict(db.session.execute(select(User.id, User.display_name).where(User.id.in_(actor_ids))).all())
    pictures = {n.id: _service_picture(n, services.get(n.id)) for n in notices}
    notice_files = [(n, render_notice(n).pdf, _service_json(services.get(n.id), users, pictures[n.id]))
                    for n in notices]
    return CaseRecord(
        case=case,
        case_json=_jsonable(CaseDetailSchema().dump(case_view(user, case))),
        inspections=[(i, _jsonable(InspectionSchema().dump(i))) for i in inspections],
        photos=photos,
        notices=notice_files,
        service_pictures=[picture for picture in pictures.values() if picture is not None],
        suspensions=suspensions,
        audit=audit_events,
        timeline=_timeline(inspections, events, notices, services, suspensions, users),
        users=users,
        item_texts=dict((row[0], (row[1], row[2])) for row in db.session.execute(
            select(ChecklistItem.id, ChecklistItem.text_zh, ChecklistItem.clause).where(ChecklistItem.id.in_(
                {r.checklist_item_id for i in inspections for r in i.results})))),
    )


def _inspections(case: PenaltyCase) -> list[Inspection]:
    ids = {case.inspection_id}
    keys = [item.get("item_key") for item in case.items or []]
    if case.site_id is not None and keys:
        found_before = case.inspection.finished_at
        for opened, last in db.session.execute(
                select(Violation.opened_by_inspection_id, Violation.last_failed_inspection_id)
                .where(Violation.site_id == case.site_id, Violation.item_key.in_(keys),
                       Violation.found_at <= found_before)):
            ids.update((opened, last))
    ids.update(db.session.scalars(select(SiteSuspension.resumption_inspection_id).where(
        SiteSuspension.case_id == case.id, SiteSuspension.resumption_inspection_id.is_not(None))))
    return list(db.session.scalars(select(Inspection).where(Inspection.id.in_(ids))
                                   .order_by(Inspection.finished_at, Inspection.id)))


def _violation_ids(case: PenaltyCase) -> list[int]:
    keys = [item.get("item_key") for item in case.items or []]
    if case.site_id is None or not keys:
        return list(db.session.scalars(select(Violation.id).where(
            Violation.opened_by_inspection_id == case.inspection_id)))
    return list(db.session.scalars(select(Violation.id).where(
        Violation.site_id == case.site_id, Violation.item_key.in_(keys),
        Violation.found_at <= case.inspection.finished_at)))


def _photos(inspections: dict[int, Inspection]) -> list[PhotoFile]:
    rows = db.session.scalars(select(Photo).where(Photo.inspection_id.in_(list(inspections)))
                              .order_by(Photo.inspection_id, Photo.item_key, Photo.id))
    return [PhotoFile(f"photos/{inspections[p.inspection_id].uuid}/{p.item_key}-{p.uuid}.{_extension(p.format)}",
                      p.original_key, p.sha256, inspections[p.inspection_id].uuid, p.item_key, p.taken_at)
            for p in rows]


def _extension(image_format: str) -> str:
    return {"jpeg": "jpg"}.get((image_format or "").lower(), (image_format or "bin").lower())


def _audit(case, inspection_ids, violation_ids, notice_ids, suspension_ids) -> list[AuditEvent]:
    wanted = [("penalty_cases", [case.id]), ("inspections", inspection_ids), ("violations", violation_ids),
              ("notices", notice_ids), ("site_suspensions", suspension_ids)]
    conditions = [and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_([str(i) for i in ids]))
                  for kind, ids in wanted if ids]
    return list(db.session.scalars(select(AuditEvent).where(or_(*conditions)).order_by(AuditEvent.seq)))


def _service_picture(notice: Notice, service: NoticeService | None) -> ServicePicture | None:
    """The service record's signature (signed) or refusal photo (refused), if it has arrived."""
    if service is None or service.evidence_key is None:
        return None
    kind = "signature" if service.method == "signed" else "refusal-photo"
    return ServicePicture(f"notices/{notice.id}-service-{kind}.{_extension(service.evidence_format)}",
                          service.evidence_key, service.evidence_sha256)


def _service_json(service: NoticeService | None, users: dict[int, str],
                  picture: ServicePicture | None = None) -> dict | None:
    if service is None:
        return None
    return _jsonable({
        "evidence_file": picture.path if picture is not None else None,
        "evidence_format": service.evidence_format,
        "uuid": service.uuid, "method": service.method, "channel": service.channel,
        "signer_name": service.signer_name, "signer_role": service.signer_role,
        "witness_name": service.witness_name, "note": service.note, "served_at": service.served_at,
        "lat": service.lat, "lon": service.lon, "accuracy_m": service.accuracy_m,
        "recorded_by": users.get(service.recorded_by_id), "evidence_sha256": service.evidence_sha256,
    })


def _timeline(inspections, events, notices, services, suspensions, users) -> list[TimelineEntry]:
    entries = [TimelineEntry(i.finished_at, users.get(i.inspector_id, ""), "dossier_event_inspection",
                             {"score": "" if i.score is None else f"{i.score:g}",
                              "vetoed": "（否决）" if i.vetoed else ""}) for i in inspections]
    for event in events:
        entries.append(TimelineEntry(event.at, users.get(event.actor_id, ""), "dossier_event_case",
                                     {"to": event.to_status, "fields": event.fields or {}, "note": event.note or ""}))
    for notice in notices:
        entries.append(TimelineEntry(notice.issued_at, users.get(notice.inspector_id, ""), "dossier_event_notice",
                                     {"number": notice.number}))
        service = services.get(notice.id)
        if service is not None:
            entries.append(TimelineEntry(service.served_at, users.get(service.recorded_by_id, ""),
                                         "dossier_event_service", {"method": service.method}))
    for s in suspensions:
        entries.append(TimelineEntry(s.started_at, users.get(s.ordered_by_id, ""), "dossier_event_suspended",
                                     {"number": s.decision_number}))
        if s.applied_at:
            entries.append(TimelineEntry(s.applied_at, users.get(s.applied_by_id, ""), "dossier_event_applied", {}))
        if s.approved_at:
            entries.append(TimelineEntry(s.approved_at, users.get(s.approved_by_id, ""), "dossier_event_resumed", {}))
    return sorted(entries, key=lambda e: as_utc(e.at))


def _jsonable(value):
    """Through JSON and back: dates as ISO strings, ready for ``json.dumps`` at stream time."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))

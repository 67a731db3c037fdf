"""Recording inspections exactly once. Operations flush; the route commits.

A phone may send the same finished checklist many times over a flaky connection. The client's
UUID identifies it: equal content returns the stored inspection, different content is refused,
and the database's unique constraint settles two identical requests racing each other.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspect_app.alerts.queries import levels_in_force
from inspect_app.auth.models import User
from inspect_app.checklists.forms import is_applicable
from inspect_app.checklists.queries import form_for_versions
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, NotFound, ValidationFailed
from inspect_app.core.geo import to_wgs84
from inspect_app.core.signals import inspection_recorded, photo_ids_declared
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.extensions import db
from inspect_app.inspections import messages  # noqa: F401  (registers strings)
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.scoring.rules import CURRENT_RULE, parse_bands, score_sheet
from inspect_app.sites.models import Site
from inspect_app.sites.queries import get_visible_site


def content_hash(data: dict) -> str:
    """SHA-256 of the validated submission in a canonical form (key order and spacing ignored)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=_canonical, ensure_ascii=False)
                          .encode()).hexdigest()


def _canonical(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def find_by_uuid(uuid: str) -> Inspection | None:
    return db.session.scalar(select(Inspection).where(Inspection.uuid == str(uuid)))


def submit_inspection(actor: User, data: dict, *, device_time: datetime | None = None
                      ) -> tuple[Inspection, bool]:
    """Store a site inspection once; returns (inspection, created).

    A replay with equal content returns the stored inspection and creates nothing. The same UUID
    with different content raises ``inspection_conflict``.
    """
    digest = content_hash(data)
    existing = find_by_uuid(data["uuid"])
    if existing is not None:
        return replay_or_conflict(actor, existing, digest), False

    site = get_visible_site(actor, data["site_id"])
    if site is None:
        raise NotFound()
    if site.status == "closed":
        raise ValidationFailed("site_not_active")
    original = _check_supersedes(actor, data.get("supersedes"), site)
    form = _form_for(data["checklist_version_ids"])
    annotations = validate_annotations(data["items"], data.get("photo_annotations") or [])
    # 重污染天气预警: the levels binding the site's unit when the inspection started (not when it ended)
    alert_levels = levels_in_force(site.unit_id, data["started_at"])
    answers = validate_answers(form, data["items"], site.phase, data["started_at"], site_status=site.status,
                               copies=set(annotations), alert_levels=alert_levels)
    form = as_asked(form, answers, site.phase, data["started_at"], site_status=site.status,
                    alert_levels=alert_levels)

    inspection = _build_inspection(actor, data, digest, site, original)
    attach_results(inspection, form, answers, site.phase, site_status=site.status, alert_levels=alert_levels)
    # A correction re-records the same visit: it keeps the rule its original was graded by.
    score_inspection(inspection, form, answers, site.phase, site_status=site.status,
                     rule=original.scoring_rule if original is not None else None, alert_levels=alert_levels)
    stored, created = insert_once(actor, inspection)
    if not created:
        return stored, False
    if original is not None:
        original.review_status = "superseded"
        audit.record(actor, "inspection.supersede", original, before={"review_status": "rejected"},
                     after={"review_status": "superseded", "by": inspection.uuid})
    audit.record(actor, "inspection.submit", inspection,
                 after={"uuid": inspection.uuid, "site_id": site.id, "score": inspection.score,
                        "grade": inspection.grade, "vetoed": inspection.vetoed,
                        "scoring_rule": inspection.scoring_rule,
                        "off_site_reason": inspection.off_site_reason,
                        "photo_annotations": inspection.photo_annotations})
    inspection_recorded.send(inspection, device_time=device_time)
    db.session.flush()
    return inspection, True


def insert_once(actor: User, inspection: Inspection) -> tuple[Inspection, bool]:
    """Insert a new inspection in a savepoint; returns (inspection, created).

    When a concurrent request with the same UUID committed first, the unique constraint refuses
    this insert and the stored one is answered as a replay (or a conflict if its content differs).
    Shared by site inspections and roadside truck checks.
    """
    try:
        with db.session.begin_nested():
            db.session.add(inspection)
            db.session.flush()
    except IntegrityError:
        existing = find_by_uuid(inspection.uuid)
        if existing is None:
            raise
        return replay_or_conflict(actor, existing, inspection.content_hash), False
    return inspection, True


def replay_or_conflict(actor: User, existing: Inspection, digest: str) -> Inspection:
    """The stored inspection for a replay with equal content by the same inspector, else 409."""
    if existing.content_hash != digest or existing.inspector_id != actor.id:
        raise Conflict("inspection_conflict")
    return existing


def _check_supersedes(actor: User, supersedes, site: Site) -> Inspection | None:
    """A correction may replace only the inspector's own inspection that was sent back."""
    if not supersedes:
        return None
    original = find_by_uuid(supersedes)
    if (original is None or original.inspector_id != actor.id or original.site_id != site.id
            or original.review_status != "rejected" or original.final_rejection):
        raise ValidationFailed("supersede_not_allowed")
    return original


def _form_for(version_ids: list[int]) -> dict:
    form = form_for_versions(sorted(set(version_ids)))
    if form is None or form.get("kind") != "site":
        raise ValidationFailed("unknown_checklist_version", versions=", ".join(map(str, version_ids)))
    return form


# Declared photo slots: each is a file the phone will upload and the server decode. The schema allows
# 10 per item; a whole inspection (or roadside check) may declare at most this many.
MAX_PHOTOS_PER_INSPECTION = 60


def validate_annotations(items: list[dict], annotations: list[dict]) -> dict[str, str]:
    """The declared annotated copies as {copy id: original id}; both must be photos of this submission.

    A copy annotates an original photo (not another copy, not itself), once; a photo of another
    inspection is refused, so a copy can never point at someone else's evidence.
    """
    declared = {str(pid) for answer in items for pid in answer["photo_ids"]}
    links: dict[str, str] = {}
    for link in annotations:
        copy, original = str(link["photo_id"]), str(link["annotates"])
        if copy not in declared or original not in declared:
            raise ValidationFailed("annotation_photo_unknown", photo=copy if copy not in declared else original)
        if copy == original or copy in links:
            raise ValidationFailed("annotation_invalid", photo=copy)
        links[copy] = original
    if set(links) & set(links.values()):
        raise ValidationFailed("annotation_invalid", photo=sorted(set(links) & set(links.values()))[0])
    return links


def validate_answers(form: dict, items: list[dict], phase: str | None, started_at: datetime,
                     *, site_status: str | None = None, copies: set[str] = frozenset(),
                     alert_levels: frozenset[str] = frozenset()) -> dict:
    """Check every answer against the form the phone used; returns {key: answer}.

    ``phase`` is the site's phase, or None for a truck (no construction phase); ``site_status``
    the site's status (the 停工 check is asked only at a suspended site); ``copies`` the annotated
    copies, which do not count as the photos a failure needs.
    """
    by_key = {item["key"]: item for item in form["items"]}
    answers: dict[str, dict] = {}
    seen_photos: set[str] = set()
    for answer in items:
        key = answer["key"]
        if key not in by_key:
            code = "item_not_in_versions" if _known_item_key(key) else "unknown_item"
            raise ValidationFailed(code, item=key)
        if key in answers:
            raise ValidationFailed("duplicate_item", item=key)
        photo_ids = [str(pid) for pid in answer["photo_ids"]]
        for pid in photo_ids:
            if pid in seen_photos:
                raise ValidationFailed("duplicate_photo_id", photo=pid)
            seen_photos.add(pid)
        if len(seen_photos) > MAX_PHOTOS_PER_INSPECTION:
            raise ValidationFailed("too_many_photos", limit=MAX_PHOTOS_PER_INSPECTION)
        needed = by_key[key]["photos_on_fail"]
        if answer["outcome"] == "fail" and len([p for p in photo_ids if p not in copies]) < needed:
            raise ValidationFailed("photos_required", item=key, count=needed)
        answers[key] = {**answer, "photo_ids": photo_ids}
    local_start = to_local(started_at)
    # An alert item left unanswered is not refused: the alert may have been declared after the phone
    # last fetched it (it composed the form without the alert); the item is then not asked (as_asked).
    missing = [item["key"] for item in form["items"]
               if is_applicable(item, phase, local_start, site_status, alert_levels=alert_levels)[0]
               and item["key"] not in answers and not item.get("alert")]
    if missing:
        raise ValidationFailed("answers_missing", items=", ".join(missing), details={"missing": missing})
    # A photo id belongs to one inspection: evidence refuses ids already stored for another (409).
    photo_ids_declared.send(None, photo_ids=sorted(seen_photos))
    return answers


def as_asked(form: dict, answers: dict, phase: str | None, started_at: datetime, *,
             site_status: str | None = None, alert_levels: frozenset[str] = frozenset()) -> dict:
    """The form without the alert items that bound at the start but the phone did not ask (it did not
    know the alert yet): they are neither scored nor a violation — nobody was asked to check them."""
    local_start = to_local(started_at)
    unasked = {item["key"] for item in form["items"] if item.get("alert") and item["key"] not in answers
               and is_applicable(item, phase, local_start, site_status, alert_levels=alert_levels)[0]}
    if not unasked:
        return form
    return {**form, "items": [item for item in form["items"] if item["key"] not in unasked]}


def _known_item_key(key: str) -> bool:
    from inspect_app.checklists.models import ChecklistItem

    return db.session.scalar(select(ChecklistItem.id).where(ChecklistItem.requirement == key).limit(1)) is not None


def gps_columns(prefix: str, gps: dict | None) -> dict:
    """Inspection columns ``<prefix>_lat`` … for a device fix, converted to WGS-84 ({} without a fix)."""
    if not gps:
        return {}
    lat, lon = to_wgs84(gps["lat"], gps["lon"], gps["datum"])
    return {f"{prefix}_lat": lat, f"{prefix}_lon": lon, f"{prefix}_accuracy_m": gps["accuracy_m"],
            f"{prefix}_captured_at": gps.get("captured_at")}


def _build_inspection(actor, data, digest, site, original) -> Inspection:
    return Inspection(
        uuid=str(data["uuid"]),
        kind="site",
        content_hash=digest,
        site_id=site.id,
        site=site,
        unit_id=site.unit_id,
        inspector_id=actor.id,
        inspector=actor,
        checklist_version_ids=sorted(set(data["checklist_version_ids"])),
        site_phase=site.phase,
        started_at=data["started_at"],
        finished_at=data["finished_at"],
        received_at=utcnow(),
        completeness="incomplete",
        review_status="submitted",
        flags=[],
        supersedes_id=original.id if original else None,
        **form_context(data),
        **gps_columns("start", data.get("gps_start")),
        **gps_columns("finish", data.get("gps_finish")),
    )


def form_context(data: dict) -> dict:
    """The inspection columns of what the form adds beside the answers: the inspector's reason for
    finishing outside the geofence and the annotated copies ({copy: original}), None when absent."""
    return {
        "off_site_reason": (data.get("off_site_reason") or "").strip() or None,
        "photo_annotations": {str(link["photo_id"]): str(link["annotates"])
                              for link in data.get("photo_annotations") or []} or None,
    }


def attach_results(inspection: Inspection, form: dict, answers: dict, phase: str | None,
                   *, site_status: str | None = None, alert_levels: frozenset[str] = frozenset()) -> None:
    """One ItemResult per answered form item, in form order; complete when no photo is declared."""
    local_start = to_local(inspection.started_at)
    for position, item in enumerate(form["items"]):
        answer = answers.get(item["key"])
        if answer is None:
            continue
        inspection.results.append(ItemResult(
            item_key=item["key"],
            checklist_item_id=item["sources"][0]["checklist_item_id"],
            position=position,
            outcome=answer["outcome"],
            note=answer.get("note") or None,
            photo_ids=answer["photo_ids"],
            applicable=is_applicable(item, phase, local_start, site_status, alert_levels=alert_levels)[0],
        ))
    inspection.completeness = "complete" if not inspection.declared_photo_ids else "incomplete"


def score_inspection(inspection: Inspection, form: dict, answers: dict, phase: str | None,
                     *, site_status: str | None = None, rule: int | None = None,
                     alert_levels: frozenset[str] = frozenset()) -> None:
    """Score the sheet (scoring.rules.score_sheet) and store score, grade, veto, breakdown and the
    rule that graded it: ``rule`` for a sheet that must keep a stored rule, else the current one."""
    bands = parse_bands(current_app.config["GRADE_BANDS"])
    result = score_sheet(form["items"], {k: a["outcome"] for k, a in answers.items()}, phase,
                         to_local(inspection.started_at), bands, site_status=site_status,
                         rule=CURRENT_RULE if rule is None else rule, alert_levels=alert_levels)
    inspection.scoring_rule = result.rule
    inspection.score = result.score
    inspection.grade = result.grade
    inspection.vetoed = result.vetoed
    inspection.score_breakdown = result.breakdown

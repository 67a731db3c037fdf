"""Recording a roadside muck-truck check exactly once, and what it sets in motion. Flush only.

The check is an ``Inspection`` of kind ``"truck"`` stored with the same exactly-once protocol as a
site inspection (client UUID; equal content is a replay, different content a 409; a race is
settled by the unique UUID) using the building blocks of ``inspections.operations``.

Before storing, the server adds what only it knows (``rules.server_findings``): an unknown or
unfiled plate fails ``truck_filed``, a load above the rated load fails ``truck_not_overloaded`` —
whatever the phone answered — and the item's note says why.

Consequences, in the same transaction and only when the check is new (a replay creates nothing):

* every failed item opens a violation against the plate (and its vehicle and haulage company),
  a repeat failure counts against the open one, a pass closes it — ``penalties.rules.decide``
  keyed by plate instead of site;
* a veto failure (unfiled, unsealed, dumping), an overdue re-failure or a third failure in 30
  days queues a case for 区城管执法局 (status ``pending_review``);
* a weighed overload is always referred: a separate case whose authority is ``traffic_police`` (区交管队);
  an estimated one is an observation only (noted on the item, ``rules.server_observations``);
* with a known origin site, ``rules.SITE_CONSEQUENCES`` open (or re-fail) that site's six-100
  violations, so its violation list and scorecard counts show the truck it let out.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from inspect_app.alerts.queries import levels_in_force
from inspect_app.auth.models import User
from inspect_app.checklists.models import ChecklistItem
from inspect_app.checklists.queries import current_form, form_for_versions
from inspect_app.core import audit
from inspect_app.core.errors import NotFound, ValidationFailed
from inspect_app.core.geo import distance_m, planar_sort_key_factor, to_wgs84
from inspect_app.core.i18n import translate
from inspect_app.core.signals import case_queued, inspection_recorded
from inspect_app.core.timeutil import as_utc, to_local, utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.inspections.operations import (
    as_asked,
    attach_results,
    content_hash,
    find_by_uuid,
    gps_columns,
    insert_once,
    replay_or_conflict,
    score_inspection,
    validate_answers,
)
from inspect_app.penalties.models import OPEN_STATUSES, PenaltyCase, Violation
from inspect_app.penalties.parties import party_name
from inspect_app.penalties.rules import (
    REFERRAL,
    REPEAT_WINDOW,
    Finding,
    OpenViolation,
    case_item_range,
    case_range,
    decide,
    finding_route,
    party_kind,
)
from inspect_app.roadside import messages  # noqa: F401  (registers strings)
from inspect_app.roadside.models import TruckCheck
from inspect_app.roadside.rules import (
    OVERLOAD_KEY,
    SITE_CONSEQUENCES,
    LoadAssessment,
    assess_load,
    needs_weighbridge_ticket,
    server_findings,
    server_observations,
)
from inspect_app.sites.models import Site
from inspect_app.sites.queries import get_visible_site
from inspect_app.trucks.models import Vehicle
from inspect_app.trucks.plates import check_plate_colour, validate_plate
from inspect_app.trucks.queries import get_vehicle_by_plate

NOTE_LOCALE = "zh-CN"  # notes and case texts are official records, written in Chinese
# A truck stopped on the road belongs to the unit of the place; the nearest site this close stands for it.
UNIT_FROM_NEAREST_SITE_MAX_M = 2000.0


def submit_roadside_check(actor: User, data: dict, *, device_time: datetime | None = None
                          ) -> tuple[Inspection, bool]:
    """Store a roadside truck check once and apply its consequences; returns (inspection, created).

    Refusals: 422 ``invalid_plate`` (with the reason), ``plate_colour_mismatch``,
    ``unknown_truck_checklist_version``, the answer checks of site inspections
    (``photos_required``, ``answers_missing`` …), ``roadside_photo_required`` (no photo at all);
    404 for an origin site the inspector may not see; 409 ``inspection_conflict``.
    """
    digest = content_hash(data)
    existing = find_by_uuid(data["uuid"])
    if existing is not None:
        return replay_or_conflict(actor, existing, digest), False

    plate = validate_plate(data["plate"])
    if data.get("plate_colour"):
        check_plate_colour(plate, data["plate_colour"])
    origin = _origin_site(actor, data.get("origin_site_id"))
    unit_id = _unit_for(actor, origin, _stop_position(data))
    form = _truck_form(data["checklist_version_ids"])
    alert_levels = levels_in_force(None, data["started_at"])  # a truck on the road: district-wide alerts
    answers = validate_answers(form, data["items"], None, data["started_at"], alert_levels=alert_levels)
    form = as_asked(form, answers, None, data["started_at"], alert_levels=alert_levels)
    if not any(answer["photo_ids"] for answer in answers.values()):
        raise ValidationFailed("roadside_photo_required")
    if OVERLOAD_KEY in answers and needs_weighbridge_ticket(data.get("measured_load_t"),
                                                           answers[OVERLOAD_KEY]["photo_ids"]):
        raise ValidationFailed("weighbridge_ticket_required")

    vehicle = get_vehicle_by_plate(plate.plate)
    filing_problem = "unknown" if vehicle is None else vehicle.filing_problem(_check_day(data))
    load = assess_load(data.get("measured_load_t"), data.get("estimated_load_t"),
                       vehicle.rated_load_t if vehicle else None)
    form_keys = {item["key"] for item in form["items"]}
    findings = server_findings(form_keys, filing_problem, load)
    _fail_server_findings(answers, findings)
    observations = server_observations(form_keys, load)
    _note_server_observations(answers, observations)

    inspection = _build_check(actor, data, digest, plate.plate, vehicle, unit_id)
    attach_results(inspection, form, answers, None, alert_levels=alert_levels)
    score_inspection(inspection, form, answers, None, alert_levels=alert_levels)
    inspection.truck_check = _truck_check(data, plate, vehicle, origin, filing_problem, load, findings,
                                          observations)
    stored, created = insert_once(actor, inspection)
    if not created:
        return stored, False
    audit.record(actor, "roadside_check.submit", inspection,
                 after={"uuid": inspection.uuid, "plate": inspection.plate, "vehicle_id": inspection.vehicle_id,
                        "filing_problem": filing_problem, "overloaded": load.overloaded,
                        "score": inspection.score, "vetoed": inspection.vetoed,
                        "scoring_rule": inspection.scoring_rule,
                        "server_findings": [f.item_key for f in findings]})
    inspection_recorded.send(inspection, device_time=device_time)
    apply_consequences(inspection)
    db.session.flush()
    return inspection, True


def _origin_site(actor: User, site_id: int | None) -> Site | None:
    """The origin site if given: one the inspector may see (else 404, as for site inspections)."""
    if site_id is None:
        return None
    site = get_visible_site(actor, site_id)
    if site is None:
        raise NotFound()
    return site


def _truck_form(version_ids: list[int]) -> dict:
    form = form_for_versions(sorted(set(version_ids)))
    if form.get("kind") != "truck":
        raise ValidationFailed("unknown_truck_checklist_version", versions=", ".join(map(str, version_ids)))
    return form


def _check_day(data: dict) -> date:
    """The local (Asia/Shanghai) date the truck was stopped: a filing is judged on that day, even
    when the phone sends the check the next morning."""
    return to_local(data["finished_at"]).date()


def _fail_server_findings(answers: dict, findings) -> None:
    """Record the server's findings as failures, the reason first in the item's note."""
    for finding in findings:
        answer = answers[finding.item_key]
        reason = translate(finding.code, NOTE_LOCALE, **finding.params)
        note = answer.get("note") or ""
        answers[finding.item_key] = {**answer, "outcome": "fail",
                                     "note": f"{reason}；{note}" if note else reason}


def _note_server_observations(answers: dict, observations) -> None:
    """Put what the server only observed (an estimated overload) first in the item's note; the answer stands."""
    for observation in observations:
        answer = answers[observation.item_key]
        text = translate(observation.code, NOTE_LOCALE, **observation.params)
        note = answer.get("note") or ""
        answers[observation.item_key] = {**answer, "note": f"{text}；{note}" if note else text}


def _stop_position(data: dict) -> tuple[float, float, float] | None:
    """Where the truck was stopped (WGS-84 lat, lon, accuracy in metres): the finishing fix, else the first."""
    for key in ("gps_finish", "gps_start"):
        gps = data.get(key)
        if gps:
            lat, lon = to_wgs84(gps["lat"], gps["lon"], gps["datum"])
            return lat, lon, gps["accuracy_m"]
    return None


def _unit_for(actor: User, origin: Site | None, position: tuple[float, float, float] | None) -> int:
    """The unit (七办一镇) that owns the check and its cases, so that some supervisor always sees them.

    The origin site's unit if known; else the unit where the truck was stopped if it is one of the
    inspector's, else the inspector's first unit. An inspector with no unit (a district-wide 城管
    team) gets the unit where the truck was stopped, and a refusal (422 ``roadside_unit_unknown``)
    when that cannot be told: no position, or no registered site near it.
    """
    if origin is not None:
        return origin.unit_id
    here = _unit_at(position)
    if actor.units:
        return here if here in actor.unit_ids else actor.units[0].id
    if here is None:
        raise ValidationFailed("roadside_unit_unknown", radius=f"{UNIT_FROM_NEAREST_SITE_MAX_M:,.0f}")
    return here


def _unit_at(position: tuple[float, float, float] | None) -> int | None:
    """The unit of the registered site nearest to ``position``, if one lies within reach.

    The data holds no unit boundaries; sites are spread over every unit, so the nearest site
    within ``UNIT_FROM_NEAREST_SITE_MAX_M`` stands for the unit of the place. A fix less precise
    than that distance says nothing about the place.
    """
    if position is None:
        return None
    lat, lon, accuracy_m = position
    if accuracy_m > UNIT_FROM_NEAREST_SITE_MAX_M:
        return None
    d_lat, d_lon = Site.lat - lat, (Site.lon - lon) * planar_sort_key_factor(lat)
    nearest = db.session.execute(
        select(Site.unit_id, Site.lat, Site.lon).order_by(d_lat * d_lat + d_lon * d_lon, Site.id).limit(1)
    ).first()
    if nearest is None or distance_m((lat, lon), (nearest.lat, nearest.lon)) > UNIT_FROM_NEAREST_SITE_MAX_M:
        return None
    return nearest.unit_id


def _build_check(actor, data, digest, plate: str, vehicle: Vehicle | None, unit_id: int) -> Inspection:
    return Inspection(
        uuid=str(data["uuid"]),
        kind="truck",
        content_hash=digest,
        site_id=None,
        unit_id=unit_id,
        inspector_id=actor.id,
        inspector=actor,
        checklist_version_ids=sorted(set(data["checklist_version_ids"])),
        site_phase=None,
        started_at=data["started_at"],
        finished_at=data["finished_at"],
        received_at=utcnow(),
        completeness="incomplete",
        review_status="submitted",
        flags=[],
        plate=plate,
        vehicle_id=vehicle.id if vehicle else None,
        vehicle=vehicle,
        **gps_columns("start", data.get("gps_start")),
        **gps_columns("finish", data.get("gps_finish")),
    )


def _truck_check(data, plate, vehicle, origin, filing_problem, load: LoadAssessment, findings,
                 observations=()) -> TruckCheck:
    return TruckCheck(
        plate_colour=data.get("plate_colour") or (vehicle.plate_colour if vehicle else plate.default_colour),
        company_id=vehicle.company_id if vehicle else None,
        origin_site_id=origin.id if origin else None,
        filing_problem=filing_problem,
        rated_load_t=load.rated_load_t,
        load_t=load.load_t,
        load_source=load.source,
        overloaded=load.overloaded,
        overload_ratio=load.ratio,
        server_findings=[{"item_key": f.item_key, "code": f.code, "params": f.params} for f in findings]
        + [{"item_key": o.item_key, "code": o.code, "params": o.params, "observation": True}
           for o in observations],
    )


# ---- consequences ----

def apply_consequences(inspection: Inspection) -> None:
    """Violations against the plate, cases for the bureau and 区交管队, the origin site's violations.

    Called once, when the check is first stored (never on a replay).
    """
    items = _checklist_items(inspection)
    findings = [Finding(r.item_key, r.outcome, items[r.checklist_item_id].veto,
                        items[r.checklist_item_id].rectify_days,
                        **finding_route(items[r.checklist_item_id].legal_basis, items[r.checklist_item_id].liable))
                for r in inspection.results if r.applicable]
    failed = [f.item_key for f in findings if f.outcome == "fail"]
    open_violations = _open_plate_violations(inspection.plate)
    decision = decide(findings, {k: OpenViolation(k, v.deadline) for k, v in open_violations.items()},
                      _earlier_failures(inspection, failed), inspection.finished_at)
    results = {r.item_key: r for r in inspection.results}
    for key in decision.open_new:
        _open_plate_violation(inspection, results[key], items[results[key].checklist_item_id])
    for key in decision.refail + decision.make_overdue:
        _refail(inspection, open_violations[key], overdue=key in decision.make_overdue)
    for key in decision.close:
        # A check sent late (offline) from before the violation was found proves nothing about it.
        if as_utc(open_violations[key].found_at) <= as_utc(inspection.finished_at):
            _close(inspection, open_violations[key])

    by_authority: dict[tuple[str, str], dict[str, list[str]]] = {}  # (authority, liable party) → items
    check = inspection.truck_check
    weighed_overload = check is not None and check.overloaded
    for key in failed:
        authority = _authority(items[results[key].checklist_item_id])
        reasons = list(decision.case_reasons.get(key, []))
        if authority == "traffic_police":
            # 超载 goes to 交管 on a weighed load, first time or not; an estimate is only recorded
            reasons = ["overload_referral", *[r for r in reasons if r != REFERRAL]] if weighed_overload else []
        if reasons:
            by_authority.setdefault((authority, items[results[key].checklist_item_id].liable), {})[key] = reasons
    for (authority, party), reasons in by_authority.items():
        _queue_truck_case(inspection, authority, party, reasons, results, items)

    if check is not None and check.origin_site is not None:
        _fail_origin_site(inspection, check.origin_site, failed)
        db.session.flush()
        db.session.expire(inspection, ["opened_violations"])  # reload to include the site's
    db.session.flush()


def _authority(item: ChecklistItem) -> str:
    return (item.legal_basis or {}).get("authority", "bureau")


def _checklist_items(inspection: Inspection) -> dict[int, ChecklistItem]:
    ids = {r.checklist_item_id for r in inspection.results}
    return {item.id: item for item in db.session.scalars(select(ChecklistItem).where(ChecklistItem.id.in_(ids)))}


def _open_plate_violations(plate: str) -> dict[str, Violation]:
    rows = db.session.scalars(select(Violation).where(
        Violation.plate == plate, Violation.site_id.is_(None), Violation.status.in_(OPEN_STATUSES)))
    return {v.item_key: v for v in rows}


def _earlier_failures(inspection: Inspection, keys: list[str]) -> dict[str, list[datetime]]:
    """Failure times of the same items on the same plate in the 30 days before, one query."""
    if not keys:
        return {}
    rows = db.session.execute(
        select(ItemResult.item_key, Inspection.finished_at)
        .join(Inspection, ItemResult.inspection_id == Inspection.id)
        .where(Inspection.kind == "truck", Inspection.plate == inspection.plate,
               Inspection.id != inspection.id,
               Inspection.review_status != "superseded", Inspection.final_rejection.is_(False),
               Inspection.finished_at >= inspection.finished_at - REPEAT_WINDOW,
               Inspection.finished_at <= inspection.finished_at,
               ItemResult.outcome == "fail", ItemResult.item_key.in_(keys)))
    found: dict[str, list[datetime]] = {}
    for key, when in rows:
        found.setdefault(key, []).append(when)
    return found


def _open_plate_violation(inspection: Inspection, result: ItemResult, item: ChecklistItem) -> Violation:
    vehicle = inspection.vehicle
    violation = Violation(
        site_id=None, unit_id=inspection.unit_id, item_key=result.item_key, checklist_item_id=item.id,
        opened_by_inspection_id=inspection.id, opened_by=inspection,
        last_failed_inspection_id=inspection.id, status="open",
        found_at=inspection.finished_at,
        deadline=inspection.finished_at + timedelta(days=item.rectify_days),
        fail_count=1, note=result.note,
        plate=inspection.plate, vehicle_id=inspection.vehicle_id,
        company_id=vehicle.company_id if vehicle else None,
    )
    db.session.add(violation)
    db.session.flush()
    audit.record(inspection.inspector, "violation.open", violation,
                 after={"plate": inspection.plate, "item": result.item_key, "deadline": violation.deadline})
    return violation


def _refail(inspection: Inspection, violation: Violation, *, overdue: bool) -> None:
    before = {"status": violation.status, "fail_count": violation.fail_count}
    violation.fail_count += 1
    violation.last_failed_inspection_id = inspection.id
    if overdue:
        violation.status = "overdue"
    audit.record(inspection.inspector, "violation.refail", violation, before=before,
                 after={"status": violation.status, "fail_count": violation.fail_count, "by": inspection.uuid})


def _close(inspection: Inspection, violation: Violation) -> None:
    before = {"status": violation.status}
    violation.status = "closed"
    violation.closed_at = inspection.finished_at
    violation.closed_by_inspection_id = inspection.id
    audit.record(inspection.inspector, "violation.close", violation, before=before,
                 after={"status": "closed", "by": inspection.uuid})


def _queue_truck_case(inspection: Inspection, authority: str, party: str, case_reasons: dict[str, list[str]],
                      results: dict[str, ItemResult], items: dict[int, ChecklistItem]) -> PenaltyCase:
    """One case per check, authority and liable party (运输单位 or 驾驶人), naming the truck, its
    company, the law and the recipient."""
    existing = db.session.scalar(select(PenaltyCase).where(PenaltyCase.inspection_id == inspection.id,
                                                           PenaltyCase.authority == authority,
                                                           PenaltyCase.party == party))
    if existing is not None:
        return existing
    check = inspection.truck_check
    recipient = translate(f"roadside_recipient_{authority}", NOTE_LOCALE)
    # A truck registered to no haulage company is an individual's (139号令 第二十六条: ≤ 200 元).
    individual_haulier = inspection.vehicle is not None and inspection.vehicle.company_id is None
    case_items, photo_ids = [], []
    for key, reasons in case_reasons.items():
        item = items[results[key].checklist_item_id]
        fined_as = party_kind(item.liable, individual_haulier=individual_haulier)
        case_items.append({"item_key": key, "text_zh": item.text_zh, "text_en": item.text_en,
                           "clause": item.clause, "reasons": reasons, "legal_basis": item.legal_basis,
                           "note": results[key].note, "recipient": authority, "recipient_zh": recipient,
                           "liable": item.liable, **case_item_range(item.legal_basis, fined_as, reasons)})
        photo_ids.extend(results[key].photo_ids or [])
    fine_min, fine_max = _fine_range(authority, case_items, check)
    company = check.company if check is not None else None
    case = PenaltyCase(
        case_number=f"pending-{secrets.token_hex(8)}",
        inspection_id=inspection.id, inspection=inspection,
        site_id=None, unit_id=inspection.unit_id,
        contractor=company.name if company else None,
        party=party, party_name=party_name(party, company=company.name if company else None, plate=inspection.plate),
        status="pending_review", authority=authority,
        items=case_items, photo_ids=photo_ids, fine_min=fine_min, fine_max=fine_max,
        plate=inspection.plate, vehicle_id=inspection.vehicle_id,
        company_id=company.id if company else None,
    )
    db.session.add(case)
    db.session.flush()
    prefix = "回民超载移交" if authority == "traffic_police" else "回民渣土移"
    case.case_number = f"{prefix}〔{to_local(inspection.finished_at).year}〕{case.id:05d}号"
    audit.record(inspection.inspector, "penalty_case.queue", case,
                 after={"case_number": case.case_number, "plate": inspection.plate, "authority": authority,
                        "items": list(case_reasons)})
    case_queued.send(case)
    return case


def _fine_range(authority: str, case_items: list[dict], check: TruckCheck | None) -> tuple:
    """The highest governing range of the items (penalties.rules); a weighed overload up to 30 % over is
    200–500, beyond it 500–2,000 (第九十二条)."""
    if authority == "traffic_police" and check is not None and check.overloaded:
        return (500.0, 2000.0) if check.over_thirty_percent else (200.0, 500.0)
    return case_range(case_items)


# ---- the origin site ----

def _fail_origin_site(inspection: Inspection, site: Site, failed: list[str]) -> None:
    """Open (or re-fail) the origin site's six-100 violations this truck proves failed."""
    requirements = {SITE_CONSEQUENCES[key]: key for key in failed if key in SITE_CONSEQUENCES}
    if not requirements:
        return
    site_items = {item["key"]: item for item in current_form("site")["items"]}
    for requirement, truck_key in requirements.items():
        item = site_items.get(requirement)
        if item is None:  # the six-100 checklist no longer asks it
            continue
        note = translate("roadside_site_violation_note", NOTE_LOCALE, plate=inspection.plate,
                         finding=translate(f"roadside_site_finding_{truck_key}", NOTE_LOCALE))
        _fail_site_requirement(inspection, site, requirement, item, note)


def _fail_site_requirement(inspection: Inspection, site: Site, requirement: str, item: dict, note: str) -> None:
    current = _open_site_violation(site.id, requirement)
    if current is None:
        # Only the id, not ``opened_by``: the backref would hold a violation the savepoint may drop.
        violation = Violation(
            site_id=site.id, unit_id=site.unit_id, item_key=requirement,
            checklist_item_id=item["sources"][0]["checklist_item_id"],
            opened_by_inspection_id=inspection.id,
            last_failed_inspection_id=inspection.id, status="open",
            found_at=inspection.finished_at,
            deadline=inspection.finished_at + timedelta(days=item["rectify_days"]),
            fail_count=1, note=note)
        try:
            with db.session.begin_nested():
                db.session.add(violation)
                db.session.flush()
        except IntegrityError:
            # A site inspection opened it at the same moment (one open per site and item): re-fail that one.
            current = _open_site_violation(site.id, requirement)
            if current is None:
                raise
        else:
            audit.record(inspection.inspector, "violation.open", violation,
                         after={"site_id": site.id, "item": requirement, "deadline": violation.deadline,
                                "by_truck": inspection.plate})
            return
    _refail(inspection, current, overdue=inspection.finished_at > current.deadline)


def _open_site_violation(site_id: int, requirement: str) -> Violation | None:
    return db.session.scalar(select(Violation).where(
        Violation.site_id == site_id, Violation.item_key == requirement, Violation.status.in_(OPEN_STATUSES)))

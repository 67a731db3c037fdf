"""Demo history for ``flask demo``: the enforcement chain, recorded through the real operations.

Three stories, each a site inspection by the demo inspector (王巡查) with failed items, so every
screen of the chain has something to show on a fresh database:

* ``served`` — half an hour ago: two items failed, the 整改通知书 issued, the site's representative
  signed for it on the phone (送达, signature stored like a photo); its 复查 is due tomorrow.
* ``due_today`` — a day ago: one item with a one-day deadline failed; the notice is not served yet
  and its follow-up is due today (今日复查 on the inspector's home).
* ``decided`` — four days ago: the hoarding (a veto item) failed, so a case was queued for 区城管执法局;
  the notice was served by mail, the supervisor approved the case, the bureau accepted it and
  decided a fine at the minimum of its range (its 决定书 PDF exists); its follow-up is overdue.

Nothing is written by hand: submissions go through the submission schema and
``inspections.operations.submit_inspection`` (so signals issue the notice, plan the follow-up, open
violations and queue the case), photos through ``evidence.operations.store_photo``, service through
``notices.service`` and the case through ``penalties.operations.transition_case``. Each story is
keyed by a fixed inspection UUID: a story already loaded is left as it is, so the command is
idempotent (times are relative to the first run; on a later day the follow-ups show as overdue).
"""
from __future__ import annotations

import io
import random
import uuid as uuid_mod
from dataclasses import dataclass
from datetime import datetime, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from inspect_app.alerts.queries import levels_in_force
from inspect_app.auth.queries import get_user_by_username
from inspect_app.checklists.forms import is_applicable
from inspect_app.checklists.queries import current_form
from inspect_app.core.timeutil import LOCAL_TZ, to_local, utcnow
from inspect_app.evidence import operations as evidence_ops
from inspect_app.extensions import db
from inspect_app.inspections import operations as inspection_ops
from inspect_app.inspections.schemas import SubmissionSchema
from inspect_app.notices import service as notice_service
from inspect_app.notices.models import Notice
from inspect_app.notices.schemas import DeskServiceSchema, FieldServiceSchema
from inspect_app.penalties import operations as penalty_ops
from inspect_app.penalties.decision_rules import case_items
from inspect_app.penalties.models import PenaltyCase
from inspect_app.sites.models import Site

#: Namespace of the demo's fixed UUIDs (inspections, photos, service records).
NAMESPACE = uuid_mod.UUID("5b0c6f1e-2f57-4d43-9b7e-2026d0e0c0de")


@dataclass(frozen=True)
class Story:
    key: str
    site: str  # a name in demo.data.SITE_NAMES, in the demo inspector's units
    age: timedelta  # how long before the first run the inspection finished
    failed: dict[str, str]  # requirement → the inspector's note


STORIES = (
    Story("served", "海西路棚户区改造项目", timedelta(minutes=30), {
        "material_cover": "东侧砂石料堆约200平方米未覆盖",
        "vehicle_washing": "出口冲洗设备停用，车辆带泥上路",
    }),
    Story("due_today", "新华西街综合体", timedelta(days=1), {
        "material_cover": "基坑北侧裸土未覆盖防尘网",
    }),
    Story("decided", "环河街滨河绿道", timedelta(days=4), {
        "hoarding": "南侧围挡缺失约30米，未连续封闭",
    }),
)
SIGNER = ("刘建国", "项目经理")
DECISION_NUMBER = "回城管罚决字〔{year}〕第0001号"


def demo_uuid(*parts: str) -> str:
    return str(uuid_mod.uuid5(NAMESPACE, "/".join(parts)))


def load_demo_history(now: datetime | None = None) -> dict[str, Notice]:
    """Load the stories not loaded yet (flushes only; the caller commits); returns each story's notice."""
    now = now or utcnow()
    users = {name: get_user_by_username(name) for name in ("inspector", "supervisor", "enforcement")}
    notices = {}
    for story in STORIES:
        inspection = inspection_ops.find_by_uuid(demo_uuid(story.key, "inspection"))
        if inspection is None:
            inspection = _tell(story, users, now)
        notices[story.key] = db.session.scalar(select(Notice).where(Notice.inspection_id == inspection.id))
    return notices


def _tell(story: Story, users: dict, now: datetime):
    site = db.session.scalar(select(Site).where(Site.name == story.site))
    finished = (now - story.age).replace(microsecond=0)
    started = finished - timedelta(minutes=25)
    inspection = _inspect(users["inspector"], site, story, started, finished)
    notice = db.session.scalar(select(Notice).where(Notice.inspection_id == inspection.id))
    if story.key == "served":
        _sign_on_the_spot(users["inspector"], inspection, site, finished + timedelta(minutes=5))
    elif story.key == "decided":
        _serve_by_mail(users["supervisor"], notice, finished + timedelta(hours=3))
        _decide(users, inspection)
    return inspection


def _inspect(inspector, site: Site, story: Story, started: datetime, finished: datetime):
    """Answer the whole current form (every applicable item passes but the story's), with photos."""
    form = current_form("site")
    local_start = to_local(started)
    alert_levels = levels_in_force(site.unit_id, started)
    items, photos = [], []
    for item in form["items"]:
        if not is_applicable(item, site.phase, local_start, site.status, alert_levels=alert_levels)[0]:
            continue
        if item["key"] in story.failed:
            ids = [demo_uuid(story.key, item["key"], str(n)) for n in range(max(item["photos_on_fail"], 1))]
            photos += ids
            items.append({"key": item["key"], "outcome": "fail", "note": story.failed[item["key"]], "photo_ids": ids})
        else:
            items.append({"key": item["key"], "outcome": "pass"})
    gps = {"lat": site.lat, "lon": site.lon, "accuracy_m": 8.0, "datum": "WGS84"}
    data = SubmissionSchema().load({
        "uuid": demo_uuid(story.key, "inspection"), "site_id": site.id,
        "checklist_version_ids": form["version_ids"], "started_at": started.isoformat(),
        "finished_at": finished.isoformat(), "gps_start": gps, "gps_finish": gps, "items": items,
    })
    inspection, _ = inspection_ops.submit_inspection(inspector, data)
    for n, photo_id in enumerate(photos):
        taken = started + timedelta(minutes=5 + 3 * n)
        evidence_ops.store_photo(inspector, inspection, photo_id, _photo(photo_id, taken, site))
    return inspection


def _sign_on_the_spot(inspector, inspection, site: Site, served_at: datetime) -> None:
    evidence_id = demo_uuid("served", "signature")
    data = FieldServiceSchema().load({
        "uuid": demo_uuid("served", "service"), "method": "signed", "signer_name": SIGNER[0],
        "signer_role": SIGNER[1], "served_at": served_at.isoformat(), "evidence_id": evidence_id,
        "gps": {"lat": site.lat, "lon": site.lon, "accuracy_m": 10.0}})
    record, _ = notice_service.record_field_service(inspector, inspection, data)
    notice_service.store_service_evidence(inspector, record, _signature())


def _serve_by_mail(supervisor, notice: Notice, served_at: datetime) -> None:
    data = DeskServiceSchema().load({
        "uuid": demo_uuid("decided", "service"), "method": "mail", "served_at": served_at.isoformat(),
        "note": "EMS 挂号邮寄至施工单位项目部，已妥投"})
    notice_service.record_desk_service(supervisor, notice, data)


def _decide(users: dict, inspection) -> None:
    """The veto case: approved by the supervisor, accepted and fined (at the minimum) by the bureau."""
    case = db.session.scalar(select(PenaltyCase).where(PenaltyCase.inspection_id == inspection.id,
                                                       PenaltyCase.authority == "bureau"))
    penalty_ops.transition_case(users["supervisor"], case, "approved", {"note": "证据充分，同意移送"})
    penalty_ops.transition_case(users["enforcement"], case, "accepted", {})
    (item,) = case_items(case.items)
    year = to_local(utcnow()).year
    if item.fine_min:
        decision = {"decision": "fine", "fine_amount": item.fine_min}
    else:  # no fine range in the data: a warning
        decision = {"decision": "warning"}
    penalty_ops.transition_case(users["enforcement"], case, "decided",
                                decision | {"decision_number": DECISION_NUMBER.format(year=year)})


def _photo(photo_id: str, taken: datetime, site: Site) -> bytes:
    """A distinct small JPEG with the capture time (Beijing) and the site's position in its EXIF."""
    rng = random.Random(photo_id)
    img = Image.new("RGB", (800, 600), (128, 118, 96))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randrange(760), rng.randrange(560)
        draw.rectangle([x, y, x + rng.randrange(40, 300), y + rng.randrange(30, 200)],
                       fill=tuple(rng.randrange(60, 220) for _ in range(3)))
    exif = Image.Exif()
    local = taken.astimezone(LOCAL_TZ)
    exif.get_ifd(0x8769).update({0x9003: local.strftime("%Y:%m:%d %H:%M:%S"), 0x9011: "+08:00"})
    exif.get_ifd(0x8825).update({1: "N", 2: _dms(site.lat), 3: "E", 4: _dms(site.lon)})
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80, exif=exif)
    return buf.getvalue()


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (degrees, minutes, round(((value - degrees) * 60 - minutes) * 60, 4))


def _signature() -> bytes:
    """A signature as the phone's pad sends it: a dark stroke on a transparent PNG."""
    img = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = [(40 + 20 * n, 120 + (-35 if n % 4 < 2 else 25) + (n % 3) * 6) for n in range(26)]
    draw.line(points, fill=(20, 20, 40, 255), width=5, joint="curve")
    draw.line([(120, 60), (150, 160), (210, 70)], fill=(20, 20, 40, 255), width=5)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()

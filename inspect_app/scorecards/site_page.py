"""One site's scorecard page: history for a chart, evidence gallery, open violations, map link.

A fixed number of queries per page (summary row, history, recent inspections with their photos
loaded in one batch, open violations), independent of how much history the site has.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote

from sqlalchemy import select

from inspect_app.auth.models import User
from inspect_app.checklists.models import ChecklistItem
from inspect_app.core.geo import wgs84_to_gcj02
from inspect_app.core.i18n import negotiate_locale, translate
from inspect_app.core.timeutil import to_local
from inspect_app.evidence.checks import describe_flag
from inspect_app.extensions import db
from inspect_app.followups.progress import rectified, statuses_for
from inspect_app.followups.queries import tasks_of_notices
from inspect_app.inspections.models import Inspection
from inspect_app.notices.models import Notice, NoticeService
from inspect_app.penalties.models import OPEN_STATUSES, Violation
from inspect_app.scorecards.queries import (
    ScorecardFilters,
    counted_inspections,
    scorecard_item,
    scorecards,
)
from inspect_app.scoring.labels import grade_label
from inspect_app.sites.models import Site

AMAP_MARKER = "https://uri.amap.com/marker?position={lon:.6f},{lat:.6f}&name={name}&coordinate=gaode"


def amap_marker_url(site: Site) -> str:
    """An Amap marker link; Amap draws GCJ-02, so the stored WGS-84 point is converted first."""
    lat, lon = wgs84_to_gcj02(site.lat, site.lon)
    return AMAP_MARKER.format(lat=lat, lon=lon, name=quote(site.name, safe=""))


def photo_links(photo_uuid: str) -> dict:
    """Where the PWA fetches a photo's thumbnail and its watermarked display image."""
    return {"id": photo_uuid, "thumb_url": f"/api/photos/{photo_uuid}/thumb",
            "display_url": f"/api/photos/{photo_uuid}/display"}


def site_scorecard(user: User, site: Site, now: datetime, *, history_days: int = 365,
                   recent: int = 20) -> dict:
    """Everything the site page shows, for a site the caller may see — closed sites included.

    A closed site keeps its history, open violations and cases (the scorecard list shows it under
    ``status=closed``/``all``), and a supervisor following one up needs its page, so the summary
    row is asked for whatever the site's status.
    """
    summary = db.session.execute(
        scorecards(user, now, ScorecardFilters(status="all"), site_ids=[site.id]).where(Site.id == site.id)).one()
    lat_gcj, lon_gcj = wgs84_to_gcj02(site.lat, site.lon)
    return {
        "summary": scorecard_item(summary, now),
        "site": site,
        "map": {"lat": site.lat, "lon": site.lon, "datum": "WGS84",
                "gcj02": {"lat": lat_gcj, "lon": lon_gcj}, "amap_url": amap_marker_url(site)},
        "history": score_history(site.id, now - timedelta(days=history_days)),
        "inspections": recent_inspections(site.id, recent),
        "open_violations": open_violations(site.id, now),
        "notices": site_notices(site.id),
    }


def site_notices(site_id: int, limit: int = 50) -> list[dict]:
    """The site's 整改通知书, newest first: number, issued, deadline, rectified or not, its 复查."""
    notices = list(db.session.scalars(select(Notice).where(Notice.site_id == site_id)
                                      .order_by(Notice.issued_at.desc(), Notice.id.desc()).limit(limit)))
    statuses = statuses_for(notices)
    tasks = tasks_of_notices([n.id for n in notices])
    served = {row.notice_id: row for row in db.session.execute(  # 送达, one query for the page
        select(NoticeService.notice_id, NoticeService.method, NoticeService.served_at)
        .where(NoticeService.notice_id.in_([n.id for n in notices])))} if notices else {}
    result = []
    for notice in notices:
        task = tasks.get(notice.id)
        result.append({
            "id": notice.id, "number": notice.number, "status": notice.status, "issued_at": notice.issued_at,
            "deadline_date": min(item["deadline_date"] for item in notice.content["items"]),
            "items": len(notice.content["items"]), "rectified": rectified(statuses.get(notice.id, {})),
            "follow_up": {"id": task.id, "status": task.status, "outcome": task.outcome, "due_on": task.due_on,
                          "assignee": task.assignee.display_name} if task else None,
            "pdf_url": f"/api/notices/{notice.id}.pdf",
            "service": _service_brief(served.get(notice.id)),
        })
    return result


def _service_brief(row) -> dict | None:
    """How and when a notice was served (送达), or None while it is not."""
    if row is None:
        return None
    return {"method": row.method, "method_label": translate(f"service_method_{row.method}"),
            "served_at": row.served_at}


def score_history(site_id: int, since: datetime) -> list[dict]:
    """Scored inspections since ``since``, oldest first: the points of the score chart."""
    rows = db.session.execute(
        select(Inspection.uuid, Inspection.finished_at, Inspection.score, Inspection.grade,
               Inspection.vetoed)
        .where(*counted_inspections(), Inspection.site_id == site_id, Inspection.score.is_not(None),
               Inspection.finished_at >= since)
        .order_by(Inspection.finished_at, Inspection.id)
    )
    return [{"inspection": r.uuid, "date": to_local(r.finished_at).date(), "finished_at": r.finished_at,
             "score": r.score, "grade": r.grade, "grade_label": grade_label(r.grade), "vetoed": r.vetoed}
            for r in rows]


def recent_inspections(site_id: int, limit: int) -> list[dict]:
    """The newest inspections with their photos and flags in words (photos load in one batch)."""
    inspections = db.session.scalars(
        select(Inspection)
        .where(*counted_inspections(), Inspection.site_id == site_id)
        .order_by(Inspection.finished_at.desc(), Inspection.id.desc())
        .limit(limit)
    ).all()
    locale = negotiate_locale()
    return [
        {
            "uuid": i.uuid, "finished_at": i.finished_at, "inspector": i.inspector.display_name,
            "score": i.score, "grade": i.grade, "grade_label": grade_label(i.grade), "vetoed": i.vetoed,
            "review_status": i.review_status,
            "failed_items": [r.item_key for r in i.results if r.outcome == "fail"],
            "photos": [photo_links(p.uuid) | {"item_key": p.item_key, "taken_at": p.taken_at}
                       for p in getattr(i, "photos", [])],
            "flags": [{"code": f["code"], "photo_id": f.get("photo_id"), "message": describe_flag(f, locale)}
                      for f in i.flags or []],
        }
        for i in inspections
    ]


def open_violations(site_id: int, now: datetime) -> list[dict]:
    """Open and overdue violations of the site, earliest deadline first, with the item's text."""
    rows = db.session.execute(
        select(Violation, ChecklistItem.text_zh, ChecklistItem.text_en, ChecklistItem.clause)
        .join(ChecklistItem, Violation.checklist_item_id == ChecklistItem.id)
        .where(Violation.site_id == site_id, Violation.status.in_(OPEN_STATUSES))
        .order_by(Violation.deadline, Violation.id)
    )
    english = negotiate_locale() == "en"
    today = to_local(now).date()
    return [
        {"id": v.id, "item_key": v.item_key, "text": text_en if english else text_zh, "clause": clause,
         "found_at": v.found_at, "deadline": v.deadline, "status": v.status,
         "overdue": v.status == "overdue" or v.deadline < now,
         "days_left": (to_local(v.deadline).date() - today).days, "fail_count": v.fail_count}
        for v, text_zh, text_en, clause in rows
    ]

"""Reads of notices, scoped like inspections: an inspector sees the notices of their own
inspections, everyone else those of their units (enforcement and admins the district)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app, has_request_context, request
from sqlalchemy import Select, or_, select

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from inspect_app.notices.models import Notice
from inspect_app.penalties.models import Violation

#: what ``secrets.token_urlsafe(24)`` gives (32 characters), with room for longer tokens
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def visible_notices(user: User) -> Select:
    stmt = select(Notice)
    if user.role == "inspector":
        return stmt.where(Notice.inspector_id == user.id)
    return scope_to_units(stmt, user, Notice.unit_id)


def list_notices(user: User, *, site_id=None, status=None, kind=None, plate=None) -> Select:
    """Newest first, filtered."""
    stmt = visible_notices(user)
    if site_id:
        stmt = stmt.where(Notice.site_id == site_id)
    if status:
        stmt = stmt.where(Notice.status == status)
    if kind:
        stmt = stmt.where(Notice.kind == kind)
    if plate:
        stmt = stmt.where(Notice.plate == plate)
    return stmt.order_by(Notice.issued_at.desc(), Notice.id.desc())


def get_visible_notice(user: User, notice_id: int) -> Notice | None:
    return db.session.scalar(visible_notices(user).where(Notice.id == notice_id))


def get_by_token(token: str) -> Notice | None:
    """The notice a verify token names; None for anything that cannot be a token (NUL bytes, a 600-character
    path, …), which never reaches the database."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return db.session.scalar(select(Notice).where(Notice.token == token))


def declared_photo_ids(notice: Notice) -> list[str]:
    return [pid for item in notice.content["items"] for pid in item["photo_ids"]]


def evidence_photos(notice: Notice) -> dict[str, Photo]:
    """The stored photos of the notice's items, by id: only the notice's own inspection's photos."""
    ids = declared_photo_ids(notice)
    if not ids:
        return {}
    rows = db.session.scalars(select(Photo).where(Photo.inspection_id == notice.inspection_id,
                                                  Photo.uuid.in_(ids)))
    return {photo.uuid: photo for photo in rows}


@dataclass(frozen=True)
class ItemProgress:
    item_key: str
    status: str  # open | overdue | closed


def item_progress(notice: Notice) -> list[ItemProgress]:
    """Whether each item of the notice has been rectified, read from its violation.

    The violation an item refers to is the one (of the same site or plate and requirement) that
    was open when the notice's inspection found the failure: found at or before it, not void,
    not closed before it. Without one (nothing recorded yet) the item counts as open.
    """
    keys = [item["item_key"] for item in notice.content["items"]]
    found_at = notice.issued_at
    stmt = select(Violation).where(
        Violation.item_key.in_(keys), Violation.status != "void", Violation.found_at <= found_at,
        or_(Violation.closed_at.is_(None), Violation.closed_at >= found_at))
    if notice.site_id is not None:
        stmt = stmt.where(Violation.site_id == notice.site_id)
    else:
        stmt = stmt.where(Violation.site_id.is_(None), Violation.plate == notice.plate)
    latest: dict[str, Violation] = {}
    for violation in db.session.scalars(stmt.order_by(Violation.found_at, Violation.id)):
        latest[violation.item_key] = violation
    return [ItemProgress(key, latest[key].status if key in latest else "open") for key in keys]


def rectified(progress: list[ItemProgress]) -> bool:
    """A notice is rectified (已整改) when every one of its items is closed."""
    return bool(progress) and all(p.status == "closed" for p in progress)


@dataclass
class NoticeView:
    """A notice with what its page shows beside the signed content: evidence, progress, service."""

    notice: Notice
    items: list[dict]
    photos: list[dict]
    rectified: bool
    verify_url: str
    service: object = None  # the NoticeService (送达), None while unserved

    @property
    def served(self) -> bool:
        return self.service is not None

    def __getattr__(self, name):
        return getattr(self.notice, name)


def rendering_is_current(notice: Notice, rendering) -> bool:
    """Whether a remembered PDF is the notice as the record stands now.

    The latest distinct PDF is current unless the notice has been served since (it lacks the
    service record); every other one is an earlier version — genuine, but no longer the record.
    """
    renderings = notice.renderings
    if not renderings or rendering.id != renderings[-1].id:
        return False
    return rendering.shows_service == (notice.service is not None)


def rendering_is_current_of(rendering) -> bool:
    """:func:`rendering_is_current` for a rendering on its own (templates)."""
    return rendering_is_current(rendering.notice, rendering)


def verify_url(notice: Notice) -> str:
    """The public page the notice's QR code points to: under ``PUBLIC_BASE_URL``, else this request's host."""
    base = current_app.config.get("PUBLIC_BASE_URL") or (request.url_root if has_request_context() else "")
    return f"{base.rstrip('/')}/v/{notice.token}"


def notice_view(notice: Notice) -> NoticeView:
    """Everything the notice's JSON and verify page show, in a fixed number of queries."""
    progress = {p.item_key: p.status for p in item_progress(notice)}
    items = [{**item, "status": progress.get(item["item_key"], "open")} for item in notice.content["items"]]
    stored = evidence_photos(notice)
    photos = []
    for item in notice.content["items"]:
        for pid in item["photo_ids"]:
            photo = stored.get(pid)
            photos.append({"id": pid, "item_key": item["item_key"], "arrived": photo is not None,
                           "taken_at": photo.taken_at if photo else None, "sha256": photo.sha256 if photo else None})
    return NoticeView(notice, items, photos, rectified([ItemProgress(k, s) for k, s in progress.items()]),
                      verify_url(notice), notice.service)

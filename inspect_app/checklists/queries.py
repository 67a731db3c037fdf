"""Reading stored checklist versions and building forms from them."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, func, select

from inspect_app.checklists.forms import compose_form
from inspect_app.checklists.models import ChecklistItem, ChecklistVersion
from inspect_app.core.errors import ValidationFailed
from inspect_app.extensions import db


def _latest_numbers():
    return (
        select(ChecklistVersion.source_key, func.max(ChecklistVersion.version).label("version"))
        .group_by(ChecklistVersion.source_key)
        .subquery()
    )


def current_versions(kind: str | None = None) -> list[ChecklistVersion]:
    """The latest stored version of every source (of one kind if given), in form order."""
    latest = _latest_numbers()
    stmt = select(ChecklistVersion).join(
        latest,
        and_(ChecklistVersion.source_key == latest.c.source_key, ChecklistVersion.version == latest.c.version),
    )
    if kind is not None:
        stmt = stmt.where(ChecklistVersion.kind == kind)
    return list(db.session.scalars(stmt.order_by(ChecklistVersion.position, ChecklistVersion.source_key)))


def current_version(source_key: str) -> ChecklistVersion | None:
    """The latest stored version of one source, or None."""
    return db.session.scalar(
        select(ChecklistVersion).where(ChecklistVersion.source_key == source_key)
        .order_by(ChecklistVersion.version.desc()).limit(1)
    )


def source_row(version: ChecklistVersion) -> dict:
    """A source's version as the desk lists it."""
    return {
        "source_key": version.source_key, "version": version.version, "version_id": version.id,
        "kind": version.kind, "title_zh": version.title_zh, "title_en": version.title_en,
        "clause": version.clause, "position": version.position, "item_count": len(version.items),
        "origin": version.origin, "published_by_id": version.published_by_id, "created_at": version.created_at,
    }


def get_version(version_id: int) -> ChecklistVersion | None:
    return db.session.get(ChecklistVersion, version_id)


def version_as_form_source(version: ChecklistVersion) -> dict:
    """A stored version in the plain shape :func:`compose_form` takes."""
    return {
        "key": version.source_key, "kind": version.kind, "version": version.version,
        "version_id": version.id, "position": version.position, "title_zh": version.title_zh,
        "title_en": version.title_en, "clause": version.clause, "window": version.window,
        "items": [
            {
                "key": item.key, "requirement": item.requirement, "text_zh": item.text_zh,
                "text_en": item.text_en, "clause": item.clause, "weight": item.weight, "veto": item.veto,
                "photos_on_fail": item.photos_on_fail, "phases": item.phases, "window": item.window,
                "rectify_days": item.rectify_days, "legal_basis": item.legal_basis,
                "site_statuses": item.site_statuses, "liable": item.liable, "alert": item.alert,
                "checklist_item_id": item.id,
            }
            for item in version.items
        ],
    }


def current_form(kind: str) -> dict:
    """The form inspectors fill now for ``kind`` ("site" or "truck"), from the latest versions."""
    return compose_form(kind, [version_as_form_source(v) for v in current_versions(kind)])


def current_version_key() -> tuple[tuple[int, str], ...]:
    """What the current forms are built from, in one cheap query: each latest version's id and content
    hash (ids alone repeat after a database is emptied; versions are never edited in place)."""
    latest = _latest_numbers()
    stmt = select(ChecklistVersion.id, ChecklistVersion.content_hash).join(
        latest,
        and_(ChecklistVersion.source_key == latest.c.source_key, ChecklistVersion.version == latest.c.version),
    )
    return tuple(sorted((row.id, row.content_hash) for row in db.session.execute(stmt)))


def form_for_versions(version_ids: Iterable[int]) -> dict:
    """The form exactly as it was for a set of stored versions (what a submission was filled with).

    Raises ValidationFailed when ids are unknown, empty, of mixed kinds, or name one source twice.
    """
    ids = sorted({int(i) for i in version_ids})
    if not ids:
        raise ValidationFailed("checklist_versions_required")
    versions = list(db.session.scalars(select(ChecklistVersion).where(ChecklistVersion.id.in_(ids))))
    missing = sorted(set(ids) - {v.id for v in versions})
    if missing:
        raise ValidationFailed("checklist_versions_unknown", ids=", ".join(map(str, missing)))
    kinds = {v.kind for v in versions}
    if len(kinds) > 1:
        raise ValidationFailed("checklist_versions_mixed_kinds")
    sources = [v.source_key for v in versions]
    for key in sources:
        if sources.count(key) > 1:
            raise ValidationFailed("checklist_versions_same_source", source=key)
    return compose_form(kinds.pop(), [version_as_form_source(v) for v in versions])


def list_versions() -> list[dict]:
    """Every stored version, newest first per source, with its item count and whether it is current."""
    counts = dict(db.session.execute(
        select(ChecklistItem.version_id, func.count()).group_by(ChecklistItem.version_id)
    ).all())
    latest = {key: number for key, number in db.session.execute(select(_latest_numbers())).all()}
    versions = db.session.scalars(
        select(ChecklistVersion).order_by(
            ChecklistVersion.kind, ChecklistVersion.position, ChecklistVersion.source_key,
            ChecklistVersion.version.desc(),
        )
    )
    return [
        {
            "id": v.id, "source_key": v.source_key, "version": v.version, "kind": v.kind,
            "title_zh": v.title_zh, "title_en": v.title_en, "clause": v.clause,
            "content_hash": v.content_hash, "created_at": v.created_at,
            "item_count": counts.get(v.id, 0), "current": latest.get(v.source_key) == v.version,
        }
        for v in versions
    ]


def stored_source_keys() -> set[str]:
    """Every source key with at least one stored version."""
    return set(db.session.scalars(select(ChecklistVersion.source_key).distinct()))

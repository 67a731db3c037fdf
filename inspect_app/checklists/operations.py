"""Storing checklist files as immutable versions. Only flushes; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspect_app.checklists.loader import LoadedSource, load_directory
from inspect_app.checklists.models import ChecklistItem, ChecklistVersion
from inspect_app.checklists.queries import current_versions
from inspect_app.core import audit
from inspect_app.extensions import db


@dataclass(frozen=True)
class SyncResult:
    """What sync did for one source: its current version number and whether it was just stored."""

    source_key: str
    version: int
    created: bool


def sync_checklists(actor, directory: str | Path) -> list[SyncResult]:
    """Store a new version of every checklist file whose content changed since its latest version.

    Why versions rather than updates: inspections point at the items they were filled against, so
    stored items never change; an edited file becomes version N+1 and old inspections keep theirs.
    A file reverted to earlier content also becomes a new version, so the current version always
    matches the file on disk. All files are validated first: one bad file stores nothing
    (raises :class:`~inspect_app.checklists.loader.ChecklistFileError`).
    """
    loaded = load_directory(directory)
    latest = {v.source_key: v for v in current_versions()}
    results = []
    for source in loaded:
        current = latest.get(source.key)
        if current is not None and current.content_hash == source.content_hash:
            results.append(SyncResult(source.key, current.version, False))
            continue
        version = _store_version(source, (current.version if current else 0) + 1)
        audit.record(actor, "checklist_version_created", version, after={
            "source_key": version.source_key, "version": version.version,
            "content_hash": version.content_hash, "items": [item["key"] for item in source.items],
            "previous_version": current.version if current else None,
        })
        results.append(SyncResult(source.key, version.version, True))
    return results


def _store_version(source: LoadedSource, number: int) -> ChecklistVersion:
    version = ChecklistVersion(
        source_key=source.key, version=number, content_hash=source.content_hash, kind=source.kind,
        title_zh=source.title_zh, title_en=source.title_en, clause=source.clause,
        window=source.window, position=source.position, raw_text=source.raw_text,
    )
    version.items = [
        ChecklistItem(
            key=item["key"], requirement=item["requirement"], position=item["position"],
            text_zh=item["text_zh"], text_en=item["text_en"], clause=item["clause"],
            legal_basis=item["legal_basis"], weight=item["weight"], veto=item["veto"],
            photos_on_fail=item["photos_on_fail"], phases=list(item["phases"]), window=item["window"],
            rectify_days=item["rectify_days"], liable=item["liable"],
            site_statuses=item.get("site_statuses"), alert=item.get("alert"),
        )
        for item in source.items
    ]
    db.session.add(version)
    db.session.flush()
    return version

"""Storing checklist versions — from the TOML files (sync) or from the admin desk (publish). Only
flushes; the caller commits. Both paths store a version the same way (:func:`_store_version`)."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from inspect_app.checklists.drafts import diff_sources, preview_form
from inspect_app.checklists.loader import (ChecklistFileError, LoadedSource, check_together, load_directory,
                                           load_document)
from inspect_app.checklists.models import ChecklistItem, ChecklistVersion
from inspect_app.checklists.queries import current_version, current_versions, version_as_form_source
from inspect_app.core import audit
from inspect_app.core.errors import Conflict, NotFound, ValidationFailed
from inspect_app.extensions import db

# What sync does when a file differs from a current version published on the admin desk.
REFUSE, OVERWRITE, KEEP = "refuse", "overwrite", "keep"


@dataclass(frozen=True)
class SyncResult:
    """What sync did for one source: its current version number and whether it was just stored.

    ``kept_published``: the file differs from a version published on the desk, which was kept."""

    source_key: str
    version: int
    created: bool
    kept_published: bool = False


class PublishedVersionsDiffer(Exception):
    """Files differ from current versions published on the admin desk; sync stored nothing.

    ``conflicts``: (source key, the published version's number, diff from it to the file)."""

    def __init__(self, conflicts: list[tuple[str, int, dict]]):
        self.conflicts = conflicts
        super().__init__(", ".join(key for key, _, _ in conflicts))


def sync_checklists(actor, directory: str | Path, *, published: str = REFUSE) -> list[SyncResult]:
    """Store a new version of every checklist file whose content changed since its latest version.

    Why versions rather than updates: inspections point at the items they were filled against, so
    stored items never change; an edited file becomes version N+1 and old inspections keep theirs.
    A file reverted to earlier content also becomes a new version, so the current version always
    matches the file on disk. All files are validated first: one bad file stores nothing
    (raises :class:`~inspect_app.checklists.loader.ChecklistFileError`).

    A current version published on the admin desk is newer than the repository's file until someone
    exports it there, so a file that differs from it (in content, not only comments) is not stored
    silently: ``published`` = "refuse" raises :class:`PublishedVersionsDiffer` before storing anything,
    "overwrite" stores the file anyway, "keep" leaves the published version current (the demo does).
    """
    loaded = load_directory(directory)
    latest = {v.source_key: v for v in current_versions()}
    held: dict[str, tuple[int, dict]] = {}
    for source in loaded:
        current = latest.get(source.key)
        if current is None or current.origin != "screen" or current.content_hash == source.content_hash:
            continue
        diff = diff_sources(loaded_version(current), source)
        if diff["changed"]:
            held[source.key] = (current.version, diff)
    if held and published == REFUSE:
        raise PublishedVersionsDiffer([(key, number, diff) for key, (number, diff) in held.items()])
    results = []
    for source in loaded:
        current = latest.get(source.key)
        if current is not None and current.content_hash == source.content_hash:
            results.append(SyncResult(source.key, current.version, False))
            continue
        if source.key in held and published == KEEP:
            results.append(SyncResult(source.key, current.version, False, kept_published=True))
            continue
        version = _store_version(source, (current.version if current else 0) + 1)
        audit.record(actor, "checklist_version_created", version, after={
            "source_key": version.source_key, "version": version.version,
            "content_hash": version.content_hash, "items": [item["key"] for item in source.items],
            "previous_version": current.version if current else None,
            "replaced_published": source.key in held,
        })
        results.append(SyncResult(source.key, version.version, True))
    return results


def loaded_version(version: ChecklistVersion) -> LoadedSource:
    """A stored version read back through the loader (its TOML), to compare a draft or a file with."""
    return load_document(tomllib.loads(version.raw_text), f"{version.source_key}.toml",
                         raw_text=version.raw_text, stem=version.source_key)


def current_document(version: ChecklistVersion) -> dict:
    """The version as the document a draft starts from (its TOML as plain data)."""
    return tomllib.loads(version.raw_text)


def _without_nulls(value):
    """TOML has no null: a draft's null means "absent" (e.g. no window, no penalty article)."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def check_draft(source_key: str, document: dict) -> tuple[ChecklistVersion, LoadedSource]:
    """The source's current version and the draft validated by the loader, alone and with the other
    current sources (a shared requirement keeps one kind, window and alert condition).

    Raises NotFound for an unknown source and ValidationFailed (``checklist_draft_invalid``, the
    loader's sentences in ``details.problems``) for an invalid draft.
    """
    current = current_version(source_key)
    if current is None:
        raise NotFound("checklist_source_unknown", source=source_key)
    try:
        draft = load_document(_without_nulls(document), f"{source_key}.toml", stem=source_key)
        check_together([loaded_version(v) for v in current_versions() if v.source_key != source_key] + [draft])
    except ChecklistFileError as err:
        messages = err.messages()
        raise ValidationFailed("checklist_draft_invalid", problems="\n".join(messages), details={"problems": [
            {"code": p.code, "item": p.item, "item_number": p.item_number, "section": p.section,
             "field": p.params.get("field"), "message": message}
            for p, message in zip(err.problems, messages)
        ]}) from err
    return current, draft


def draft_report(source_key: str, document: dict, *, phase: str | None = None, at: datetime | None = None,
                 site_status: str | None = None, alert: str | None = None) -> dict:
    """What the desk shows for a draft, storing nothing: the diff against the current version, its TOML
    and, with ``at``, the phone form it would give at ``phase`` (and site status, alert level) then."""
    current, draft = check_draft(source_key, document)
    preview = None
    if at is not None:
        others = [version_as_form_source(v) for v in current_versions(draft.kind)]
        preview = preview_form(draft, others, phase=phase, local_time=at, site_status=site_status,
                               alert_levels=frozenset([alert]) if alert else frozenset())
        preview |= {"phase": phase, "at": at}
    return {"source_key": source_key, "base_version": current.version,
            "diff": diff_sources(loaded_version(current), draft), "preview": preview, "toml": draft.raw_text}


def publish_source(actor, source_key: str, document: dict, base_version: int | None
                   ) -> tuple[ChecklistVersion, bool]:
    """Store a draft as the source's next immutable version, as sync stores a file; (version, created).

    ``base_version`` is the version the draft was made from: another version published since is a
    conflict (409 ``checklist_draft_stale``), never overwritten. A draft with the current version's
    content stores nothing and answers the current version (publishing twice is harmless).
    """
    current, draft = check_draft(source_key, document)
    if base_version is not None and base_version != current.version:
        raise Conflict("checklist_draft_stale", source=source_key, base=base_version, current=current.version)
    diff = diff_sources(loaded_version(current), draft)
    if not diff["changed"]:
        return current, False
    version = _store_version(draft, current.version + 1, origin="screen", published_by=actor)
    audit.record(actor, "checklist_version_published", version, before={
        "version": current.version, "content_hash": current.content_hash,
    }, after={
        "source_key": version.source_key, "version": version.version, "content_hash": version.content_hash,
        "items": [item["key"] for item in draft.items],
        "changes": {"source": [c["field"] for c in diff["source"]],
                    "items": {item["key"]: item["status"] for item in diff["items"]}},
    })
    return version, True


def _store_version(source: LoadedSource, number: int, *, origin: str = "file", published_by=None
                   ) -> ChecklistVersion:
    version = ChecklistVersion(
        source_key=source.key, version=number, content_hash=source.content_hash, kind=source.kind,
        title_zh=source.title_zh, title_en=source.title_en, clause=source.clause,
        window=source.window, position=source.position, raw_text=source.raw_text,
        origin=origin, published_by_id=getattr(published_by, "id", None),
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

"""A checklist change compared with its current version, and the phone form it would give. Pure functions.

Both sides are :class:`~inspect_app.checklists.loader.LoadedSource` (the stored version's TOML and the
draft, checked by the same loader), so the diff sees every field a file can carry. The legal basis is
compared field by field (``legal_basis.fine_max``); lists and windows as a whole.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from inspect_app.checklists.forms import compose_form, is_applicable
from inspect_app.checklists.loader import LoadedSource
from inspect_app.core.i18n import translate

SOURCE_FIELDS = ("kind", "position", "title_zh", "title_en", "clause", "window")
ADDED, REMOVED, CHANGED = "added", "removed", "changed"


def _flat(item: Mapping) -> dict:
    flat = {}
    for name, value in item.items():
        if name == "legal_basis" and isinstance(value, Mapping):
            for inner, inner_value in value.items():
                flat[f"legal_basis.{inner}"] = inner_value
        else:
            flat[name] = value
    return flat


def _field_changes(before: Mapping, after: Mapping, names: Iterable[str] | None = None) -> list[dict]:
    names = list(names) if names is not None else list(dict.fromkeys([*before, *after]))
    return [{"field": name, "before": before.get(name), "after": after.get(name)}
            for name in names if before.get(name) != after.get(name)]


def diff_sources(before: LoadedSource | None, after: LoadedSource) -> dict:
    """``{"changed", "source": [field changes], "items": [{"key", "status", "fields"}]}``.

    Items are matched by key; ``status`` is added, removed or changed (unchanged items are left out).
    A moved item shows as a change of ``position``.
    """
    source_before = {name: getattr(before, name) for name in SOURCE_FIELDS} if before else {}
    source_after = {name: getattr(after, name) for name in SOURCE_FIELDS}
    source_changes = _field_changes(source_before, source_after, SOURCE_FIELDS)
    old = {item["key"]: _flat(item) for item in (before.items if before else ())}
    new = {item["key"]: _flat(item) for item in after.items}
    items = []
    for key, fields in new.items():
        if key not in old:
            items.append({"key": key, "status": ADDED, "fields": _field_changes({}, fields)})
        else:
            changes = _field_changes(old[key], fields)
            if changes:
                items.append({"key": key, "status": CHANGED, "fields": changes})
    for key, fields in old.items():
        if key not in new:
            items.append({"key": key, "status": REMOVED, "fields": _field_changes(fields, {})})
    return {"changed": bool(source_changes or items), "source": source_changes, "items": items}


def diff_lines(diff: Mapping, locale: str | None = None) -> list[str]:
    """The diff in sentences (the CLI prints them): one line per changed field."""
    lines = [translate("checklist_diff_source_field", locale, field=c["field"], before=_shown(c["before"]),
                       after=_shown(c["after"])) for c in diff["source"]]
    for item in diff["items"]:
        if item["status"] == ADDED:
            lines.append(translate("checklist_diff_item_added", locale, item=item["key"]))
        elif item["status"] == REMOVED:
            lines.append(translate("checklist_diff_item_removed", locale, item=item["key"]))
        else:
            lines.extend(translate("checklist_diff_item_field", locale, item=item["key"], field=c["field"],
                                   before=_shown(c["before"]), after=_shown(c["after"]))
                         for c in item["fields"])
    return lines


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def preview_form(draft: LoadedSource, others: Iterable[Mapping], *, phase: str | None, local_time: datetime,
                 site_status: str | None = None, alert_levels: frozenset[str] = frozenset()) -> dict:
    """The form of the draft's kind with the draft in place of its current version, each item marked
    asked or not at ``phase`` and ``local_time`` (and why), by the form's own ``is_applicable``."""
    sources = [s for s in others if s["key"] != draft.key] + [draft.as_form_source()]
    form = compose_form(draft.kind, sources)
    for item in form["items"]:
        applicable, reason = is_applicable(item, phase, local_time, site_status, alert_levels=alert_levels)
        item["applicable"], item["reason"] = applicable, reason
        item["from_draft"] = any(s["source_key"] == draft.key for s in item["sources"])
    return form

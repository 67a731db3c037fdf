"""Reading checklist files (``checklists/*.toml``) into validated plain data. No database here.

A file that breaks a rule raises :class:`ChecklistFileError`, listing every problem found with the
file name, the item key (or its number when the key itself is missing) and what is wrong, so an
admin can fix the file without reading code. ``content_hash`` is the SHA-256 of the file's bytes:
sync stores a new version exactly when it changes. A draft edited on the admin desk is a document
of the same shape, checked by the same :func:`load_document`.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from marshmallow import ValidationError

from inspect_app.checklists import messages  # noqa: F401  (registers the problem texts)
from inspect_app.checklists.file_schema import (  # noqa: F401  (constants re-exported)
    ALERT_LEVELS,
    ALL_PHASES,
    AUTHORITIES,
    CHECKLIST_KINDS,
    LIABLE_PARTIES,
    PHASES,
    PROVISION_CONDITIONS,
    STOP_WORK_CONDITIONS,
    SITE_STATUSES,
    ChecklistFileSchema,
)
from inspect_app.core.i18n import translate

# Which allowed values to show with a "not one of" problem.
_ALLOWED = {
    "checklist_unknown_phase": (*PHASES, ALL_PHASES),
    "checklist_unknown_authority": AUTHORITIES,
    "checklist_unknown_liable": LIABLE_PARTIES,
    "checklist_unknown_condition": (*PROVISION_CONDITIONS, *STOP_WORK_CONDITIONS),
    "checklist_unknown_site_status": SITE_STATUSES,
    "checklist_bad_kind": CHECKLIST_KINDS,
    "checklist_unknown_alert_level": ALERT_LEVELS,
}


# ---------------------------------------------------------------- problems and the error


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one checklist file."""

    file: str
    code: str
    section: str = "file"  # file | source | item
    item: str | None = None  # the item's key, when it has one
    item_number: int | None = None  # 1-based position, when the key is missing
    params: dict = field(default_factory=dict)

    def message(self, locale: str | None = None) -> str:
        """The problem as a sentence in ``locale`` (default: the request's, else zh-CN)."""
        if self.section == "item" and self.item:
            where = translate("checklist_where_item", locale, item=self.item)
        elif self.section == "item":
            where = translate("checklist_where_item_no", locale, number=self.item_number)
        else:
            where = translate(f"checklist_where_{self.section}", locale)
        params = dict(self.params)
        if self.code in _ALLOWED:
            params.setdefault("allowed", ", ".join(_ALLOWED[self.code]))
        problem = translate(self.code, locale, **params)
        return translate("checklist_file_problem", locale, file=self.file, where=where, problem=problem)


class ChecklistFileError(Exception):
    """One or more checklist files are invalid; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.text())

    def messages(self, locale: str | None = None) -> list[str]:
        """Every problem as a sentence."""
        return [p.message(locale) for p in self.problems]

    def text(self, locale: str | None = None) -> str:
        return "\n".join(self.messages(locale))

    def __str__(self) -> str:
        return self.text()

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


# ---------------------------------------------------------------- loading


@dataclass(frozen=True)
class LoadedSource:
    """A validated checklist file: the source header, its items in file order, and its hash."""

    path: Path
    content_hash: str
    raw_text: str
    key: str
    kind: str
    position: int
    title_zh: str
    title_en: str
    clause: str
    window: dict | None
    items: tuple[dict, ...]

    def as_form_source(self) -> dict:
        """The plain shape :func:`inspect_app.checklists.forms.compose_form` takes."""
        return {
            "key": self.key, "kind": self.kind, "version": None, "version_id": None,
            "position": self.position, "title_zh": self.title_zh, "title_en": self.title_en,
            "clause": self.clause, "window": self.window,
            "items": [dict(item, checklist_item_id=None) for item in self.items],
        }


def load_source(path: str | Path) -> LoadedSource:
    """Read and validate one checklist file; raises :class:`ChecklistFileError`."""
    path = Path(path)
    name = path.name
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise ChecklistFileError([Problem(name, "checklist_unreadable", params={"detail": exc.strerror})]) from exc
    try:
        raw_text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ChecklistFileError([Problem(name, "checklist_not_utf8")]) from exc
    try:
        raw = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as exc:
        raise ChecklistFileError([Problem(name, "checklist_toml_syntax", params={"detail": str(exc)})]) from exc

    return load_document(raw, name, raw_text=raw_text, stem=path.stem, path=path)


def load_document(raw: Any, name: str, *, raw_text: str | None = None, stem: str | None = None,
                  path: Path | None = None) -> LoadedSource:
    """Validate one checklist document — a file's parsed TOML, or a draft edited on the admin desk.

    The same rules for both (raises :class:`ChecklistFileError` naming ``name``). ``stem``: the key the
    document must carry (a file's name; the source a draft edits). ``raw_text`` is the TOML the version
    stores; a draft without one is rendered with tomli-w once it is valid, and its hash is that text's.
    """
    problems: list[Problem] = []
    data = None
    try:
        data = ChecklistFileSchema().load(raw)
    except ValidationError as err:
        problems.extend(_problems_from_errors(name, err.messages, raw if isinstance(raw, dict) else {}))
    if isinstance(raw, dict):
        problems.extend(_duplicate_problems(name, raw.get("items")))
        source_key = raw.get("source", {}).get("key") if isinstance(raw.get("source"), dict) else None
        if stem is not None and isinstance(source_key, str) and source_key != stem:
            problems.append(Problem(name, "checklist_key_not_file_stem", "source",
                                    params={"value": source_key, "stem": stem}))
    if data is not None and not data["items"]:
        problems.append(Problem(name, "checklist_no_items"))
    if problems:
        raise ChecklistFileError(_unique(problems))

    if raw_text is None:
        raw_text = tomli_w.dumps(raw)
    source = data["source"]
    items = tuple(dict(item, position=position) for position, item in enumerate(data["items"]))
    return LoadedSource(
        path=path or Path(name), content_hash=hashlib.sha256(raw_text.encode("utf-8")).hexdigest(),
        raw_text=raw_text, key=source["key"], kind=source["kind"], position=source["order"],
        title_zh=source["title_zh"], title_en=source["title_en"], clause=source["clause"],
        window=source["window"], items=items,
    )


def check_together(loaded: list[LoadedSource]) -> None:
    """Sources must agree with each other (see :func:`load_directory`); raises :class:`ChecklistFileError`."""
    problems = _cross_file_problems(loaded)
    if problems:
        raise ChecklistFileError(problems)


def load_directory(directory: str | Path) -> list[LoadedSource]:
    """Load every ``*.toml`` in ``directory`` (sorted by name); all files must be valid together.

    Besides each file's own rules, files must agree with each other: a requirement shared by
    several sources must belong to one kind of form and have one window, because it is asked once.
    """
    directory = Path(directory)
    paths = sorted(directory.glob("*.toml")) if directory.is_dir() else []
    if not paths:
        raise ChecklistFileError([Problem(str(directory), "checklist_no_files")])
    loaded, problems = [], []
    for path in paths:
        try:
            loaded.append(load_source(path))
        except ChecklistFileError as err:
            problems.extend(err.problems)
    problems.extend(_cross_file_problems(loaded))
    if problems:
        raise ChecklistFileError(problems)
    return loaded


def effective_window(item: dict, source_window: dict | None) -> dict | None:
    """An item's own window, else its source's."""
    return item.get("window") or source_window


def alert_condition(item: dict) -> list[str] | None:
    """An item's alert levels in canonical (lowest-first) order, or None when it is asked any time."""
    levels = item.get("alert")
    return [level for level in ALERT_LEVELS if level in levels] if levels else None


def _cross_file_problems(loaded: list[LoadedSource]) -> list[Problem]:
    problems = []
    seen_sources: dict[str, str] = {}
    first_use: dict[str, tuple[LoadedSource, dict]] = {}
    for source in loaded:
        name = source.path.name
        if source.key in seen_sources:
            problems.append(Problem(name, "checklist_duplicate_source", "source", params={"value": source.key}))
            continue
        seen_sources[source.key] = name
        for item in source.items:
            earlier = first_use.get(item["requirement"])
            if earlier is None:
                first_use[item["requirement"]] = (source, item)
                continue
            other_source, other_item = earlier
            params = {"value": item["requirement"], "other": other_source.path.name}
            if other_source.kind != source.kind:
                problems.append(Problem(name, "checklist_requirement_kind_conflict", "item", item["key"],
                                        params=params))
            elif effective_window(item, source.window) != effective_window(other_item, other_source.window):
                problems.append(Problem(name, "checklist_requirement_window_conflict", "item", item["key"],
                                        params=params))
            elif alert_condition(item) != alert_condition(other_item):
                problems.append(Problem(name, "checklist_requirement_alert_conflict", "item", item["key"],
                                        params=params))
    return problems


def _duplicate_problems(name: str, raw_items: Any) -> list[Problem]:
    """Item keys are unique in a file; so are requirements (merging happens across files)."""
    if not isinstance(raw_items, list):
        return []
    problems = []
    for attribute, code in (("key", "checklist_duplicate_key"), ("requirement", "checklist_duplicate_requirement")):
        seen = set()
        for item in raw_items:
            value = item.get(attribute) if isinstance(item, dict) else None
            if not isinstance(value, str):
                continue
            if value in seen:
                problems.append(Problem(name, code, "item", item.get("key") if isinstance(item.get("key"), str)
                                        else None, params={"value": value}))
            seen.add(value)
    return problems


def _problems_from_errors(name: str, errors: dict, raw: dict) -> list[Problem]:
    """Turn marshmallow's nested error dict into problems that name the item and field."""
    raw_items = raw.get("items") if isinstance(raw.get("items"), list) else []
    problems = []
    for path, message in _walk(errors, ()):
        section, item_key, item_number, field_path = "file", None, None, path
        if path[:1] == ("source",) and len(path) > 1:
            section, field_path = "source", path[1:]
        elif path[:1] == ("items",) and len(path) > 1 and isinstance(path[1], int):
            section, item_number, field_path = "item", path[1] + 1, path[2:]
            raw_item = raw_items[path[1]] if path[1] < len(raw_items) else None
            key = raw_item.get("key") if isinstance(raw_item, dict) else None
            item_key = key if isinstance(key, str) and key else None
        problems.append(_problem_from_message(name, section, item_key, item_number, field_path or path, message))
    return problems


def _walk(errors, path):
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _walk(value, path if key == "_schema" else (*path, key))
    elif isinstance(errors, list):
        for message in errors:
            if isinstance(message, (dict, list)):
                yield from _walk(message, path)
            else:
                yield path, str(message)
    else:
        yield path, str(errors)


def _problem_from_message(name, section, item_key, item_number, field_path, message) -> Problem:
    field_name = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p))
                         for i, p in enumerate(field_path)) or section
    code, _, rest = message.partition("|")
    value, _, detail = rest.partition("|")
    if not code.startswith("checklist_"):
        code, detail = "checklist_invalid_value", message
    return Problem(name, code, section, item_key, item_number,
                   params={"field": field_name, "value": value, "detail": detail})


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, result = set(), []
    for problem in problems:
        marker = (problem.code, problem.section, problem.item, problem.item_number,
                  tuple(sorted(problem.params.items())))
        if marker not in seen:
            seen.add(marker)
            result.append(problem)
    return result

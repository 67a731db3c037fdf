"""Scoring one checklist sheet. Pure functions over plain data: no database, no request.

How a sheet is scored (the published Chinese dust-sheet practice, DOMAIN.md). Two rules exist, and
every stored inspection keeps the one that graded it (``inspections.scoring_rule``): a stored sheet
is never re-graded under a rule it was not graded by.

**Rule 2 (2026, ``CURRENT_RULE``): the score does not depend on the hour.**

* The *base sheet* is every item without a time window or an alert condition: the 六个百分之百, the
  八个必须 and the green-construction items. An item counts only if it applies — the site's phase
  is one of its phases (and its site status, for the 停工 check) — and it was answered "pass" or
  "fail". "na" (not applicable on site) and inapplicable items leave the denominator.
* base score = 100 × weight passed / weight counted over the base sheet.
* An *additional requirement* (附加项) is an item with a ``window`` (the summer ozone hours, night
  work) or an ``alert`` condition (重污染天气预警). While it applies, a failure deducts its weight
  from the base score (and vetoes the sheet if the item is a veto item); a pass adds nothing; it
  never enters the denominator. So the same site with the same failures grades the same at 11:00
  and at 18:00 in July: at 11:00 an ozone failure costs its points on top, at 18:00 it is not asked.
* score = max(0, base score − deductions), rounded to 2 decimals.
* A sheet whose base counted nothing (every base item "na" or inapplicable) has no score, even when
  an additional item failed: a number would claim a base that nobody assessed (100 − deductions
  would pretend the base items passed). Its grade is then the lowest band if a failed additional
  item vetoes, otherwise none; the failure itself still opens its violation and notice like any
  other failed item, and the breakdown shows its deduction.

**Rule 1 (before 2026, stored inspections only):** windowed items join the denominator while they
apply, like any other item, so the same failures weigh more or less depending on the hour.

Both rules:

* The grade is looked up on the *rounded* score, so the number shown and the grade always agree.
* An observation (观察项: the checklist item names no liable party, ``liable = "none"`` — e.g. the
  haul route, clause 11.3, a duty of the government and road owners) is asked and answered but never
  counts, whatever the answer: it is not the contractor's failure. Its reason is ``observation``.
* A counted (rule 2: or additional) veto item (否决项) that failed makes the sheet vetoed: the grade is
  the lowest band whatever the score. An inapplicable veto item cannot veto.

Grades are stable codes — "excellent" (优良), "pass" (合格), "fail" (不合格) by default — and the
labels come from the GRADE_BANDS setting or ``scoring/messages.py`` (see ``labels.py``).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from inspect_app.checklists.forms import is_applicable

OUTCOMES = ("pass", "fail", "na")
ANSWERED_NA = "answered_na"
OBSERVATION = "observation"  # an applicable item about the surroundings: answered, never scored
ADDITIONAL = "additional"  # rule 2: an applicable windowed/alert item, outside the denominator
RULE_WINDOWS_IN_DENOMINATOR = 1  # stored inspections graded before rule 2
RULE_ADDITIONAL_REQUIREMENTS = 2
RULES = (RULE_WINDOWS_IN_DENOMINATOR, RULE_ADDITIONAL_REQUIREMENTS)
CURRENT_RULE = RULE_ADDITIONAL_REQUIREMENTS  # what a new inspection is graded by
DEFAULT_GRADE_BANDS = "85:优良,71:合格,0:不合格"

# Built-in grades: label (as written in GRADE_BANDS) → (code, zh, en).
_KNOWN_GRADES = {
    "优良": ("excellent", "优良", "Excellent"),
    "合格": ("pass", "合格", "Pass"),
    "不合格": ("fail", "不合格", "Fail"),
}
_KNOWN_GRADES.update({code: (code, zh, en) for code, zh, en in list(_KNOWN_GRADES.values())})
_MAX_CODE_LENGTH = 12  # inspections.grade is String(12)


class ScoringInputError(ValueError):
    """The answers do not fit the form (unknown item, bad outcome, applicable item unanswered)."""

    def __init__(self, code: str, item: str):
        super().__init__(f"{code}: {item}")
        self.code = code
        self.item = item


@dataclass(frozen=True)
class Band:
    """A grade band: scores ≥ ``min_score`` (and below the next band up) get ``code``."""

    min_score: float
    code: str
    label_zh: str
    label_en: str


@dataclass(frozen=True)
class ScoreResult:
    """The outcome of one sheet. ``breakdown`` is JSON-ready: one dict per form item."""

    score: float | None
    grade: str | None
    vetoed: bool
    breakdown: list[dict] = field(default_factory=list)
    weight_counted: float = 0.0
    weight_passed: float = 0.0
    failed_veto_items: tuple[str, ...] = ()
    rule: int = CURRENT_RULE
    base_score: float | None = None  # rule 2: before deductions (rule 1: the score)
    deductions: float = 0.0  # rule 2: the weight of failed additional items


def parse_bands(text: str) -> tuple[Band, ...]:
    """Parse GRADE_BANDS, e.g. ``"85:优良,71:合格,0:不合格"``; highest band first.

    Each entry is ``min:label`` with a built-in label (优良/合格/不合格 or excellent/pass/fail), or
    ``min:code:label_zh:label_en`` for a custom grade. The lowest band must start at 0 so every
    score has a grade. Raises ValueError with the offending entry.
    """
    bands = []
    for entry in (part.strip() for part in (text or "").split(",")):
        if not entry:
            continue
        bands.append(_parse_band(entry))
    if not bands:
        raise ValueError("GRADE_BANDS is empty; expected e.g. '85:优良,71:合格,0:不合格'")
    bands.sort(key=lambda b: b.min_score, reverse=True)
    minimums = [b.min_score for b in bands]
    if len(set(minimums)) != len(minimums):
        raise ValueError(f"GRADE_BANDS has two bands starting at the same score: {text!r}")
    if len({b.code for b in bands}) != len(bands):
        raise ValueError(f"GRADE_BANDS names the same grade twice: {text!r}")
    if minimums[-1] != 0:
        raise ValueError(f"GRADE_BANDS must have a band starting at 0 so every score gets a grade: {text!r}")
    return tuple(bands)


def _parse_band(entry: str) -> Band:
    parts = [p.strip() for p in entry.split(":")]
    try:
        minimum = float(parts[0])
    except ValueError:
        raise ValueError(f"GRADE_BANDS entry {entry!r}: {parts[0]!r} is not a number") from None
    if not 0 <= minimum <= 100:
        raise ValueError(f"GRADE_BANDS entry {entry!r}: the minimum must be between 0 and 100")
    if len(parts) == 2 and parts[1] in _KNOWN_GRADES:
        code, zh, en = _KNOWN_GRADES[parts[1]]
    elif len(parts) == 4 and parts[1].isidentifier() and parts[1].isascii() and parts[2] and parts[3]:
        code, zh, en = parts[1:]
    else:
        raise ValueError(
            f"GRADE_BANDS entry {entry!r}: expected 'min:优良|合格|不合格' or 'min:code:中文:English'"
        )
    if len(code) > _MAX_CODE_LENGTH:
        raise ValueError(f"GRADE_BANDS entry {entry!r}: grade code longer than {_MAX_CODE_LENGTH} characters")
    return Band(minimum, code, zh, en)


DEFAULT_BANDS = parse_bands(DEFAULT_GRADE_BANDS)


def grade_for(score: float | None, bands: Sequence[Band] | str = DEFAULT_BANDS) -> str | None:
    """The grade code for ``score`` (None for no score): the highest band whose minimum it reaches."""
    if score is None:
        return None
    bands = _bands(bands)
    for band in bands:  # highest first
        if score >= band.min_score:
            return band.code
    return bands[-1].code


def lowest_grade(bands: Sequence[Band] | str = DEFAULT_BANDS) -> str:
    """The grade a vetoed sheet gets."""
    return min(_bands(bands), key=lambda b: b.min_score).code


def is_additional(form_item: Mapping) -> bool:
    """Rule 2: an item with a time window or an alert condition is an additional requirement."""
    return bool(form_item.get("window") or form_item.get("alert"))


def score_sheet(form_items: Sequence[Mapping], answers: Mapping[str, str], phase: str | None,
                local_dt: datetime | None, bands: Sequence[Band] | str = DEFAULT_BANDS,
                site_status: str | None = None, rule: int = CURRENT_RULE,
                alert_levels: frozenset[str] = frozenset()) -> ScoreResult:
    """Score a sheet: ``form_items`` as in a composed form, ``answers`` {item key: pass|fail|na}.

    ``phase`` is the site's phase when inspected (None for trucks); ``local_dt`` the inspection's
    time (aware, or naive Asia/Shanghai); ``alert_levels`` the alert levels binding at its start;
    ``rule`` the scoring rule (module docstring) — a stored
    inspection's own, ``CURRENT_RULE`` for a new one. Every applicable item needs an answer; answers
    to inapplicable items are kept in the breakdown but never count. Raises ScoringInputError.
    """
    if rule not in RULES:
        raise ValueError(f"unknown scoring rule {rule!r}; known: {RULES}")
    bands = _bands(bands)
    _check_answers(form_items, answers)
    breakdown, counted_weight, passed_weight, deductions, failed_vetoes = [], 0.0, 0.0, 0.0, []
    for item in form_items:
        row = _score_row(item, answers.get(item["key"]), phase, local_dt, site_status, rule, alert_levels)
        if row["counted"]:
            counted_weight += row["weight"]
            passed_weight += row["points"]
        deductions += row.get("deduction", 0.0)
        if row["outcome"] == "fail" and row["veto"] and (row["counted"] or row.get("deduction")):
            failed_vetoes.append(item["key"])
        breakdown.append(row)

    base = 100.0 * passed_weight / counted_weight if counted_weight > 0 else None
    score = None if base is None else round(max(0.0, base - deductions), 2)
    vetoed = bool(failed_vetoes)
    grade = lowest_grade(bands) if vetoed else grade_for(score, bands)
    return ScoreResult(score=score, grade=grade, vetoed=vetoed, breakdown=breakdown,
                       weight_counted=counted_weight, weight_passed=passed_weight,
                       failed_veto_items=tuple(failed_vetoes), rule=rule,
                       base_score=None if base is None else round(base, 2), deductions=deductions)


def _check_answers(form_items: Sequence[Mapping], answers: Mapping[str, str]) -> None:
    known = {item["key"] for item in form_items}
    for key, outcome in answers.items():
        if key not in known:
            raise ScoringInputError("unknown_item", key)
        if outcome not in OUTCOMES:
            raise ScoringInputError("bad_outcome", key)


def _score_row(item: Mapping, outcome: str | None, phase: str | None, local_dt: datetime | None,
               site_status: str | None, rule: int, alert_levels: frozenset[str] = frozenset()) -> dict:
    """One breakdown row (JSON-ready). Rule 2 rows also say ``additional`` and their ``deduction``."""
    applicable, reason = is_applicable(item, phase, local_dt, site_status, alert_levels=alert_levels)
    if applicable and outcome is None:
        raise ScoringInputError("answer_missing", item["key"])
    weight = float(item["weight"])
    observation = bool(item.get("observation"))
    additional = rule >= RULE_ADDITIONAL_REQUIREMENTS and is_additional(item)
    answered = applicable and outcome in ("pass", "fail") and not observation
    counted = answered and not additional
    if not applicable:
        why = reason
    elif observation:
        why = OBSERVATION
    elif outcome == "na":
        why = ANSWERED_NA
    else:
        why = ADDITIONAL if additional else None
    row = {
        "key": item["key"], "weight": weight, "veto": bool(item.get("veto")), "outcome": outcome,
        "applicable": applicable, "counted": counted, "reason": why,
        "points": weight if counted and outcome == "pass" else 0.0,
    }
    if rule >= RULE_ADDITIONAL_REQUIREMENTS:
        row["additional"] = additional
        row["deduction"] = weight if additional and answered and outcome == "fail" else 0.0
    return row


def _bands(bands: Sequence[Band] | str | None) -> tuple[Band, ...]:
    if bands is None:
        return DEFAULT_BANDS
    if isinstance(bands, str):
        return parse_bands(bands)
    return tuple(sorted(bands, key=lambda b: b.min_score, reverse=True))

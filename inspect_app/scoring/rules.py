"""Scoring one checklist sheet. Pure functions over plain data: no database, no request.

How a sheet is scored (the published Chinese dust-sheet practice, DOMAIN.md):

* An item counts only if it applies — the site's phase is one of its phases and, for seasonal
  items (summer ozone control), the inspection's local time is inside the window — and it was
  answered "pass" or "fail". "na" (not applicable on site, e.g. no truck left during the visit)
  and inapplicable items leave the denominator instead of counting as full marks.
* score = 100 × weight passed / weight counted, rounded to 2 decimals; None when nothing counted.
* The grade is looked up on the *rounded* score, so the number shown and the grade always agree.
* An observation (观察项: the checklist item names no liable party, ``liable = "none"`` — e.g. the
  haul route, clause 11.3, a duty of the government and road owners) is asked and answered but never
  counts, whatever the answer: it is not the contractor's failure. Its reason is ``observation``.
* A counted veto item (否决项) that failed makes the sheet vetoed: the grade is the lowest band
  whatever the score. An inapplicable veto item cannot veto.

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


def score_sheet(form_items: Sequence[Mapping], answers: Mapping[str, str], phase: str | None,
                local_dt: datetime | None, bands: Sequence[Band] | str = DEFAULT_BANDS,
                site_status: str | None = None) -> ScoreResult:
    """Score a sheet: ``form_items`` as in a composed form, ``answers`` {item key: pass|fail|na}.

    ``phase`` is the site's phase when inspected (None for trucks); ``local_dt`` the inspection's
    time (aware, or naive Asia/Shanghai). Every applicable item needs an answer; answers to
    inapplicable items are kept in the breakdown but never count. Raises ScoringInputError.
    """
    bands = _bands(bands)
    known = {item["key"] for item in form_items}
    for key, outcome in answers.items():
        if key not in known:
            raise ScoringInputError("unknown_item", key)
        if outcome not in OUTCOMES:
            raise ScoringInputError("bad_outcome", key)

    breakdown, counted_weight, passed_weight, failed_vetoes = [], 0.0, 0.0, []
    for item in form_items:
        applicable, reason = is_applicable(item, phase, local_dt, site_status)
        outcome = answers.get(item["key"])
        if applicable and outcome is None:
            raise ScoringInputError("answer_missing", item["key"])
        weight = float(item["weight"])
        observation = bool(item.get("observation"))
        counted = applicable and outcome in ("pass", "fail") and not observation
        if not applicable:
            why = reason
        elif observation:
            why = OBSERVATION
        elif outcome == "na":
            why = ANSWERED_NA
        else:
            why = None
        if counted:
            counted_weight += weight
            passed_weight += weight if outcome == "pass" else 0.0
            if outcome == "fail" and item.get("veto"):
                failed_vetoes.append(item["key"])
        breakdown.append({
            "key": item["key"], "weight": weight, "veto": bool(item.get("veto")), "outcome": outcome,
            "applicable": applicable, "counted": counted, "reason": why,
            "points": weight if counted and outcome == "pass" else 0.0,
        })

    score = round(100.0 * passed_weight / counted_weight, 2) if counted_weight > 0 else None
    vetoed = bool(failed_vetoes)
    grade = lowest_grade(bands) if vetoed else grade_for(score, bands)
    return ScoreResult(score=score, grade=grade, vetoed=vetoed, breakdown=breakdown,
                       weight_counted=counted_weight, weight_passed=passed_weight,
                       failed_veto_items=tuple(failed_vetoes))


def _bands(bands: Sequence[Band] | str | None) -> tuple[Band, ...]:
    if bands is None:
        return DEFAULT_BANDS
    if isinstance(bands, str):
        return parse_bands(bands)
    return tuple(sorted(bands, key=lambda b: b.min_score, reverse=True))

"""Showing grades and breakdown reasons in the reader's language (the codes come from rules.py)."""
from __future__ import annotations

from collections.abc import Sequence

from inspect_app.core.i18n import catalogue, negotiate_locale, translate
from inspect_app.scoring import messages  # noqa: F401  (registers the labels)
from inspect_app.scoring.rules import Band


def grade_label(code: str | None, bands: Sequence[Band] = (), locale: str | None = None) -> str:
    """The label of a grade code: from a configured band if it has one, else the built-in text."""
    if code is None:
        return ""
    for band in bands:
        if band.code == code:
            return band.label_en if (locale or negotiate_locale()) == "en" else band.label_zh
    return translate(f"grade_{code}", locale) if f"grade_{code}" in catalogue() else code


def reason_label(reason: str | None, locale: str | None = None) -> str:
    """Why an item did not count, as a sentence fragment ("" when it counted)."""
    return translate(f"score_reason_{reason}", locale) if reason else ""



def rule_label(rule: int | None, locale: str | None = None) -> str:
    """Which scoring rule graded a sheet, as a sentence ("" for an unscored sheet)."""
    return translate(f"scoring_rule_{rule}", locale) if rule else ""


def additional_deductions(breakdown: Sequence[dict] | None, locale: str | None = None) -> list[dict]:
    """The failed additional requirements of a rule-2 breakdown: key, points deducted, veto, a sentence."""
    return [{"key": row["key"], "points": row["deduction"], "veto": bool(row.get("veto")),
             "label": translate("score_additional_deduction", locale, points=_points(row["deduction"]))}
            for row in breakdown or () if row.get("deduction")]


def _points(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

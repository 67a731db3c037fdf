"""Rectification and penalty rules as pure functions over plain data.

- Every failed item opens a violation (整改) with a deadline from the checklist item, or, if one
  is already open, counts as a re-failure; a failure after the deadline makes it overdue.
- A passed item closes the open violation.
- A penalty case is queued when a veto item fails, when an overdue violation fails again, or
  when the same item fails for the third time within 30 days at one site (window inclusive at
  both ends: a failure exactly 30 days earlier still counts).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

REPEAT_WINDOW = timedelta(days=30)
REPEAT_THRESHOLD = 3


@dataclass(frozen=True)
class Finding:
    """One answered, applicable item of the inspection being processed."""

    item_key: str
    outcome: str  # pass | fail | na
    veto: bool
    rectify_days: int


@dataclass(frozen=True)
class OpenViolation:
    item_key: str
    deadline: datetime


@dataclass
class Decision:
    open_new: list[str] = field(default_factory=list)
    refail: list[str] = field(default_factory=list)
    make_overdue: list[str] = field(default_factory=list)
    close: list[str] = field(default_factory=list)
    case_reasons: dict[str, list[str]] = field(default_factory=dict)


def count_in_window(earlier_failures: list[datetime], at: datetime) -> int:
    """How many earlier failures fall in [at - 30 days, at]."""
    start = at - REPEAT_WINDOW
    return sum(1 for when in earlier_failures if start <= when <= at)


def decide(findings: list[Finding], open_violations: dict[str, OpenViolation],
           earlier_failures: dict[str, list[datetime]], at: datetime) -> Decision:
    """What this inspection does to violations and which items go to a penalty case, and why."""
    decision = Decision()
    for finding in findings:
        key = finding.item_key
        current = open_violations.get(key)
        if finding.outcome == "pass":
            if current is not None:
                decision.close.append(key)
            continue
        if finding.outcome != "fail":
            continue
        reasons = []
        if finding.veto:
            reasons.append("veto")
        if current is None:
            decision.open_new.append(key)
        elif at > current.deadline:
            decision.make_overdue.append(key)
            reasons.append("overdue_refail")
        else:
            decision.refail.append(key)
        if count_in_window(earlier_failures.get(key, []), at) + 1 >= REPEAT_THRESHOLD:
            reasons.append("repeat_failures")
        if reasons:
            decision.case_reasons[key] = reasons
    return decision

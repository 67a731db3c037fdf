"""Rectification and penalty rules as pure functions over plain data.

- Every failed item opens a violation (整改) with a deadline from the checklist item, or, if one
  is already open, counts as a re-failure; a failure after the deadline makes it overdue.
- A passed item closes the open violation.
- A penalty case is queued when a veto item fails, when an overdue violation fails again, or
  when the same item fails for the third time within 30 days at one site (window inclusive at
  both ends: a failure exactly 30 days earlier still counts).
- Who and how (issue 10): an observation (no liable party) opens nothing; an item with no penalty
  article is an order to correct (整改) and never a case; an item of another authority than the
  bureau (生态环境分局, 区交管队, 区住建局) is referred on every failure — the bureau never fines it.
- The range of a case item depends on the liable party (139号令 第二十六条: an individual at most
  200 元, a unit 5,000–50,000 元), and one act that breaks several provisions is fined once, under
  the provision with the higher fine (《行政处罚法》第二十九条). 责令停工整治 under 大气法 第一百一十五条
  needs a refusal to correct (拒不改正), and may go with the fine.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

REPEAT_WINDOW = timedelta(days=30)
REPEAT_THRESHOLD = 3
BUREAU = "bureau"  # 区城管执法局: the only authority that decides cases in this system
OBSERVATION = "none"  # liable party of an observation about the surroundings
REFERRAL = "referral"  # case reason: another authority's item failed, the case is referred to it
UNIT, INDIVIDUAL = "unit", "individual"
INDIVIDUAL_PARTIES = ("driver",)
# 拒不改正: the item still fails after its rectification deadline (the order to correct was ignored).
REFUSAL_REASONS = ("overdue_refail",)


@dataclass(frozen=True)
class Finding:
    """One answered, applicable item of the inspection being processed."""

    item_key: str
    outcome: str  # pass | fail | na
    veto: bool
    rectify_days: int
    authority: str = BUREAU  # who enforces the item (legal_basis.authority)
    liable: str = "contractor"  # "none": an observation
    punishable: bool = True  # False: an order to correct only (no penalty article)


@dataclass(frozen=True)
class Provision:
    """The article a fine is decided under and its range for the party (CNY)."""

    law: str
    penalty_article: str
    fine_min: float
    fine_max: float
    concurrent: bool = False  # one of the item's concurrent provisions, not its primary one


def finding_route(basis: dict, liable: str) -> dict:
    """The Finding fields a checklist item's legal basis and liable party decide."""
    return {"authority": (basis or {}).get("authority") or BUREAU, "liable": liable,
            "punishable": bool((basis or {}).get("penalty_article"))}


def party_kind(liable: str, *, individual_haulier: bool = False) -> str:
    """Whether the liable party is fined as a unit or an individual.

    The driver is a person (道路交通安全法 第九十二条); a haulier is a unit unless the truck is
    registered to no haulage company (an individual owner-driver, 139号令 第二十六条's 个人).
    """
    if liable in INDIVIDUAL_PARTIES or (liable == "haulier" and individual_haulier):
        return INDIVIDUAL
    return UNIT


def _provision(source: dict, party: str, *, concurrent: bool) -> Provision | None:
    if not source.get("penalty_article"):
        return None
    if party == INDIVIDUAL and source.get("applies_to") == "units":
        return None  # e.g. 139号令 第二十三条 fines 处置建筑垃圾的单位 only
    low, high = source.get("fine_min"), source.get("fine_max")
    if party == INDIVIDUAL and source.get("individual_fine_max") is not None:
        low, high = source.get("individual_fine_min") or 0, source["individual_fine_max"]
    if low is None or high is None:
        return None
    return Provision(source["law"], source["penalty_article"], float(low), float(high), concurrent)


def provisions(basis: dict, party: str = UNIT, reasons: list[str] | tuple = ()) -> list[Provision]:
    """Every provision with a fine that the item's act breaks, for this party and these case reasons."""
    basis = basis or {}
    found = [_provision(basis, party, concurrent=False)]
    for other in basis.get("concurrent") or []:
        condition = other.get("applies_when")
        if condition is None or condition in reasons:
            found.append(_provision(other, party, concurrent=True))
    return [p for p in found if p is not None]


def governing_provision(basis: dict, party: str = UNIT, reasons: list[str] | tuple = ()) -> Provision | None:
    """The provision the act is fined under: the higher fine (《行政处罚法》第二十九条).

    "Higher" is the higher maximum, then the higher minimum; None: no fine at all (an order to
    correct, or another authority's item with no range of the bureau's).
    """
    candidates = provisions(basis, party, reasons)
    if not candidates:
        return None
    return max(candidates, key=lambda p: (p.fine_max, p.fine_min, not p.concurrent))


def stop_work_allowed(basis: dict, reasons: list[str] | tuple) -> bool:
    """责令停工整治 (大气法 第一百一十五条) only when the party refuses to correct; the fine may go with it."""
    condition = (basis or {}).get("stop_work")
    return condition == "refuses_to_correct" and any(r in REFUSAL_REASONS for r in reasons)


def case_item_range(basis: dict, party: str, reasons: list[str] | tuple) -> dict:
    """What a case item carries about its sanction: the governing provision and whether 停工 may follow."""
    governing = governing_provision(basis, party, reasons)
    return {
        "party_kind": party,
        "governing": None if governing is None else {
            "law": governing.law, "penalty_article": governing.penalty_article,
            "fine_min": governing.fine_min, "fine_max": governing.fine_max},
        "stop_work_allowed": stop_work_allowed(basis, reasons),
    }


def case_range(case_items: list[dict]) -> tuple[float | None, float | None]:
    """The case-level range shown beside the items: the highest governing range among them.

    Several violations are several acts, each with its own range (per item, ``governing``); the
    case-level figure is only the widest bound a reader sees first.
    """
    ranges = [item["governing"] for item in case_items if item.get("governing")]
    if not ranges:
        return None, None
    top = max(ranges, key=lambda g: (g["fine_max"], g["fine_min"]))
    return top["fine_min"], top["fine_max"]


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
        if finding.liable == OBSERVATION:
            continue  # about the surroundings: nobody on site to rectify or to punish
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
        if finding.authority != BUREAU:
            reasons.insert(0, REFERRAL)  # another authority's matter: referred on every failure
        elif not finding.punishable:
            reasons = []  # an order to correct (整改) only: the violation, never a case
        if reasons:
            decision.case_reasons[key] = reasons
    return decision

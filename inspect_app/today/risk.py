"""The risk score that ranks suggested sites (pure: plain data in, score and reasons out).

Points, and why (a site with 100 or more points is very likely to be failing now):

====================  =============================  ============================================
factor                points                         why
====================  =============================  ============================================
days since visited    1 a day, at most 40;           the coverage target is a week; a month
                      never inspected: 40            unvisited is the strongest single signal
last grade            fail 15, pass 5, excellent 0   a failing site tends to fail again
overdue violations    12 each, at most 36            a deadline passed: the site ignores orders
open violations       4 each, at most 16             still being rectified: worth a look
phase                 土方/拆除 15, 基础 8, 停工(idle)  earthwork and demolition make the most dust
                      6, 主体 5, 装饰装修 3, 竣工 0    (the plan's 八个必须 target them); idle land
                                                     is bare soil to cover
failures in 90 days   3 each, at most 15             a habit, not an accident
complaints in 30 days 8 each, at most 24             residents see what inspectors miss
alert in force        12                             重污染天气预警: earthwork must stop
stop-work order       20                             停工: check the order is obeyed
====================  =============================  ============================================

The top reasons (largest points first, ties in the table's order) are returned as codes with
parameters; ``messages.py`` renders them ("32 天未巡查 · 2 项逾期未整改").
"""
from __future__ import annotations

from dataclasses import dataclass, field

DAYS_CAP = 40
NEVER_INSPECTED = 40
GRADE_POINTS = {"fail": 15, "pass": 5, "excellent": 0}
OVERDUE_EACH, OVERDUE_CAP = 12, 36
OPEN_EACH, OPEN_CAP = 4, 16
PHASE_POINTS = {"earthwork": 15, "demolition": 15, "foundation": 8, "idle": 6, "structure": 5,
                "decoration": 3, "finished": 0}
FAILURE_EACH, FAILURE_CAP = 3, 15
COMPLAINT_EACH, COMPLAINT_CAP = 8, 24
ALERT_POINTS = 12
SUSPENDED_POINTS = 20
TOP_REASONS = 3


@dataclass(frozen=True)
class RiskInputs:
    """What is known about one site today."""

    days_since: int | None  # calendar days (Asia/Shanghai) since its last counted inspection
    last_grade: str | None = None  # grade code of the last scored inspection
    open_violations: int = 0  # open, not yet overdue
    overdue_violations: int = 0
    phase: str = "structure"
    failures_90d: int = 0  # violations found in the last 90 days
    complaints_30d: int = 0
    alert_in_force: bool = False
    suspended: bool = False  # a stop-work order (停工) stands


@dataclass(frozen=True)
class Reason:
    code: str
    points: int
    params: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Risk:
    score: int
    reasons: tuple[Reason, ...]  # the top ones, largest first


def _capped(count: int, each: int, cap: int) -> int:
    return min(max(count, 0) * each, cap)


def risk_score(site: RiskInputs) -> Risk:
    """The site's score and its top reasons (only factors that add points are reasons)."""
    candidates: list[Reason] = []
    if site.days_since is None:
        candidates.append(Reason("risk_never_inspected", NEVER_INSPECTED))
    else:
        candidates.append(Reason("risk_days_since", min(max(site.days_since, 0), DAYS_CAP), {"days": site.days_since}))
    candidates.append(Reason(f"risk_last_grade_{site.last_grade}", GRADE_POINTS.get(site.last_grade or "", 0)))
    candidates.append(Reason("risk_overdue_violations", _capped(site.overdue_violations, OVERDUE_EACH, OVERDUE_CAP),
                             {"n": site.overdue_violations}))
    candidates.append(Reason("risk_open_violations", _capped(site.open_violations, OPEN_EACH, OPEN_CAP),
                             {"n": site.open_violations}))
    candidates.append(Reason(f"risk_phase_{site.phase}", PHASE_POINTS.get(site.phase, 0)))
    candidates.append(Reason("risk_failures_90d", _capped(site.failures_90d, FAILURE_EACH, FAILURE_CAP),
                             {"n": site.failures_90d}))
    candidates.append(Reason("risk_complaints_30d", _capped(site.complaints_30d, COMPLAINT_EACH, COMPLAINT_CAP),
                             {"n": site.complaints_30d}))
    candidates.append(Reason("risk_alert_in_force", ALERT_POINTS if site.alert_in_force else 0))
    candidates.append(Reason("risk_suspended", SUSPENDED_POINTS if site.suspended else 0))
    scoring = [reason for reason in candidates if reason.points > 0]
    # sorted() is stable: equal points keep the table's order
    top = tuple(sorted(scoring, key=lambda reason: -reason.points)[:TOP_REASONS])
    return Risk(sum(reason.points for reason in scoring), top)

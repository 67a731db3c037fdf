"""Pure rules of stop-work and resumption."""
from __future__ import annotations

from collections.abc import Iterable


def is_stop_work(outcome: str | None) -> bool:
    """Whether a decision's outcome orders work stopped: ``stop_work`` or ``fine_and_stop_work``."""
    return bool(outcome) and "stop_work" in outcome


def inspection_clears_site(vetoed: bool, results: Iterable[tuple[str, bool]]) -> bool:
    """A resumption inspection finds the site in order: not vetoed and no applicable item failed.

    ``results`` are (outcome, applicable) pairs. A 复工 is the end of 停工整治 (stop work and put it
    right), so every rectification must hold, not just a passing score.
    """
    return not vetoed and not any(outcome == "fail" and applicable for outcome, applicable in results)

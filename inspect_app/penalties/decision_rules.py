"""What a 处罚决定 may say, as pure functions over plain data (《中华人民共和国行政处罚法》, 2021).

- 警告 ``warning`` and 责令停工整治 ``stop_work`` carry no amount; an order to stop work states what
  must be rectified (大气法 第一百一十五条: the order may go with the fine, ``fine_and_stop_work``).
- 罚款 ``fine`` and ``fine_and_stop_work``: an amount for EACH violation of the case that has a fine
  range, within that violation's own range — a case with several violations is not one range.
- 减轻处罚 ``reduced_fine`` (第三十二条): an amount per violation, at least one below its minimum
  (none above its maximum), with one of the statutory grounds and a written reason; a second bureau
  user must confirm it before it is decided.
- 不予处罚 ``no_penalty``: a legal ground (第三十三条 首违不罚 or 轻微并及时改正, no fault; 第四十条 facts
  unclear or evidence insufficient; 第三十六条 time-barred; or another ground written out).
- Stop-work concerns a site: a muck-truck case cannot be ordered to stop work, and (大气法 第一百一十五条)
  only a party that refuses to correct (拒不改正, recorded on the case's items) is ordered to.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OUTCOMES = ("warning", "fine", "fine_and_stop_work", "stop_work", "no_penalty", "reduced_fine")
FINED = frozenset({"fine", "fine_and_stop_work", "reduced_fine"})
STOP_WORK = frozenset({"stop_work", "fine_and_stop_work"})
# 不予处罚 grounds, each with its article (《行政处罚法》2021)
NO_PENALTY_REASONS = {
    "first_minor_corrected": "第三十三条第一款（初次违法且危害后果轻微并及时改正）",
    "minor_corrected": "第三十三条第一款（违法行为轻微并及时改正，没有造成危害后果）",
    "no_fault": "第三十三条第二款（有证据足以证明没有主观过错）",
    "insufficient_evidence": "第四十条（违法事实不清、证据不足）",
    "time_barred": "第三十六条第一款（违法行为在二年内未被发现）",
    "other": "",
}
# 减轻处罚 grounds: 第三十二条 (一)–(五)
REDUCTION_REASONS = {
    "mitigated_harm": "第三十二条第（一）项（主动消除或者减轻违法行为危害后果）",
    "coerced": "第三十二条第（二）项（受他人胁迫或者诱骗实施违法行为）",
    "confessed": "第三十二条第（三）项（主动供述行政机关尚未掌握的违法行为）",
    "cooperated": "第三十二条第（四）项（配合行政机关查处违法行为有立功表现）",
    "other_statutory": "第三十二条第（五）项（法律、法规、规章规定其他应当减轻处罚的情形）",
}


class DecisionRefused(Exception):
    """A decision the law does not allow: a message code, its parameters, machine-readable details."""

    def __init__(self, code: str, *, conflict: bool = False, details: dict | None = None, **params):
        super().__init__(code)
        self.code, self.conflict, self.details, self.params = code, conflict, details, params


@dataclass(frozen=True)
class CaseItem:
    """One violation of a case as the decision sees it."""

    item_key: str
    text_zh: str
    fine_min: float | None
    fine_max: float | None
    stop_work_allowed: bool | None = None  # None: the case predates the rule (not recorded)

    @property
    def fineable(self) -> bool:
        return self.fine_min is not None and self.fine_max is not None


def case_items(items: list[dict]) -> list[CaseItem]:
    """A case's stored items with the range each is fined within.

    The provision the case recorded for the liable party (``governing``: the higher fine of
    concurrent provisions, 第二十九条; None: no fine of the bureau's) wins; cases queued before that
    carry only the legal basis's range.
    """
    found = []
    for item in items or []:
        if "governing" in item:
            source = item["governing"] or {}
        else:
            source = item.get("legal_basis") or {}
        found.append(CaseItem(item["item_key"], item.get("text_zh") or item["item_key"], source.get("fine_min"),
                              source.get("fine_max"), item.get("stop_work_allowed")))
    return found


def check_decision(outcome: str, items: list[CaseItem], amounts: dict[str, float] | None, *,
                   has_site: bool, rectification_order: str | None, reason_code: str | None,
                   reason: str | None, decision_date: date, earliest: date, today: date) -> list[dict]:
    """Refuse what the law does not allow; returns the amounts per violation [{item_key, amount, range}]."""
    if outcome not in OUTCOMES:
        raise DecisionRefused("decision_required")
    if decision_date > today:
        raise DecisionRefused("decision_date_in_future", date=decision_date.isoformat())
    if decision_date < earliest:
        raise DecisionRefused("decision_date_before_case", date=decision_date.isoformat(),
                              earliest=earliest.isoformat())
    if outcome in STOP_WORK:
        if not has_site:
            raise DecisionRefused("stop_work_needs_site", conflict=True)
        if not rectification_order:
            raise DecisionRefused("rectification_order_required")
    elif rectification_order:
        raise DecisionRefused("rectification_order_without_stop_work")
    if outcome == "no_penalty":
        _check_reason(reason_code, reason, NO_PENALTY_REASONS, written_for=("other",))
    elif outcome == "reduced_fine":
        _check_reason(reason_code, reason, REDUCTION_REASONS, written_for=tuple(REDUCTION_REASONS))
    elif reason_code:
        raise DecisionRefused("decision_reason_not_for_outcome")
    if outcome not in FINED:
        if amounts:
            raise DecisionRefused("fine_with_stop_work" if outcome == "stop_work" else "fine_not_for_outcome")
        checked = []
    else:
        checked = _check_amounts(outcome, items, amounts or {})
    if outcome in STOP_WORK:
        recorded = [item for item in items if item.stop_work_allowed is not None]
        if recorded and not any(item.stop_work_allowed for item in recorded):
            raise DecisionRefused("stop_work_needs_refusal", conflict=True)
    return checked


def _check_reason(code: str | None, text: str | None, allowed: dict, *, written_for: tuple) -> None:
    if code not in allowed:
        raise DecisionRefused("decision_reason_required", details={"allowed": list(allowed)})
    if code in written_for and not text:
        raise DecisionRefused("decision_reason_text_required")


def _check_amounts(outcome: str, items: list[CaseItem], amounts: dict[str, float]) -> list[dict]:
    fineable = [item for item in items if item.fineable]
    if not fineable:
        raise DecisionRefused("fine_range_unknown", conflict=True)
    known = {item.item_key: item for item in items}
    for key in amounts:
        if key not in known:
            raise DecisionRefused("decision_amount_unknown_item", item=key, details={"item_key": key})
        if not known[key].fineable:
            raise DecisionRefused("decision_amount_no_range", item=known[key].text_zh, details={"item_key": key})
    missing = [item.item_key for item in fineable if item.item_key not in amounts]
    if missing:
        raise DecisionRefused("fine_amount_required", details={"missing": missing})
    below = []
    for item in fineable:
        amount = amounts[item.item_key]
        if amount <= 0 or amount > item.fine_max or (amount < item.fine_min and outcome != "reduced_fine"):
            raise DecisionRefused("fine_out_of_range", amount=yuan(amount), min=yuan(item.fine_min),
                                  max=yuan(item.fine_max), item=item.text_zh,
                                  details={"item_key": item.item_key, "amount": amount,
                                           "fine_min": item.fine_min, "fine_max": item.fine_max})
        if amount < item.fine_min:
            below.append(item.item_key)
    if outcome == "reduced_fine" and not below:
        raise DecisionRefused("reduction_not_below_minimum")
    return [{"item_key": item.item_key, "amount": round(float(amounts[item.item_key]), 2),
             "fine_min": item.fine_min, "fine_max": item.fine_max} for item in fineable]


def amounts_from_request(items: list[CaseItem], amounts: list[dict] | None, fine_amount: float | None
                         ) -> dict[str, float] | None:
    """Amounts per violation from the request; one ``fine_amount`` stands only for a one-violation case."""
    if amounts:
        found: dict[str, float] = {}
        for entry in amounts:
            if entry["item_key"] in found:
                raise DecisionRefused("decision_amount_twice", item=entry["item_key"],
                                      details={"item_key": entry["item_key"]})
            found[entry["item_key"]] = entry["amount"]
        if fine_amount is not None and round(sum(found.values()), 2) != round(fine_amount, 2):
            raise DecisionRefused("decision_total_mismatch")
        return found
    if fine_amount is None:
        return None
    fineable = [item for item in items if item.fineable]
    if len(fineable) > 1:
        raise DecisionRefused("decision_amounts_per_violation", count=len(fineable),
                              details={"items": [item.item_key for item in fineable]})
    key = fineable[0].item_key if fineable else (items[0].item_key if items else "")
    return {key: fine_amount}


def yuan(amount: float) -> str:
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"

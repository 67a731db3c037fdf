"""Cases for decision tests: a real veto case, put straight into 'accepted' with items as needed."""
from __future__ import annotations

import copy

from inspect_app.extensions import db
from inspect_app.penalties.models import PenaltyCase
from tests.penalties.world import set_case


def accepted_case(world, *, items=None, stop_work_allowed=None, **values) -> PenaltyCase:
    """A bureau case in 'accepted'; ``items`` replace its items, ``stop_work_allowed`` is set on each."""
    case = world.veto_case()
    new_items = copy.deepcopy(items if items is not None else case.items)
    if stop_work_allowed is not None:
        for item in new_items:
            item["stop_work_allowed"] = stop_work_allowed
    set_case(case.id, status="accepted", items=new_items, **values)
    return db.session.get(PenaltyCase, case.id)


def two_violations(world) -> list[dict]:
    """The veto item twice over, as two violations with different ranges (unit 5,000–50,000; 10,000–100,000)."""
    case = world.veto_case()
    first = copy.deepcopy(case.items[0])
    first.pop("governing", None)
    second = copy.deepcopy(first)
    first["legal_basis"] = {**first["legal_basis"], "fine_min": 10000, "fine_max": 100000}
    second.update(item_key="spill_second", text_zh="运输途中抛洒滴漏",
                  legal_basis={**second["legal_basis"], "fine_min": 5000, "fine_max": 50000})
    return [first, second]


def decide(world, case_id, role="enforcement", to="decided", **body):
    return world.move(case_id, role, to, **body)


FINE = {"decision": "fine", "decision_number": "回城管罚决字〔2026〕第201号"}

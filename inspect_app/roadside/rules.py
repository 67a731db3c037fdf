"""What the server itself decides about a stopped truck. Pure functions over plain values.

* **Filing** (准入备案, clause 11.2): an unknown plate, or a vehicle whose filing does not hold
  today (``Vehicle.filing_problem``: unfiled / expired / revoked / inactive), fails the
  ``truck_filed`` item whatever the phone answered — the registry, not the roadside, knows.
* **Load**: the measured load if given, else the estimated one, against the vehicle's rated load
  (核定载质量). Overload is a traffic-police matter only on a **weighed** load: a measured load (it
  needs a weighbridge ticket photo on the ``truck_not_overloaded`` item) above the rated load fails
  that item and refers the truck to 区交管队; more than 30 % over puts it in the higher range of
  《道路交通安全法》第九十二条 (500–2,000 CNY instead of 200–500). An *estimate* above the rated load is
  an observation: noted on the item, never a failure or a referral. Without a rated load (unknown
  plate) nothing is compared.
* **Origin site**: a truck found unsealed means the site let it out unsealed (六个百分之百 ⑥), and
  one spilling mud or waste means it left unwashed (六个百分之百 ③); see :data:`SITE_CONSEQUENCES`.
"""
from __future__ import annotations

from dataclasses import dataclass

FILED_KEY = "truck_filed"
OVERLOAD_KEY = "truck_not_overloaded"
HIGH_OVERLOAD_RATIO = 0.30  # "超过核定载质量30%"

# Failed truck item → the six-100 requirement of the origin site it also fails.
SITE_CONSEQUENCES = {
    "truck_sealed": "muck_trucks_sealed_at_gate",  # 渣土车辆100%密闭运输
    "truck_no_spilling": "vehicle_washing",  # 出入车辆100%冲洗 (mud and waste carried out)
}


@dataclass(frozen=True)
class LoadAssessment:
    """The load compared with the rated load; ``ratio`` is (load − rated) / rated."""

    load_t: float | None
    source: str | None  # measured | estimated
    rated_load_t: float | None
    overloaded: bool  # a weighed (measured) load above the rated load: referred to 区交管队
    ratio: float | None

    @property
    def estimated_over(self) -> bool:
        """An estimate above the rated load: an observation only."""
        return self.source == "estimated" and self.ratio is not None and self.ratio > 0

    @property
    def over_thirty_percent(self) -> bool:
        return self.ratio is not None and self.ratio > HIGH_OVERLOAD_RATIO


@dataclass(frozen=True)
class ServerFinding:
    """An item the server failed, with a stable reason code and its message parameters."""

    item_key: str
    code: str
    params: dict


def assess_load(measured_t: float | None, estimated_t: float | None,
                rated_t: float | None) -> LoadAssessment:
    """Compare the load with the rated load; a measured figure beats an estimate."""
    if measured_t is not None:
        load, source = measured_t, "measured"
    elif estimated_t is not None:
        load, source = estimated_t, "estimated"
    else:
        load, source = None, None
    if load is None or not rated_t:
        return LoadAssessment(load, source, rated_t, False, None)
    ratio = round((load - rated_t) / rated_t, 4)
    return LoadAssessment(load, source, rated_t, source == "measured" and load > rated_t, ratio)


def needs_weighbridge_ticket(measured_t: float | None, overload_photo_ids: list | None) -> bool:
    """A measured load stands only with a photo of its weighbridge ticket (on the overload item)."""
    return measured_t is not None and not overload_photo_ids


def server_observations(form_keys: set[str], load: LoadAssessment) -> list[ServerFinding]:
    """What the server notes without failing anything: an estimated load above the rated load."""
    if not load.estimated_over or OVERLOAD_KEY not in form_keys:
        return []
    return [ServerFinding(OVERLOAD_KEY, "overload_estimated", {
        "load": _tonnes(load.load_t), "rated": _tonnes(load.rated_load_t), "percent": round(load.ratio * 100)})]


def server_findings(form_keys: set[str], filing_problem: str | None,
                    load: LoadAssessment) -> list[ServerFinding]:
    """The items the server fails on its own evidence (only those on the form the phone used)."""
    found = []
    if filing_problem is not None and FILED_KEY in form_keys:
        found.append(ServerFinding(FILED_KEY, f"filing_{filing_problem}", {}))
    if load.overloaded and OVERLOAD_KEY in form_keys:
        code = "overload_high" if load.over_thirty_percent else "overload"
        found.append(ServerFinding(OVERLOAD_KEY, code, {
            "load": _tonnes(load.load_t), "rated": _tonnes(load.rated_load_t),
            "percent": round(load.ratio * 100), "source": load.source}))
    return found


def _tonnes(value: float) -> str:
    return f"{value:g}"

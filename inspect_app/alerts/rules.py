"""Pure rules of alerts: which level binds, and who may declare for which scope."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from inspect_app.alerts.models import ALERT_LEVELS
from inspect_app.core.timeutil import LOCAL_TZ, as_utc


def local_input(value: datetime) -> datetime:
    """Alert times are entered in Asia/Shanghai: a time without offset is local; stored UTC."""
    return as_utc(value.replace(tzinfo=LOCAL_TZ) if value.tzinfo is None else value)


def highest_level(levels: Iterable[str]) -> frozenset[str]:
    """The one level that binds where alerts overlap (the highest), as a set; empty when none."""
    given = set(levels)
    present = [level for level in ALERT_LEVELS if level in given]
    return frozenset(present[-1:])


def may_declare_for(role: str, own_unit_ids: Iterable[int], all_unit_ids: Iterable[int], *,
                    district_wide: bool, unit_ids: Iterable[int]) -> bool:
    """Admins declare for any scope; a supervisor for units they answer for.

    A district-wide alert binds all eight units (七办一镇), so a supervisor declares one only when
    their units are all of them: nobody may order work stopped in a unit they do not answer for.
    """
    if role == "admin":
        return True
    if role != "supervisor":
        return False
    own = set(own_unit_ids)
    wanted = set(all_unit_ids) if district_wide else set(unit_ids)
    return bool(wanted) and wanted <= own

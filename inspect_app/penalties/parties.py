"""Who a penalty case is against (当事人), as pure functions over plain data.

Each checklist item names its liable party (``liable``: 施工单位 contractor, 建设单位 builder,
运输单位 haulier, 驾驶人 driver). A case is queued per authority *and* party: a 处罚决定书 is
addressed to one 当事人 (《行政处罚法》第五十九条 lists "当事人的姓名或者名称、地址" in the singular),
each party answers for its own acts and has its own right to a hearing and to appeal, and the
range depends on who the party is (139号令 第二十六条: an individual ≤ 200 元, a unit more). So an
inspection whose failed bureau items fall on the contractor and on the builder (bare idle land,
大气法 第一百一十五条第二款) queues two bureau cases, each naming its party, never one case whose
fine no single party could be told to pay.
"""
from __future__ import annotations

from inspect_app.core.i18n import translate
from inspect_app.penalties import messages  # noqa: F401  (registers strings)

PARTY_KINDS = ("contractor", "builder", "haulier", "driver")
PARTY_LOCALE = "zh-CN"  # the stored name of an unnamed party is the record's wording, in Chinese


def party_name(kind: str, *, contractor: str | None = None, builder: str | None = None,
               company: str | None = None, plate: str | None = None) -> str:
    """The name a case states for its party; a party the records do not name says so.

    The driver is never named by the system: "车牌 X 的驾驶人" (the plate identifies them).
    """
    known = {"contractor": contractor, "builder": builder, "haulier": company}.get(kind)
    if known:
        return known
    return translate(f"case_party_unknown_{kind}", PARTY_LOCALE, plate=plate or "")


def party_label(kind: str | None, name: str | None, locale: str | None = None) -> str:
    """``新华建设（施工单位）`` — the name with the kind of party, for pages, exports and documents."""
    if not kind:
        return name or ""
    if name and translate(f"case_party_{kind}", PARTY_LOCALE) in name:
        return name  # "运输单位（未登记）", "车牌 X 的驾驶人" already say who they are
    return translate("case_party_label", locale, name=name or "", kind=translate(f"case_party_{kind}", locale))


def group_by_party(case_reasons: dict[str, list[str]], routes: dict[str, tuple[str, str]]
                   ) -> dict[tuple[str, str], dict[str, list[str]]]:
    """Case items grouped by (authority, liable party), in the order their first item appears.

    ``routes`` maps an item key to its (authority, liable party).
    """
    grouped: dict[tuple[str, str], dict[str, list[str]]] = {}
    for key, reasons in case_reasons.items():
        grouped.setdefault(routes[key], {})[key] = reasons
    return grouped

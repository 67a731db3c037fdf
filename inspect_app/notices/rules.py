"""What a notice says, as pure functions over plain data: number, deadlines, addressees, the
consequence of not rectifying, and the canonical bytes that are signed."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from inspect_app.core.i18n import translate
from inspect_app.core.timeutil import to_local
from inspect_app.notices import messages  # noqa: F401  (registers strings)
from inspect_app.penalties import messages as _penalty_messages  # noqa: F401  (authority names)
from inspect_app.penalties.rules import governing_provision, party_kind

PREFIXES = {"site": "回民扬整", "truck": "回民渣整"}  # 扬尘整改 | 渣土车整改
LIABLE_PARTIES = ("contractor", "builder", "haulier", "driver")
NOTICE_LOCALE = "zh-CN"  # a notice is an official record, written in Chinese


def format_number(kind: str, year: int, sequence: int) -> str:
    """``回民扬整〔2026〕第00017号`` (site) or ``回民渣整〔2026〕第00005号`` (truck)."""
    return f"{PREFIXES[kind]}〔{year}〕第{sequence:05d}号"


def numbering_year(issued_at: datetime) -> int:
    """Notices are numbered per calendar year in Asia/Shanghai (16:00 UTC on 31 Dec is New Year)."""
    return to_local(issued_at).year


def item_deadline(found_at: datetime, rectify_days: int, open_violation_deadline: datetime | None) -> datetime:
    """The rectification deadline of a failed item, as penalties sets it on the violation.

    A failure of an item that already has an open violation (from an earlier inspection) keeps
    that violation's deadline (``penalties.rules.decide`` counts it as a re-failure); otherwise a
    new violation is due ``rectify_days`` after the finding.
    """
    if open_violation_deadline is not None:
        return open_violation_deadline
    return found_at + timedelta(days=rectify_days)


def party_name(liable: str, *, site: dict | None, truck: dict | None, unknown: dict[str, str]) -> str:
    """The name a notice addresses for an item's liable party.

    ``unknown`` holds the wording for a party whose name the records lack (e.g. a site without
    a registered builder, an unregistered truck); the driver is never named by the system.
    """
    if liable == "contractor" and site and site.get("contractor"):
        return site["contractor"]
    if liable == "builder" and site and site.get("builder"):
        return site["builder"]
    if liable == "haulier" and truck and truck.get("company"):
        return truck["company"]
    return unknown[liable]


def addressees(items: list[dict]) -> list[dict]:
    """Each liable party once, in the order its first item appears."""
    seen, result = set(), []
    for item in items:
        key = (item["liable"], item["liable_name"])
        if key not in seen:
            seen.add(key)
            result.append({"party": item["liable"], "name": item["liable_name"]})
    return result


#: The case reason a notice's consequence is about: the item still fails after its deadline.
NOT_RECTIFIED = ("overdue_refail",)


def governing(legal_basis: dict, liable: str, *, individual_haulier: bool = False) -> dict | None:
    """The provision an item not rectified in time is fined under, for its liable party.

    One act under several provisions is fined under the one with the higher fine (《行政处罚法》
    第二十九条; ``penalties.rules.governing_provision``): a spilling truck's haulage unit faces
    139号令 第二十三条 (5,000–50,000), not 大气法 第一百一十六条 (2,000–20,000). None: no fine of
    its own (an order to correct, or another authority's item with no range).
    """
    party = party_kind(liable, individual_haulier=individual_haulier)
    provision = governing_provision(legal_basis, party, NOT_RECTIFIED)
    if provision is None:
        return None
    return {"law": provision.law, "penalty_article": provision.penalty_article,
            "fine_min": _whole(provision.fine_min), "fine_max": _whole(provision.fine_max)}


def _whole(amount: float) -> int | float:
    return int(amount) if float(amount).is_integer() else amount


def consequences(items: list[dict], kind: str) -> list[str]:
    """One sentence per provision the items fall under (who acts, under which article, how much),
    then what follows a refusal to correct; in Chinese, the notice's language.

    The fine is the item's governing provision (``governing``); an item with no fine of its own
    states the article it is punished under, or — an order to correct with no penalty article —
    the duty it breaks, never an empty article.
    """
    seen, lines = set(), []
    for item in items:
        line = _consequence(item)
        if line not in seen:
            seen.add(line)
            lines.append(line)
    lines.append(translate(f"notice_consequence_refusal_{kind}", NOTICE_LOCALE))
    return lines


def _consequence(item: dict) -> str:
    basis, rule = item["legal_basis"], item.get("governing")
    authority = translate(f"authority_{basis.get('authority') or 'bureau'}", NOTICE_LOCALE)
    if rule is not None:
        return translate("notice_consequence_fine", NOTICE_LOCALE, authority=authority, law=rule["law"],
                         article=rule["penalty_article"], min=f"{rule['fine_min']:,}", max=f"{rule['fine_max']:,}")
    if basis.get("penalty_article"):
        return translate("notice_consequence", NOTICE_LOCALE, authority=authority, law=basis.get("law") or "",
                         article=basis["penalty_article"])
    if basis.get("law") and basis.get("obligation_article"):
        return translate("notice_consequence_order", NOTICE_LOCALE, authority=authority, law=basis["law"],
                         article=basis["obligation_article"])
    return translate("notice_consequence_unspecified", NOTICE_LOCALE, authority=authority)


def canonical_bytes(content: dict) -> bytes:
    """The signed form of a notice's content: sorted keys, no spaces, UTF-8 (stable across databases)."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

"""The 行政处罚决定书 (or 不予行政处罚决定书) as a document template of ``core.documents``.

What it states follows 《行政处罚法》第五十九条: the party and its address; the facts and evidence of
each violation; the kind of penalty and its legal basis, with the amount per violation; how and by
when it is carried out (罚款 within 15 days, 第六十七条; 3 % a day on late payment, 第七十二条); the
remedies (行政复议 within 60 days, 行政诉讼 within 6 months); the authority and the date. The seal is
applied on paper. Rendering is deterministic: the decision's own time is the PDF's creation date.
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, time

from flask import current_app

from inspect_app.core import documents as doc
from inspect_app.core.errors import Conflict
from inspect_app.core.i18n import translate
from inspect_app.core.timeutil import LOCAL_TZ, to_local
from inspect_app.penalties.decision_rules import FINED, NO_PENALTY_REASONS, REDUCTION_REASONS, STOP_WORK, yuan
from inspect_app.evidence.fonts import find_cjk_font
from inspect_app.penalties.models import PenaltyCase
from inspect_app.penalties.parties import party_label

L = "zh-CN"  # a decision is served in Chinese whatever the reader's language
ITEM_COLUMNS = (0.06, 0.34, 0.40, 0.20)


def _t(code: str, **params) -> str:
    return translate(code, L, **params)


def _date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _party(case: PenaltyCase) -> tuple[tuple[str, str], ...]:
    missing = _t("decision_doc_not_recorded")
    # 当事人: the liable party of the case's items (penalties/parties.py), with its kind
    name = case.party_name or case.contractor
    party = party_label(case.party, name, L) if name else missing
    if case.site is not None:
        return ((_t("decision_doc_party"), party),
                (_t("decision_doc_site"), case.site.name),
                (_t("decision_doc_address"), case.site.address or missing))
    return ((_t("decision_doc_party"), party),
            (_t("decision_doc_plate"), case.plate or missing))


def _item_rows(case: PenaltyCase) -> tuple[tuple[str, ...], ...]:
    amounts = {entry["item_key"]: entry for entry in case.decision_amounts or []}
    rows = []
    for number, item in enumerate(case.items or [], 1):
        basis = item.get("governing") or item.get("legal_basis") or {}
        law = " ".join(part for part in (basis.get("law"), basis.get("penalty_article")) if part)
        entry = amounts.get(item["item_key"])
        amount = (_t("decision_doc_amount", amount=yuan(entry["amount"])) if entry else _t("decision_doc_no_fine"))
        rows.append((str(number), f"{item.get('text_zh') or item['item_key']}\n（{item.get('clause') or ''}）",
                     law or _t("decision_doc_not_recorded"), amount))
    return tuple(rows)


def _outcome_text(case: PenaltyCase) -> list[str]:
    lines = [_t("decision_doc_outcome", outcome=_t(f"decision_{case.decision}"))]
    if case.decision in FINED:
        lines.append(_t("decision_doc_total", amount=yuan(case.fine_amount or 0)))
    if case.decision in STOP_WORK:
        lines.append(_t("decision_doc_stop_work", order=case.rectification_order or ""))
    if case.decision == "no_penalty":
        ground = NO_PENALTY_REASONS.get(case.decision_reason_code or "", "")
        lines.append(_t("decision_doc_no_penalty", ground=ground, reason=case.decision_reason or ""))
    if case.decision == "reduced_fine":
        ground = REDUCTION_REASONS.get(case.decision_reason_code or "", "")
        lines.append(_t("decision_doc_reduced", ground=ground, reason=case.decision_reason or ""))
    return lines


def decision_document(case: PenaltyCase, inspected_at: datetime, authority_name: str) -> doc.Document:
    """The template: a decided case as its 决定书."""
    title = _t("decision_doc_title_no_penalty" if case.decision == "no_penalty" else "decision_doc_title")
    decided_on = case.decision_date or to_local(case.decided_at).date()
    blocks: list = [doc.Heading(authority_name, size=15), doc.Heading(title),
                    doc.Text(case.decision_number, size=12, align="center"), doc.Spacer(3),
                    doc.Fields(_party(case)), doc.Spacer(2),
                    doc.Text(_t("decision_doc_facts", case=case.case_number,
                                at=f"{_date(to_local(inspected_at).date())} {to_local(inspected_at):%H:%M}")),
                    doc.Spacer(2),
                    doc.Table(tuple(_t(f"decision_doc_col_{c}") for c in ("number", "item", "basis", "amount")),
                              _item_rows(case), ITEM_COLUMNS),
                    doc.Spacer(3)]
    blocks += [doc.Text(line, size=11) for line in _outcome_text(case)]
    if case.decision in FINED:
        blocks += [doc.Spacer(2), doc.Text(_t("decision_doc_payment"))]
    if case.decision in STOP_WORK:
        blocks += [doc.Spacer(2), doc.Text(_t("decision_doc_resumption"))]
    if case.decision != "no_penalty":
        blocks += [doc.Spacer(2), doc.Text(_t("decision_doc_remedies"))]
    if case.paid_on is not None:
        blocks += [doc.Spacer(2), doc.Text(_t("decision_doc_paid", date=_date(case.paid_on),
                                             receipt=case.receipt_number or ""), grey=True)]
    blocks += [doc.Spacer(8), doc.Text(authority_name + _t("decision_doc_seal"), size=11.5, align="right"),
               doc.Text(_date(decided_on), size=11.5, align="right")]
    created = to_local(case.decided_at) if case.decided_at else datetime.combine(decided_on, time(), LOCAL_TZ)
    return doc.Document(title=f"{title} {case.decision_number}", blocks=tuple(blocks), created_at=created,
                        subject=case.decision_number, author=authority_name, footer=case.decision_number)


FINAL = ("decided", "paid", "closed")


def render_decision(case: PenaltyCase) -> tuple[bytes, str]:
    """The case's 决定书 as PDF bytes and their SHA-256; only a final decision has one (409 otherwise)."""
    if case.status not in FINAL or not case.decision or not case.decision_number:
        raise Conflict("decision_pdf_not_final")
    document = decision_document(case, case.inspection.finished_at, _t(f"decision_doc_authority_{case.authority}"))
    pdf = doc.render_pdf(document, find_cjk_font(current_app.config.get("CJK_FONT_PATH")))
    return pdf, hashlib.sha256(pdf).hexdigest()

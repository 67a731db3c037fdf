"""The case file (案卷) as a streamed ZIP: its members, the cover sheet (a ``core.documents`` template)
and a readable page per inspection.

Layout of the archive::

    cover.pdf                        封面: case, parties, decision, timeline (Beijing time, who)
    case.json                        the case as the API shows it (items, legal basis, history)
    inspections/<n>-<uuid>.json      each inspection of the case, as the API shows it
    inspections/<n>-<uuid>.html      … and as a page to read (no scripts)
    photos/<inspection>/<item>-<photo>.<ext>   every ORIGINAL photo, byte for byte as uploaded
    photos/SHA256SUMS.txt            ``sha256sum -c`` list, computed from the bytes written
    notices/<id>.pdf, notices/<id>-service.json   整改通知书 as issued, and its 送达 record
    notices/<id>-service-signature.png | -refusal-photo.jpg   the record's picture, as uploaded
                                     (listed in photos/SHA256SUMS.txt with the photos)
    suspensions.json                 the stop-work order and resumption steps, if any
    audit-events.jsonl               every audit event of the case and its records, hash-chained
"""
from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterator
from datetime import date, datetime

from flask import current_app

from inspect_app.core import documents as doc
from inspect_app.core.i18n import translate
from inspect_app.core.storage import StorageError, get_storage
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.dossiers import messages  # noqa: F401  (registers strings)
from inspect_app.dossiers.contents import CaseRecord, TimelineEntry
from inspect_app.dossiers.zipstream import Member, stream_zip
from inspect_app.evidence.fonts import find_cjk_font
from inspect_app.penalties.parties import party_label

DOSSIER_LOCALE = "zh-CN"
TIMELINE_COLUMNS = (0.24, 0.16, 0.60)


def _t(code: str, **params) -> str:
    return translate(code, DOSSIER_LOCALE, **params)


def _time(value: datetime | None) -> str:
    return "" if value is None else f"{to_local(value):%Y-%m-%d %H:%M}"


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def archive_name(record: CaseRecord) -> str:
    return f"dossier-{record.case.id}.zip"


def stream_dossier(record: CaseRecord, cover_pdf: bytes) -> Iterator[bytes]:
    """The archive's bytes, chunk by chunk; photos are read from storage one at a time."""
    return stream_zip(_members(record, cover_pdf), to_local(utcnow()).replace(tzinfo=None))


def _members(record: CaseRecord, cover_pdf: bytes) -> Iterator[Member]:
    yield Member("cover.pdf", [cover_pdf])
    yield Member("case.json", [_json(record.case_json)])
    for number, (inspection, body) in enumerate(record.inspections, 1):
        stem = f"inspections/{number:02d}-{inspection.uuid}"
        yield Member(f"{stem}.json", [_json(body)])
        yield Member(f"{stem}.html", [inspection_page(record, inspection, body).encode("utf-8")])
    sums: list[str] = []
    # every original photo, then each 送达 record's signature or refusal photo: one manifest for all
    for picture in [*record.photos, *record.service_pictures]:
        digest = hashlib.sha256()
        yield Member(picture.path, _hashing(_original(picture.storage_key), digest), compress=False)
        line = f"{digest.hexdigest()}  {picture.path}"
        if digest.hexdigest() != picture.sha256:
            line += f"  # stored record says {picture.sha256}"
        sums.append(line)
    yield Member("photos/SHA256SUMS.txt", ["\n".join(sums + [""]).encode("utf-8")])
    for notice, pdf, service in record.notices:
        yield Member(f"notices/{notice.id}.pdf", [pdf])
        if service is not None:
            yield Member(f"notices/{notice.id}-service.json", [_json(service)])
    if record.suspensions:
        yield Member("suspensions.json", [_json([_suspension_json(s) for s in record.suspensions])])
    yield Member("audit-events.jsonl", _audit_lines(record))


def _original(key: str) -> Iterator[bytes]:
    try:
        yield get_storage().get(key)
    except StorageError:
        current_app.logger.warning("dossier: stored file %s (photo or service picture) is missing from storage", key)


def _hashing(chunks, digest) -> Iterator[bytes]:
    for chunk in chunks:
        digest.update(chunk)
        yield chunk


def _audit_lines(record: CaseRecord) -> Iterator[bytes]:
    for event in record.audit:
        yield (json.dumps({
            "seq": event.seq, "at": event.at.isoformat(), "actor_id": event.actor_id,
            "actor": record.users.get(event.actor_id), "action": event.action, "object_type": event.object_type,
            "object_id": event.object_id, "before": event.before, "after": event.after,
            "prev_hash": event.prev_hash, "entry_hash": event.entry_hash,
        }, ensure_ascii=False, sort_keys=True, default=str) + "\n").encode("utf-8")


def _suspension_json(s) -> dict:
    return {"decision_number": s.decision_number, "status": s.status, "started_at": _time(s.started_at),
            "ended_at": _time(s.ended_at), "applied_at": _time(s.applied_at),
            "application_note": s.application_note, "resumption_inspection_id": s.resumption_inspection_id,
            "approved_at": _time(s.approved_at), "approval_note": s.approval_note}


# ---------------------------------------------------------------- the cover sheet


def render_cover(record: CaseRecord) -> bytes:
    return doc.render_pdf(cover_document(record), find_cjk_font(current_app.config.get("CJK_FONT_PATH")))


def cover_document(record: CaseRecord) -> doc.Document:
    """The template: the case's particulars, the decision, the contents and the timeline."""
    case = record.case
    rows = [(_t("dossier_label_case_number"), case.case_number),
            (_t("dossier_label_status"), _t(f"case_{case.status}")),
            (_t("dossier_label_authority"), _t(f"authority_{case.authority}")),
            (_t("dossier_label_party"), party_label(case.party, case.party_name or case.contractor, DOSSIER_LOCALE)
             if case.party_name or case.contractor else _t("dossier_none"))]
    if case.site is not None:
        rows.append((_t("dossier_label_site"), f"{case.site.name}（{case.site.address or ''}）"))
    if case.plate:
        rows.append((_t("dossier_label_plate"), case.plate))
    rows += [(_t("dossier_label_items"), "；".join(f"{i.get('text_zh', '')}（{i.get('clause', '')}）"
                                                  for i in case.items or [])),
             (_t("dossier_label_basis"), _basis(case.items)),
             (_t("dossier_label_range"), _range(case))]
    blocks: list = [doc.Heading(_t("dossier_title")), doc.Text(case.case_number, size=12, align="center"),
                    doc.Spacer(3), doc.Fields(tuple(rows)), doc.Spacer(2),
                    doc.Fields(tuple(_decision_rows(record))), doc.Spacer(2),
                    doc.Fields(((_t("dossier_label_contents"), _t(
                        "dossier_contents_text", inspections=len(record.inspections), photos=len(record.photos),
                        notices=len(record.notices), audit=len(record.audit))),)),
                    doc.Spacer(3), doc.Text(_t("dossier_timeline"), size=11.5),
                    doc.Table(tuple(_t(f"dossier_col_{c}") for c in ("time", "actor", "event")),
                              tuple((_time(e.at), e.actor, _event_text(e)) for e in record.timeline),
                              TIMELINE_COLUMNS),
                    doc.Spacer(3), doc.Text(_t("dossier_generated", time=_time(utcnow())), grey=True)]
    return doc.Document(title=f"{_t('dossier_title')} {case.case_number}", blocks=tuple(blocks),
                        created_at=to_local(utcnow()), subject=case.case_number, footer=case.case_number)


def _basis(items) -> str:
    seen: list[str] = []
    for item in items or []:
        basis = item.get("legal_basis") or {}
        text = f"{basis.get('law', '')}{basis.get('obligation_article', '')}、{basis.get('penalty_article', '')}"
        if text not in seen:
            seen.append(text)
    return "；".join(seen) or _t("dossier_none")


def _yuan(amount) -> str:
    return _t("dossier_yuan", amount=f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}")


def _range(case) -> str:
    if case.fine_min is None or case.fine_max is None:
        return _t("dossier_none")
    return _t("dossier_range", min=f"{case.fine_min:,.0f}", max=f"{case.fine_max:,.0f}")


def _decision_rows(record: CaseRecord) -> list[tuple[str, str]]:
    case = record.case
    if not case.decision:
        return [(_t("dossier_label_decision"), _t("dossier_not_decided"))]
    rows = [(_t("dossier_label_decision"), _t(f"decision_{case.decision}")),
            (_t("dossier_label_decision_number"), case.decision_number or "")]
    decided_on = getattr(case, "decision_date", None) or (case.decided_at and to_local(case.decided_at).date())
    if decided_on:
        rows.append((_t("dossier_label_decision_date"), _date(decided_on)))
    if case.fine_amount is not None:
        rows.append((_t("dossier_label_amount"), _yuan(case.fine_amount)))
    reason = getattr(case, "decision_reason", None)
    if reason:
        rows.append((_t("dossier_label_decision"), reason))
    if case.rectification_order:
        rows.append((_t("dossier_label_rectification"), case.rectification_order))
    if getattr(case, "paid_on", None):
        rows.append((_t("dossier_label_payment"), _t("dossier_paid", date=_date(case.paid_on),
                                                      receipt=getattr(case, "receipt_number", "") or "")))
    for s in record.suspensions:
        end = _t("dossier_suspension_end", end=_time(s.ended_at)) if s.ended_at else ""
        rows.append((_t("dossier_label_suspension"), _t("dossier_suspension_line", number=s.decision_number,
                                                         status=_t(f"suspension_{s.status}"),
                                                         start=_time(s.started_at), end=end)))
    return rows


def _date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _event_text(entry: TimelineEntry) -> str:
    params = dict(entry.params)
    if entry.what == "dossier_event_case":
        fields = params.pop("fields", {}) or {}
        details = [_t(f"decision_{fields['decision']}") if fields.get("decision") else "",
                   fields.get("decision_number") or "", fields.get("reason") or "", params.pop("note", "")]
        detail = "；".join(d for d in details if d)
        return _t("dossier_event_case", to=_t(f"case_{params['to']}"), detail=f"（{detail}）" if detail else "")
    return _t(entry.what, **params)


# ---------------------------------------------------------------- the readable inspection page


def inspection_page(record: CaseRecord, inspection, body: dict) -> str:
    """One inspection as a plain HTML page (no scripts, no external resources)."""
    e = html.escape
    photo_paths: dict[str, list[str]] = {}
    for photo in record.photos:
        if photo.inspection_uuid == inspection.uuid:
            photo_paths.setdefault(photo.item_key, []).append(photo.path)
    rows = []
    for result in inspection.results:
        text, clause = record.item_texts.get(result.checklist_item_id, (result.item_key, ""))
        outcome = _t(f"dossier_outcome_{result.outcome}") + ("" if result.applicable else _t("dossier_not_applicable"))
        links = " ".join(f'<a href="../{e(path)}">{e(path.rsplit("/", 1)[-1])}</a>'
                         for path in photo_paths.get(result.item_key, []))
        rows.append(f"<tr><td>{e(text)}<br><small>{e(clause)}</small></td><td>{e(outcome)}</td>"
                    f"<td>{e(result.note or '')}</td><td>{links}</td></tr>")
    site = (body.get("site") or {}).get("name") or record.case.plate or ""
    yes_no = _t("dossier_yes") if inspection.vetoed else _t("dossier_no")
    head = "".join(f"<tr><th>{e(_t(label))}</th><td>{e(str(value))}</td></tr>" for label, value in (
        ("dossier_label_site", site), ("dossier_page_inspector", (body.get("inspector") or {}).get("display_name", "")),
        ("dossier_page_started", _time(inspection.started_at)), ("dossier_page_finished", _time(inspection.finished_at)),
        ("dossier_page_score", body.get("score")), ("dossier_page_grade", body.get("grade_label") or ""),
        ("dossier_page_vetoed", yes_no), ("dossier_page_review", body.get("review_status")),
        ("dossier_page_uuid", inspection.uuid)))
    title = _t("dossier_page_title", uuid=inspection.uuid)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{e(title)}</title></head>'
            f"<body><h1>{e(title)}</h1><table border=\"1\" cellpadding=\"4\">{head}</table>"
            f"<h2>{e(_t('dossier_label_items'))}</h2><table border=\"1\" cellpadding=\"4\"><tr>"
            f"<th>{e(_t('dossier_page_item'))}</th><th>{e(_t('dossier_page_outcome'))}</th>"
            f"<th>{e(_t('dossier_page_note'))}</th><th>{e(_t('dossier_page_photos'))}</th></tr>"
            f"{''.join(rows)}</table></body></html>")

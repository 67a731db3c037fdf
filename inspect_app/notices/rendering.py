"""The 整改通知书 as a document template (``core.documents``) and rendering it to PDF.

The template states only the notice's signed content plus what the record learns later: the
evidence thumbnails (with their capture times) as they arrive, and the service status. The PDF
carries the verification token and the signature in its metadata (Keywords, plain ASCII) and in
its text, so the paper and the file can be checked against the record.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app

from inspect_app.core import documents as doc
from inspect_app.core.i18n import translate
from inspect_app.core.storage import StorageError, get_storage
from inspect_app.core.timeutil import to_local
from inspect_app.evidence.fonts import find_cjk_font
from inspect_app.evidence.models import Photo
from inspect_app.notices import operations, queries
from inspect_app.notices.models import Notice, NoticeService
from inspect_app.notices.rules import NOTICE_LOCALE as L
from inspect_app.notices.verification import marks_for

ITEM_COLUMNS = (0.06, 0.27, 0.25, 0.14, 0.13, 0.15)


@dataclass(frozen=True)
class RenderedNotice:
    pdf: bytes
    sha256: str
    photos_shown: int


def render_notice(notice: Notice) -> RenderedNotice:
    """Render the notice's PDF now and remember its SHA-256 (flushes; the caller commits)."""
    photos = queries.evidence_photos(notice)
    thumbnails = {pid: _thumbnail(photo) for pid, photo in photos.items()}
    replaced_by = notice.replaced_by.number if notice.replaced_by is not None else None
    service = notice.service
    picture = _service_picture(service)
    document = notice_document(notice, photos, thumbnails, queries.verify_url(notice), replaced_by,
                               service=service, service_picture=picture)
    pdf = doc.render_pdf(document, find_cjk_font(current_app.config.get("CJK_FONT_PATH")))
    shown = sum(1 for data in thumbnails.values() if data is not None)
    digest = hashlib.sha256(pdf).hexdigest()
    operations.record_rendering(notice, digest, shown, shows_service=service is not None)
    return RenderedNotice(pdf, digest, shown)


def _service_picture(service: NoticeService | None) -> bytes | None:
    if service is None or service.evidence_thumb_key is None:
        return None
    try:
        return get_storage().get(service.evidence_thumb_key)
    except StorageError:
        current_app.logger.warning("notice: service picture %s is missing from storage", service.evidence_id)
        return None


def _thumbnail(photo: Photo) -> bytes | None:
    try:
        return get_storage().get(photo.thumb_key)
    except StorageError:
        current_app.logger.warning("notice: thumbnail of photo %s is missing from storage", photo.uuid)
        return None


def _t(code: str, **params) -> str:
    return translate(code, L, **params)


def _date(iso: str) -> str:
    value = date.fromisoformat(iso[:10])
    return f"{value.year}年{value.month}月{value.day}日"


def _time(value: datetime) -> str:
    local = to_local(value)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def notice_document(notice: Notice, photos: dict[str, Photo], thumbnails: dict[str, bytes | None],
                    url: str, replaced_by: str | None = None, *, service: NoticeService | None = None,
                    service_picture: bytes | None = None) -> doc.Document:
    """The template: a notice (and the evidence that has arrived) as a printable document."""
    content = notice.content
    blocks: list = [doc.Heading(_t("notice_title")), doc.Text(content["number"], size=12, align="center")]
    if notice.status == "void":
        banner = _t("notice_void_replaced", number=replaced_by) if replaced_by else _t("notice_void_banner")
        blocks.append(doc.Text(banner, size=14, align="center"))
    blocks += [doc.Spacer(3), doc.Fields(_header_rows(content)), doc.Spacer(2),
               doc.Text(_t(f"notice_body_{content['kind']}")), doc.Spacer(2),
               doc.Table(_columns(), tuple(_item_row(n, item, content["issued_at"])
                                         for n, item in enumerate(content["items"], 1)),
                         ITEM_COLUMNS),
               doc.Spacer(3), doc.Text(_t("notice_consequence_heading"), size=11.5)]
    blocks += [doc.Text(f"{n}. {line}。") for n, line in enumerate(content["consequences"], 1)]
    evidence = _photo_blocks(content, photos, thumbnails)
    if evidence:
        blocks += [doc.Spacer(3), doc.Text(_t("notice_photos_heading"), size=11.5), evidence]
    blocks += [
        doc.Spacer(3),
        *_service_blocks(service, service_picture),
        doc.Spacer(4),
        doc.Text(_t("notice_issuer", unit=content.get("unit") or ""), size=11.5, align="right"),
        doc.Text(_date(content["issue_date"]), size=11.5, align="right"),
        doc.Spacer(4),
        doc.QRCode(url, _t("notice_verify_caption", url=url, key_id=notice.key_id, signature=notice.signature)),
    ]
    token, signature = marks_for(notice)
    return doc.Document(
        title=f"{_t('notice_title')} {content['number']}", blocks=tuple(blocks),
        created_at=datetime.fromisoformat(content["issued_at"]), subject=content["number"],
        keywords=f"{token} {signature}", author=content.get("unit") or "", footer=content["number"],
    )


def _header_rows(content: dict) -> tuple[tuple[str, str], ...]:
    missing = _t("notice_not_recorded")
    addressees = "；".join(f"{a['name']}（{_t('notice_party_' + a['party'])}）" for a in content["addressees"])
    rows = [(_t("notice_label_addressee"), addressees)]
    if content.get("site"):
        site = content["site"]
        rows += [(_t("notice_label_site"), site["name"]),
                 (_t("notice_label_address"), site.get("address") or missing),
                 (_t("notice_label_permit"), site.get("permit_number") or missing)]
    if content.get("truck"):
        truck = content["truck"]
        rows += [(_t("notice_label_plate"), truck["plate"]),
                 (_t("notice_label_company"), truck.get("company") or missing),
                 (_t("notice_label_approval"), truck.get("approval_number") or missing)]
    rows += [(_t("notice_label_inspected_at"), _time(datetime.fromisoformat(content["issued_at"]))),
             (_t("notice_label_unit"), content.get("unit") or missing),
             (_t("notice_label_inspector"), content.get("inspector") or missing)]
    return tuple(rows)


def _columns() -> tuple[str, ...]:
    return tuple(_t(f"notice_col_{name}") for name in ("number", "item", "basis", "liable", "deadline", "note"))


def _item_row(number: int, item: dict, issued_at: str) -> tuple[str, ...]:
    basis = item["legal_basis"]
    deadline = _date(item["deadline_date"])
    if datetime.fromisoformat(item["deadline"]) < datetime.fromisoformat(issued_at):
        deadline = _t("notice_deadline_overdue", date=deadline)
    elif item["rectify_days"] == 0:
        deadline = _t("notice_deadline_immediate", date=deadline)
    liable = f"{item['liable_name']}（{_t('notice_party_' + item['liable'])}）"
    return (str(number), f"{item['text_zh']}\n（{item['clause']}）",
            _t("notice_basis", law=basis.get("law") or "", obligation=basis.get("obligation_article") or "",
               penalty=_penalty_text(item)),
            liable, deadline, item.get("note") or "")


def _penalty_text(item: dict) -> str:
    """罚则 of an item: its governing provision and range (行政处罚法 第二十九条), the article of a fine
    set elsewhere, or an order to correct. Notices issued before ``governing`` state the basis's article."""
    basis, rule = item["legal_basis"], item.get("governing")
    if rule is not None:
        return _t("notice_basis_governing", law=rule["law"], article=rule["penalty_article"],
                  min=f"{rule['fine_min']:,}", max=f"{rule['fine_max']:,}")
    return basis.get("penalty_article") or _t("notice_basis_order")


def _photo_blocks(content: dict, photos: dict[str, Photo], thumbnails: dict[str, bytes | None]) -> doc.Photos | None:
    pictures = []
    for item in content["items"]:
        for pid in item["photo_ids"]:
            photo, data = photos.get(pid), thumbnails.get(pid)
            if photo is not None and data is not None:
                taken = _time(photo.taken_at) if photo.taken_at else _t("notice_photo_time_unknown")
                caption = _t("notice_photo_caption", id=pid, time=taken)
            else:
                caption = _t("notice_photo_caption_pending", id=pid)
            pictures.append(doc.Photo(data if photo is not None else None, caption, _t("notice_photo_pending")))
    return doc.Photos(tuple(pictures)) if pictures else None


def _service_blocks(service: NoticeService | None, picture: bytes | None) -> list:
    """送达: how, when, where and by whom the notice was served, with the signature or refusal photo;
    an unserved notice says so."""
    if service is None:
        return [doc.Fields(((_t("notice_service_heading"), _t("notice_not_served")),))]
    rows = [(_t("notice_service_heading"), _t("notice_served")),
            (_t("notice_service_method"), _t(f"service_method_{service.method}")),
            (_t("notice_service_time"), _time(service.served_at))]
    if service.signer_name:
        role = f"（{service.signer_role}）" if service.signer_role else ""
        rows.append((_t("notice_service_signer"), f"{service.signer_name}{role}"))
    if service.witness_name:
        rows.append((_t("notice_service_witness"), service.witness_name))
    if service.lat is not None and service.lon is not None:
        rows.append((_t("notice_service_place"), _t("notice_service_place_gps", lat=f"{service.lat:.5f}",
                                                    lon=f"{service.lon:.5f}", acc=round(service.accuracy_m or 0))))
    if service.note:
        rows.append((_t("notice_service_note"), service.note))
    rows.append((_t("notice_service_recorded"), _t(f"notice_service_channel_{service.channel}")))
    blocks: list = [doc.Fields(tuple(rows))]
    if service.evidence_id is not None:
        label = _t("notice_service_signature" if service.method == "signed" else "notice_service_refusal_photo")
        caption = (f"{label}\n" + _t("notice_service_picture_caption", sha256=service.evidence_sha256)
                   if service.evidence_sha256 else label)
        blocks.append(doc.Photos((doc.Photo(picture, caption, _t("notice_service_picture_pending")),)))
    return blocks

"""Printable documents (A4 PDF, Chinese): one renderer, documents described as data.

A document type is a *template*: a function that turns a record into a :class:`Document` — a
title, metadata and a list of blocks (:class:`Heading`, :class:`Text`, :class:`Fields`,
:class:`Table`, :class:`Photos`, :class:`QRCode`, :class:`Spacer`). :func:`render_pdf` is the only
code that knows the PDF library. The 整改通知书 (notices) is the first template; a 处罚决定书 adds
another template function, not a second renderer. It lives in ``core`` because documents of
earlier features (penalties) must be able to use it too.

Why ReportLab: measured by ``bench/notice_pdf.py`` (a notice of six items, six thumbnails and a QR
code, on the project's busy 2-core machine): ReportLab ≈50–60 ms median and ≈48 MB extra RSS; WeasyPrint
≈250–270 ms and ≈110–125 MB (it also needs Pango from the system); fpdf2 2.8.9 ≈800 ms and ≈75 MB
(it parses and subsets the 5 MB CJK font collection again for every document).

Rendering is deterministic: ReportLab's invariant mode plus a fixed creation date (the
document's own date) make the same record render to the same bytes, so a PDF's SHA-256 identifies
what was issued without keeping the bytes.
"""
from __future__ import annotations

import hashlib
import io
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

log = logging.getLogger(__name__)

# Images go into the PDF as binary streams, not ASCII85 text: ReportLab's ASCII85 encoder is pure
# Python and took most of a notice's rendering time (six thumbnails), and binary is 20 % smaller.
rl_config.useA85 = 0

_FALLBACK_FONT = "STSong-Light"  # Adobe CID font: drawn by the viewer, never embedded
_font_lock = threading.Lock()
_registered: dict[str, str] = {}


# ---------------------------------------------------------------- the blocks a template uses


@dataclass(frozen=True)
class Heading:
    text: str
    size: float = 20
    align: str = "center"


@dataclass(frozen=True)
class Text:
    """A paragraph of plain text (never markup: it is escaped)."""

    text: str
    size: float = 10.5
    align: str = "left"
    grey: bool = False


@dataclass(frozen=True)
class Fields:
    """Label / value rows, e.g. 被通知单位 / 某某建设有限公司."""

    rows: tuple[tuple[str, str], ...]
    label_width: float = 0.22  # share of the text width


@dataclass(frozen=True)
class Table:
    """A ruled table with a header row; ``widths`` are shares of the text width."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    size: float = 9


@dataclass(frozen=True)
class Photo:
    """One evidence picture: JPEG/PNG bytes, or None when it has not arrived (``placeholder`` shown)."""

    data: bytes | None
    caption: str
    placeholder: str = ""


@dataclass(frozen=True)
class Photos:
    photos: tuple[Photo, ...]
    per_row: int = 3


@dataclass(frozen=True)
class QRCode:
    """A QR code (segno) for ``data`` with a caption beside it."""

    data: str
    caption: str
    size_mm: float = 28


@dataclass(frozen=True)
class Spacer:
    height_mm: float = 4


Block = Heading | Text | Fields | Table | Photos | QRCode | Spacer


@dataclass(frozen=True)
class Document:
    """What a template returns: the blocks, the page footer, and the PDF's metadata.

    ``created_at`` becomes the PDF's creation date (so re-rendering gives identical bytes);
    ``keywords`` go into the document information dictionary as written (ASCII, uncompressed), so
    a reader can find markers such as a verification token without a PDF library.
    """

    title: str
    blocks: tuple[Block, ...]
    created_at: datetime
    subject: str = ""
    keywords: str = ""
    author: str = ""
    footer: str = ""


# ---------------------------------------------------------------- rendering


def render_pdf(document: Document, font_path: str | None) -> bytes:
    """The document as A4 PDF bytes, with ``font_path`` (a CJK TrueType font/collection) embedded.

    Without a usable font the Adobe CID font STSong-Light is named instead: PDF viewers with
    Chinese support draw it, nothing is embedded.
    """
    font = _font(font_path)
    buffer = io.BytesIO()
    margin = 18 * mm
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=16 * mm,
        bottomMargin=18 * mm, title=document.title, author=document.author, subject=document.subject,
        keywords=document.keywords, creator="回民区工地扬尘与渣土车巡查系统", invariant=1, pageCompression=1,
    )
    width = template.width
    story = [flowable for block in document.blocks for flowable in _flowables(block, font, width)]
    stamp = _pdf_date(document.created_at)

    def on_page(canvas, doc):
        canvas.setDateFormatter(lambda *_: stamp)
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColor(colors.grey)
        footer = f"{document.footer}    {doc.page}" if document.footer else str(doc.page)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, footer)
        canvas.restoreState()

    template.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def _pdf_date(value: datetime) -> str:
    offset = value.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return (f"D:{value:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'")


def _font(path: str | None) -> str:
    """Register the CJK font once per process (ReportLab's registry is global) and return its name."""
    key = path or ""
    with _font_lock:
        if key in _registered:
            return _registered[key]
        name = _FALLBACK_FONT
        if path:
            try:
                name = "cjk-" + hashlib.sha256(path.encode()).hexdigest()[:8]
                pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
            except Exception as exc:  # a broken font file must not stop documents
                log.warning("CJK font %s cannot be used for PDFs (%s); using %s", path, exc, _FALLBACK_FONT)
                name = _FALLBACK_FONT
        if name == _FALLBACK_FONT:
            pdfmetrics.registerFont(UnicodeCIDFont(_FALLBACK_FONT))
        _registered[key] = name
        return name


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def _style(font: str, size: float, align: str = "left", grey: bool = False) -> ParagraphStyle:
    return ParagraphStyle(f"s{size}{align}{grey}", fontName=font, fontSize=size, leading=size * 1.45,
                          alignment=_ALIGN[align], wordWrap="CJK",
                          textColor=colors.HexColor("#555555") if grey else colors.black)


def _para(text: str, font: str, size: float, align: str = "left", grey: bool = False) -> Paragraph:
    return Paragraph(escape(text or "").replace("\n", "<br/>"), _style(font, size, align, grey))


def _flowables(block: Block, font: str, width: float) -> list[Flowable]:
    if isinstance(block, Heading):
        return [_para(block.text, font, block.size, block.align), RLSpacer(1, 2 * mm)]
    if isinstance(block, Text):
        return [_para(block.text, font, block.size, block.align, block.grey)]
    if isinstance(block, Spacer):
        return [RLSpacer(1, block.height_mm * mm)]
    if isinstance(block, Fields):
        return [_fields(block, font, width)]
    if isinstance(block, Table):
        return [_table(block, font, width)]
    if isinstance(block, Photos):
        return [_photos(block, font, width)] if block.photos else []
    if isinstance(block, QRCode):
        return [_qr_row(block, font, width)]
    raise TypeError(f"not a document block: {block!r}")


def _fields(block: Fields, font: str, width: float) -> RLTable:
    rows = [[_para(label, font, 10), _para(value, font, 10.5)] for label, value in block.rows]
    table = RLTable(rows, colWidths=[width * block.label_width, width * (1 - block.label_width)])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 2)]))
    return table


def _table(block: Table, font: str, width: float) -> RLTable:
    rows = [[_para(cell, font, block.size) for cell in block.header]]
    rows += [[_para(cell, font, block.size) for cell in row] for row in block.rows]
    table = RLTable(rows, colWidths=[width * share for share in block.widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _photos(block: Photos, font: str, width: float) -> RLTable:
    cell_width = width / block.per_row
    image_box = (cell_width - 6 * mm, 40 * mm)
    cells = [[_picture(photo, font, image_box), _para(photo.caption, font, 7.5)] for photo in block.photos]
    rows = []
    for start in range(0, len(cells), block.per_row):
        row = cells[start:start + block.per_row]
        row += [""] * (block.per_row - len(row))
        rows.append(row)
    table = RLTable(rows, colWidths=[cell_width] * block.per_row)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER")]))
    return table


def _picture(photo: Photo, font: str, box: tuple[float, float]) -> Flowable:
    if photo.data is not None:
        try:
            from PIL import Image as PILImage

            with PILImage.open(io.BytesIO(photo.data)) as probe:
                w, h = probe.size
            scale = min(box[0] / w, box[1] / h)
            return Image(io.BytesIO(photo.data), width=w * scale, height=h * scale)
        except Exception as exc:  # an unreadable stored file is shown as missing, not a failed document
            log.warning("evidence picture cannot be drawn: %s", exc)
    return _Placeholder(box, photo.placeholder, font)


class _Placeholder(Flowable):
    """A dashed box with a word in it, where a photo will be."""

    def __init__(self, box: tuple[float, float], text: str, font: str):
        super().__init__()
        self.width, self.height = box[0], box[1] * 0.6
        self.text, self.font = text, font

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        self.canv.setDash(2, 2)
        self.canv.setStrokeColor(colors.grey)
        self.canv.rect(0, 0, self.width, self.height)
        self.canv.setFont(self.font, 9)
        self.canv.drawCentredString(self.width / 2, self.height / 2 - 3, self.text)


class _QR(Flowable):
    """A QR code drawn as vector squares (segno computes the modules)."""

    def __init__(self, data: str, size: float):
        super().__init__()
        import segno

        self.matrix = segno.make(data, error="m", micro=False).matrix
        self.width = self.height = size

    def draw(self):
        quiet = 2
        count = len(self.matrix) + 2 * quiet
        module = self.width / count
        self.canv.setFillColor(colors.black)
        for row_index, row in enumerate(self.matrix):
            y = self.height - (row_index + quiet + 1) * module
            start = None
            for col_index, dark in enumerate([*row, 0]):
                if dark and start is None:
                    start = col_index
                elif not dark and start is not None:  # one rectangle per run of dark modules
                    self.canv.rect((start + quiet) * module, y, (col_index - start) * module, module,
                                   stroke=0, fill=1)
                    start = None


def _qr_row(block: QRCode, font: str, width: float) -> RLTable:
    size = block.size_mm * mm
    table = RLTable([[_QR(block.data, size), _para(block.caption, font, 8.5)]],
                    colWidths=[size + 4 * mm, width - size - 4 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table

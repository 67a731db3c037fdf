"""Does a PDF in someone's hand match the notice on record?

A notice PDF carries ``notice-token:<token>`` and ``notice-signature:<base64>`` in its metadata
(written uncompressed by ``core.documents``), so the file names its record without a PDF parser.
It matches when all of these hold:

* the token names a notice (and, on a notice's own page, that notice);
* the record's content still verifies against its Ed25519 signature with the current key;
* the signature in the file is the record's;
* the file's SHA-256 is one the server produced for that notice (rendering is deterministic and
  every distinct PDF handed out is remembered), so one changed byte anywhere is a mismatch.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from inspect_app.extensions import db
from inspect_app.notices import queries, rules, signing
from inspect_app.notices.models import Notice, NoticeRendering

TOKEN_MARK = "notice-token:"
SIGNATURE_MARK = "notice-signature:"
_TOKEN = re.compile(rb"notice-token:([A-Za-z0-9_-]{16,64})")
_SIGNATURE = re.compile(rb"notice-signature:([A-Za-z0-9+/]{40,120}={0,2})")


@dataclass
class Check:
    """The verdict on one file: ``matches`` and, if not, why (message codes); ``notice`` if found."""

    sha256: str
    notice: Notice | None = None
    reasons: list[str] = field(default_factory=list)
    rendering: NoticeRendering | None = None  # the issued PDF the file is, byte for byte

    @property
    def matches(self) -> bool:
        return self.notice is not None and not self.reasons


def marks_for(notice: Notice) -> tuple[str, str]:
    """The metadata marks a notice's PDF carries."""
    return f"{TOKEN_MARK}{notice.token}", f"{SIGNATURE_MARK}{notice.signature}"


def read_marks(pdf: bytes) -> tuple[str | None, str | None]:
    """(token, signature) found in the file, each None when absent."""
    token, signature = _TOKEN.search(pdf), _SIGNATURE.search(pdf)
    return (token.group(1).decode("ascii") if token else None,
            signature.group(1).decode("ascii") if signature else None)


def record_signature_valid(notice: Notice) -> bool:
    """Whether the stored content is what the server signed (with the current key)."""
    return signing.verify(notice.signature, rules.canonical_bytes(notice.content), notice.key_id)


def check_pdf(pdf: bytes, expected_token: str | None = None) -> Check:
    """Compare a file with the record; never raises for any bytes."""
    result = Check(sha256=hashlib.sha256(pdf).hexdigest())
    token, signature = read_marks(pdf)
    if token is None:
        result.reasons.append("verify_reason_no_marks")
        return result
    if expected_token is not None and token != expected_token:
        result.reasons.append("verify_reason_other_notice")
        return result
    result.notice = queries.get_by_token(token)
    if result.notice is None:
        result.reasons.append("verify_reason_unknown_token")
        return result
    if not record_signature_valid(result.notice):
        result.reasons.append("verify_reason_record_signature_invalid")
    if signature != result.notice.signature:
        result.reasons.append("verify_reason_signature_differs")
    issued = db.session.scalar(select(NoticeRendering).where(
        NoticeRendering.notice_id == result.notice.id, NoticeRendering.sha256 == result.sha256))
    result.rendering = issued
    if issued is None:
        result.reasons.append("verify_reason_bytes_differ")
    return result

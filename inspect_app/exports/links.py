"""Photo links in an export that open for whoever holds the file, for a limited time.

An export goes to the district office by mail or on a USB stick; its readers have no login, so a
link to ``/api/photos/<id>/display`` (which needs a token) answers 401. Each photo link is instead a
signed token naming the photo and the inspection it belongs to, opened by the public route
``GET /api/exports/photo-links/<token>`` (``exports/routes.py``), which serves the watermarked
display image, never the original. The signature is the credential:

* itsdangerous ``TimestampSigner`` tokens, keyed by ``SECRET_KEY`` with their own salt (a token made
  for anything else never opens a photo), dated when the export was made;
* refused once older than ``EXPORT_LINK_DAYS`` (410 ``export_link_expired``), or when tampered
  with (404 ``export_link_invalid``); rotating ``SECRET_KEY`` revokes every link at once.

An export holds one link per photo (hundreds of thousands in a busy week), so links are signed by
:class:`LinkSigner`, which computes exactly itsdangerous' token (tested) with the key derived once
and the export's timestamp encoded once.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, SignatureExpired, TimestampSigner
from itsdangerous.encoding import base64_encode, int_to_bytes

from inspect_app.core.errors import DomainError, NotFound

SALT = "export-photo-link"
ROUTE = "/api/exports/photo-links/"
EXCEL_LINK_LIMIT = 255  # Excel's HYPERLINK() takes at most 255 characters of address
_PAYLOAD = re.compile(r"^([1-9][0-9]{0,17})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


class LinkExpired(DomainError):
    status = 410
    code = "export_link_expired"


def _signer(secret_key: str, timestamp: int | None = None) -> TimestampSigner:
    if timestamp is None:
        return TimestampSigner(secret_key, salt=SALT)

    class Dated(TimestampSigner):
        def get_timestamp(self) -> int:
            return timestamp

    return Dated(secret_key, salt=SALT)


class LinkSigner:
    """Signs photo links for one export: all carry the export's time, so they expire together."""

    def __init__(self, secret_key: str, timestamp: int, base_url: str):
        self.base_url = base_url.rstrip("/")
        reference = _signer(secret_key, timestamp)
        self._mac = hmac.new(reference.derive_key(), digestmod=hashlib.sha1)
        self._suffix = b"." + base64_encode(int_to_bytes(timestamp))
        self._prefix = f"{self.base_url}{ROUTE}"

    def token(self, inspection_id: int, photo_uuid: str) -> str:
        """The same token as ``TimestampSigner(secret, salt=SALT).sign(payload)`` at the export's time."""
        value = f"{inspection_id}_{photo_uuid}".encode() + self._suffix
        mac = self._mac.copy()
        mac.update(value)
        return (value + b"." + base64.urlsafe_b64encode(mac.digest()).rstrip(b"=")).decode()

    def url(self, inspection_id: int, photo_uuid: str) -> str:
        return self._prefix + self.token(inspection_id, photo_uuid)


@dataclass(frozen=True)
class LinkTarget:
    inspection_id: int
    photo_uuid: str


def read_token(token: str, *, max_age_days: int | None = None, secret_key: str | None = None) -> LinkTarget:
    """The photo a token names; raises ``export_link_invalid`` (404) or ``export_link_expired`` (410)."""
    config = current_app.config
    days = config["EXPORT_LINK_DAYS"] if max_age_days is None else max_age_days
    try:
        payload = _signer(secret_key or config["SECRET_KEY"]).unsign(token, max_age=days * 86400)
    except SignatureExpired as exc:
        raise LinkExpired(days=days) from exc
    except (BadData, ValueError, TypeError) as exc:
        raise NotFound("export_link_invalid") from exc
    match = _PAYLOAD.match(payload.decode("ascii", "replace"))
    if match is None:  # signed by us, so only if the format changes; refuse rather than guess
        raise NotFound("export_link_invalid")
    return LinkTarget(int(match.group(1)), match.group(2))


def hyperlink_formula(url: str, label: str) -> str | None:
    """``HYPERLINK("url","label")`` for a cell, or None when Excel could not follow the address."""
    if len(url) > EXCEL_LINK_LIMIT:
        return None
    return 'HYPERLINK("{}","{}")'.format(url.replace('"', '""'), label.replace('"', '""'))

"""The current forms as one JSON document with an ETag, kept per process until a sync changes them.

``GET /api/checklists`` is called by every phone on every start and whenever it comes back online,
and composing the forms costs several queries and a serialisation (76 ms p50 at 5 concurrent, issue
14). The document depends only on the current checklist versions, which a sync replaces and nothing
edits, so each process keeps the JSON of the latest versions it built, keyed by their ids and
content hashes, and a phone whose copy is current gets a 304 after one small query.

The ETag is the SHA-256 of the JSON itself: a deployment that changes how forms are composed or
serialised changes it too, so no phone keeps a form the server no longer sends.
"""
from __future__ import annotations

import hashlib

from flask import Response, current_app
from werkzeug.datastructures import ETags

from inspect_app.checklists import queries
from inspect_app.checklists.schemas import ChecklistFormsSchema

_CACHE = "checklist_forms_document"
HEADERS = {"Cache-Control": "private, no-cache"}  # the phone asks again each time, cheaply


def current_forms_json() -> tuple[str, bytes]:
    """(ETag, JSON bytes) of the current site and truck forms, built once per set of versions."""
    key = queries.current_version_key()
    cached = current_app.extensions.get(_CACHE)
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    forms = {"site": queries.current_form("site"), "truck": queries.current_form("truck")}
    body = current_app.json.dumps(ChecklistFormsSchema().dump(forms)).encode("utf-8")
    etag = hashlib.sha256(body).hexdigest()[:32]
    current_app.extensions[_CACHE] = (key, etag, body)  # one entry: only the latest versions are asked for
    return etag, body


def conditional_json(etag: str, body: bytes, if_none_match: ETags) -> Response:
    """304 when the client already holds this document, else the document; both name the ETag."""
    if if_none_match.contains(etag):
        response = Response(status=304, headers=HEADERS)
    else:
        response = Response(body, mimetype="application/json", headers=HEADERS)
    response.set_etag(etag)
    return response

"""The request id: one short string that ties a response, its error body and its log lines together.

A client (the phone's outbox, a load balancer, a proxy) may send ``X-Request-Id``; a value of 8–128
characters of letters, digits and ``. _ - :`` is kept, anything else (empty, too long, spaces, quotes,
newlines that could forge log lines) is replaced by a generated one (32 hex digits). The response
returns it in ``X-Request-Id`` and every error body under /api/ carries it as ``request_id``, so a
user's screenshot of an error finds its log line.

The id is made on first use and kept in the request's WSGI environ (not on ``g``, which a test's
outer app context shares between requests), so it is the same whichever hook or error handler asks
first (an error raised by an early ``before_request`` guard still carries it).
"""
from __future__ import annotations

import re
import uuid

from flask import has_request_context, request

HEADER = "X-Request-Id"
ENVIRON_KEY = "inspect_app.request_id"
_VALID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def is_valid_request_id(value: str | None) -> bool:
    """Whether an incoming X-Request-Id may be kept as it is."""
    return bool(value) and _VALID.match(value) is not None


def request_id() -> str | None:
    """The current request's id (the client's if valid, else generated); None outside a request."""
    if not has_request_context():
        return None
    current = request.environ.get(ENVIRON_KEY)
    if current is None:
        incoming = request.headers.get(HEADER)
        current = incoming if is_valid_request_id(incoming) else uuid.uuid4().hex
        request.environ[ENVIRON_KEY] = current
    return current

"""Domain errors and the one place that turns every error under /api/ into JSON.

Operations raise :class:`DomainError` subclasses with a stable ``code``; the handler renders
``{"code", "message", "details"}`` with the message in the request's language, and the request's
``request_id`` (core/requestid.py) so a reported error finds its log line.
"""
from __future__ import annotations

import json
import logging

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from inspect_app.core.i18n import translate
from inspect_app.core.requestid import request_id

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A refusal a user can understand: HTTP status, stable code, message parameters."""

    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, *, status: int | None = None, details=None, **params):
        super().__init__(code or self.code)
        if code:
            self.code = code
        if status:
            self.status = status
        self.details = details
        self.params = params


class ValidationFailed(DomainError):
    status = 422
    code = "validation_error"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


def problem(status: int, code: str, details=None, **params):
    """A JSON error response: status, stable code, message in the request's language, request id."""
    body = {"code": code, "message": translate(code, **params), "status": status}
    if details is not None:
        body["details"] = details
    rid = request_id()
    if rid is not None:
        body["request_id"] = rid
    return jsonify(body), status


def _size_limit_mb() -> str:
    """The limit the refused body was held to: the request's own (JSON bodies) or the photo limit."""
    limit = request.environ.get("inspect_app.body_limit")  # set by core/parsing.py for JSON bodies
    if limit is None:
        limit = current_app.config["MAX_PHOTO_BYTES"]
    return f"{round(limit / 1024 / 1024, 2):g}"


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app: Flask) -> None:
    """Install handlers so no traceback or HTML error page ever reaches an API client."""

    @app.errorhandler(DomainError)
    def handle_domain_error(err: DomainError):
        return problem(err.status, err.code, err.details, **err.params)

    @app.errorhandler(HTTPException)
    def handle_http_exception(err: HTTPException):
        if not _is_api_request():
            return err
        status = err.code or 500
        code = _HTTP_CODES.get(status, "bad_request")
        details = None
        params = {}
        # webargs/flask-smorest put marshmallow messages on err.data
        data = getattr(err, "data", None) or {}
        if status == 422 and data.get("messages"):
            details = data["messages"]
            json_msgs = details.get("json") if isinstance(details, dict) else None
            if isinstance(json_msgs, dict) and json_msgs.get("_schema") == ["Invalid input type."]:
                code = "validation_error"
        # webargs/flask-smorest abort(400, exc=JSONDecodeError) on an unparseable body; Flask's own
        # get_json() says "Failed to decode JSON object" in the description.
        bad_json = isinstance(getattr(err, "exc", None), (json.JSONDecodeError, UnicodeDecodeError))
        if status == 400 and (bad_json or "JSON" in (err.description or "")):
            code = "malformed_json"
        if status == 413:
            params["limit_mb"] = _size_limit_mb()
        response, status = problem(status, code, details, **params)
        if status == 405 and getattr(err, "valid_methods", None):
            response.headers["Allow"] = ", ".join(err.valid_methods)  # required by RFC 9110
        return response, status

    @app.errorhandler(Exception)
    def handle_unexpected(err: Exception):
        if isinstance(err, HTTPException):
            return handle_http_exception(err)
        log.exception("unhandled error on %s %s", request.method, request.path)
        if not _is_api_request():
            raise err
        return problem(500, "internal_error")

"""The OpenAPI document tells the truth about errors: their shape, and which ones each operation may send.

flask-smorest documents a generic error body (``code`` an integer, ``status`` a string, ``errors``)
that this API never sends. :class:`ProblemSchema` is what :func:`inspect_app.core.errors.problem`
really renders, and :class:`ErrorResponsesPlugin` adds the standard error responses to every
operation in one place, derived from what the operation is (public or role-checked, path ids,
query arguments, a JSON body, an upload, a rate limit) — never hand-copied onto each route.
"""
from __future__ import annotations

from apispec import BasePlugin
from flask import Flask
from flask_smorest import Api
from flask_smorest.spec.plugins import FlaskPlugin
from marshmallow import Schema, fields

from inspect_app.core.parsing import IdConverter, id_converter_schema


class ProblemSchema(Schema):
    """Every error under /api/: a stable machine code, the HTTP status, a sentence in the caller's language."""

    code = fields.String(required=True, metadata={
        "description": "stable machine code, e.g. not_found, validation_error, invalid_plate"})
    status = fields.Integer(required=True, metadata={"description": "the HTTP status, repeated"})
    message = fields.String(required=True, metadata={
        "description": "one sentence in the request's language (zh-CN unless English is preferred)"})
    details = fields.Raw(metadata={
        "description": "present for some codes: field messages for validation_error, rows for imports …"})
    request_id = fields.String(required=True, metadata={
        "description": "the request's id, also in the X-Request-Id response header: quote it when reporting "
                       "an error, it finds the request's log line"})


# status → (component name, description naming the codes a client can branch on)
STANDARD_ERRORS = {
    400: ("PROBLEM_400", "malformed_json: the body is not valid JSON (or not UTF-8)"),
    401: ("PROBLEM_401", "not_authenticated | token_invalid: log in (again)"),
    403: ("PROBLEM_403", "forbidden: the caller's role may not do this"),
    404: ("PROBLEM_404", "not_found: no such object in the caller's units (or an id out of range)"),
    409: ("PROBLEM_409", "conflict (or a more specific code): clashes with stored data"),
    413: ("PROBLEM_413", "payload_too_large: the body is above its limit (JSON bodies have a small one)"),
    415: ("PROBLEM_415", "unsupported_media_type: the uploaded file is of a type not accepted"),
    422: ("PROBLEM_422", "validation_error (details per field), json_too_deep, or a domain refusal"),
    429: ("PROBLEM_429", "rate_limited: too many attempts, try again later"),
    503: ("PROBLEM_503", "database_unavailable: the database cannot be reached, retry later"),
}
WRITE_METHODS = ("post", "put", "patch", "delete")


class ErrorResponsesPlugin(BasePlugin):
    """apispec plugin: adds the error responses each operation can send (see :data:`STANDARD_ERRORS`)."""

    def __init__(self, app: Flask):
        super().__init__()
        self.app = app

    def init_spec(self, spec):
        super().init_spec(spec)
        content = {"application/json": {"schema": ProblemSchema}}
        for name, description in STANDARD_ERRORS.values():
            spec.components.response(name, {"description": description, "content": content}, lazy=True)

    def operation_helper(self, path=None, operations=None, **kwargs):
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        view = self.app.view_functions.get(rule.endpoint)
        view_class = getattr(view, "view_class", None)
        for method, operation in operations.items():
            handler = getattr(view_class, method, None)
            statuses = self.statuses_for(rule, method, operation, handler, view)
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                # a route's own alt_response (a different body, a narrower description) wins
                if status not in responses and str(status) not in responses:
                    responses[str(status)] = STANDARD_ERRORS[status][0]

    @staticmethod
    def statuses_for(rule, method: str, operation: dict, handler, view) -> set[int]:
        """The error statuses an operation can answer, from what it is."""
        statuses = {503}  # every operation reads the database
        public = getattr(handler, "allowed_roles", "public") == "public"
        if not public or method in WRITE_METHODS:  # role checks, or credentials checked (login)
            statuses |= {401, 403}
        if rule.arguments:
            statuses.add(404)  # an unknown id, one outside the caller's units, or out of range
        if any(p.get("in") == "query" for p in operation.get("parameters", []) if isinstance(p, dict)):
            statuses.add(422)
        if method in WRITE_METHODS and not public:
            statuses.add(409)
        if "requestBody" in operation:
            statuses |= {400, 413, 422}
        if method == "put":
            statuses |= {413, 415, 422}  # raw uploads: the file's type and content are checked
        if _rate_limited(view) or _rate_limited(handler):
            statuses.add(429)
        return statuses


def _rate_limited(func) -> bool:
    """Whether flask-limiter wrapped this view (it marks its wrappers with its instance)."""
    return getattr(func, "__wrapper-limiter-instance", None) is not None


def init_api(api: Api, app: Flask) -> None:
    """Bind flask-smorest to ``app`` with the true error schema, id path ranges and error responses.

    ``ERROR_SCHEMA`` is what flask-smorest documents for its own responses (``default``, the 422 of
    ``@blp.arguments``); it is set on the instance, the class stays as the library ships it.
    """
    api.ERROR_SCHEMA = ProblemSchema
    flask_plugin = FlaskPlugin()
    flask_plugin.register_converter(IdConverter, id_converter_schema)
    api.init_app(app, spec_kwargs={"flask_plugin": flask_plugin,
                                   "extra_plugins": [ErrorResponsesPlugin(app)]})

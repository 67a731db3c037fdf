"""What every API request goes through before a schema sees it: bounded JSON, clean text, sane ids.

Each guard is one mechanism for the whole API, so a new endpoint cannot forget it:

* JSON bodies have their own size limit (``MAX_JSON_BYTES``, far below the photo limit), checked
  against Content-Length and again while the body streams in, and a nesting depth limit
  (``MAX_JSON_DEPTH``) checked *before* the parser recurses. Deep nesting used to end in
  ``RecursionError`` (500) and a 24 MB body burned seconds of CPU before its 422.
* Text containing NUL or lone UTF-16 surrogates is refused with 422 by the arguments parser that
  every flask-smorest :class:`Blueprint` here uses — PostgreSQL cannot store either, so they used
  to surface as 500s deep in an operation (and the phone retried them for ever).
* ``<int:…>`` path segments only match ids a database ``INTEGER`` can hold; anything else is a 404.
"""
from __future__ import annotations

import json
import re
from itertools import accumulate

import flask_smorest
import marshmallow as ma
from flask import Flask, Request, current_app, request
from flask import json as flask_json
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from inspect_app.core.errors import DomainError
from inspect_app.core.fields import MAX_DB_INT
from inspect_app.core.i18n import register_messages

DEFAULT_MAX_JSON_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_JSON_DEPTH = 64
#: Where the request's own body limit is kept (read by the 413 message in core/errors.py).
BODY_LIMIT_KEY = "inspect_app.body_limit"

register_messages({
    "json_too_deep": ("请求内容嵌套过深（最多 {limit} 层）。",
                      "The request body is nested too deeply (at most {limit} levels)."),
    "text_not_allowed": ("文本中含有不允许的字符（NUL 或无效的 Unicode）。",
                         "The text contains a character that is not allowed (NUL or invalid Unicode)."),
})

# NUL, and surrogate code points (only reachable as lone "\ud800"-style escapes in JSON).
_FORBIDDEN_TEXT = re.compile("[\x00\ud800-\udfff]")
# Possessive quantifiers: an unterminated string must not make the engine backtrack.
_JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_DEPTH_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _DEPTH_STEP)


class JSONTooDeep(DomainError):
    status = 422
    code = "json_too_deep"


class MalformedJSON(DomainError):
    status = 400
    code = "malformed_json"


def json_depth(raw: bytes) -> int:
    """How deeply arrays and objects nest in ``raw``, without parsing it (brackets in strings skipped)."""
    brackets = _JSON_STRING.sub(b'""', raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def load_json(raw: bytes | str, *, max_depth: int | None = None):
    """Parse a JSON body the strict way: depth-checked first, RFC 8259 only (no NaN/Infinity).

    Raises :class:`JSONTooDeep` (422) or :class:`MalformedJSON` (400) — never RecursionError or a
    bare ValueError such as Python's "Exceeds the limit (4300 digits)" for huge integer literals.
    """
    if max_depth is None:
        max_depth = current_app.config.get("MAX_JSON_DEPTH", DEFAULT_MAX_JSON_DEPTH)
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if json_depth(data) > max_depth:
        raise JSONTooDeep(limit=max_depth)
    try:
        text = data.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise MalformedJSON() from exc


class _BoundedJSONModule:
    """What ``request.get_json()`` parses with: :func:`load_json` in, Flask's own ``dumps`` out."""

    loads = staticmethod(load_json)
    dumps = staticmethod(flask_json.dumps)


class BoundedRequest(Request):
    """Flask's request: ``get_json()`` is depth-checked and strict, and a JSON body read past its limit is 413."""

    json_module = _BoundedJSONModule

    def get_data(self, *args, **kwargs):
        data = super().get_data(*args, **kwargs)
        limit = self.environ.get(BODY_LIMIT_KEY)
        if limit is not None and len(data) > limit:
            raise RequestEntityTooLarge()
        return data


def forbidden_text_paths(value, path: tuple = ()) -> list[tuple]:
    """Where in a parsed body or query the text holds NUL or a lone surrogate (keys included)."""
    found, stack = [], [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if _FORBIDDEN_TEXT.search(item):
                found.append(where)
        elif isinstance(item, dict):
            for key, child in item.items():
                if isinstance(key, str) and _FORBIDDEN_TEXT.search(key):
                    found.append((*where, "_key"))
                stack.append(((*where, key), child))
        elif isinstance(item, (list, tuple)):
            stack.extend(((*where, index), child) for index, child in enumerate(item))
    return sorted(found, key=repr)


def _nested_messages(paths: list[tuple], message: str) -> dict:
    messages: dict = {}
    for path in paths:
        node = messages
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1] if path else "_schema"] = [message]
    return messages


class StrictParser(FlaskParser):
    """webargs' Flask parser with the API-wide guards: bounded JSON, no NUL or surrogates in text."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return webargs_core.missing
        return load_json(req.get_data(cache=True))

    def pre_load(self, location_data, *, schema, req, location):
        data = location_data
        multidict = getattr(location_data, "data", None)
        if hasattr(multidict, "lists"):
            data = {key: values for key, values in multidict.lists()}
        paths = forbidden_text_paths(data)
        if paths:
            raise ma.ValidationError(_nested_messages(paths, "NUL and lone surrogates are not allowed in text."))
        return location_data


class Blueprint(flask_smorest.Blueprint):
    """The flask-smorest Blueprint every API feature uses: arguments go through :class:`StrictParser`."""

    ARGUMENTS_PARSER = StrictParser()


class IdConverter(IntegerConverter):
    """``<int:…>`` in routes: only ids from 1 to 2**31-1 match, so a larger one is 404, not a DB error."""

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_DB_INT, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def id_converter_schema(converter: IdConverter) -> dict:
    """How an ``<int:…>`` path id is documented in OpenAPI."""
    return {"type": "integer", "minimum": converter.min, "maximum": converter.max}


def limit_json_bodies() -> None:
    """Before any view reads a JSON body, give the request the JSON size limit instead of the photo one.

    A declared Content-Length above the request's limit is refused here, whatever the type; werkzeug
    cuts a chunked body off as it streams in (413), so the parser never sees more than ``MAX_JSON_BYTES``.
    """
    limit = request.max_content_length
    if is_json_request(request):
        limit = current_app.config.get("MAX_JSON_BYTES", DEFAULT_MAX_JSON_BYTES)
        request.environ[BODY_LIMIT_KEY] = limit
        # One byte more than allowed may stream in, so a chunked body that is too large is told
        # apart from one of exactly the limit (werkzeug's stream stops at its cap without an error).
        request.max_content_length = limit + 1
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()  # declared too large: refused before anything reads the body


def init_request_guards(app: Flask) -> None:
    """Install the URL converter, the bounded request JSON and the JSON body limit (before blueprints)."""
    app.url_map.converters["int"] = IdConverter
    app.request_class = BoundedRequest
    app.before_request(limit_json_bodies)

"""The OpenAPI document says what the API really sends (issue 13, point 10).

The generated document used to describe flask-smorest's error body (``code`` an integer, ``status``
a string, ``errors``) and left 401/403/404/413/422/429 undocumented per operation. These tests pin
the shape and the per-operation responses; tests/system/test_schemathesis.py fuzzes against them.
"""
from __future__ import annotations

import jsonschema
import pytest

from inspect_app.core.parsing import Blueprint as GuardedBlueprint

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def _operations(spec):
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method], item.get("parameters", [])


def _resolve(spec, node):
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        node = spec["components"][section][name]
    return node


def _error_schema(spec, response):
    schema = _resolve(spec, _resolve(spec, response)["content"]["application/json"]["schema"])
    return {**schema, "components": spec["components"]}


def test_documented_error_body_is_the_one_sent(client, spec):
    body = client.get("/api/no-such-thing").get_json()
    schema = spec["components"]["schemas"]["Problem"]
    assert schema["properties"]["code"]["type"] == "string"
    assert schema["properties"]["status"]["type"] == "integer"
    assert "details" in schema["properties"]
    jsonschema.validate(body, schema)
    detailed = client.post("/api/auth/login", json={}).get_json()
    jsonschema.validate(detailed, schema)
    assert detailed["details"]


def test_every_operation_documents_its_error_responses(spec, app):
    """Role-checked operations: 401 and 403; ids in the path: 404; arguments: 422; bodies: 400/413."""
    for path, method, operation, path_params in _operations(spec):
        responses = operation["responses"]
        label = f"{method.upper()} {path}"
        assert "default" in responses, label
        if path not in ("/api/health",) and not path.startswith("/api/exports/photo-links"):
            assert {"401", "403"} <= set(responses), label
        if path_params:
            assert "404" in responses, label
        if "requestBody" in operation:
            assert {"400", "413", "422"} <= set(responses), label
        if any(p.get("in") == "query" for p in operation.get("parameters", [])):
            assert "422" in responses, label
        for status, response in responses.items():
            documented = "content" in _resolve(spec, response)  # a bare description documents no body
            is_error = status.startswith(("4", "5")) or status == "default"
            if documented and is_error and not (path == "/api/health" and status == "503"):
                schema = _error_schema(spec, response)
                assert schema["properties"]["code"]["type"] == "string", (label, status)


def test_rate_limited_login_documents_429_and_photo_upload_415(spec):
    assert "429" in spec["paths"]["/api/auth/login"]["post"]["responses"]
    upload = spec["paths"]["/api/inspections/{inspection_uuid}/photos/{photo_uuid}"]["put"]["responses"]
    assert {"413", "415", "422"} <= set(upload)


def test_path_ids_are_documented_with_the_database_range(spec):
    ids = [p for item in spec["paths"].values() for p in item.get("parameters", [])
           if p["in"] == "path" and p["schema"].get("type") == "integer"]
    assert ids
    assert all(p["schema"]["minimum"] == 1 and p["schema"]["maximum"] == 2**31 - 1 for p in ids)


def test_health_has_a_schema_for_ok_and_degraded(spec):
    responses = spec["paths"]["/api/health"]["get"]["responses"]
    for status in ("200", "503"):
        schema = _resolve(spec, responses[status]["content"]["application/json"]["schema"])
        assert {"status", "database", "version", "checklists"} <= set(schema["properties"])


def test_nullable_output_fields_say_so(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["ItemResult"]["properties"]["note"].get("nullable") is True
    for name in ("permit_number", "builder", "address", "contact_name", "contact_phone"):
        assert schemas["SiteOut"]["properties"][name].get("nullable") is True, name


def test_every_api_blueprint_parses_arguments_through_the_guarded_parser(app):
    """NUL bytes, lone surrogates and deep JSON are refused in one place: every API blueprint must use it."""
    from flask_smorest import Blueprint as SmorestBlueprint

    api_blueprints = [bp for bp in app.blueprints.values() if isinstance(bp, SmorestBlueprint)]
    assert api_blueprints
    assert [bp.name for bp in api_blueprints if not isinstance(bp, GuardedBlueprint)] == []

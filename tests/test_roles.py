"""The role matrix: every API endpoint declares who may call it, and the declaration holds.

The walker reads ``app.url_map``, so an endpoint added by any feature later is checked without
editing this file: it must carry ``allowed_roles`` (set by ``@roles_required(...)`` or
``@public``) on each HTTP method, must answer 401 without a token, and 403 to the roles it leaves
out. The table below then pins the exact decision for the auth and sites endpoints.
"""
from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from inspect_app.auth.models import ALL_ROLES
from tests.factories import DEFAULT_LAT, DEFAULT_LON, create_site

# Generated documentation, not part of the API contract (flask-smorest's "api-docs" blueprint).
EXEMPT_ENDPOINT_PREFIXES = ("api-docs.",)
IGNORED_METHODS = {"OPTIONS", "HEAD"}  # Flask answers these itself / HEAD runs the GET view


def _api_rules(app) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/api/") and not rule.endpoint.startswith(EXEMPT_ENDPOINT_PREFIXES)]


def _view_for(app, rule: Rule, method: str):
    """The function that handles ``method`` on ``rule``: the MethodView method, or the view."""
    view_func = app.view_functions[rule.endpoint]
    view_class = getattr(view_func, "view_class", None)
    if view_class is None:
        return view_func
    handler = getattr(view_class, method.lower(), None)
    if handler is None and method == "HEAD":
        handler = getattr(view_class, "get", None)
    return handler


def declared_endpoints(app) -> list[tuple[str, Rule, object]]:
    """(method, rule, allowed_roles or None) for every method of every API rule."""
    out = []
    for rule in _api_rules(app):
        for method in sorted(rule.methods - IGNORED_METHODS):
            handler = _view_for(app, rule, method)
            out.append((method, rule, getattr(handler, "allowed_roles", None)))
    return out


def _sample_url(rule: Rule) -> str:
    """A concrete URL for a rule, with harmless placeholder values for its variables."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        kind = type(converter).__name__
        if kind in ("IntegerConverter", "FloatConverter", "IdConverter"):  # IdConverter: core/parsing.py
            values[name] = 1
        elif kind == "UUIDConverter":
            values[name] = "00000000-0000-4000-8000-000000000000"
        elif kind == "AnyConverter":
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


def test_every_api_endpoint_declares_its_roles(app):
    undeclared = [f"{method} {rule.rule} ({rule.endpoint})"
                  for method, rule, roles in declared_endpoints(app) if roles is None]
    assert undeclared == [], (
        "API endpoints without @roles_required(...) or @public:\n  " + "\n  ".join(undeclared))


def test_declarations_name_only_known_roles(app):
    bad = []
    for method, rule, roles in declared_endpoints(app):
        if roles is None or roles == "public":
            continue
        if not roles or not set(roles) <= set(ALL_ROLES):
            bad.append(f"{method} {rule.rule}: {roles!r}")
    assert bad == []


def test_walker_sees_the_foundation_endpoints(app):
    """Guard against a walker that silently checks nothing."""
    seen = {(method, rule.rule) for method, rule, _ in declared_endpoints(app)}
    assert {("POST", "/api/auth/login"), ("GET", "/api/auth/me"), ("GET", "/api/sites"),
            ("PATCH", "/api/sites/<int:site_id>"), ("POST", "/api/sites/<int:site_id>/close")} <= seen


def test_every_protected_endpoint_answers_401_without_a_token(app, client):
    wrong = []
    for method, rule, roles in declared_endpoints(app):
        if roles is None or roles == "public":
            continue
        response = client.open(_sample_url(rule), method=method, json={})
        if response.status_code != 401:
            wrong.append(f"{method} {rule.rule}: {response.status_code}")
    assert wrong == [], "protected endpoints that did not refuse an anonymous call:\n  " + "\n  ".join(wrong)


def test_every_protected_endpoint_refuses_the_roles_it_leaves_out(app, client, auth):
    headers = {role: auth.as_role(role) for role in ALL_ROLES}
    wrong = []
    for method, rule, roles in declared_endpoints(app):
        if roles is None or roles == "public":
            continue
        for role in sorted(set(ALL_ROLES) - set(roles)):
            response = client.open(_sample_url(rule), method=method, json={}, headers=headers[role])
            if response.status_code != 403 or response.get_json().get("code") != "forbidden":
                wrong.append(f"{method} {rule.rule} as {role}: {response.status_code}")
    assert wrong == []


# --- the explicit matrix for the foundation endpoints ------------------------------------------

ALL = set(ALL_ROLES)
ADMIN = {"admin"}
PUBLIC = "public"

MATRIX = [
    # method, path template, roles allowed
    ("POST", "/api/auth/login", PUBLIC),
    ("POST", "/api/auth/logout", ALL),
    ("GET", "/api/auth/me", ALL),
    ("GET", "/api/sites", ALL),
    ("POST", "/api/sites", ADMIN),
    ("GET", "/api/sites/{site}", ALL),
    ("PATCH", "/api/sites/{site}", ADMIN),
    ("POST", "/api/sites/{site}/close", ADMIN),
    ("GET", "/api/health", PUBLIC),
]


def _body(method: str, path: str):
    if path == "/api/sites" and method == "POST":
        return {"name": "矩阵工地", "contractor": "某公司", "unit": "xinhuaxilu",
                "lat": DEFAULT_LAT, "lon": DEFAULT_LON, "phase": "foundation"}
    if method == "PATCH":
        return {"phase": "structure"}
    return None


def _cases():
    for method, path, allowed in MATRIX:
        if allowed == PUBLIC:
            continue
        for role in ALL_ROLES:
            yield pytest.param(method, path, role, role in allowed, id=f"{method} {path} {role}")


def test_matrix_covers_the_declarations(app):
    """The table and the decorators must agree, so neither drifts unnoticed."""
    declared = {(method, rule.rule): roles for method, rule, roles in declared_endpoints(app)}
    for method, path, allowed in MATRIX:
        rule = path.replace("{site}", "<int:site_id>")
        roles = declared[(method, rule)]
        assert (roles == "public") if allowed == PUBLIC else (set(roles) == allowed), (method, path)


@pytest.mark.parametrize("method, path", [(m, p) for m, p, allowed in MATRIX if allowed != PUBLIC])
def test_matrix_without_token_is_401(client, method, path):
    site = create_site()
    response = client.open(path.format(site=site.id), method=method, json=_body(method, path))
    assert response.status_code == 401
    assert response.get_json()["code"] == "not_authenticated"


@pytest.mark.parametrize("method, path, role, allowed", list(_cases()))
def test_matrix_role_decision(client, auth, method, path, role, allowed):
    site = create_site(unit="xinhuaxilu")
    headers = auth.as_role(role, units=("xinhuaxilu",))
    response = client.open(path.format(site=site.id), method=method, json=_body(method, path),
                           headers=headers)
    if allowed:
        assert 200 <= response.status_code < 300, response.get_json()
    else:
        assert response.status_code == 403
        assert response.get_json()["code"] == "forbidden"


@pytest.mark.parametrize("method, path", [(m, p) for m, p, allowed in MATRIX if allowed == PUBLIC])
def test_public_endpoints_answer_without_a_token(client, method, path):
    from tests.factories import PASSWORD, create_user

    user = create_user("inspector")
    body = {"username": user.username, "password": PASSWORD} if path.endswith("login") else None
    response = client.open(path, method=method, json=body)
    assert response.status_code == 200


def test_walker_flags_undeclared_functions_and_methodview_methods(tmp_path):
    """The walker itself: a plain view and one MethodView method without a declaration are caught."""
    from flask.views import MethodView

    from inspect_app.auth.permissions import public, roles_required
    from tests.core.scratch import scratch_app

    with scratch_app(tmp_path) as other:
        @other.get("/api/test-plain")
        def plain():
            return {}

        class Half(MethodView):
            @roles_required("admin")
            def get(self):
                return {}

            def delete(self):
                return {}

        other.add_url_rule("/api/test-half", view_func=Half.as_view("test_half"))
        other.add_url_rule("/api/test-open", view_func=public(lambda: {}), endpoint="test_open")
        found = {(m, r.rule): roles for m, r, roles in declared_endpoints(other)}
    assert found[("GET", "/api/test-plain")] is None
    assert found[("DELETE", "/api/test-half")] is None
    assert found[("GET", "/api/test-half")] == frozenset({"admin"})
    assert found[("GET", "/api/test-open")] == "public"

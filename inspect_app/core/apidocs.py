"""Swagger UI at ``/api/docs``, served from the pinned ``swagger-ui-bundle`` package on this origin.

The app keeps its bearer token on this origin, so the documentation page must not run scripts from
a CDN that could change under us (flask-smorest's page loads unpinned ``swagger-ui-dist`` from
jsDelivr and configures it with an inline script). Here the assets are files of a package pinned in
``requirements.txt`` and the page has no inline script, so it works offline and under the CSP of
``core/security.py``. The OpenAPI document itself stays flask-smorest's ``/api/openapi.json``.
"""
from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, abort, current_app, send_from_directory, url_for
from markupsafe import escape


def public(view):
    """Open to anyone, like ``auth.permissions.public`` (core may not import auth: imports flow up)."""
    view.allowed_roles = "public"
    return view

# Only what the page loads; the package also ships an index.html and source maps we do not serve.
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png", "favicon-16x16.png"})

docs = Blueprint("swagger-ui", __name__, url_prefix="/api/docs")

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="{assets}favicon-32x32.png">
<link rel="stylesheet" href="{assets}swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}swagger-ui-bundle.js"></script>
<script src="{init}"></script>
</body>
</html>
"""


def init_api_docs(app: Flask) -> None:
    """Register the documentation page and its assets."""
    app.register_blueprint(docs)


def _assets_dir() -> str:
    import swagger_ui_bundle

    return swagger_ui_bundle.swagger_ui_path


@docs.route("")
@public
def page():
    """The Swagger UI page for /api/openapi.json."""
    html = _PAGE.format(title=escape(current_app.config.get("API_TITLE", "API")),
                        assets=url_for("swagger-ui.page") + "/assets/", init=url_for("swagger-ui.init_script"))
    return Response(html, mimetype="text/html")


@docs.route("/init.js")
@public
def init_script():
    """Starts Swagger UI on the document (a file, not inline, so the CSP needs no 'unsafe-inline')."""
    config = {"url": url_for("api-docs.openapi_json"), "dom_id": "#swagger-ui", "deepLinking": True,
              "layout": "BaseLayout", **current_app.config.get("OPENAPI_SWAGGER_UI_CONFIG", {})}
    source = f"window.ui = SwaggerUIBundle({json.dumps(config)});\n"
    return Response(source, mimetype="text/javascript")


@docs.route("/assets/<path:filename>")
@public
def asset(filename: str):
    """One of the pinned package's files."""
    if filename not in ASSETS:
        abort(404)
    return send_from_directory(_assets_dir(), filename, max_age=86400)

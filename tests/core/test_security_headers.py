"""Security headers on the app and the API, and API documentation that loads nothing from a CDN.

The browser side of the CSP (the PWA really works under it) is tests/browser/test_csp.py.
"""
from __future__ import annotations

import hashlib
import re

import pytest

from inspect_app.core.security import APP_CSP
from tests.core.scratch import scratch_app

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _get(client, path: str, **kwargs):
    """GET and close: file responses hold their file open until closed."""
    response = client.get(path, **kwargs)
    response.get_data()
    response.close()
    return response


def _csp(response) -> dict[str, set[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


@pytest.mark.parametrize("path", ["/app/", "/app/app.js", "/app/sw.js", "/api/health", "/api/auth/me",
                                  "/api/openapi.json", "/api/docs", "/api/no-such-thing"])
def test_every_response_carries_the_security_headers(client, path):
    response = _get(client, path)
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, (path, name)
    assert "frame-ancestors" in _csp(response), path


def test_the_app_policy_allows_only_this_origin_blob_previews_and_the_map_tiles(client):
    csp = _csp(_get(client, "/app/"))
    assert csp["default-src"] == {"'self'"}
    assert csp["script-src"] == {"'self'"}  # no inline script, no eval, no CDN
    assert csp["style-src"] == {"'self'"}
    tiles = {f"https://webrd0{n}.is.autonavi.com" for n in "1234"}  # MAP_TILE_URL's hosts (tests/maps)
    assert csp["img-src"] == {"'self'", "blob:", "data:"} | tiles
    assert csp["connect-src"] == {"'self'"}
    assert csp["object-src"] == {"'none'"} and csp["frame-ancestors"] == {"'none'"}
    assert not any("http" in source for name, sources in csp.items() if name != "img-src" for source in sources)


def test_api_responses_allow_nothing_to_run(client):
    csp = _csp(_get(client, "/api/health"))
    assert csp["default-src"] == {"'none'"}


def test_hsts_only_over_https_unless_configured(client, tmp_path):
    assert "Strict-Transport-Security" not in _get(client, "/app/").headers
    secure = _get(client, "/app/", base_url="https://inspect.example.cn")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    with scratch_app(tmp_path, HSTS_ALWAYS=True) as app:
        assert "Strict-Transport-Security" in _get(app.test_client(), "/app/").headers


def test_hsts_follows_the_balancers_x_forwarded_proto_only_with_trusted_hops(tmp_path):
    with scratch_app(tmp_path, TRUSTED_PROXY_HOPS=1) as app:
        response = _get(app.test_client(), "/app/", headers={"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" in response.headers
    with scratch_app(tmp_path) as app:
        response = _get(app.test_client(), "/app/", headers={"X-Forwarded-Proto": "https"})
        assert "Strict-Transport-Security" not in response.headers


def test_the_pwa_has_no_inline_script_or_style_the_policy_would_block(app):
    """The policy forbids inline code, so the app must not contain any (the browser test runs it)."""
    from pathlib import Path

    root = Path(app.static_folder) / "pwa"
    html = (root / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> in index.html"
    assert "<style" not in html and " style=" not in html and "javascript:" not in html
    for path in root.glob("*.js"):
        source = path.read_text(encoding="utf-8")
        assert "eval(" not in source and "new Function" not in source, path.name
        assert not re.search(r"setAttribute\(\s*['\"]style['\"]", source), path.name


def test_api_docs_load_pinned_assets_from_this_origin(client):
    page = _get(client, "/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/api/docs/") for s in sources), sources
    assert "cdn" not in html.lower() and "<script>" not in html  # no third party, no inline script
    for source in sources:
        asset = _get(client, source)
        assert asset.status_code == 200, source
    init = _get(client, "/api/docs/init.js").get_data(as_text=True)
    assert "/api/openapi.json" in init and "SwaggerUIBundle" in init


def test_docs_assets_are_exactly_the_pinned_packages_files(client):
    import swagger_ui_bundle

    from pathlib import Path

    served = _get(client, "/api/docs/assets/swagger-ui-bundle.js").get_data()
    packaged = (Path(swagger_ui_bundle.swagger_ui_path) / "swagger-ui-bundle.js").read_bytes()
    assert hashlib.sha256(served).digest() == hashlib.sha256(packaged).digest()
    # Nothing else from the package's folder (its index.html, source maps) and no path tricks.
    for name in ("index.html", "swagger-ui-bundle.js.map", "../__init__.py", "..%2F__init__.py"):
        assert _get(client, f"/api/docs/assets/{name}").status_code == 404, name


def test_swagger_ui_bundle_is_pinned_in_requirements():
    from pathlib import Path

    requirements = (Path(__file__).resolve().parents[2] / "requirements.txt").read_text()
    assert re.search(r"^swagger-ui-bundle==\d+\.\d+\.\d+$", requirements, re.MULTILINE)


def test_app_policy_is_what_the_module_declares_plus_the_map_tile_hosts(client):
    policy = _get(client, "/app/").headers["Content-Security-Policy"]
    tiles = " ".join(f"https://webrd0{n}.is.autonavi.com" for n in "1234")
    assert policy == APP_CSP.replace("img-src 'self' blob: data:", f"img-src 'self' blob: data: {tiles}")

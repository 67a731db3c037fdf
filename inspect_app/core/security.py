"""The web surface's protections, in one place: which proxy to believe, and the security headers.

* ``TRUSTED_PROXY_HOPS`` (default 0) says how many proxies in front of the app may set
  ``X-Forwarded-For``/``-Proto`` (werkzeug's ``ProxyFix``). With 0 those headers are ignored, so a
  client cannot choose the address the login rate limit and the audit log see; behind the
  recommended load balancer set 1, and every client gets its own address again.
* Every response carries ``X-Content-Type-Options``, ``Referrer-Policy``, ``X-Frame-Options`` and a
  Content-Security-Policy; HSTS when the request came over HTTPS (or ``HSTS_ALWAYS``).

The app's CSP allows only its own origin (with presigned photo reads, also the bucket's): the PWA is
plain modules and a stylesheet (no inline script or style), photo previews are ``blob:`` URLs, the Amap
link is a plain navigation, and map tiles come from exactly the hosts ``MAP_TILE_URL`` names
(:func:`map_tile_origins`). API responses get a
policy that allows nothing at all (they are data, never documents to render); the Swagger UI page
(``core/apidocs.py``) is served from a pinned package on this origin with no inline script.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

APP_CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "font-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
# Swagger UI sets style attributes from React and draws its icons as data: SVGs.
DOCS_CSP = APP_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000; includeSubDomains"


_HOST = re.compile(r"^[A-Za-z0-9.-]+(:[0-9]{1,5})?$")


def map_tile_origins(template: str, subdomains: str) -> tuple[str, ...]:
    """The origins a Leaflet tile URL template loads from, one per subdomain (``{s}``), for img-src.

    A template on this origin (a path) needs none. Anything that is not a plain http(s) host is
    refused at startup, so a setting can never smuggle another directive into the policy.
    """
    if not template or (template.startswith("/") and not template.startswith("//")):
        return ()
    hosts = [template.replace("{s}", sub) for sub in (subdomains or "")] if "{s}" in template else [template]
    origins = []
    for url in hosts:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not _HOST.match(parts.netloc or ""):
            raise RuntimeError(f"MAP_TILE_URL must be an http(s) URL template or a path, not {template!r}")
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return tuple(origins)


def app_policy(tile_origins: tuple[str, ...] = ()) -> str:
    """The app's policy, with the map tile hosts allowed as images."""
    if not tile_origins:
        return APP_CSP
    return APP_CSP.replace("img-src 'self' blob: data:", " ".join(("img-src 'self' blob: data:", *tile_origins)))


def init_security(app: Flask) -> None:
    """Believe exactly TRUSTED_PROXY_HOPS proxies and add the security headers to every response."""
    hops = int(app.config.get("TRUSTED_PROXY_HOPS", 0) or 0)
    if hops < 0:
        raise RuntimeError("TRUSTED_PROXY_HOPS must be 0 (no proxy) or the number of trusted proxies")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    app.extensions["app_csp"] = app_policy(map_tile_origins(
        app.config.get("MAP_TILE_URL", ""), app.config.get("MAP_TILE_SUBDOMAINS", "")))
    app.after_request(add_security_headers)


def content_security_policy(path: str) -> str:
    """The policy for a response to ``path``."""
    if path == "/api/docs" or path.startswith("/api/docs/"):
        return DOCS_CSP
    if path.startswith("/api/"):
        return API_CSP
    return _with_photo_origin(current_app.extensions.get("app_csp", APP_CSP))


def _with_photo_origin(policy: str) -> str:
    """With presigned reads from a bucket (PHOTO_STORAGE=s3), the app's photo fetches follow a redirect
    to the bucket's origin: allow exactly that origin to be fetched from, nothing else."""
    if not current_app.config.get("S3_PRESIGNED_READS"):
        return policy
    origin = getattr(current_app.extensions.get("photo_storage"), "read_origin", None)
    if not origin:
        return policy
    return (policy.replace("img-src 'self' blob: data:", f"img-src 'self' blob: data: {origin}")
            .replace("connect-src 'self'", f"connect-src 'self' {origin}"))


def add_security_headers(response: Response) -> Response:
    """Set the headers a view did not set itself."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(request.path))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure or current_app.config.get("HSTS_ALWAYS"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response

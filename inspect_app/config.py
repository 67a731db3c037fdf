"""Settings read from the environment, with embedded defaults that need nothing installed.

Every setting here is documented in the README's Configuration table; keep the two in step.
"""
from __future__ import annotations

import os
from pathlib import Path

INSECURE_DEV_SECRET = "dev-only-insecure-secret"
DEFAULT_MAP_TILE_URL = ("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
                        "&x={x}&y={y}&z={z}")


def _bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def _database_url(instance_path: Path) -> str:
    """DATABASE_URL, normalised so plain ``postgresql://`` uses psycopg 3."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'inspect.sqlite3'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def load_config(instance_path: Path) -> dict:
    """Build the configuration mapping from the environment."""
    env = os.environ.get("INSPECT_ENV", "development")
    return {
        "ENV_NAME": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", INSECURE_DEV_SECRET),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Bounded waits on the database (core/database.py): a dead server answers 503, not a hang.
        "DB_CONNECT_TIMEOUT_SECONDS": _int("DB_CONNECT_TIMEOUT_SECONDS", 5),
        "DB_STATEMENT_TIMEOUT_MS": _int("DB_STATEMENT_TIMEOUT_MS", 15_000),
        "HEALTH_DB_TIMEOUT_SECONDS": _float("HEALTH_DB_TIMEOUT_SECONDS", 1.5),
        "PHOTO_STORAGE": os.environ.get("PHOTO_STORAGE", "local"),
        "PHOTO_DIR": os.environ.get("PHOTO_DIR", str(instance_path / "photos")),
        # PHOTO_STORAGE=s3: an S3-compatible bucket (core/storage_s3.py); credentials from the standard
        # AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, a profile or an instance role), never here.
        "S3_ENDPOINT_URL": os.environ.get("S3_ENDPOINT_URL", ""),
        "S3_BUCKET": os.environ.get("S3_BUCKET", ""),
        "S3_REGION": os.environ.get("S3_REGION", ""),
        # path (MinIO, Ceph by IP), virtual (Aliyun OSS) or auto (boto3 decides)
        "S3_ADDRESSING_STYLE": os.environ.get("S3_ADDRESSING_STYLE", "auto"),
        # The address browsers reach the bucket at, when it differs from S3_ENDPOINT_URL (an internal host).
        "S3_PUBLIC_ENDPOINT_URL": os.environ.get("S3_PUBLIC_ENDPOINT_URL", ""),
        # Photo and picture GETs answer 302 to a presigned URL valid this long (after the permission check).
        "S3_PRESIGNED_READS": _bool("S3_PRESIGNED_READS", True),
        "S3_PRESIGN_SECONDS": _int("S3_PRESIGN_SECONDS", 60),
        "MAX_PHOTO_BYTES": _int("MAX_PHOTO_BYTES", 25 * 1024 * 1024),
        # Flask refuses bodies above this before any view runs; photos are the largest bodies.
        "MAX_CONTENT_LENGTH": _int("MAX_PHOTO_BYTES", 25 * 1024 * 1024) + 1024 * 1024,
        # JSON bodies (everything but photo and import uploads) have their own, much smaller limit,
        # and a nesting limit checked before parsing (core/parsing.py).
        "MAX_JSON_BYTES": _int("MAX_JSON_BYTES", 2 * 1024 * 1024),
        "MAX_JSON_DEPTH": _int("MAX_JSON_DEPTH", 64),
        "MAX_IMAGE_PIXELS": _int("MAX_IMAGE_PIXELS", 100_000_000),
        # PNG/WebP decode at full size (no DCT scaling): a lower limit bounds their decode memory.
        "MAX_PNG_WEBP_PIXELS": _int("MAX_PNG_WEBP_PIXELS", 25_000_000),
        # Full-size decodes (PNG, WebP, HEIC) running at once per process, and how long one waits.
        "HEAVY_DECODE_CONCURRENCY": _int("HEAVY_DECODE_CONCURRENCY", 2),
        "HEAVY_DECODE_WAIT_SECONDS": _float("HEAVY_DECODE_WAIT_SECONDS", 30.0),
        "CJK_FONT_PATH": os.environ.get("CJK_FONT_PATH", ""),
        # Ed25519 key signing 整改通知书 (PEM, or base64 of the raw 32 bytes); empty → one generated into
        # the instance folder (notice_signing_key.pem, mode 0600). Several app servers must share one key.
        "NOTICE_SIGNING_KEY": os.environ.get("NOTICE_SIGNING_KEY", ""),
        # Photo links in exports: signed, expiring URLs under this address (e.g. https://inspect.example.cn);
        # empty → the request's host for downloads, and `flask exports weekly` asks for --base-url.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", ""),
        "EXPORT_LINK_DAYS": _int("EXPORT_LINK_DAYS", 30),
        # werkzeug's method string; the test suite uses a cheap one, tests/auth checks the default
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt"),
        "TOKEN_TTL_HOURS": _int("TOKEN_TTL_HOURS", 24 * 14),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Login attempts per client address, and separately per username (auth/routes.py).
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "30 per minute"),
        "LOGIN_USERNAME_RATE_LIMIT": os.environ.get("LOGIN_USERNAME_RATE_LIMIT", "10 per minute"),
        # Retry-After (and X-RateLimit-*) on rate-limited endpoints, the 429 included.
        "RATELIMIT_HEADERS_ENABLED": True,
        # Proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none, the client
        # connects directly; 1: one load balancer). Too high lets clients forge their address.
        "TRUSTED_PROXY_HOPS": _int("TRUSTED_PROXY_HOPS", 0),
        # Strict-Transport-Security on every response, not only on those that arrived over HTTPS.
        "HSTS_ALWAYS": _bool("HSTS_ALWAYS", False),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "CHECKLIST_DIR": os.environ.get(
            "CHECKLIST_DIR", str(Path(__file__).resolve().parent.parent / "checklists")
        ),
        "PHOTO_FRESHNESS_MARGIN_MINUTES": _int("PHOTO_FRESHNESS_MARGIN_MINUTES", 30),
        "CLOCK_SKEW_TOLERANCE_MINUTES": _int("CLOCK_SKEW_TOLERANCE_MINUTES", 10),
        "LOW_ACCURACY_METRES": _float("LOW_ACCURACY_METRES", 100.0),
        "GRADE_BANDS": os.environ.get("GRADE_BANDS", "85:优良,71:合格,0:不合格"),
        # Hours a hotline complaint has, from its received time, per category (complaints/rules.py)
        "COMPLAINT_DUE_HOURS": os.environ.get("COMPLAINT_DUE_HOURS", "dust:24,muck_truck:24,night_noise:12,other:48"),
        # Map tiles (Amap, GCJ-02): a Leaflet URL template ({s} is one of the subdomains); the CSP's
        # img-src allows exactly the hosts it names (core/security.py). Markers are converted to GCJ-02.
        "MAP_TILE_URL": os.environ.get("MAP_TILE_URL", DEFAULT_MAP_TILE_URL),
        "MAP_TILE_SUBDOMAINS": os.environ.get("MAP_TILE_SUBDOMAINS", "1234"),
        "MAP_TILE_ATTRIBUTION": os.environ.get("MAP_TILE_ATTRIBUTION", "高德地图 © AutoNavi"),
        # Stops an inspector's day (今日任务) aims for: fixed stops first, risk-ranked suggestions fill the rest
        "TODAY_DAY_SIZE": _int("TODAY_DAY_SIZE", 8),
        # Group robots (企业微信 / 钉钉) told of new cases, send-backs, overdue follow-ups and alerts
        # (webhooks/): "bureau=URL,units=URL,<unit code>=URL"; 钉钉 加签 secrets as "audience=SEC…".
        "WEBHOOK_URLS": os.environ.get("WEBHOOK_URLS", ""),
        "WEBHOOK_SECRETS": os.environ.get("WEBHOOK_SECRETS", ""),
        "WEBHOOK_TIMEOUT_SECONDS": _float("WEBHOOK_TIMEOUT_SECONDS", 3.0),
        "WEBHOOK_MAX_ATTEMPTS": _int("WEBHOOK_MAX_ATTEMPTS", 10),
        "WEBHOOK_RETRY_BASE_SECONDS": _float("WEBHOOK_RETRY_BASE_SECONDS", 60.0),
        # Post a request's notifications right after its response (else only `flask webhooks deliver`).
        "WEBHOOK_DELIVER_AFTER_COMMIT": _bool("WEBHOOK_DELIVER_AFTER_COMMIT", True),
        # /metrics (system/monitoring.py): a bearer token and/or the networks that may scrape; neither → nobody.
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN", ""),
        "METRICS_ALLOW_CIDRS": os.environ.get("METRICS_ALLOW_CIDRS", ""),
        # json: one JSON object a line for log collectors (the production default); text for a terminal.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json" if env == "production" else "text"),
        "DISPLAY_TIMEZONE": "Asia/Shanghai",
        # flask-smorest / OpenAPI
        "API_TITLE": "工地扬尘与渣土车巡查系统 API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        # Swagger UI is served by core/apidocs.py from the pinned swagger-ui-bundle package, not by
        # flask-smorest from a CDN: no OPENAPI_SWAGGER_UI_PATH/URL here.
        "JSON_AS_ASCII": False,
    }


def check_production_config(config: dict) -> None:
    """Refuse to start a production process with settings that are only safe on a laptop."""
    if config.get("ENV_NAME") != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if secret == INSECURE_DEV_SECRET or len(secret) < 32:
        raise RuntimeError(
            "SECRET_KEY must be set to a random value of at least 32 characters in production"
        )
    limits_uri = config.get("RATELIMIT_STORAGE_URI") or ""
    # An empty value makes flask-limiter fall back to memory:// silently, so refuse it too.
    if not limits_uri or limits_uri.startswith("memory://"):
        raise RuntimeError(
            "RATELIMIT_STORAGE_URI must point at a shared store (redis://...) in production: "
            "in-memory limits are not shared between app processes"
        )

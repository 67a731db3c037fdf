"""A second, throw-away app for tests that need settings the session app must not have
(rate limiting on, extra test-only routes).

``limiter`` and ``api`` are module-level extensions: ``init_app`` on a second app overwrites
their state (``limiter.enabled``, ``api.spec``). This helper saves and restores that state, so
the session app keeps rate limiting off for the other tests.
"""
from __future__ import annotations

from contextlib import contextmanager

from inspect_app import create_app
from inspect_app.extensions import api, db, limiter


@contextmanager
def scratch_app(tmp_path, **config):
    """Yield a fresh app (own SQLite file, schema built, units seeded) inside its app context."""
    saved_limiter, saved_api = dict(limiter.__dict__), dict(api.__dict__)
    settings = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'scratch.sqlite3'}",
        "PHOTO_DIR": str(tmp_path / "scratch-photos"),
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SECRET_KEY": "scratch-secret",
        **config,
    }
    try:
        app = create_app(settings)
        with app.app_context():
            from inspect_app.core.units import ensure_units

            db.create_all()
            ensure_units()
            db.session.commit()
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()
    finally:
        if limiter.enabled and getattr(limiter, "_storage", None) is not None:
            limiter.reset()
        limiter.__dict__.clear()
        limiter.__dict__.update(saved_limiter)
        api.__dict__.clear()
        api.__dict__.update(saved_api)

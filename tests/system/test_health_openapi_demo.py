"""Health, the OpenAPI document, and the demo command a newcomer runs first."""
import pytest
from openapi_spec_validator import validate

from inspect_app.demo.data import DEMO_PASSWORD, DEMO_USERS, demo_sites


def test_health_reports_database_version_and_checklists(client, checklists):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok" and body["status"] == "ok"
    assert body["version"]
    assert {"six-100", "eight-musts", "muck-truck"} <= set(body["checklists"])


def test_health_says_degraded_when_the_database_is_unreachable(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from inspect_app.extensions import db

    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    assert response.get_json()["status"] == "degraded"


def test_openapi_document_is_valid_openapi_3(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    for path in ("/api/inspections", "/api/inspections/{inspection_uuid}/photos/{photo_uuid}",
                 "/api/sites", "/api/checklists", "/api/auth/login"):
        assert path in spec["paths"], path


def test_swagger_ui_is_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"swagger" in response.data.lower()


@pytest.fixture
def empty_app(tmp_path):
    """An app on an empty SQLite file: the demo command builds the schema with migrations."""
    from inspect_app import create_app
    from inspect_app.extensions import api, db, limiter

    saved_limiter, saved_api = dict(limiter.__dict__), dict(api.__dict__)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
                      "PHOTO_DIR": str(tmp_path / "photos"), "RATELIMIT_ENABLED": False,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    yield app
    with app.app_context():
        db.engine.dispose()
    limiter.__dict__.clear()
    limiter.__dict__.update(saved_limiter)
    api.__dict__.clear()
    api.__dict__.update(saved_api)


def test_demo_command_loads_everything_and_is_idempotent(empty_app):
    app = empty_app
    with app.app_context():
        runner = app.test_cli_runner()
        first = runner.invoke(args=["demo", "--no-serve"])
        assert first.exit_code == 0, first.output
        assert DEMO_PASSWORD in first.output
        for username, *_ in DEMO_USERS:
            assert username in first.output
        second = runner.invoke(args=["demo", "--no-serve"])
        assert second.exit_code == 0, second.output
        client = app.test_client()
        token = client.post("/api/auth/login", json={"username": "admin", "password": DEMO_PASSWORD}).get_json()["token"]
        sites = client.get("/api/sites?page_size=200", headers={"Authorization": f"Bearer {token}"}).get_json()
        assert sites["total"] == len(demo_sites()) == 30
        inspector = client.post("/api/auth/login", json={"username": "inspector", "password": DEMO_PASSWORD})
        assert inspector.status_code == 200


def test_demo_command_serves_the_app_after_loading(empty_app, monkeypatch):
    from inspect_app.demo import cli as demo_cli

    served = {}
    monkeypatch.setattr(demo_cli, "run_simple",
                        lambda host, port, app, **kw: served.update(host=host, port=port, app=app))
    with empty_app.app_context():
        result = empty_app.test_cli_runner().invoke(args=["demo", "--port", "5055"])
    assert result.exit_code == 0, result.output
    assert served == {"host": "127.0.0.1", "port": 5055, "app": empty_app}


@pytest.mark.parametrize("site", demo_sites())
def test_demo_sites_lie_inside_the_district(site):
    assert 40.788 <= site["lat"] <= 40.948 and 111.436 <= site["lon"] <= 111.669

"""Browser tests: a real server in a thread, Debian's Chromium driven by Playwright, a phone profile.

The server runs its own app on its own temporary SQLite database (units, real checklists, demo sites and
users), so the per-test database emptying in ``tests/conftest.py`` is switched off here (``app_ctx``).
Without Chromium the tests are skipped with the reason; with ``REQUIRE_BROWSER=1`` that is a failure.
"""
from __future__ import annotations

import io
import os
import shutil
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
DEMO_PASSWORD = "demo-pass-2026"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def find_chromium() -> str | None:
    """Debian's Chromium, or the one named by CHROMIUM_PATH."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _missing_browser(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def app_ctx():
    """Replaces the shared per-test app context: the live server owns its own database."""
    yield


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The application with demo data on a temporary SQLite file."""
    from inspect_app import create_app
    from inspect_app.demo.cli import load_demo_data
    from inspect_app.extensions import db

    base = tmp_path_factory.mktemp("browser")
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'browser.sqlite3'}",
        "PHOTO_DIR": str(base / "photos"),
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "browser-test-secret",
    })
    with app.app_context():
        db.create_all()
        load_demo_data()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """A real HTTP server on 127.0.0.1 with a free port, in a background thread."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def api(live_app):
    """Read the server's state through its own API, as the inspector (or another demo user)."""
    return ServerApi(live_app)


class ServerApi:
    def __init__(self, app):
        self.client = app.test_client()
        self._headers: dict[str, dict] = {}

    def headers(self, username: str = "inspector") -> dict:
        if username not in self._headers:
            res = self.client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
            assert res.status_code == 200, res.get_json()
            self._headers[username] = {"Authorization": f"Bearer {res.get_json()['token']}"}
        return self._headers[username]

    def get(self, path: str, username: str = "inspector"):
        res = self.client.get(path, headers=self.headers(username))
        assert res.status_code == 200, (path, res.status_code, res.get_json())
        return res.get_json()

    def post(self, path: str, json, username: str = "inspector"):
        return self.client.post(path, json=json, headers=self.headers(username))

    def my_inspection_count(self) -> int:
        return self.get("/api/inspections?mine=1&page_size=1")["total"]


@pytest.fixture(scope="session")
def playwright_instance():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing_browser("the playwright Python package is not installed")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    path = find_chromium()
    if path is None:
        _missing_browser("no Chromium found (install Debian's chromium or set CHROMIUM_PATH)")
    browser = playwright_instance.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser, playwright_instance, live_server, phone_position):
    """A fresh phone: Pixel 7, zh-CN, Asia/Shanghai, location granted near a demo site, empty storage."""
    device = dict(playwright_instance.devices["Pixel 7"])
    ctx = browser.new_context(
        **device,
        base_url=live_server,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        geolocation=phone_position,
        permissions=["geolocation"],
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


class Dialogs:
    """The inspector's answers to confirm(): yes unless a test says otherwise; messages are kept."""

    def __init__(self):
        self.accept = True
        self.messages: list[str] = []

    def __call__(self, dialog):
        self.messages.append(dialog.message)
        dialog.accept() if self.accept else dialog.dismiss()


@pytest.fixture
def dialogs():
    return Dialogs()


@pytest.fixture
def page(context, dialogs):
    page = context.new_page()
    page.on("dialog", dialogs)
    return page


@pytest.fixture(scope="session")
def phone_position(api) -> dict:
    """Standing at the demo site nearest 新华西路 (so no off-site flag), with a 12 m GPS fix."""
    nearest = api.get("/api/sites?near=40.8200,111.6500&page_size=1")["items"][0]
    return {"latitude": nearest["lat"] + 0.0002, "longitude": nearest["lon"], "accuracy": 12}


@pytest.fixture
def camera(phone_position):
    """Takes a photo: a distinct small JPEG each time, with EXIF capture time (Asia/Shanghai) and GPS."""
    import random
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from PIL import Image, ImageDraw

    def dms(value: float):
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
        return (degrees, minutes, seconds)

    def take() -> bytes:
        img = Image.new("RGB", (640, 480), (120, 110, 90))
        colour = tuple(random.randrange(256) for _ in range(3))
        ImageDraw.Draw(img).rectangle([random.randrange(200), random.randrange(200), 540, 380], fill=colour)
        exif = Image.Exif()
        now = datetime.now(ZoneInfo("Asia/Shanghai"))
        exif.get_ifd(0x8769).update({0x9003: now.strftime("%Y:%m:%d %H:%M:%S"), 0x9011: "+08:00"})
        exif.get_ifd(0x8825).update({
            1: "N", 2: dms(phone_position["latitude"]), 3: "E", 4: dms(phone_position["longitude"]),
        })
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85, exif=exif)
        return buf.getvalue()

    return take


@pytest.fixture
def screenshot(tmp_path):
    """Screenshot the main screens; into docs/screenshots (for the README) with UPDATE_SCREENSHOTS=1.

    Otherwise they go to the test's temporary directory, so a test run leaves the tree clean.
    """
    target = SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(parents=True, exist_ok=True)

    def save(page, name: str):
        page.evaluate("document.getElementById('toast').classList.remove('show')")
        page.screenshot(path=str(target / f"{name}.png"), full_page=False)

    return save


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser is a browser test (``-m "not browser"`` leaves them all out),
    whether or not its module sets ``pytestmark``."""
    for item in items:
        if "/tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)

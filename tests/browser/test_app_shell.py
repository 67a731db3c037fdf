"""The app shell as files: what the service worker precaches, its size, the manifest and the catalogue.

These read files only (no browser), so they run everywhere.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from PIL import Image

PWA = Path(__file__).resolve().parents[2] / "static" / "pwa"
SHELL_LIMIT_BYTES = 150 * 1024


def precached() -> list[str]:
    source = (PWA / "sw.js").read_text(encoding="utf-8")
    block = re.search(r"const SHELL = \[(.*?)\];", source, re.S).group(1)
    return re.findall(r"'([^']+)'", block)


def catalogue(lang_var: str) -> set[str]:
    source = (PWA / "i18n.js").read_text(encoding="utf-8")
    block = re.search(rf"const {lang_var} = \{{(.*?)\n\}};", source, re.S).group(1)
    return set(re.findall(r"^  (\w+):", block, re.M))


def test_every_app_file_is_in_the_precached_shell_so_offline_never_mixes_versions():
    shell = set(precached())
    app_files = {p.name for p in PWA.glob("*") if p.suffix in {".js", ".css", ".html", ".webmanifest"}}
    assert app_files - {"sw.js"} <= shell, f"not precached: {app_files - {'sw.js'} - shell}"
    missing = [name for name in shell if name != "./" and not (PWA / name).is_file()]
    assert not missing, f"precached but missing: {missing}"


def test_app_shell_html_css_js_stays_under_150_kb():
    total = sum((PWA / name).stat().st_size for name in precached()
                if name.endswith((".js", ".css", ".html")))
    total += (PWA / "sw.js").stat().st_size
    assert total < SHELL_LIMIT_BYTES, f"app shell is {total / 1024:.1f} KB"


def test_manifest_is_installable_with_both_icon_sizes():
    manifest = json.loads((PWA / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["display"] == "standalone"
    assert manifest["start_url"].startswith(manifest["scope"])
    assert manifest["theme_color"].startswith("#")
    assert manifest["translations"]["en"]["name"]
    sizes = {icon["sizes"]: icon["src"] for icon in manifest["icons"]}
    for size in (192, 512):
        with Image.open(PWA / sizes[f"{size}x{size}"]) as img:
            assert img.format == "PNG" and img.size == (size, size)


def test_every_text_key_used_by_the_app_exists_in_chinese_and_english():
    zh, en = catalogue("zh"), catalogue("en")
    assert zh == en, f"only zh: {zh - en}, only en: {en - zh}"
    used = set()
    for path in PWA.glob("*.js"):
        used |= set(re.findall(r"\bt\(\s*'([a-z0-9_]+)'", path.read_text(encoding="utf-8")))
    used |= set(re.findall(r'data-i18n="([a-z0-9_]+)"', (PWA / "index.html").read_text(encoding="utf-8")))
    assert used <= zh, f"missing from the catalogue: {used - zh}"
    # Keys built at run time: phases, states, review statuses, GPS problems, advice.
    for prefix, names in {
        "phase_": ("earthwork", "foundation", "structure", "decoration", "demolition", "idle", "finished"),
        "state_": ("waiting", "sending", "sent", "attention"),
        "review_": ("submitted", "approved", "has_issues", "rejected", "superseded"),
        "gps_": ("denied_form", "unavailable", "timeout", "unsupported"),
        "completeness_": ("complete", "incomplete"),
    }.items():
        assert {prefix + n for n in names} <= zh


def test_app_never_parses_server_text_as_html():
    for path in PWA.glob("*.js"):
        assert "innerHTML" not in path.read_text(encoding="utf-8"), path.name


def test_service_worker_version_carries_a_hash_of_the_app_files(live_app):
    with live_app.test_client().get("/app/sw.js") as response:
        check_service_worker(response)


def check_service_worker(response):
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    declared = re.search(r"const VERSION = '([^']+)';", (PWA / "sw.js").read_text(encoding="utf-8")).group(1)
    served = re.search(r"const VERSION = '([^']+)';", response.get_data(as_text=True)).group(1)
    assert re.fullmatch(re.escape(declared) + r"\+[0-9a-f]{10}", served)


def test_app_is_served_under_app_with_the_shell_uncached_by_http():
    from inspect_app import create_app

    # RATELIMIT_ENABLED off: the limiter is one object per process, so a second app with limits on
    # would switch them on for the live server too (its logins would start failing with 429).
    client = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True,
                         "RATELIMIT_ENABLED": False}).test_client()
    assert client.get("/").headers["Location"].endswith("/app/")
    with client.get("/app/") as index:
        assert index.status_code == 200 and b'type="module" src="app.js"' in index.data
        assert index.headers["Cache-Control"] == "no-cache"
    with client.get("/app/no-such-file.js") as missing:
        assert missing.status_code == 404

"""The app shell as files: what the service worker precaches (and what it loads only on demand), its
size, the manifest and the catalogue.

These read files only (no browser), so they run everywhere.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from PIL import Image

PWA = Path(__file__).resolve().parents[2] / "static" / "pwa"
SHELL_LIMIT_BYTES = 150 * 1024


def sw_list(name: str) -> list[str]:
    source = (PWA / "sw.js").read_text(encoding="utf-8")
    block = re.search(rf"const {name} = \[(.*?)\];", source, re.S).group(1)
    return re.findall(r"'([^']+)'", block)


def precached() -> list[str]:
    return sw_list("SHELL")


def lazy() -> list[str]:
    """The desk modules: loaded on demand, cached by the worker after first use."""
    return sw_list("LAZY")


TEXT_FILES = ("i18n.js", "i18n-desk.js", "i18n-map.js", "i18n-complaints.js", "photo-annotate.js",
              "form-extras.js", "i18n-today.js", "i18n-admin.js", "i18n-admin-registry.js", "i18n-admin-people.js",
              "i18n-admin-checklists.js", "view-password.js")


def catalogue(lang_var: str, *files: str) -> set[str]:
    """Keys of one language's blocks; the shell's English words live in i18n-en.js, loaded when chosen."""
    keys = set()
    for name in files or TEXT_FILES:
        if lang_var == "en" and name == "i18n.js":
            name = "i18n-en.js"
        source = (PWA / name).read_text(encoding="utf-8")
        block = re.search(rf"const {lang_var} = \{{(.*?)\n\}};", source, re.S).group(1)
        keys |= set(re.findall(r"^  (\w+):", block, re.M))
    return keys


def static_imports(name: str) -> set[str]:
    source = (PWA / name).read_text(encoding="utf-8")
    return set(re.findall(r"^import (?:[^'\n]* from )?'\./([^']+)';", source, re.M))


def shell_bytes() -> int:
    """HTML+CSS+JS the worker precaches, plus the worker itself, uncompressed."""
    total = sum((PWA / name).stat().st_size for name in precached()
                if name.endswith((".js", ".css", ".html")))
    return total + (PWA / "sw.js").stat().st_size


def test_every_app_file_is_precached_or_a_declared_desk_module_so_offline_never_mixes_versions():
    shell, desk = set(precached()), set(lazy())
    app_files = {p.name for p in PWA.glob("*") if p.suffix in {".js", ".css", ".html", ".webmanifest"}}
    assert app_files - {"sw.js"} <= shell | desk, f"neither precached nor lazy: {app_files - {'sw.js'} - shell - desk}"
    missing = [name for name in shell | desk if name != "./" and not (PWA / name).is_file()]
    assert not missing, f"listed but missing: {missing}"


def test_desk_screens_are_not_in_the_precached_shell():
    desk = set(lazy())
    assert {"view-desk.js", "view-sc.js", "view-cases.js", "gallery.js", "i18n-desk.js"} <= desk
    assert not desk & set(precached())
    # Nor preloaded by the page: a phone that never opens a desk screen never downloads one.
    index = (PWA / "index.html").read_text(encoding="utf-8")
    assert not [name for name in desk if f'href="{name}"' in index]


def test_the_shell_works_alone_it_never_imports_a_desk_module_statically():
    shell = {name for name in precached() if name.endswith(".js")}
    for name in shell:
        assert static_imports(name) <= shell, f"{name} statically imports {static_imports(name) - shell}"
    # ...while the desk modules really are reachable, by dynamic import() from the shell (app.js, i18n.js
    # for English) or from each other, and the files they load themselves (Leaflet: new URL('./vendor/…',
    # import.meta.url)) too.
    todo = set().union(*(dynamic_imports(name) for name in shell))
    reachable = set()
    while todo:
        name = todo.pop()
        reachable.add(name)
        if name.endswith(".js") and not name.startswith("vendor/"):
            todo |= (static_imports(name) | dynamic_imports(name) | assets_named(name)) - reachable
    assert set(lazy()) <= reachable, f"not loadable: {set(lazy()) - reachable}"


def dynamic_imports(name: str) -> set[str]:
    """Modules loaded on demand: import('./…') (the admin index loads each register's section so)."""
    return set(re.findall(r"import\('\./([^']+)'\)", (PWA / name).read_text(encoding="utf-8")))


def assets_named(name: str) -> set[str]:
    """Files a module loads by address rather than by import (a script or stylesheet it attaches)."""
    source = (PWA / name).read_text(encoding="utf-8")
    return set(re.findall(r"new URL\('\./([^']+)', import\.meta\.url\)", source))


def test_app_shell_html_css_js_stays_under_150_kb():
    total = shell_bytes()
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


def used_keys(name: str) -> set[str]:
    return set(re.findall(r"\bt\(\s*'([a-z0-9_]+)'", (PWA / name).read_text(encoding="utf-8")))


def test_every_text_key_used_by_the_app_exists_in_chinese_and_english():
    zh, en = catalogue("zh"), catalogue("en")
    assert zh == en, f"only zh: {zh - en}, only en: {en - zh}"
    shell_zh = catalogue("zh", "i18n.js")
    assert not shell_zh & catalogue("zh", "i18n-desk.js", "photo-annotate.js", "form-extras.js"), "a key twice"
    assert not (shell_zh | catalogue("zh", "i18n-desk.js")) & catalogue("zh", "i18n-map.js"), "a map key twice"
    assert not (shell_zh | catalogue("zh", "i18n-desk.js", "i18n-map.js")) & catalogue("zh", "i18n-complaints.js"), \
        "a complaint key twice"
    used = set()
    for path in PWA.glob("*.js"):
        used |= used_keys(path.name)
    used |= set(re.findall(r'data-i18n="([a-z0-9_]+)"', (PWA / "index.html").read_text(encoding="utf-8")))
    assert used <= zh, f"missing from the catalogue: {used - zh}"
    # The precached screens find their words in the precached part (the desk part may never load).
    for name in precached():
        if name.endswith(".js"):
            assert used_keys(name) <= shell_zh, f"{name} needs desk texts: {used_keys(name) - shell_zh}"
    # Keys built at run time: phases, states, review statuses, GPS problems, advice.
    for prefix, names in {
        "phase_": ("earthwork", "foundation", "structure", "decoration", "demolition", "idle", "finished"),
        "state_": ("waiting", "sending", "sent", "attention"),
        "review_": ("submitted", "approved", "has_issues", "rejected", "superseded"),
        "gps_": ("denied_form", "unavailable", "timeout", "unsupported"),
        "completeness_": ("complete", "incomplete"),
    }.items():
        assert {prefix + n for n in names} <= shell_zh


def test_app_never_parses_server_text_as_html():
    for path in PWA.glob("*.js"):
        assert "innerHTML" not in path.read_text(encoding="utf-8"), path.name


def test_service_worker_version_carries_a_hash_of_the_app_files(live_app):
    with live_app.test_client().get("/app/sw.js") as response:
        check_service_worker(response)


def test_every_app_file_says_which_deployment_it_belongs_to(live_app):
    """The worker keeps a desk module only when it is of its own version (X-App-Version = its VERSION)."""
    client = live_app.test_client()
    with client.get("/app/sw.js") as sw:
        version = re.search(r"const VERSION = '([^']+)';", sw.get_data(as_text=True)).group(1)
    for name in ["./", *precached(), *lazy()]:
        with client.get(f"/app/{name.removeprefix('./')}") as response:
            assert response.status_code == 200, name
            assert response.headers["X-App-Version"] == version, name


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

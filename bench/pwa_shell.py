"""The phone app's weight and start-up time on a weak connection and a slow phone.

Prints:
- the app shell size: every file the service worker precaches, uncompressed (and the HTML+CSS+JS part,
  whose target is under 150 KB); and the desk modules (supervisors, 区城管执法局), which are not
  precached but loaded on first use and then kept by the service worker (sw.js LAZY);
- time to the first usable screen with Chromium's network emulation at "Slow 4G" (~1.6 Mbps down,
  750 kbps up, 150 ms RTT) and a 4x CPU slowdown: first visit (nothing cached, login screen) and repeat
  visit (service worker cache), median of a few runs; plus logged-in repeat visits: the inspector's
  sites list and the supervisor's home (its module from the service worker's cache after first use),
  each still needing one API call over the slow network.

"Usable" is the app's own ``performance.mark('app-usable')``: the screen is rendered with its data
and takes input. Run: ``python bench/pwa_shell.py [--runs 5]`` (needs Chromium at /usr/bin/chromium).
"""
from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PWA = REPO / "static" / "pwa"
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
USABLE_MS = "performance.getEntriesByName('app-usable').slice(-1)[0].startTime"
CACHED_DESK = "() => caches.keys().then((k) => caches.open(k[0])).then((c) => c.match('view-desk.js')).then(Boolean)"


def sw_list(name: str) -> list[str]:
    block = re.search(rf"const {name} = \[(.*?)\];", (PWA / "sw.js").read_text(encoding="utf-8"), re.S).group(1)
    return [entry for entry in re.findall(r"'([^']+)'", block) if entry != "./"]


def shell_files() -> list[str]:
    return sw_list("SHELL") + ["sw.js"]


def lazy_size() -> int:
    return sum((PWA / f).stat().st_size for f in sw_list("LAZY"))


def shell_size() -> tuple[int, int]:
    files = shell_files()
    total = sum((PWA / f).stat().st_size for f in files)
    code = sum((PWA / f).stat().st_size for f in files if f.endswith((".js", ".css", ".html")))
    return total, code


def start_server() -> tuple[str, object]:
    from werkzeug.serving import make_server

    from inspect_app import create_app
    from inspect_app.demo.cli import load_demo_data
    from inspect_app.extensions import db

    base = Path(tempfile.mkdtemp(prefix="pwa-bench-"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'bench.sqlite3'}",
                      "PHOTO_DIR": str(base / "photos"), "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        load_demo_data()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def throttle(context, page) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})


def one_run(p, browser, base_url: str) -> dict[str, float]:
    context = browser.new_context(**p.devices["Pixel 7"], base_url=base_url, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", geolocation={"latitude": 40.82, "longitude": 111.65},
                                  permissions=["geolocation"])
    page = context.new_page()
    throttle(context, page)
    result = {}
    page.goto("/app/")
    page.wait_for_selector("html[data-ready='1'] #username")
    result["first visit (login screen)"] = page.evaluate(USABLE_MS)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    page.reload()
    page.wait_for_selector("html[data-ready='1'] #username")
    result["repeat visit (login screen, SW cache)"] = page.evaluate(USABLE_MS)
    page.fill("#username", "inspector")
    page.fill("#password", "demo-pass-2026")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#today-all-sites", timeout=60_000)  # an inspector's home is 今日任务
    page.reload()
    page.wait_for_selector("html[data-ready='1'] #today-all-sites", timeout=60_000)
    result["repeat visit logged in (今日任务)"] = page.evaluate(USABLE_MS)
    context.close()

    context = browser.new_context(**p.devices["Pixel 7"], base_url=base_url, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    page = context.new_page()
    throttle(context, page)
    page.goto("/app/")
    page.wait_for_selector("html[data-ready='1'] #username")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
    page.fill("#username", "supervisor")
    page.fill("#password", "demo-pass-2026")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#counts .count", timeout=60_000)
    page.wait_for_function(CACHED_DESK, timeout=60_000)
    page.reload()
    page.wait_for_selector("html[data-ready='1'] #counts .count", timeout=60_000)
    result["repeat visit, supervisor (desk home)"] = page.evaluate(USABLE_MS)
    context.close()
    return result


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    total, code = shell_size()
    print(f"app shell precached by the service worker: {total / 1024:.1f} KB uncompressed "
          f"({len(shell_files())} files incl. icons and sw.js)")
    print(f"  of which HTML+CSS+JS: {code / 1024:.1f} KB (target < 150 KB: {'met' if code < 150 * 1024 else 'NOT met'})")
    print(f"desk modules, loaded on first use and then cached (not precached): {lazy_size() / 1024:.1f} KB "
          f"({len(sw_list('LAZY'))} files)")

    from playwright.sync_api import sync_playwright

    base_url, server = start_server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
            runs = [one_run(p, browser, base_url) for _ in range(args.runs)]
            browser.close()
    finally:
        server.shutdown()
    print(f"\ntime to first usable screen, Slow 4G (1.6 Mbps / 750 kbps / 150 ms RTT) + {CPU_SLOWDOWN}x CPU slowdown, "
          f"median of {args.runs} runs:")
    for name in runs[0]:
        values = [r[name] for r in runs]
        print(f"  {name:<42} {statistics.median(values):7.0f} ms   (min {min(values):.0f}, max {max(values):.0f})")


if __name__ == "__main__":
    main()

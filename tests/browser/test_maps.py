"""The maps in a real browser, with the tile server intercepted (no network): markers at the GCJ-02
position of each WGS-84 site (the app's own datum code, the same numbers as core/geo.py), coloured by
last grade, suspended sites marked, today's route as a numbered line in order, a visible message when
the tiles cannot load, filtering by unit on the desk, and no CSP violation while Leaflet draws."""
from __future__ import annotations

import io
import json
from datetime import datetime

import pytest
from PIL import Image, ImageDraw

from inspect_app.core.geo import wgs84_to_gcj02
from tests.browser import flows, seed
from tests.browser.seed import SHANGHAI
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.browser.test_desk_app import log_in_desk

pytestmark = pytest.mark.browser

TILES = "https://webrd0*.is.autonavi.com/**"
# Points in 回民区 and around Hohhot (WGS-84), converted by geo.js and by core/geo.py.
HOHHOT_POINTS = [(40.8200, 111.6500), (40.8105, 111.6632), (40.8420, 111.5960), (40.7766, 111.7088),
                 (40.8512, 111.7481)]


def _tile_png() -> bytes:
    """A 256 px tile that looks like a map's background (so screenshots read as a map)."""
    img = Image.new("RGB", (256, 256), (242, 239, 233))
    draw = ImageDraw.Draw(img)
    for x in (64, 192):
        draw.line([(x, 0), (x, 256)], fill=(255, 255, 255), width=6)
        draw.line([(0, x), (256, x)], fill=(255, 255, 255), width=6)
    draw.rectangle([90, 90, 170, 170], fill=(214, 230, 205))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


TILE = _tile_png()


@pytest.fixture
def tiles(context):
    """Every tile request answered with the local PNG; the URLs asked for are kept."""
    asked: list[str] = []

    def answer(route):
        asked.append(route.request.url)
        # not kept by the browser's HTTP cache, so "offline" below really means no tiles
        route.fulfill(status=200, content_type="image/png", body=TILE, headers={"Cache-Control": "no-store"})

    context.route(TILES, answer)
    return asked


@pytest.fixture
def watched(page):
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.csp_violations = lambda: page.evaluate("window.__cspViolations || []") + console
    return page


def _pin_box_centre(page, site_id: int) -> dict:
    return page.evaluate("""(id) => {
        const icon = document.querySelector(`.map-pin[data-site-id="${id}"]`).closest('.leaflet-marker-icon');
        const r = icon.getBoundingClientRect();  // 30 px, anchored at its centre
        return {x: r.left + r.width / 2, y: r.top + r.height / 2};
    }""", site_id)


def _screen_point(page, lat: float, lon: float) -> dict:
    """Where Leaflet draws (lat, lon) on the page."""
    return page.evaluate("""([lat, lon]) => {
        const el = document.getElementById('map');
        const p = el.leafletMap.latLngToContainerPoint([lat, lon]);
        const r = el.getBoundingClientRect();
        return {x: r.left + el.clientLeft + p.x, y: r.top + el.clientTop + p.y};  // inside its border
    }""", [lat, lon])


def _stop(point: dict, *, order: int | None = None, status: str = "todo") -> dict:
    """A stop of GET /api/today (today/schemas.py StopSchema), at a site's WGS-84 position."""
    return {"site_id": point["site_id"], "name": point["name"], "lat": point["lat"], "lon": point["lon"],
            "status": status, "order": order, "kind": "suggested", "leg_m": 100.0}


def _serve_today(page, stops: list[dict]):
    day = {"date": datetime.now(SHANGHAI).date().isoformat(), "stops": stops, "total_m": 5000.0}
    page.route("**/api/today*", lambda r: r.fulfill(status=200, content_type="application/json", body=json.dumps(day)))


def _route_order(page) -> list[int]:
    return page.eval_on_selector_all(".route-stop", "els => els.map(e => +e.dataset.siteId)")


def _open_inspector_map(page):
    flows.open_app(page)
    flows.log_in(page)
    page.click("#open-map")
    page.wait_for_selector("#map .map-pin")
    page.wait_for_function("() => document.querySelectorAll('#map .leaflet-tile-loaded').length > 0")


def test_the_phone_converts_wgs84_to_gcj02_exactly_as_the_server_does(page):
    flows.open_app(page)
    js = page.evaluate("""async (points) => {
        const geo = await import('/app/geo.js');
        return points.map(([lat, lon]) => geo.wgs84ToGcj02(lat, lon));
    }""", HOHHOT_POINTS)
    for (lat, lon), (g_lat, g_lon) in zip(HOHHOT_POINTS, js):
        expected = wgs84_to_gcj02(lat, lon)
        assert abs(g_lat - expected[0]) < 1e-9 and abs(g_lon - expected[1]) < 1e-9, (lat, lon)
        assert abs(g_lon - lon) > 0.004  # Amap's shift in Hohhot is hundreds of metres: never skipped
    outside = page.evaluate("import('/app/geo.js').then((g) => g.wgs84ToGcj02(51.5, -0.12))")
    assert outside == [51.5, -0.12]


def test_inspector_map_places_sites_at_gcj02_coloured_by_grade_with_the_route_in_order(
        watched, api, camera, tiles, screenshot):
    page = watched
    failed, passed = seed.sites_of(api)[8], seed.sites_of(api)[7]
    seed.submit_inspection(api, camera, failed, fail_veto=True)
    seed.submit_inspection(api, camera, passed, fail_veto=False)
    points = {p["site_id"]: p for p in api.get("/api/map/sites?limit=2000")["items"]}
    never = next((p for p in points.values() if p["grade"] is None), None)
    if never is None:  # other browser tests on this server have inspected every demo site: add one
        template = seed.sites_of(api)[0]
        created = api.post("/api/sites", {
            "name": "地图测试未检工地", "contractor": "内蒙古某建设有限公司", "builder": "某置业公司",
            "address": "测试地址", "unit": template["unit"]["code"], "phase": "foundation",
            "lat": template["lat"] + 0.003, "lon": template["lon"] + 0.003}, username="admin")
        assert created.status_code == 201, created.get_json()
        points = {p["site_id"]: p for p in api.get("/api/map/sites?limit=2000")["items"]}
        never = points[created.get_json()["id"]]
    # Today's route (GET /api/today): three stops to visit in the order the server chose, listed out of
    # order, and one already done (not on the route).
    route = [points[failed["id"]], never, points[passed["id"]]]
    stops = [_stop(p, order=i + 1) for i, p in enumerate(route)]
    done = _stop(next(p for p in points.values() if p["site_id"] not in {s["site_id"] for s in stops}), status="done")
    _serve_today(page, [stops[2], done, stops[0], stops[1]])
    _open_inspector_map(page)

    assert tiles and all("is.autonavi.com/appmaptile" in url for url in tiles)
    for site_id in (failed["id"], passed["id"], never["site_id"]):
        point = points[site_id]
        g_lat, g_lon = wgs84_to_gcj02(point["lat"], point["lon"])
        pin = page.locator(f".map-pin[data-site-id='{site_id}']")
        assert abs(float(pin.get_attribute("data-lat")) - g_lat) < 1e-6
        assert abs(float(pin.get_attribute("data-lon")) - g_lon) < 1e-6
    # On screen: the pin sits where Leaflet draws the GCJ-02 point, not the raw WGS-84 one.
    page.evaluate("document.getElementById('map').leafletMap.setView(%s, 16, {animate: false})"
                  % json.dumps(list(wgs84_to_gcj02(points[failed["id"]]["lat"], points[failed["id"]]["lon"]))))
    centre = _pin_box_centre(page, failed["id"])
    at_gcj = _screen_point(page, *wgs84_to_gcj02(points[failed["id"]]["lat"], points[failed["id"]]["lon"]))
    at_wgs = _screen_point(page, points[failed["id"]]["lat"], points[failed["id"]]["lon"])
    assert abs(centre["x"] - at_gcj["x"]) <= 1 and abs(centre["y"] - at_gcj["y"]) <= 1
    assert abs(centre["x"] - at_wgs["x"]) + abs(centre["y"] - at_wgs["y"]) > 100

    def grade_class(site_id):
        return page.locator(f".map-pin[data-site-id='{site_id}']").get_attribute("class")
    assert "grade-fail" in grade_class(failed["id"]) and "grade-excellent" in grade_class(passed["id"])
    assert "grade-none" in grade_class(never["site_id"])
    assert page.locator(f".map-pin[data-site-id='{failed['id']}'] .pin-count").inner_text() == str(
        points[failed["id"]]["open_violations"])
    assert "未检" in page.inner_text("#map-legend") and "不合格" in page.inner_text("#map-legend")
    assert page.locator(".map-me").count() == 1

    # The route: numbered 1, 2, 3 on the stops in the server's order, one line through them in that order.
    labels = page.eval_on_selector_all(".route-stop", "els => els.map(e => [e.dataset.order, +e.dataset.siteId])")
    assert labels == [["1", failed["id"]], ["2", never["site_id"]], ["3", passed["id"]]]
    assert "3 站" in page.inner_text("#map-route")
    line = page.evaluate("""() => { const out = [];
        document.getElementById('map').leafletMap.eachLayer((l) => {
          if (l.options && l.options.className === 'route-line') out.push(l.getLatLngs().map((p) => [p.lat, p.lng]));
        }); return out; }""")
    assert len(line) == 1
    expected = [wgs84_to_gcj02(s["lat"], s["lon"]) for s in stops]
    assert all(abs(a[0] - b[0]) < 1e-9 and abs(a[1] - b[1]) < 1e-9 for a, b in zip(line[0], expected))
    assert page.locator("#map-tiles-failed").is_hidden()
    page.evaluate("document.getElementById('map').leafletMap.fitBounds(%s, {padding: [60, 60]})" % json.dumps(expected))
    page.wait_for_timeout(300)
    screenshot(page, "map-inspector")

    # Tapping a site offers its inspection, which opens the form for it (zoomed in on it: a site another
    # test of this server added may stand close enough to cover its pin at the route's zoom).
    page.evaluate("document.getElementById('map').leafletMap.setView(%s, 18, {animate: false})"
                  % json.dumps(list(wgs84_to_gcj02(never["lat"], never["lon"]))))
    page.locator(f".map-pin[data-site-id='{never['site_id']}']").click()
    page.click(".map-popup .map-start")
    page.wait_for_selector("section.item")
    assert page.evaluate("location.hash").startswith("#/inspect/")
    assert page.csp_violations() == []


def test_when_tiles_fail_the_map_says_so_and_the_list_still_works(page, context):
    context.route(TILES, lambda route: route.abort("internetdisconnected"))
    page.route("**/api/today*", lambda r: r.fulfill(status=404, content_type="application/json",
                                                   body='{"code": "not_found", "message": "", "status": 404}'))
    flows.open_app(page)
    flows.log_in(page)
    page.click("#open-map")
    message = page.locator("#map-tiles-failed")
    message.wait_for(state="visible")
    assert "无法加载地图底图" in message.inner_text() and "列表照常可用" in message.inner_text()
    assert page.locator("#map .map-pin").count() > 0  # the sites are still drawn where they are
    page.click("#map-to-list")
    page.wait_for_selector("#site-list .site .distance")


def test_without_leaflet_the_map_says_it_cannot_open_and_the_list_still_works(page, context):
    page.route("**/vendor/leaflet.js", lambda route: route.abort("internetdisconnected"))
    flows.open_app(page)
    flows.log_in(page)
    page.goto("/app/#/map")
    page.wait_for_selector("#map-tiles-failed:not([hidden])")
    assert "列表照常可用" in page.inner_text("#map-tiles-failed")
    page.click("#map-to-list")
    page.wait_for_selector("#site-list .site")


def test_supervisor_map_shows_grades_violations_suspended_sites_and_filters_by_unit(
        watched, api, tiles, screenshot):
    page = watched
    points = api.get("/api/map/sites?limit=2000", "supervisor")["items"]
    suspended_id = points[0]["site_id"]

    def with_a_suspended_site(route):
        body = route.fetch().json()
        for item in body["items"]:
            if item["site_id"] == suspended_id:
                item.update(status="suspended", suspension_order_number="回民城执罚决〔2026〕第00007号")
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/api/map/sites*", with_a_suspended_site)
    log_in_desk(page, "supervisor")
    page.click("#nav a[href='#/sitemap']")
    page.wait_for_selector("#map .map-pin")
    assert page.locator("#map .map-pin").count() == len(points)
    pin = page.locator(f".map-pin[data-site-id='{suspended_id}']")
    assert "suspended" in pin.get_attribute("class") and pin.locator(".pin-stop").inner_text() == "停"
    with_violations = [p for p in points if p["open_violations"]]
    for p in with_violations[:3]:
        assert page.locator(f".map-pin[data-site-id='{p['site_id']}'] .pin-count").inner_text() == str(p["open_violations"])
        g_lat, g_lon = wgs84_to_gcj02(p["lat"], p["lon"])
        assert abs(float(page.locator(f".map-pin[data-site-id='{p['site_id']}']").get_attribute("data-lat")) - g_lat) < 1e-6
    pin.click()
    popup = page.locator(".map-popup")
    assert "停工" in popup.inner_text() and "第00007号" in popup.inner_text()
    assert popup.locator("a[href='#/site/%d']" % suspended_id).count() == 1
    page.evaluate("document.getElementById('map').leafletMap.closePopup(); document.activeElement.blur()")
    page.set_viewport_size({"width": 1280, "height": 900})  # the desk's screen
    page.evaluate("""() => { const map = document.getElementById('map').leafletMap;
        map.invalidateSize({animate: false});
        const pins = [...document.querySelectorAll('#map .map-pin')].map((p) => [+p.dataset.lat, +p.dataset.lon]);
        map.fitBounds(pins, {padding: [30, 30], animate: false}); }""")
    page.wait_for_timeout(400)
    page.evaluate("window.scrollTo(0, document.getElementById('map-status').offsetTop - 8)")
    screenshot(page, "map-supervisor")

    units = {}
    for p in points:
        units.setdefault(p["unit"]["code"], []).append(p["site_id"])
    code, ids = max(units.items(), key=lambda kv: len(kv[1]))
    page.select_option("#map-unit", code)
    page.wait_for_function(f"() => document.querySelectorAll('#map .map-pin').length === {len(ids)}")
    shown = page.eval_on_selector_all("#map .map-pin", "els => els.map(e => +e.dataset.siteId)")
    assert sorted(shown) == sorted(ids)
    assert page.csp_violations() == []


def test_an_inspector_cannot_open_the_supervisor_map(page):
    flows.open_app(page)
    flows.log_in(page)
    page.goto("/app/#/sitemap")
    page.wait_for_selector("#today-list")  # the inspector's home (今日任务) instead
    assert page.locator("#map-unit").count() == 0


def test_the_route_follows_the_order_the_inspector_moved_the_stops_to(page, api, tiles):
    """今日任务 keeps a reordered day on the phone ('today-order'); the map draws that order."""
    points = api.get("/api/map/sites?limit=3&lat=40.82&lon=111.65")["items"]
    stops = [_stop(p, order=i + 1) for i, p in enumerate(points)]
    _serve_today(page, stops)
    flows.open_app(page)
    flows.log_in(page)
    moved = [points[2]["site_id"], points[0]["site_id"], points[1]["site_id"]]
    page.evaluate("""async ([order, date]) => {
        const store = await import('/app/db.js');
        const session = await store.get('kv', 'session');
        await store.put('kv', { user_id: session.user.id, date, order }, 'today-order');
    }""", [moved, datetime.now(SHANGHAI).date().isoformat()])
    page.click("#open-map")
    page.wait_for_selector(".route-stop")
    assert _route_order(page) == moved


def test_offline_the_map_opens_from_the_phone_says_tiles_cannot_load_and_the_list_works(
        page, context, api, tiles):
    points = api.get("/api/map/sites?limit=2&lat=40.82&lon=111.65")["items"]
    _serve_today(page, [_stop(p, order=i + 1) for i, p in enumerate(points)])
    flows.open_app(page)
    flows.log_in(page)
    flows.wait_for_service_worker(page)
    # 今日任务 (the inspector's home after login) keeps the day on the phone itself: the map reads that record
    page.wait_for_function("""async () => (await import('/app/db.js')).get('kv', 'today')
        .then((kept) => Boolean(kept && kept.data.stops.length === 2))""")
    page.click("#open-map")
    page.wait_for_selector("#map .map-pin")
    online_pins = page.locator("#map .map-pin").count()
    page.click("#map-to-list")
    page.wait_for_selector("#site-list .site")

    context.set_offline(True)
    context.unroute(TILES)
    context.route(TILES, lambda route: route.abort("internetdisconnected"))
    page.unroute("**/api/today*")
    page.goto("/app/#/map")  # a cold start offline: Leaflet and the screens from the worker's cache
    page.wait_for_selector("#map .map-pin")
    page.locator("#map-tiles-failed").wait_for(state="visible")
    assert "无法加载地图底图" in page.inner_text("#map-tiles-failed")
    assert page.locator("#map .map-pin").count() == online_pins  # the points kept on the phone
    assert "离线" in page.inner_text("#map-status")
    assert _route_order(page) == [p["site_id"] for p in points]  # today's route as the today screen kept it
    page.click("#map-to-list")
    page.wait_for_selector("#site-list .site")
    assert "离线" in page.inner_text("#sites-status")
    context.set_offline(False)


def test_the_route_is_the_one_the_server_plans_for_the_day(page, api, tiles, phone_position):
    """No stub: GET /api/today of the live server (helper F's today feature) orders the stops from the
    phone's position; the map numbers exactly those still to visit, in that order."""
    flows.open_app(page)
    # 李巡查: the other browser tests inspect as 王巡查, and the sites done today fill that day (TODAY_DAY_SIZE)
    flows.log_in(page, "inspector2")
    page.goto("/app/#/sites")
    page.wait_for_selector("#site-list .site .distance")  # the phone has its fix
    position = page.evaluate("import('/app/gps.js').then((g) => g.gpsState().last)")
    day = api.get(f"/api/today?lat={position['lat']}&lon={position['lon']}", "inspector2")
    todo = sorted((s for s in day["stops"] if s["status"] == "todo"), key=lambda s: s["order"])
    assert todo, "the demo inspector's day has stops"
    page.click("#open-map")
    page.wait_for_selector(".route-stop")
    assert _route_order(page) == [s["site_id"] for s in todo]
    first = page.locator(".route-stop[data-order='1']")
    assert int(first.get_attribute("data-site-id")) == todo[0]["site_id"]


def test_offline_a_phone_never_shows_another_users_kept_points(page, context, api, tiles):
    _serve_today(page, [])
    flows.open_app(page)
    flows.log_in(page)
    flows.wait_for_service_worker(page)
    page.click("#open-map")
    page.wait_for_selector("#map .map-pin")
    # Another inspector logs in on the same phone, then loses the network before opening the map.
    page.evaluate("import('/app/db.js').then((s) => s.del('kv', 'session'))")
    page.goto("/app/#/login")
    page.reload()
    page.wait_for_selector("#username")
    flows.log_in(page, "inspector2")
    context.set_offline(True)
    page.goto("/app/#/map")
    page.wait_for_selector("#map-tiles-failed:not([hidden])")
    assert "还没有保存在手机上" in page.inner_text("#map-tiles-failed")
    assert page.locator("#map .map-pin").count() == 0
    context.set_offline(False)

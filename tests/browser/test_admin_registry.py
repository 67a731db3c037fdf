"""管理 › 工地档案 at 1280 px (issue 15): an admin registers a site by picking its point on the map (tiles
intercepted, nothing reaches the network), pastes Amap (GCJ-02) coordinates and sees them converted to
WGS-84, attaches three parties — one found, one new with a valid credit code after an invalid one is refused,
one found — saves, changes the phase (the history shows it), imports a CSV with one bad row (nothing imported,
the row named) and opens the contractor's page. A supervisor reads the register without changing it.

The live database is shared by the browser tests: every name here is unique to the run."""
from __future__ import annotations

import uuid

import pytest

from inspect_app.core.geo import gcj02_to_wgs84
from inspect_app.organisations.credit_code import check_character
from tests.browser.test_desk_actions import _desk, _no_csp_violation
from tests.browser.test_desk_app import log_in_desk
from tests.browser.test_maps import TILE, TILES

pytestmark = pytest.mark.browser

GCJ = (40.834500, 111.673500)  # lat, lon as Amap shows a point in the district, 2 km from the sites other tests stand at


def _credit_code() -> str:
    first17 = f"91150103MA1{uuid.uuid4().int % 100000:05d}2"
    return first17 + check_character(first17)


def _open_registry(desk):
    log_in_desk(desk, "admin")
    desk.click("#nav a[href='#/admin']")
    desk.click("#admin-sections a[data-section='sites']")
    desk.wait_for_selector("#rg-site-list table, #rg-site-list p")


def _find_party(desk, party: str, query: str):
    desk.fill(f"#rg-{party}-q", query)
    desk.click(f"#rg-{party}-search")
    results = desk.locator(f"#rg-{party}-results")
    results.wait_for(state="visible")
    desk.wait_for_function(f"() => document.querySelector('#rg-{party}-results').options.length > 1")
    value = results.locator("option").nth(1).get_attribute("value")
    results.select_option(value)
    return int(value)


def test_an_admin_registers_a_site_on_the_map_with_its_parties(browser, live_server, dialogs, api, screenshot):
    name = f"地图选点工地{uuid.uuid4().hex[:6]}"
    contractor_name = f"新建施工单位{uuid.uuid4().hex[:6]}"
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    ctx.route(TILES, lambda route: route.fulfill(status=200, content_type="image/png", body=TILE))
    try:
        _open_registry(desk)
        desk.click("#rg-new-site")
        desk.wait_for_selector("#rg-site-form")
        desk.wait_for_selector("#rg-map .leaflet-tile-loaded")
        desk.fill("#rg-name", name)
        desk.select_option("#rg-unit", "xinhuaxilu")
        desk.select_option("#rg-project-type", "building")

        # a click on the map picks the point: the WGS-84 fields fill and the marker stands there
        desk.click("#rg-map", position={"x": 300, "y": 180})
        desk.wait_for_selector("#rg-map[data-picked] #rg-pin")
        assert desk.input_value("#rg-lat") and desk.input_value("#rg-lon")

        # Amap's figures pasted (lon,lat as Amap copies them) are converted as the server converts them
        desk.fill("#rg-gcj", f"{GCJ[1]},{GCJ[0]}")
        converted = desk.locator("#rg-gcj-converted")
        desk.wait_for_function("() => document.querySelector('#rg-gcj-converted').textContent.includes('WGS-84')")
        wgs = gcj02_to_wgs84(*GCJ)
        assert abs(float(desk.input_value("#rg-lat")) - wgs[0]) < 2e-6
        assert abs(float(desk.input_value("#rg-lon")) - wgs[1]) < 2e-6
        assert f"{wgs[0]:.6f}" in converted.inner_text()

        builder_id = _find_party(desk, "builder", "住房和城乡建设局")
        supervisor_id = _find_party(desk, "supervisor", "监理")
        # the contractor is new: an invalid credit code is refused with the reason, a valid one accepted
        desk.click("[data-party-new='contractor'] summary")
        desk.fill("#rg-contractor-new-name", contractor_name)
        desk.fill("#rg-contractor-new-code", "91350100M000100Y44")
        desk.click("#rg-contractor-create")
        error = desk.locator("#rg-contractor-error")
        error.wait_for(state="visible")
        assert "91350100M000100Y44" in error.inner_text() and "校验位" in error.inner_text()
        code = _credit_code()
        desk.fill("#rg-contractor-new-code", code.lower())
        desk.click("#rg-contractor-create")
        desk.wait_for_function(f"() => document.querySelector('[data-party-name=contractor]').textContent === '{contractor_name}'")
        screenshot(desk, "registry-new-site-parties")
        desk.evaluate("window.scrollTo(0, 0)")
        screenshot(desk, "registry-new-site")
        desk.click("#rg-save")
        desk.wait_for_selector("#rg-phase-history li")
        site_id = int(desk.evaluate("location.hash").rsplit("/", 1)[1])
        site = api.get(f"/api/sites/{site_id}", "admin")
        assert site["name"] == name and site["entered_datum"] == "WGS84"
        assert (site["builder_org"]["id"], site["supervisor_org"]["id"]) == (builder_id, supervisor_id)
        assert site["contractor_org"]["credit_code"] == code and site["contractor"] == contractor_name
        assert abs(site["lat"] - wgs[0]) < 2e-6

        # a phase change is saved and shows in the history
        desk.select_option("#rg-phase", "foundation")
        desk.click("#rg-save")
        desk.wait_for_selector("#rg-phase-history li[data-phase='foundation']")
        assert "土方 → 基础" in desk.inner_text("#rg-phase-history")

        # the contractor's page lists the site
        desk.click("[data-party='contractor'] a")
        desk.wait_for_selector(f"#rg-org-sites tr[data-site-id='{site_id}']")
        assert desk.inner_text("#rg-org-name") == contractor_name
        _no_csp_violation(desk)
    finally:
        ctx.close()


def test_an_import_with_one_bad_row_imports_nothing_and_names_the_row(browser, live_server, dialogs, api):
    tag = uuid.uuid4().hex[:6]
    rows = ["工地名称,所属街道,纬度,经度,施工阶段,施工单位",
            f"导入甲{tag},新华西路街道,40.8200,111.6500,土方,内蒙古兴泰建设集团有限公司",
            f"导入乙{tag},新华西路街道,40.8210,111.6510,打桩,内蒙古兴泰建设集团有限公司"]
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        _open_registry(desk)
        desk.click("#rg-import summary")
        desk.set_input_files("#rg-import-file", files=[{"name": "sites.csv", "mimeType": "text/csv",
                                                          "buffer": "\n".join(rows).encode("utf-8")}])
        desk.click("#rg-import-go")
        desk.wait_for_selector("#rg-import-errors tr[data-row='3']")
        assert "未导入任何数据" in desk.inner_text("#rg-import-refused")
        assert "打桩" in desk.inner_text("#rg-import-errors tr[data-row='3']")
        assert desk.locator("#rg-import-errors tbody tr").count() == 1
        assert api.get(f"/api/sites?q={tag}&status=all", "admin")["total"] == 0
        _no_csp_violation(desk)
    finally:
        ctx.close()


def test_a_supervisor_reads_the_register_without_changing_it(browser, live_server, dialogs):
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "supervisor")
        desk.evaluate("location.hash = '#/admin/sites'")
        desk.wait_for_selector("#rg-site-list tr[data-site-id]")
        assert desk.locator("#rg-readonly").is_visible()
        assert desk.locator("#rg-new-site, #rg-import").count() == 0
        desk.click("#rg-site-list tr[data-site-id] a")
        desk.wait_for_selector("#rg-site-form")
        assert desk.locator("#rg-save").count() == 0 and desk.is_disabled("#rg-name")
    finally:
        ctx.close()

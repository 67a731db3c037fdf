"""巡查覆盖 at the desk: a supervisor sees the week's coverage per unit and per inspector, sets the
unit's target and assigns a site to an inspector, who then finds it on 今日任务."""
from __future__ import annotations

from tests.browser.conftest import DEMO_PASSWORD
from tests.browser import flows


def test_a_supervisor_sets_the_target_and_assigns_a_site(page, api, screenshot):
    flows.open_app(page)
    page.fill("#username", "supervisor")
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#counts .count")
    page.click("a[href='#/coverage']")
    unit = page.locator("#coverage-units .coverage-unit").first
    unit.wait_for()
    code = unit.get_attribute("data-unit")
    assert unit.locator("td[data-figure='due']").inner_text().isdigit()
    page.wait_for_selector("#coverage-inspectors tr[data-inspector-id]")
    unit.locator(".coverage-every").fill("5")
    unit.locator(".coverage-save").click()
    page.wait_for_function("() => document.querySelector('#toast').textContent.includes('覆盖要求已保存')")
    week = api.get("/api/coverage", "supervisor")
    assert next(u for u in week["units"] if u["code"] == code)["every_days"] == 5

    inspector = api.get("/api/auth/me")["id"]
    page.wait_for_selector("#assign-site option", state="attached")
    page.select_option("#assign-inspector", str(inspector))
    site_id = page.eval_on_selector("#assign-site", "s => s.options[s.options.length - 1].value")
    page.select_option("#assign-site", site_id)
    page.click("#assign-submit")
    page.wait_for_function("() => document.querySelector('#toast').textContent.includes('指派给')")
    assigned = api.get(f"/api/assignments?inspector_id={inspector}", "supervisor")["items"]
    assert int(site_id) in [a["site_id"] for a in assigned]
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "desk-coverage")
    day = api.get("/api/today")
    stop = next(s for s in day["stops"] if s["site_id"] == int(site_id))
    assert "assigned" in stop["kinds"]

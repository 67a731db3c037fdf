"""The app works under its Content-Security-Policy: a browser that enforces it reports no violation
while an inspector logs in, fills a checklist with photos (blob: previews, IndexedDB, the service
worker) and sends it, while a supervisor opens a site page with its chart and photo gallery, and
while Swagger UI renders the API document from its pinned, same-origin assets."""
from __future__ import annotations

import pytest

from tests.browser import flows, seed
from tests.browser.test_desk_app import log_in_desk

pytestmark = pytest.mark.browser

# Every violation the page sees, also those whose console message the browser words differently.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(page):
    """The phone page, with CSP violations collected from events and from the console."""
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.add_init_script(RECORD_VIOLATIONS)

    def violations() -> list[str]:
        recorded = page.evaluate("window.__cspViolations || []")
        return recorded + console

    page.csp_violations = violations
    return page


def test_the_app_is_served_with_its_policy(watched):
    response = watched.goto("/app/")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_inspector_flow_runs_without_a_csp_violation(watched, camera):
    page = watched
    flows.open_app(page)
    flows.log_in(page)
    flows.wait_for_service_worker(page)
    uuid = flows.open_nearest_site(page)
    flows.fill_form(page, camera)
    page.wait_for_selector(".thumb img")
    flows.finish(page)
    flows.wait_for_state(page, uuid, "sent")
    assert page.csp_violations() == []


def test_supervisor_site_page_runs_without_a_csp_violation(watched, api, camera):
    page = watched
    site = seed.sites_of(api)[3]
    seed.submit_inspection(api, camera, site)
    log_in_desk(page, "supervisor")
    page.goto(f"/app/#/site/{site['id']}")
    page.wait_for_selector("#history svg.chart circle")
    page.wait_for_selector(".insp .gallery img[data-loaded='1']")
    assert page.csp_violations() == []


def test_swagger_ui_renders_under_its_policy_without_a_violation(watched):
    page = watched
    response = page.goto("/api/docs")
    assert "default-src 'self'" in response.headers.get("content-security-policy", "")
    page.wait_for_selector(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag")  # the operations rendered from /api/openapi.json
    assert "工地扬尘" in page.inner_text(".swagger-ui .info .title")
    assert page.csp_violations() == []


def test_a_violation_would_be_caught(watched):
    """Guard for the detector: an inline script on the app's origin is reported."""
    page = watched
    flows.open_app(page)
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';
                             document.body.append(s); }""")
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert any("script-src" in v for v in page.csp_violations())

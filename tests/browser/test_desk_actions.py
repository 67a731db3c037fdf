"""The desk's actions on a site page for what was API-only (issues 9 and 10): a supervisor records 送达 of an
unserved notice by mail, closes a violation that can never be re-checked, and takes a suspended site
through resumption (application, an inspector's full inspection, approval) — the server's refusal shown
when approval comes too early. Two different bureau users decide: a warning on one case, a fine with
stop-work on another; the inspector's list then shows that site suspended until it resumes."""
from __future__ import annotations

from datetime import datetime

import pytest

from tests.browser import flows, seed
from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.test_csp import RECORD_VIOLATIONS
from tests.browser.test_desk_app import log_in_desk
from tests.browser.test_stop_work import _decide, _fail_item, _refusal_case, _site_card

pytestmark = pytest.mark.browser
WIDTHS = {"phone360": {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True,
                       "device_scale_factor": 2},
          "desktop": {"viewport": {"width": 1280, "height": 800}}}
ORDER = "回城执罚决字〔2026〕第0951号"


def _desk(browser, live_server, dialogs, width: str):
    ctx = browser.new_context(**WIDTHS[width], base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    ctx.set_default_timeout(15_000)
    ctx.add_init_script(RECORD_VIOLATIONS)  # the strict CSP: no inline script or style on these screens
    page = ctx.new_page()
    page.on("dialog", dialogs)
    return ctx, page


def _no_csp_violation(page):
    assert page.evaluate("window.__cspViolations || []") == []


@pytest.fixture(params=list(WIDTHS))
def supervisor(request, browser, live_server, dialogs):
    """A supervisor's screen at 360 px or 1280 px."""
    ctx, page = _desk(browser, live_server, dialogs, request.param)
    page.width_name = request.param
    log_in_desk(page, "supervisor")
    yield page
    ctx.close()


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "page scrolls sideways"


def _open_site(page, site_id: int):
    page.goto(f"/app/#/site/{site_id}")
    page.wait_for_selector("#site-notices")


def test_supervisor_records_service_by_mail_and_closes_a_violation_that_cannot_be_rechecked(supervisor, api):
    page = supervisor
    site = seed.sites_of(api, count=15)[8 if page.width_name == "desktop" else 9]
    _fail_item(api, site, datetime.now(seed.SHANGHAI))
    notice = api.get(f"/api/notices?site_id={site['id']}", "supervisor")["items"][0]
    _open_site(page, site["id"])

    row = page.locator(f"#site-notices [data-notice-id='{notice['id']}']")
    assert row.get_attribute("data-served") == "0" and "尚未送达" in row.inner_text()
    page.click(f"#svc-{notice['id']}-open")
    page.check(f"#svc-{notice['id']} [data-value=mail] input")
    page.click(f"#svc-{notice['id']}-submit")  # no note: refused on the form, nothing sent
    assert "请填写说明" in row.inner_text()
    assert api.get(f"/api/notices/{notice['id']}", "supervisor")["served"] is False
    page.fill(f"#svc-note-{notice['id']}", "EMS 1180000123456，寄项目部")
    _no_sideways_scroll(page)
    page.click(f"#svc-{notice['id']}-submit")
    page.wait_for_selector(f"#site-notices [data-notice-id='{notice['id']}'][data-served='1']")
    row = page.locator(f"#site-notices [data-notice-id='{notice['id']}']")
    assert "已送达：邮寄送达" in row.inner_text()
    assert page.locator(f"#svc-{notice['id']}-open").count() == 0  # served once: no second offer
    stored = api.get(f"/api/notices/{notice['id']}", "supervisor")
    assert stored["served"] is True and stored["service"]["method"] == "mail"
    assert stored["service"]["channel"] == "desk" and "EMS" in stored["service"]["note"]

    [violation] = api.get(f"/api/scorecards/{site['id']}", "supervisor")["open_violations"]
    item = f"#open-violations [data-violation-id='{violation['id']}']"
    page.click(f"#vclose-{violation['id']}-open")
    page.check(f"#vclose-{violation['id']} [data-value=phase_moved_on] input")
    page.click(f"#vclose-{violation['id']}-submit")  # no note: refused on the form
    assert "请写明关闭的理由" in page.inner_text(item)
    page.fill(f"#vclose-note-{violation['id']}", "工地已进入主体结构阶段，土方作业已结束，无法复查")
    _no_sideways_scroll(page)
    page.click(f"#vclose-{violation['id']}-submit")
    page.wait_for_selector(item, state="detached")
    assert page.locator("#open-violations [data-violation-id]").count() == 0
    assert api.get(f"/api/scorecards/{site['id']}", "supervisor")["open_violations"] == []
    _no_csp_violation(page)
    # the notice's one item is closed: it reads 已整改 on the page
    page.wait_for_selector(f"#site-notices [data-notice-id='{notice['id']}']")
    assert "已整改" in page.inner_text(f"#site-notices [data-notice-id='{notice['id']}'] .state")


@pytest.fixture
def second_bureau_user(live_app):
    """A second 区城管执法局 user beside the demo's ``enforcement``."""
    from inspect_app.auth.operations import create_user
    from inspect_app.auth.queries import get_user_by_username
    from inspect_app.extensions import db

    with live_app.app_context():
        if get_user_by_username("enforcement2") is None:
            create_user(None, username="enforcement2", display_name="钱执法", role="enforcement",
                        password=DEMO_PASSWORD)
            db.session.commit()
    return "enforcement2"


def test_two_bureau_users_decide_a_warning_and_fine_with_stop_work_and_the_desk_brings_the_site_back(
        browser, live_server, playwright_instance, dialogs, page, api, camera, second_bureau_user, screenshot):
    sites = seed.sites_of(api, count=15)
    warned_site, site = sites[10], sites[11]
    warned, case = _refusal_case(api, warned_site), _refusal_case(api, site)

    log_in_desk(page, "enforcement")  # one bureau user, on a phone: a warning
    _decide(page, warned, "warning", "回城执警字〔2026〕第0950号")
    other_ctx, other = _desk(browser, live_server, dialogs, "desktop")
    try:  # another bureau user, at a desk: a fine with stop-work
        log_in_desk(other, second_bureau_user)
        _decide(other, case, "fine_and_stop_work", ORDER, amount=int(case["fine_min"]),
                order="立即停止施工，完成苫盖整改后申请复工")
    finally:
        other_ctx.close()
    first = api.get(f"/api/penalty-cases/{warned['id']}", "enforcement")["decision_detail"]["decided_by"]
    second = api.get(f"/api/penalty-cases/{case['id']}", "enforcement")["decision_detail"]["decided_by"]
    assert first["display_name"] == "赵执法" and second["display_name"] == "钱执法"
    assert api.get(f"/api/sites/{warned_site['id']}")["status"] == "active"
    assert api.get(f"/api/sites/{site['id']}")["status"] == "suspended"

    phone = browser.new_context(**playwright_instance.devices["Pixel 7"], base_url=live_server, locale="zh-CN",
                                timezone_id="Asia/Shanghai", permissions=["geolocation"],
                                geolocation={"latitude": site["lat"], "longitude": site["lon"], "accuracy": 10})
    desk_ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        inspector = phone.new_page()
        flows.open_app(inspector)
        flows.log_in(inspector)
        card = _site_card(inspector, site["id"]).inner_text()
        assert "停工整治中" in card and ORDER in card
        assert "停工整治中" not in _site_card(inspector, warned_site["id"]).inner_text()

        # the supervisor's site page: the order, and the steps of resumption
        log_in_desk(desk, "supervisor")
        desk.goto(f"/app/#/site/{site['id']}")
        desk.wait_for_selector("#site-suspension[data-status=suspended]")
        assert ORDER in desk.inner_text("#susp-order")
        assert desk.locator("#susp-approval-open").count() == 0  # nothing to approve before the application
        desk.click("#susp-application-open")
        desk.fill("#susp-application-note", "项目部提交复工申请及整改照片")
        desk.click("#susp-application-submit")
        desk.wait_for_selector("#site-suspension[data-status=applied] [data-step=application][data-done='1']")
        assert api.get(f"/api/sites/{site['id']}")["status"] == "suspended"

        # approving before an inspector's full inspection: the server's refusal, in its words
        desk.click("#susp-approval-open")
        desk.click("#susp-approval-submit")
        desk.wait_for_selector("#susp-approval .notice.attn")
        assert "尚无合格的复工检查" in desk.inner_text("#susp-approval .notice.attn")
        assert api.get(f"/api/sites/{site['id']}")["status"] == "suspended"

        seed.submit_inspection(api, camera, site, fail_veto=False)  # the inspector's full inspection passes
        desk.reload()
        desk.wait_for_selector("#site-suspension[data-status=inspected] [data-step=inspection][data-done='1']")
        desk.click("#susp-approval-open")
        desk.fill("#susp-approval-note", "复查合格，同意复工")
        desk.evaluate("window.scrollTo(0, 0)")
        screenshot(desk, "desk-resumption")
        _no_csp_violation(desk)
        desk.click("#susp-approval-submit")
        desk.wait_for_selector("#site-suspension", state="detached")
        assert api.get(f"/api/sites/{site['id']}")["status"] == "active"
        steps = api.get(f"/api/sites/{site['id']}/suspensions")["suspensions"][0]
        assert steps["status"] == "resumed" and steps["approval_note"] == "复查合格，同意复工"

        inspector.reload()
        inspector.wait_for_selector("html[data-ready='1']")
        assert "停工整治中" not in _site_card(inspector, site["id"]).inner_text()
    finally:
        desk_ctx.close()
        phone.close()

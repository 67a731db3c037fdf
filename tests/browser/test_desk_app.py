"""Supervisors and 区城管执法局 in the same PWA: the penalty queue, the weekly export, review with
send-back, and the scorecards at phone and desktop widths. Work is seeded through the API."""
from __future__ import annotations

import io
import random
import string
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser import flows, seed
from tests.browser.conftest import DEMO_PASSWORD
from tests.browser.test_roadside_app import fresh_plate

pytestmark = pytest.mark.browser
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(params=["desktop", "phone"])
def desk_page(request, browser, playwright_instance, live_server, dialogs):
    """A supervisor's screen: a 1280×800 desktop browser or a Pixel 7."""
    device = DESKTOP if request.param == "desktop" else dict(playwright_instance.devices["Pixel 7"])
    ctx = browser.new_context(**device, base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai",
                              accept_downloads=True)
    ctx.set_default_timeout(15_000)
    page = ctx.new_page()
    page.on("dialog", dialogs)
    page.viewport_name = request.param
    yield page
    ctx.close()


def log_in_desk(page, username: str):
    flows.open_app(page)
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#counts .count")


def iso_week(day: datetime) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def test_supervisor_approves_a_penalty_case_with_its_evidence_and_downloads_the_weekly_export(
        desk_page, api, camera, screenshot):
    page = desk_page
    site = seed.sites_of(api)[0 if page.viewport_name == "desktop" else 1]
    inspection = seed.submit_inspection(api, camera, site)
    case = seed.case_of(api, inspection["uuid"])
    assert case["status"] == "pending_review"

    log_in_desk(page, "supervisor")
    waiting = page.locator("#counts [data-count=cases_to_review] .big")
    assert int(waiting.inner_text()) >= 1
    screenshot(page, f"supervisor-home-{page.viewport_name}")
    page.click("#counts [data-count=cases_to_review]")
    page.click(f"#case-list [data-case-id='{case['id']}']")
    page.wait_for_selector("#case-state[data-status=pending_review]")
    text = page.inner_text("main")
    assert "《中华人民共和国大气污染防治法》" in text and "罚款幅度" in text  # legal basis and fine range
    # 当事人 (issue 9): the liable party of the case's items, with its kind
    party = page.locator("#case-party")
    assert party.get_attribute("data-party") == case["party"]["kind"]
    assert party.inner_text() == case["party"]["label"] and "（" in case["party"]["label"]
    # the case links the 整改通知书 of its inspection (issue 9: "the case page links the notice")
    notice = api.get(f"/api/penalty-cases/{case['id']}", "supervisor")["notice"]
    assert notice and page.inner_text("#case-notice") == notice["number"]
    assert page.get_attribute("#case-notice", "data-pdf") == notice["pdf_url"]
    page.wait_for_selector(".gallery img[data-loaded='1']")  # thumbnails fetched with the token
    page.locator(".gallery .photo-open").first.click()
    page.wait_for_selector("#photo-viewer img")
    assert page.evaluate("document.querySelector('#photo-viewer img').naturalWidth") > 0
    page.click("#photo-viewer button")
    screenshot(page, f"case-{page.viewport_name}")

    page.fill("#note-approved", "证据充分，移送执法局")
    page.click("#move-approved")
    page.wait_for_selector("#case-state[data-status=approved]")
    assert api.get(f"/api/penalty-cases/{case['id']}", "supervisor")["status"] == "approved"
    assert "移送" in page.inner_text("#case-history")

    # The export defaults to the last complete ISO week in Beijing time; this week has the violation.
    page.goto("/app/#/export")
    now = datetime.now(SHANGHAI)
    assert page.input_value("#export-week") == iso_week(now - timedelta(days=7))
    page.fill("#export-week", iso_week(now))
    page.select_option("#export-format", "xlsx")
    with page.expect_download() as info:
        page.click("#export-download")
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    with open(download.path(), "rb") as fh:
        workbook = load_workbook(io.BytesIO(fh.read()), read_only=True)
    assert "违规明细" in workbook.sheetnames
    rows = [[str(c) for c in row if c is not None] for row in workbook["违规明细"].iter_rows(values_only=True)]
    assert any(site["name"] in row for row in rows)
    page.wait_for_selector("#export-status.ok")
    workbook.close()


def test_enforcement_accepts_then_refuses_a_fine_outside_the_legal_range_and_records_one_inside(
        page, api, camera, screenshot):
    site = seed.sites_of(api)[2]
    inspection = seed.submit_inspection(api, camera, site)
    case = seed.case_of(api, inspection["uuid"])
    seed.move_case(api, case["id"], "approved")

    log_in_desk(page, "enforcement")
    assert int(page.inner_text("#counts [data-count=cases_to_accept] .big")) >= 1
    page.click("#counts [data-count=cases_to_accept]")
    page.click(f"#case-list [data-case-id='{case['id']}']")
    page.click("#move-accepted")
    page.wait_for_selector("#case-state[data-status=accepted]")

    detail = api.get(f"/api/penalty-cases/{case['id']}", "enforcement")
    low, high = detail["fine_min"], detail["fine_max"]
    assert page.inner_text("#fine-range") == detail["fine_range"]
    page.fill("#fine-amount", str(int(high) + 1000))
    page.fill("#decision-number", "回城执罚决字〔2026〕第017号")
    page.click("#move-decided")
    page.wait_for_selector("#fine-refused")
    screenshot(page, "enforcement-fine-refused")
    assert api.get(f"/api/penalty-cases/{case['id']}", "enforcement")["status"] == "accepted"

    amount = int((low + high) / 2)
    page.fill("#fine-amount", str(amount))
    page.click("#move-decided")
    page.wait_for_selector("#case-state[data-status=decided]")
    decided = api.get(f"/api/penalty-cases/{case['id']}", "enforcement")
    assert decided["decision"] == "fine" and decided["fine_amount"] == amount
    assert decided["decision_number"] == "回城执罚决字〔2026〕第017号"

    # 缴款 before closure (issue 10): an unpaid fine closes only with a note saying why
    page.fill("#receipt-number", "NO.0017")
    page.click("#move-paid")
    page.wait_for_selector("#case-state[data-status=paid]")
    assert api.get(f"/api/penalty-cases/{case['id']}", "enforcement")["receipt_number"] == "NO.0017"
    page.click("#move-closed")
    page.wait_for_selector("#case-state[data-status=closed]")
    assert api.get(f"/api/penalty-cases/{case['id']}", "enforcement")["status"] == "closed"


def test_enforcement_cannot_approve_a_case_pending_supervisor_review(page, api, camera):
    site = seed.sites_of(api)[4]
    inspection = seed.submit_inspection(api, camera, site)
    case = seed.case_of(api, inspection["uuid"])
    log_in_desk(page, "enforcement")
    page.goto(f"/app/#/case/{case['id']}")
    page.wait_for_selector("#case-state[data-status=pending_review]")
    assert page.locator("form.move").count() == 0  # no buttons for moves the role may not make


def test_supervisor_sends_an_inspection_back_and_the_inspector_sees_it_with_the_note(
        browser, playwright_instance, live_server, api, camera, screenshot, dialogs):
    site = seed.sites_of(api)[3]
    inspection = seed.submit_inspection(api, camera, site, fail_veto=False)
    uuid = inspection["uuid"]

    desk = browser.new_context(**DESKTOP, base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = desk.new_page()
    page.on("dialog", dialogs)
    log_in_desk(page, "supervisor")
    page.click("#counts [data-count=inspections_to_review]")
    page.click(f"#review-list [data-uuid='{uuid}']")
    page.click("#review-form label[data-decision=rejected]")
    assert page.is_checked("#review-send-back")
    page.click("#review-form button[type=submit]")
    assert "必须填写审核意见" in page.inner_text("#review-message")  # a note is required
    page.fill("#review-note", "照片与工地不符，请重新巡查")
    page.click("#review-form button[type=submit]")
    page.wait_for_selector("#review-status:has-text('已退回修改')")
    assert "照片与工地不符" in page.inner_text("#review-history")
    screenshot(page, "supervisor-review-sent-back")
    desk.close()

    server = api.get(f"/api/inspections/{uuid}")
    assert server["review_status"] == "rejected" and server["sent_back"] is True

    phone = browser.new_context(**dict(playwright_instance.devices["Pixel 7"]), base_url=live_server,
                                locale="zh-CN", timezone_id="Asia/Shanghai")
    mine = phone.new_page()
    flows.open_app(mine)
    flows.log_in(mine)
    mine.click("nav a[href='#/mine']")
    row = mine.locator(f".mine-item[data-uuid='{uuid}'][data-review='rejected']")
    row.wait_for()
    assert "照片与工地不符" in row.inner_text()
    assert row.locator("button.resubmit").count() == 1
    phone.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_scorecards_filter_and_page_without_sideways_scrolling(browser, live_server, width, api, screenshot):
    ctx = browser.new_context(viewport={"width": width, "height": 800}, base_url=live_server,
                              locale="zh-CN", timezone_id="Asia/Shanghai")
    page = ctx.new_page()
    log_in_desk(page, "supervisor")
    page.click("nav a[href='#/scorecards']")
    page.wait_for_selector("#sc-list .sc")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    columns = page.evaluate("getComputedStyle(document.querySelector('#sc-list')).gridTemplateColumns.split(' ').length")
    assert (columns == 1) if width == 360 else (columns >= 3)
    screenshot(page, f"scorecards-{width}px")
    total = api.get("/api/scorecards?page_size=1", "supervisor")["total"]
    assert f"共 {total} 个工地" in page.inner_text("#sc-status")
    if total > 20:
        page.click("#sc-next")
        page.wait_for_selector("#sc-status:has-text('第 2/')")
    page.check("#sc-overdue")
    page.wait_for_selector("#sc-status:has-text('第 1/')")
    page.uncheck("#sc-overdue")
    page.select_option("#sc-grade", "fail")
    page.wait_for_function("() => [...document.querySelectorAll('#sc-list .grade')].every(g => g.classList.contains('fail'))")
    ctx.close()


def test_site_page_shows_score_chart_open_violations_map_link_and_contacts(page, api, camera, screenshot):
    site = seed.sites_of(api)[5]
    seed.submit_inspection(api, camera, site)
    log_in_desk(page, "supervisor")
    page.goto(f"/app/#/site/{site['id']}")
    page.wait_for_selector("#history svg.chart circle")
    assert page.get_attribute("#amap-link", "href").startswith("https://uri.amap.com/marker")
    assert "整改期限" in page.inner_text("#open-violations") or "已逾期" in page.inner_text("#open-violations")
    assert site["contractor"] in page.inner_text("main")
    page.wait_for_selector(".insp .gallery img[data-loaded='1']")
    screenshot(page, "site-scorecard")


def test_supervisor_dismissing_a_case_must_give_a_reason(page, api, camera):
    site = seed.sites_of(api)[7]
    case = seed.case_of(api, seed.submit_inspection(api, camera, site)["uuid"])
    log_in_desk(page, "supervisor")
    page.goto(f"/app/#/case/{case['id']}")
    page.click("#move-dismissed")
    assert "必须填写理由" in page.inner_text("#case-message")
    assert api.get(f"/api/penalty-cases/{case['id']}", "supervisor")["status"] == "pending_review"
    page.fill("#note-dismissed", "现场复查已整改，情节轻微")
    page.click("#move-dismissed")
    page.wait_for_selector("#case-state[data-status=dismissed]")
    dismissed = api.get(f"/api/penalty-cases/{case['id']}", "supervisor")
    assert dismissed["dismissal_reason"] == "现场复查已整改，情节轻微"


def test_rankings_list_contractors_and_subdistricts_by_average_score(page, api):
    log_in_desk(page, "supervisor")
    page.goto("/app/#/rank")
    page.wait_for_selector("#rank-list li.card")
    expected = api.get("/api/scorecards/rankings?by=contractor&days=90", "supervisor")["items"]
    assert page.locator("#rank-list li.card").count() == len(expected)
    assert expected[0]["contractor"] in page.inner_text("#rank-list li.card >> nth=0")
    page.select_option("#rank-by", "unit")
    by_unit = api.get("/api/scorecards/rankings?by=unit&days=90", "supervisor")["items"]
    page.wait_for_function("n => document.querySelectorAll('#rank-list li.card').length === n", arg=len(by_unit))
    assert by_unit[0]["unit"]["name_zh"] in page.inner_text("#rank-list li.card >> nth=0")


def test_rankings_show_repeat_offender_trucks_and_their_haulage_company(page, api, screenshot):
    suffix = "".join(random.choice(string.ascii_uppercase) for _ in range(6))
    company = api.post("/api/companies", {"name": f"回民区渣土运输{suffix}有限公司"}, "admin")
    assert company.status_code == 201, company.get_json()
    company = company.get_json()
    plate, stranger = fresh_plate(), fresh_plate()
    res = api.post("/api/vehicles", {"plate": plate, "rated_load_t": 25, "filing_status": "filed",
                                     "filing_expires_on": "2030-12-31", "company_id": company["id"]}, "admin")
    assert res.status_code == 201, res.get_json()
    for _ in range(3):
        seed.submit_roadside_check(api, plate, fail=("truck_sealed",))
    seed.submit_roadside_check(api, plate, fail=())  # a clean check counts as checked, not failed
    seed.submit_roadside_check(api, stranger, fail=())  # not registered: the server fails the filing

    log_in_desk(page, "supervisor")
    page.click("#main a[href='#/rank']")
    page.wait_for_selector("#offender-vehicles li.offender")
    expected = api.get("/api/roadside/repeat-offenders?days=30&limit=20", "supervisor")
    shown = page.eval_on_selector_all("#offender-vehicles li.offender", "els => els.map((e) => e.dataset.plate)")
    assert shown == [v["plate"] for v in expected["vehicles"]]  # the server's ranking, in its order
    ours = page.locator(f"#offender-vehicles li[data-plate='{plate}']")
    assert company["name"] in ours.inner_text()
    assert "不合格 3 次 / 检查 4 次" in ours.inner_text()
    unregistered = page.locator(f"#offender-vehicles li[data-plate='{stranger}']")
    assert "未备案" in unregistered.inner_text()
    firm = page.locator(f"#offender-companies li[data-company-id='{company['id']}']")
    assert company["name"] in firm.inner_text() and "1 辆车" in firm.inner_text()
    page.click("#to-offenders")
    page.wait_for_function("() => document.querySelector('#offenders').getBoundingClientRect().top < innerHeight / 2")
    screenshot(page, "desk-repeat-offenders")


def test_repeat_offenders_are_not_shown_when_the_server_refuses(page):
    log_in_desk(page, "enforcement")
    page.route("**/api/roadside/repeat-offenders*", lambda route: route.fulfill(
        status=403, content_type="application/json",
        body='{"code": "forbidden", "message": "无权查看", "status": 403, "details": {}}'))
    page.goto("/app/#/rank")
    page.wait_for_selector("#offenders .notice")
    assert "无权查看" in page.inner_text("#offenders")
    assert page.locator("#offender-vehicles").count() == 0

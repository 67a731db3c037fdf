"""管理 › 用户 and 渣土车登记 at 1280 px (issue 15): an admin creates an inspector, who logs in on a phone
and is cut off the moment the admin deactivates them; a supervisor sees both registers without a button;
a truck import with one bad row names the row and imports nothing; a good one lists its vehicles."""
from __future__ import annotations

import uuid

import pytest

from tests.browser import flows
from tests.browser.test_desk_actions import _desk, _no_csp_violation
from tests.browser.test_desk_app import log_in_desk
from tests.browser.test_roadside_app import fresh_plate

pytestmark = pytest.mark.browser


def _open_section(page, section: str, ready: str):
    page.goto(f"/app/#/admin/{section}")
    page.wait_for_selector(ready)


def _vehicle_known(api, plate: str) -> bool:
    res = api.client.get(f"/api/vehicles/lookup?plate={plate}", headers=api.headers("admin"))
    assert res.status_code in (200, 404), res.get_json()
    return res.status_code == 200


def test_admin_creates_an_inspector_who_logs_in_and_is_cut_off_when_deactivated(browser, live_server, dialogs,
                                                                                 page, api, screenshot):
    username = f"xc{uuid.uuid4().hex[:8]}"
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "admin")
        desk.click("#nav a[href='#/admin']")  # 管理 › 用户, from the registers' index
        desk.click("#admin-sections a[data-section='users']")
        desk.wait_for_selector("#admin-users-list tr[data-user]")
        desk.click("#admin-user-create-open")
        desk.fill("#admin-user-username", username)
        desk.fill("#admin-user-name", "赵巡查")
        desk.select_option("#admin-user-role", "inspector")
        desk.check("#admin-user-new-units input[value='xinhuaxilu']")
        desk.click("#admin-user-create-submit")  # no password typed: the server chooses a one-time one
        password = desk.wait_for_selector("#admin-user-otp-value").inner_text().strip()
        assert len(password) == 12
        row = desk.locator(f"#admin-users-list tr[data-user='{username}']")
        row.wait_for()
        assert row.locator("td[data-col='role']").inner_text().strip() == "巡查员"
        assert row.locator("td[data-col='tokens']").inner_text() == "0"
        screenshot(desk, "admin-users")

        # the new inspector logs in on a phone with the one-time password, and must choose their own first
        flows.open_app(page)
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("#login-form button[type=submit]")
        page.wait_for_selector("#pw-required")
        assert page.locator("#nav").is_hidden()
        page.goto(page.url.split("#")[0] + "#/sites")  # no way around it
        page.wait_for_selector("#password-form")
        page.fill("#pw-current", password)
        page.fill("#pw-new", "zhao-own-2026")
        page.fill("#pw-repeat", "zhao-own-2027")
        page.click("#password-form button[type=submit]")
        assert page.locator("#pw-error").inner_text() == "两次输入的新密码不一致。"
        page.fill("#pw-repeat", "zhao-own-2026")
        page.click("#password-form button[type=submit]")
        page.wait_for_selector("#today-all-sites")
        assert api.client.post("/api/auth/login", json={"username": username, "password": password}).status_code == 401
        password = "zhao-own-2026"

        desk.click("#admin-users-refresh")
        desk.wait_for_function(
            f"() => document.querySelector(\"tr[data-user='{username}'] td[data-col='tokens']\")?.textContent === '1'")

        # deactivate, after the question in the page
        row = desk.locator(f"#admin-users-list tr[data-user='{username}']")
        row.locator("button[data-action='deactivate']").click()
        desk.locator("[data-testid='admin-confirm'] button[data-action='confirm']").click()
        desk.wait_for_selector(f"#admin-users-list tr[data-user='{username}'][data-active='false']")
        assert desk.locator(f"tr[data-user='{username}'] td[data-col='tokens']").inner_text() == "0"

        # the phone's next request is refused and it returns to the login screen
        with page.expect_response(lambda r: "/api/inspections" in r.url) as answer:
            page.click("#nav a[href='#/mine']")
        assert answer.value.status == 401
        page.wait_for_selector("#login-form")
        refused = api.client.post("/api/auth/login", json={"username": username, "password": password})
        assert refused.status_code == 403 and refused.get_json()["code"] == "user_inactive"
        _no_csp_violation(desk)
    finally:
        ctx.close()


def test_admin_resets_a_password_shown_once_and_the_old_sessions_end(browser, live_server, dialogs, api):
    username = f"rs{uuid.uuid4().hex[:8]}"
    created = api.post("/api/users", {"username": username, "role": "inspector", "units": ["xinhuaxilu"],
                                      "password": "first-long-password"}, "admin")
    assert created.status_code == 201
    old = api.client.post("/api/auth/login", json={"username": username, "password": "first-long-password"})
    token = old.get_json()["token"]
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "admin")
        _open_section(desk, "users", f"#admin-users-list tr[data-user='{username}']")
        desk.locator(f"tr[data-user='{username}'] button[data-action='reset']").click()
        desk.locator("[data-testid='admin-confirm'] button[data-action='confirm']").click()
        password = desk.wait_for_selector("#admin-user-otp-value").inner_text().strip()
        assert api.client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
        fresh = api.client.post("/api/auth/login", json={"username": username, "password": password})
        assert fresh.status_code == 200
        _no_csp_violation(desk)
    finally:
        ctx.close()


def test_a_supervisor_sees_the_registers_but_cannot_change_them(browser, live_server, dialogs, api):
    username = f"sv{uuid.uuid4().hex[:8]}"
    assert api.post("/api/users", {"username": username, "role": "inspector", "units": ["xinhuaxilu"],
                                   "password": "long-enough-pw"}, "admin").status_code == 201
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "supervisor")
        _open_section(desk, "users", f"#admin-users-list tr[data-user='{username}']")
        assert desk.locator("#admin-readonly").is_visible()
        assert desk.locator("#admin-users-list tr[data-user='admin']").count() == 0  # no unit: not theirs
        assert desk.locator("#admin-user-create-open").count() == 0
        assert desk.locator("#admin-users-list button").count() == 0

        _open_section(desk, "trucks", "#admin-vehicles-table tr[data-plate]")
        assert desk.locator("#admin-readonly").is_visible()
        assert desk.locator("#admin-vehicles-table button").count() == 0
        assert desk.locator("#admin-trucks-tabs [data-tab='import']").count() == 0
        desk.click("#admin-trucks-tabs [data-tab='companies']")
        desk.wait_for_selector("#admin-companies-list tr[data-company]")
        assert desk.locator("#admin-company-open").count() == 0
        _no_csp_violation(desk)
    finally:
        ctx.close()


def test_a_truck_import_with_a_bad_row_names_it_and_imports_nothing_then_a_good_one_lists_the_vehicles(
        browser, live_server, dialogs, api, tmp_path, screenshot):
    good, other = fresh_plate(), fresh_plate()
    company = f"测试渣土运输{uuid.uuid4().hex[:6]}有限公司"
    header = "车牌号,核定载质量(吨),备案状态,运输企业,备案有效期\n"
    bad_file = tmp_path / "bad.csv"
    bad_file.write_text(header + f"{good},18,已备案,{company},2099-12-31\n{other},-3,已备案,{company},2099-12-31\n",
                        encoding="utf-8")
    good_file = tmp_path / "good.csv"
    good_file.write_text(header + f"{good},18,已备案,{company},2099-12-31\n{other},25,未备案,{company},\n",
                         encoding="utf-8")
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "admin")
        _open_section(desk, "trucks/import", "#admin-import")
        desk.set_input_files("#admin-import-file", str(bad_file))
        desk.click("#admin-import-go")
        desk.wait_for_selector("#admin-import-refused")
        rows = desk.eval_on_selector_all("#admin-import-errors tbody tr", "trs => trs.map(tr => tr.dataset.row)")
        assert rows == ["3"]
        assert "核定载质量" in desk.locator("#admin-import-errors tbody td").nth(1).inner_text()
        assert not _vehicle_known(api, good) and not _vehicle_known(api, other)  # the good row neither

        desk.set_input_files("#admin-import-file", str(good_file))
        desk.click("#admin-import-go")
        summary = desk.wait_for_selector("#admin-import-summary").inner_text()
        assert "新增 2 辆" in summary
        assert _vehicle_known(api, good) and _vehicle_known(api, other)

        desk.click("#admin-trucks-tabs [data-tab='vehicles']")
        desk.wait_for_selector("#admin-vehicles-table")
        desk.fill("#admin-vehicles-company", company)
        desk.wait_for_function(
            "() => document.querySelectorAll('#admin-vehicles-table tr[data-plate]').length === 2")
        filed = desk.locator(f"#admin-vehicles-table tr[data-plate='{good}'] td[data-col='filing']").inner_text()
        unfiled = desk.locator(f"#admin-vehicles-table tr[data-plate='{other}'] td[data-col='filing']").inner_text()
        assert "备案有效" in filed and "未备案" in unfiled
        screenshot(desk, "admin-trucks")
        _no_csp_violation(desk)
    finally:
        ctx.close()


def test_admin_registers_a_truck_changes_its_filing_and_is_told_what_is_wrong_with_a_plate(
        browser, live_server, dialogs, api):
    plate = fresh_plate()
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "admin")
        _open_section(desk, "trucks", "#admin-vehicle-open")
        desk.click("#admin-vehicle-open")
        desk.fill("#admin-vehicle-plate", "蒙Z")
        desk.fill("#admin-vehicle-load", "18")
        desk.click("#admin-vehicle-submit")
        message = desk.wait_for_selector("#admin-vehicle-form .notice.attn").inner_text()
        assert "蒙Z" in message or "车牌" in message
        desk.fill("#admin-vehicle-plate", plate)
        desk.select_option("#admin-vehicle-status", "filed")
        desk.fill("#admin-vehicle-expires", "2099-12-31")
        desk.click("#admin-vehicle-submit")
        desk.fill("#admin-vehicles-plate", plate)
        row = desk.locator(f"#admin-vehicles-table tr[data-plate='{plate}']")
        row.wait_for()
        assert "备案有效" in row.locator("td[data-col='filing']").inner_text()

        row.locator("button[data-action='filing']").click()
        desk.select_option(f"select[id$='-status'][id^='admin-vehicle-']:not(#admin-vehicle-status)", "revoked")
        desk.click("#admin-vehicles-table button[data-action='save']")
        desk.wait_for_function(
            f"() => document.querySelector(\"tr[data-plate='{plate}'] td[data-col='filing']\")?.textContent.includes('备案已撤销')")
        looked_up = api.client.get(f"/api/vehicles/lookup?plate={plate}", headers=api.headers("admin")).get_json()
        assert looked_up["filing_status"] == "revoked" and looked_up["filing_valid"] is False
        _no_csp_violation(desk)
    finally:
        ctx.close()


def test_admin_changes_a_users_role_and_units(browser, live_server, dialogs, api):
    username = f"ed{uuid.uuid4().hex[:8]}"
    assert api.post("/api/users", {"username": username, "role": "inspector", "units": ["xinhuaxilu"],
                                   "password": "long-enough-pw"}, "admin").status_code == 201
    ctx, desk = _desk(browser, live_server, dialogs, "desktop")
    try:
        log_in_desk(desk, "admin")
        _open_section(desk, "users", f"#admin-users-list tr[data-user='{username}']")
        desk.fill("#admin-users-q", username)
        desk.wait_for_function("() => document.querySelectorAll('#admin-users-list tr[data-user]').length === 1")
        desk.locator(f"tr[data-user='{username}'] button[data-action='edit']").click()
        form = desk.locator("#admin-users-list tr.admin-user-more form")
        form.locator("select").select_option("supervisor")
        form.locator("input[value='guangminglu']").check()
        form.locator("button[data-action='save']").click()
        desk.wait_for_function(
            f"() => document.querySelector(\"tr[data-user='{username}'] td[data-col='role']\")?.textContent === '督导'")
        account = next(a for a in api.get(f"/api/users?q={username}", "admin") if a["username"] == username)
        assert account["role"] == "supervisor"
        assert sorted(u["code"] for u in account["units"]) == ["guangminglu", "xinhuaxilu"]
        _no_csp_violation(desk)
    finally:
        ctx.close()

"""修改密码 on the phone, chosen by the user (from 我的巡查): a wrong current password is named and changes
nothing; the right one saves, the phone stays logged in on the replacing token and the old password is dead."""
from __future__ import annotations

import uuid

import pytest

from tests.browser import flows

pytestmark = pytest.mark.browser


def test_an_inspector_changes_their_password_from_mine(page, api, screenshot):
    username = f"pw{uuid.uuid4().hex[:8]}"
    created = api.post("/api/users", {"username": username, "role": "inspector", "units": ["xinhuaxilu"],
                                      "password": "handed-over-pw"}, "admin")
    assert created.status_code == 201, created.get_json()
    token = api.client.post("/api/auth/login", json={"username": username, "password": "handed-over-pw"}
                            ).get_json()["token"]
    chosen = api.client.post("/api/auth/password", json={"current_password": "handed-over-pw",
                                                          "new_password": "first-own-pw"},
                             headers={"Authorization": f"Bearer {token}"})
    assert chosen.status_code == 200, chosen.get_json()

    flows.open_app(page)
    page.fill("#username", username)
    page.fill("#password", "first-own-pw")
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#today-all-sites")
    page.click("#nav a[href='#/mine']")
    page.click("#change-password")
    page.wait_for_selector("#password-form")
    assert page.locator("#pw-required").count() == 0  # not forced: a way back is offered
    page.fill("#pw-current", "not-the-password")
    page.fill("#pw-new", "second-own-pw")
    page.fill("#pw-repeat", "second-own-pw")
    page.click("#password-form button[type=submit]")
    page.wait_for_selector("#pw-error [data-code='current_password_wrong']")
    assert page.locator("#pw-error").inner_text() == "当前密码不正确。"
    screenshot(page, "password-change")

    page.fill("#pw-current", "first-own-pw")
    page.click("#password-form button[type=submit]")
    page.wait_for_selector("#today-all-sites")
    # the phone kept working on the new token: a request the server answers with data
    with page.expect_response(lambda r: "/api/inspections" in r.url) as answer:
        page.click("#nav a[href='#/mine']")
    assert answer.value.status == 200
    login = lambda pw: api.client.post("/api/auth/login", json={"username": username, "password": pw})  # noqa: E731
    assert login("first-own-pw").status_code == 401
    assert login("second-own-pw").status_code == 200

"""Users choose their own password: POST /api/auth/password, and the password an admin sets (a new account, a
reset) must be changed before anything else works."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from inspect_app.auth.models import User
from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from tests.factories import PASSWORD, create_user

CHANGE = "/api/auth/password"


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _login(client, username: str, password: str):
    return client.post("/api/auth/login", json={"username": username, "password": password})


def _token(client, username: str, password: str = PASSWORD) -> str:
    response = _login(client, username, password)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def _actions(user_id: int) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "users", AuditEvent.object_id == str(user_id)).order_by(AuditEvent.seq)))


@pytest.mark.parametrize("role", ["inspector", "supervisor", "enforcement", "admin"])
def test_every_role_changes_its_own_password_and_every_old_session_ends(client, role):
    user = create_user(role, units=() if role in ("enforcement", "admin") else ("xinhuaxilu",))
    phone, desk = _token(client, user.username), _token(client, user.username)
    response = client.post(CHANGE, json={"current_password": PASSWORD, "new_password": "my-own-choice-2026"},
                           headers=_bearer(phone))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["user"]["username"] == user.username and body["user"]["must_change_password"] is False
    # both earlier sessions are over; the answer's token is the one that works
    for old in (phone, desk):
        assert client.get("/api/auth/me", headers=_bearer(old)).status_code == 401
    assert client.get("/api/auth/me", headers=_bearer(body["token"])).status_code == 200
    assert _login(client, user.username, PASSWORD).status_code == 401
    assert _login(client, user.username, "my-own-choice-2026").status_code == 200
    assert "user.change_password" in _actions(user.id)


@pytest.mark.parametrize("body, code", [
    ({"current_password": "not-my-password", "new_password": "my-own-choice-2026"}, "current_password_wrong"),
    ({"current_password": PASSWORD, "new_password": "short"}, "weak_password"),
    ({"current_password": PASSWORD, "new_password": PASSWORD}, "password_unchanged"),
])
def test_a_refused_change_says_why_and_changes_nothing(client, body, code):
    user = create_user("inspector")
    token = _token(client, user.username)
    response = client.post(CHANGE, json=body, headers=_bearer(token))
    assert response.status_code == 422 and response.get_json()["code"] == code
    assert response.get_json()["message"]  # a sentence, in the user's language
    assert client.get("/api/auth/me", headers=_bearer(token)).status_code == 200  # still logged in
    assert _login(client, user.username, PASSWORD).status_code == 200
    if code == "current_password_wrong":
        assert "user.change_password_refused" in _actions(user.id)  # audited, never the password itself
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.change_password_refused"))
        assert "not-my-password" not in str(event.after)


def test_the_username_is_not_a_password(client):
    user = create_user("inspector", username="zhangsan2026")
    response = client.post(CHANGE, json={"current_password": PASSWORD, "new_password": "ZhangSan2026"},
                           headers=_bearer(_token(client, "zhangsan2026")))
    assert response.status_code == 422 and response.get_json()["code"] == "password_is_username"


@pytest.mark.parametrize("body", [
    None, {}, {"current_password": PASSWORD}, {"new_password": "my-own-choice-2026"},
    {"current_password": 12345678, "new_password": "my-own-choice-2026"},
    {"current_password": PASSWORD, "new_password": "x" * 201},
])
def test_malformed_bodies_are_refused_with_the_field_named(client, body):
    user = create_user("inspector")
    response = client.post(CHANGE, json=body, headers=_bearer(_token(client, user.username)))
    assert response.status_code == 422
    assert _login(client, user.username, PASSWORD).status_code == 200


def test_anonymous_and_revoked_callers_are_refused(client):
    assert client.post(CHANGE, json={"current_password": "a" * 8, "new_password": "b" * 8}).status_code == 401
    user = create_user("inspector")
    token = _token(client, user.username)
    assert client.post("/api/auth/logout", headers=_bearer(token)).status_code in (200, 204)
    response = client.post(CHANGE, json={"current_password": PASSWORD, "new_password": "my-own-choice-2026"},
                           headers=_bearer(token))
    assert response.status_code == 401


def _admin_headers(client) -> dict:
    admin = create_user("admin", units=())
    return _bearer(_token(client, admin.username))


@pytest.mark.parametrize("how", ["create", "reset"])
def test_a_password_an_admin_set_must_be_changed_before_anything_else(client, how):
    admin = _admin_headers(client)
    if how == "create":
        created = client.post("/api/users", json={"username": "newcomer1", "display_name": "新人",
                                                  "role": "inspector", "units": ["xinhuaxilu"]}, headers=admin)
        assert created.status_code == 201, created.get_json()
        username, handed_over = "newcomer1", created.get_json()["one_time_password"]
    else:
        user = create_user("inspector", username="forgetful1")
        reset = client.post(f"/api/users/{user.id}/reset-password", json={"password": "admin-typed-pw"},
                            headers=admin)
        assert reset.status_code == 200, reset.get_json()
        username, handed_over = "forgetful1", "admin-typed-pw"

    login = _login(client, username, handed_over)
    assert login.status_code == 200 and login.get_json()["user"]["must_change_password"] is True
    token = login.get_json()["token"]
    me = client.get("/api/auth/me", headers=_bearer(token))
    assert me.status_code == 200 and me.get_json()["must_change_password"] is True
    for path in ("/api/sites", "/api/inspections", "/api/checklists", "/api/today"):
        refused = client.get(path, headers=_bearer(token))
        assert refused.status_code == 403 and refused.get_json()["code"] == "password_change_required", path

    changed = client.post(CHANGE, json={"current_password": handed_over, "new_password": "only-i-know-this"},
                          headers=_bearer(token))
    assert changed.status_code == 200, changed.get_json()
    fresh = changed.get_json()["token"]
    assert client.get("/api/sites", headers=_bearer(fresh)).status_code == 200
    assert client.get("/api/auth/me", headers=_bearer(token)).status_code == 401  # the handed-over session ended
    account = db.session.scalar(select(User).where(User.username == username))
    db.session.refresh(account)
    assert account.must_change_password is False


def test_accounts_made_on_the_command_line_or_before_the_change_are_not_held_up(client):
    user = create_user("supervisor")  # the operations' default: an operator, not an admin handing it over
    token = _token(client, user.username)
    assert client.get("/api/scorecards", headers=_bearer(token)).status_code == 200


def test_logout_works_while_the_change_is_pending(client):
    admin = _admin_headers(client)
    user = create_user("inspector", username="leaving1")
    client.post(f"/api/users/{user.id}/reset-password", json={"password": "admin-typed-pw"}, headers=admin)
    token = _token(client, "leaving1", "admin-typed-pw")
    assert client.post("/api/auth/logout", headers=_bearer(token)).status_code in (200, 204)
    assert client.get("/api/auth/me", headers=_bearer(token)).status_code == 401


def test_guessing_the_current_password_through_a_session_is_rate_limited(tmp_path):
    from tests.core.scratch import scratch_app

    with scratch_app(tmp_path, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000", RATELIMIT_ENABLED=True,
                     LOGIN_USERNAME_RATE_LIMIT="3 per minute") as app:
        thief_target = create_user("inspector", username="target1")
        other = create_user("inspector", username="bystander1")
        client = app.test_client()
        stolen = _bearer(_token(client, thief_target.username))
        for guess in ("guess-one-1", "guess-two-2", "guess-three"):
            response = client.post(CHANGE, json={"current_password": guess, "new_password": "taken-over-pw"},
                                   headers=stolen)
            assert response.status_code == 422
        refused = client.post(CHANGE, json={"current_password": PASSWORD, "new_password": "taken-over-pw"},
                              headers=stolen)
        assert refused.status_code == 429 and refused.headers.get("Retry-After")
        assert _login(client, "target1", PASSWORD).status_code == 200  # nothing changed
        # another person's session has its own allowance
        mine = client.post(CHANGE, json={"current_password": PASSWORD, "new_password": "bystander-own"},
                           headers=_bearer(_token(client, other.username)))
        assert mine.status_code == 200, mine.get_json()

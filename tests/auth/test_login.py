"""Logging in, using and revoking bearer tokens: a lost phone's token must stop working the
moment the user logs out or an admin deactivates them."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from inspect_app.auth import operations
from inspect_app.auth.models import ApiToken, User
from inspect_app.auth.permissions import hash_token
from inspect_app.core.models import AuditEvent
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from tests.factories import PASSWORD, create_user

LOGIN, LOGOUT, ME = "/api/auth/login", "/api/auth/logout", "/api/auth/me"


def _login(client, username, password=PASSWORD, **headers):
    return client.post(LOGIN, json={"username": username, "password": password}, headers=headers)


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_login_returns_a_token_with_expiry_and_the_user(client, app):
    create_user("inspector", units=("xinhuaxilu", "光明路街道"), username="wang")
    response = _login(client, "wang")
    assert response.status_code == 200
    body = response.get_json()
    assert len(body["token"]) >= 32
    assert body["user"]["username"] == "wang"
    assert body["user"]["role"] == "inspector"
    assert {u["code"] for u in body["user"]["units"]} == {"xinhuaxilu", "guangminglu"}
    assert "password" not in body["user"] and "password_hash" not in body["user"]
    record = db.session.scalar(select(ApiToken))
    ttl = timedelta(hours=app.config["TOKEN_TTL_HOURS"])
    assert abs(record.expires_at - utcnow() - ttl) < timedelta(minutes=1)


def test_wrong_password_and_unknown_user_get_the_same_answer(client):
    """Whether a username exists must not be guessable from the response."""
    create_user("inspector", username="wang")
    wrong = _login(client, "wang", "not-the-password")
    unknown = _login(client, "nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    # the same body but for the request id every answer carries (each request has its own)
    same = lambda body: {k: v for k, v in body.items() if k != "request_id"}  # noqa: E731
    assert same(wrong.get_json()) == same(unknown.get_json())
    assert wrong.get_json()["request_id"] != unknown.get_json()["request_id"]
    assert wrong.get_json()["code"] == "invalid_credentials"
    assert db.session.scalar(select(ApiToken)) is None


def test_login_error_message_follows_the_language(client):
    response = _login(client, "nobody", "x", **{"Accept-Language": "en"})
    assert response.get_json()["message"] == "Wrong username or password."
    assert _login(client, "nobody", "x").get_json()["message"] == "用户名或密码错误。"


def test_deactivated_user_cannot_log_in(client):
    user = create_user("inspector", username="gone")
    operations.set_user_active(None, user, False)
    db.session.commit()
    response = _login(client, "gone")
    assert response.status_code == 403
    assert response.get_json()["code"] == "user_inactive"


def test_deactivated_user_with_wrong_password_learns_nothing_about_the_account(client):
    user = create_user("inspector", username="gone")
    operations.set_user_active(None, user, False)
    db.session.commit()
    assert _login(client, "gone", "wrong-password").get_json()["code"] == "invalid_credentials"


def test_token_identifies_the_user_on_me(client, auth):
    user = create_user("supervisor", units=("xinhuaxilu", "zhongshanxilu"), username="li")
    response = client.get(ME, headers=auth.headers(user))
    assert response.status_code == 200
    body = response.get_json()
    assert body["username"] == "li"
    assert body["role"] == "supervisor"
    assert body["sees_all_units"] is False
    assert [u["code"] for u in body["units"]] == ["xinhuaxilu", "zhongshanxilu"]


@pytest.mark.parametrize("role, district_wide", [
    ("inspector", False), ("supervisor", False), ("enforcement", True), ("admin", True)])
def test_only_admin_and_enforcement_see_the_whole_district(client, auth, role, district_wide):
    body = client.get(ME, headers=auth.as_role(role)).get_json()
    assert body["sees_all_units"] is district_wide


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": ""},
    {"Authorization": "Bearer "},
    {"Authorization": "Basic d2FuZzpwdw=="},
])
def test_missing_token_is_401_not_authenticated(client, headers):
    response = client.get(ME, headers=headers)
    assert response.status_code == 401
    assert response.get_json()["code"] == "not_authenticated"


def test_made_up_token_is_401_token_invalid(client):
    response = client.get(ME, headers=_bearer("made-up-token"))
    assert response.status_code == 401
    assert response.get_json()["code"] == "token_invalid"


def test_logout_revokes_exactly_that_token(client, auth):
    user = create_user("inspector", username="wang")
    phone, laptop = auth.login("wang"), auth.login("wang")
    response = client.post(LOGOUT, headers=_bearer(phone))
    assert response.status_code == 204
    again = client.get(ME, headers=_bearer(phone))
    assert again.status_code == 401
    assert again.get_json()["code"] == "token_invalid"
    assert client.post(LOGOUT, headers=_bearer(phone)).status_code == 401
    assert client.get(ME, headers=_bearer(laptop)).status_code == 200
    assert user.id


def test_expired_token_is_refused(client, auth):
    create_user("inspector", username="wang")
    token = auth.login("wang")
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(ME, headers=_bearer(token))
    assert response.status_code == 401
    assert response.get_json()["code"] == "token_invalid"


def test_deactivating_a_user_revokes_all_their_tokens(client, auth):
    user = create_user("inspector", username="wang")
    tokens = [auth.login("wang"), auth.login("wang")]
    admin = create_user("admin", username="boss")
    operations.set_user_active(admin, user, False)
    db.session.commit()
    for token in tokens:
        assert client.get(ME, headers=_bearer(token)).get_json()["code"] == "token_invalid"
    assert all(r.revoked_at is not None for r in db.session.scalars(select(ApiToken)))
    # Re-activation does not bring the old tokens back: the phone must log in again.
    operations.set_user_active(admin, user, True)
    db.session.commit()
    for token in tokens:
        assert client.get(ME, headers=_bearer(token)).status_code == 401
    assert client.get(ME, headers=auth.headers("wang")).status_code == 200


def test_passwords_and_tokens_are_stored_only_as_hashes(auth):
    user = create_user("inspector", username="wang", password="s3cret-passphrase")
    token = auth.login("wang", "s3cret-passphrase")
    stored = db.session.get(User, user.id)
    assert "s3cret-passphrase" not in stored.password_hash
    assert check_password_hash(stored.password_hash, "s3cret-passphrase")
    record = db.session.scalar(select(ApiToken))
    assert token not in record.token_hash
    assert record.token_hash == hash_token(token)


def test_login_logout_and_deactivation_are_audited(client, auth):
    user = create_user("inspector", username="wang")
    token = auth.login("wang")
    client.post(LOGOUT, headers=_bearer(token))
    admin = create_user("admin", username="boss")
    operations.set_user_active(admin, user, False)
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    by_action = {}
    for event in events:
        by_action.setdefault(event.action, []).append(event)
    assert by_action["auth.login"][0].actor_id == user.id
    assert by_action["auth.logout"][0].actor_id == user.id
    deactivation = by_action["user.set_active"][0]
    assert deactivation.actor_id == admin.id
    assert deactivation.object_id == str(user.id)
    assert deactivation.before == {"active": True} and deactivation.after == {"active": False}
    assert all(token not in str(e.after) for e in events)


def test_user_creation_is_audited_without_the_password():
    user = create_user("supervisor", units=("xinhuaxilu",), username="li", password="pw-12345678")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event.object_type == "users" and event.object_id == str(user.id)
    assert event.after["username"] == "li" and event.after["role"] == "supervisor"
    assert "pw-12345678" not in str(event.after)


@pytest.mark.parametrize("kwargs, code", [
    ({"role": "mayor"}, "unknown_role"),
    ({"password": "short"}, "weak_password"),
    ({"units": ["no-such-unit"]}, "unknown_unit"),
])
def test_create_user_refuses_bad_input(kwargs, code):
    from inspect_app.core.errors import ValidationFailed

    args = {"username": "x1", "display_name": "x", "role": "inspector",
            "password": "long-enough-pw", "units": ["xinhuaxilu"], **kwargs}
    with pytest.raises(ValidationFailed) as info:
        operations.create_user(None, **args)
    assert info.value.code == code


def test_duplicate_username_is_a_conflict():
    from inspect_app.core.errors import Conflict

    create_user("inspector", username="wang")
    with pytest.raises(Conflict) as info:
        create_user("admin", username="wang")
    assert info.value.code == "username_taken"


def test_passwords_use_a_slow_modern_hash(app, monkeypatch):
    """Real accounts get scrypt by default, not the fast method the test suite configures."""
    from inspect_app.config import load_config

    default = load_config(__import__("pathlib").Path("/tmp"))["PASSWORD_HASH_METHOD"]
    assert default == "scrypt"
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", default)
    user = create_user("inspector", username="strong")
    assert user.password_hash.startswith("scrypt:")

"""Managing accounts after creation, from the console (``flask users ...``) and as an admin through
the API: list, deactivate, reactivate, reset a password, log out everywhere. A token that stopped
working must never work again, whatever happens to the account afterwards."""
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

ME = "/api/auth/me"
NEW_PASSWORD = "a-new-long-passphrase"


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _me(client, token: str):
    return client.get(ME, headers=_bearer(token))


def _user(username: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.username == username))


def _actions() -> list[str]:
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]


def _raced_token(user: User) -> str:
    """A token row as a login racing a revocation leaves it: issued a moment before the revocation,
    committed after it, so the revocation's UPDATE never saw it and it is not marked revoked."""
    token = f"raced-{user.id}-token-value-long-enough"
    issued = (user.tokens_valid_after or utcnow()) - timedelta(milliseconds=5)
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), created_at=issued,
                            expires_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    return token


# --- durability of revocation ---------------------------------------------------------------------

def test_a_token_issued_while_a_deactivation_raced_stays_dead_after_reactivation(client):
    """Deactivation marks the tokens it sees; a token written by a login racing it is not among them.
    Reactivating must not bring that one to life: every token from before the reactivation is dead."""
    user = create_user("inspector", username="wang")
    operations.set_user_active(None, user, False)
    db.session.commit()
    raced = _raced_token(user)
    operations.set_user_active(None, _user("wang"), True)
    db.session.commit()
    response = _me(client, raced)
    assert response.status_code == 401
    assert response.get_json()["code"] == "token_invalid"


def test_a_token_racing_revoke_all_is_dead_too(client, auth):
    create_user("inspector", username="wang")
    operations.revoke_user_tokens(None, _user("wang"))
    db.session.commit()
    assert _me(client, _raced_token(_user("wang"))).status_code == 401
    assert _me(client, auth.login("wang")).status_code == 200  # a fresh login works


# --- flask users ------------------------------------------------------------------------------------

def test_users_list_shows_role_state_units_and_live_tokens(runner, auth):
    create_user("inspector", units=("xinhuaxilu", "光明路街道"), username="wang")
    create_user("admin", username="boss")
    gone = create_user("supervisor", username="li")
    auth.login("wang"), auth.login("wang")
    operations.set_user_active(None, gone, False)
    db.session.commit()
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line.split() for line in result.output.splitlines()[1:]}
    assert lines["wang"] == ["wang", "inspector", "yes", "2", "xinhuaxilu,guangminglu"]
    assert lines["boss"][:4] == ["boss", "admin", "yes", "0"]
    assert lines["li"][:3] == ["li", "supervisor", "no"]
    inactive = runner.invoke(args=["users", "list", "--inactive"])
    assert [line.split()[0] for line in inactive.output.splitlines()[1:]] == ["li"]


def test_users_deactivate_stops_tokens_and_logins_and_is_audited(runner, client, auth):
    create_user("inspector", username="wang")
    token = auth.login("wang")
    result = runner.invoke(args=["users", "deactivate", "wang"])
    assert result.exit_code == 0, result.output
    assert "deactivated wang; 1 tokens revoked" in result.output
    assert _me(client, token).status_code == 401
    assert client.post("/api/auth/login", json={"username": "wang", "password": PASSWORD}).status_code == 403
    assert "user.set_active" in _actions() and "user.revoke_tokens" in _actions()


def test_users_reactivate_lets_the_user_log_in_but_not_use_old_tokens(runner, client, auth):
    create_user("inspector", username="wang")
    token = auth.login("wang")
    assert runner.invoke(args=["users", "deactivate", "wang"]).exit_code == 0
    result = runner.invoke(args=["users", "reactivate", "wang"])
    assert result.exit_code == 0, result.output
    assert _user("wang").active
    assert _me(client, token).status_code == 401
    assert _me(client, auth.login("wang")).status_code == 200


def test_users_reset_password_hashes_like_create_and_revokes_tokens(runner, client, auth, app):
    create_user("inspector", username="wang")
    token = auth.login("wang")
    result = runner.invoke(args=["users", "reset-password", "wang"], input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "password of wang reset; 1 tokens revoked" in result.output
    user = _user("wang")
    method = app.config["PASSWORD_HASH_METHOD"].split(":")[0]
    assert user.password_hash.startswith(method + ":") and NEW_PASSWORD not in user.password_hash
    assert check_password_hash(user.password_hash, NEW_PASSWORD)
    assert NEW_PASSWORD not in result.output
    assert _me(client, token).status_code == 401
    assert client.post("/api/auth/login", json={"username": "wang", "password": PASSWORD}).status_code == 401
    assert _me(client, auth.login("wang", NEW_PASSWORD)).status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.reset_password"))
    assert event.object_id == str(user.id) and NEW_PASSWORD not in str(event.after)


def test_users_revoke_tokens_logs_out_everywhere_but_keeps_the_account(runner, client, auth):
    create_user("inspector", username="wang")
    phone, laptop = auth.login("wang"), auth.login("wang")
    result = runner.invoke(args=["users", "revoke-tokens", "wang"])
    assert result.exit_code == 0, result.output
    assert "2 tokens of wang revoked" in result.output
    assert _me(client, phone).status_code == 401 and _me(client, laptop).status_code == 401
    assert _user("wang").active
    assert _me(client, auth.login("wang")).status_code == 200
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.revoke_tokens"))
    assert event.after["tokens_revoked"] == 2 and event.before == {"tokens_valid_after": None}


@pytest.mark.parametrize("args", [["deactivate", "nobody"], ["reactivate", "nobody"], ["revoke-tokens", "nobody"]])
def test_users_commands_name_an_unknown_username(runner, args):
    result = runner.invoke(args=["users", *args])
    assert result.exit_code == 1
    assert "nobody" in result.output and "Traceback" not in result.output


def test_users_reset_password_refuses_a_short_password_and_changes_nothing(runner, auth):
    create_user("inspector", username="wang")
    token = auth.login("wang")
    before = _user("wang").password_hash
    result = runner.invoke(args=["users", "reset-password", "wang"], input="short\nshort\n")
    assert result.exit_code == 1
    assert "8" in result.output
    assert _user("wang").password_hash == before
    assert db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).revoked_at is None


# --- the admin API ----------------------------------------------------------------------------------

def test_admin_lists_accounts_with_live_tokens(client, auth):
    admin = auth.as_role("admin")
    create_user("inspector", username="wang")
    auth.login("wang")
    body = client.get("/api/users", headers=admin).get_json()
    wang = next(a for a in body if a["username"] == "wang")
    assert wang["live_tokens"] == 1 and wang["active"] is True and wang["role"] == "inspector"
    assert "password" not in wang and "password_hash" not in wang
    inactive = client.get("/api/users?active=false", headers=admin).get_json()
    assert inactive == []


def test_admin_creates_an_account_that_can_log_in(client, auth):
    admin = auth.as_role("admin")
    response = client.post("/api/users", headers=admin, json={
        "username": "zhao", "role": "supervisor", "password": "long-enough-pw", "units": ["xinhuaxilu"]})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["display_name"] == "zhao"
    assert "password" not in response.get_json()
    assert auth.login("zhao", "long-enough-pw")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create",
                                                       AuditEvent.object_id == str(response.get_json()["id"])))
    assert event.actor_id is not None


def test_admin_deactivates_reactivates_resets_and_revokes_through_the_api(client, auth):
    admin = auth.as_role("admin")
    user = create_user("inspector", username="wang")
    token = auth.login("wang")
    base = f"/api/users/{user.id}"

    deactivated = client.post(f"{base}/deactivate", headers=admin)
    assert deactivated.status_code == 200 and deactivated.get_json()["active"] is False
    assert _me(client, token).status_code == 401

    reactivated = client.post(f"{base}/reactivate", headers=admin)
    assert reactivated.status_code == 200 and reactivated.get_json()["active"] is True
    assert _me(client, token).status_code == 401  # old tokens stay dead

    second = auth.login("wang")
    revoked = client.post(f"{base}/revoke-tokens", headers=admin)
    assert revoked.status_code == 200 and revoked.get_json() == {"tokens_revoked": 1}
    assert _me(client, second).status_code == 401

    third = auth.login("wang")
    reset = client.post(f"{base}/reset-password", headers=admin, json={"password": NEW_PASSWORD})
    assert reset.status_code == 200 and reset.get_json()["live_tokens"] == 0
    assert _me(client, third).status_code == 401
    assert _me(client, auth.login("wang", NEW_PASSWORD)).status_code == 200

    actions = _actions()
    for action in ("user.set_active", "user.revoke_tokens", "user.reset_password"):
        assert action in actions
    admin_events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == str(user.id),
                                                               AuditEvent.action.like("user.%"),
                                                               AuditEvent.action != "user.create")).all()
    assert admin_events and all(e.actor_id is not None and e.actor_id != user.id for e in admin_events)


def test_admin_api_refuses_bad_requests_with_clear_codes(client, auth):
    admin_user = create_user("admin", username="boss")
    admin = auth.headers(admin_user)
    user = create_user("inspector", username="wang")
    short = client.post(f"/api/users/{user.id}/reset-password", headers=admin, json={"password": "short"})
    assert short.status_code == 422 and short.get_json()["code"] == "weak_password"
    missing = client.post("/api/users/999999/deactivate", headers=admin)
    assert missing.status_code == 404 and missing.get_json()["code"] == "not_found"
    self_off = client.post(f"/api/users/{admin_user.id}/deactivate", headers=admin)
    assert self_off.status_code == 409 and self_off.get_json()["code"] == "cannot_deactivate_self"
    taken = client.post("/api/users", headers=admin, json={"username": "wang", "role": "admin",
                                                            "password": "long-enough-pw"})
    assert taken.status_code == 409 and taken.get_json()["code"] == "username_taken"
    bad_role = client.post("/api/users", headers=admin, json={"username": "x", "role": "mayor",
                                                               "password": "long-enough-pw"})
    assert bad_role.status_code == 422


@pytest.mark.parametrize("role", ["inspector", "supervisor", "enforcement"])
def test_only_admins_manage_accounts(client, auth, role):
    """Supervisors may list the accounts of their units (tests/auth/test_account_admin.py), never change one."""
    user = create_user("inspector", username="wang")
    headers = auth.as_role(role)
    attempts = [("POST", f"/api/users/{user.id}/deactivate"), ("POST", f"/api/users/{user.id}/revoke-tokens")]
    if role != "supervisor":
        attempts.append(("GET", "/api/users"))
    for method, path in attempts:
        response = client.open(path, method=method, headers=headers)
        assert response.status_code == 403, (method, path)
    assert _user("wang").active

"""``flask users create`` for the first admin on a fresh install, and the login rate limit that
stops password guessing."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from inspect_app.auth.models import User
from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from tests.core.scratch import scratch_app
from tests.factories import PASSWORD, create_user


def _create(runner, *args, password="long-enough-pw", confirm=None):
    confirm = password if confirm is None else confirm
    return runner.invoke(args=["users", "create", *args], input=f"{password}\n{confirm}\n")


def test_users_create_stores_a_hashed_password_role_and_units(runner):
    result = _create(runner, "zhao", "--role", "supervisor", "--name", "赵主任",
                     "--unit", "xinhuaxilu", "--unit", "光明路街道")
    assert result.exit_code == 0, result.output
    assert "created zhao (supervisor)" in result.output
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.username == "zhao"))
    assert user.display_name == "赵主任"
    assert user.role == "supervisor" and user.active
    assert sorted(u.code for u in user.units) == ["guangminglu", "xinhuaxilu"]
    assert check_password_hash(user.password_hash, "long-enough-pw")
    assert "long-enough-pw" not in user.password_hash
    assert "long-enough-pw" not in result.output
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert event.actor_id is None and event.object_id == str(user.id)


def test_created_user_can_log_in(runner, client):
    assert _create(runner, "admin1", "--role", "admin", password=PASSWORD).exit_code == 0
    response = client.post("/api/auth/login", json={"username": "admin1", "password": PASSWORD})
    assert response.status_code == 200


@pytest.mark.parametrize("args, password, message", [
    (("--role", "inspector", "--unit", "nowhere"), "long-enough-pw", "nowhere"),
    (("--role", "inspector"), "short", "8"),
])
def test_users_create_refuses_bad_input_with_a_message(runner, args, password, message):
    result = _create(runner, "zhao", *args, password=password)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.username == "zhao")) is None


def test_users_create_refuses_unknown_role(runner):
    result = _create(runner, "zhao", "--role", "mayor")
    assert result.exit_code != 0
    assert db.session.scalar(select(User)) is None


def test_users_create_refuses_duplicate_username(runner):
    create_user("inspector", username="zhao")
    result = _create(runner, "zhao", "--role", "admin")
    assert result.exit_code != 0
    assert db.session.scalar(select(User).where(User.username == "zhao")).role == "inspector"


def test_users_create_refuses_mismatched_password_confirmation(runner):
    result = runner.invoke(args=["users", "create", "zhao", "--role", "admin"],
                           input="long-enough-pw\nsomething-else\n")
    assert result.exit_code != 0
    assert db.session.scalar(select(User)) is None


def test_login_is_rate_limited_with_a_json_429(tmp_path):
    with scratch_app(tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute") as app:
        create_user("inspector", username="wang")
        client = app.test_client()
        wrong = {"username": "wang", "password": "guess"}
        for _ in range(3):
            assert client.post("/api/auth/login", json=wrong).status_code == 401
        blocked = client.post("/api/auth/login", json={"username": "wang", "password": PASSWORD},
                              headers={"Accept-Language": "en"})
        assert blocked.status_code == 429
        body = blocked.get_json()
        assert body["code"] == "rate_limited"
        assert body["message"] == "Too many attempts; please try again later."


def test_rate_limit_counts_per_client_address(tmp_path):
    with scratch_app(tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute") as app:
        create_user("inspector", username="wang")
        client = app.test_client()
        attacker = {"REMOTE_ADDR": "10.0.0.66"}
        for _ in range(2):
            client.post("/api/auth/login", json={"username": "wang", "password": "x"},
                        environ_base=attacker)
        assert client.post("/api/auth/login", json={"username": "wang", "password": "x"},
                           environ_base=attacker).status_code == 429
        honest = client.post("/api/auth/login", json={"username": "wang", "password": PASSWORD},
                             environ_base={"REMOTE_ADDR": "10.0.0.7"})
        assert honest.status_code == 200


def test_session_app_keeps_rate_limiting_off_after_a_scratch_app(client):
    """Guard for the helper above: other tests log in many times per minute."""
    create_user("inspector", username="wang")
    for _ in range(15):
        response = client.post("/api/auth/login", json={"username": "wang", "password": "x"})
        assert response.status_code == 401

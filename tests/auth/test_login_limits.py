"""Login rate limits that stop password guessing without locking out a whole office.

Behind the recommended load balancer every request arrives from the balancer's address: limits are
kept per client address (taken from X-Forwarded-For only when TRUSTED_PROXY_HOPS says a proxy is
there) and, separately, per username. A refused attempt says when to come back (Retry-After) and is
audited without the password.
"""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from tests.core.scratch import scratch_app
from tests.factories import PASSWORD, create_user

LOGIN = "/api/auth/login"
BALANCER = {"REMOTE_ADDR": "10.0.0.2"}
FAST_HASH = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}  # the default scrypt is slow on purpose


def _attempt(client, username, password="wrong-guess", forwarded_for=None, environ=BALANCER):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(LOGIN, json={"username": username, "password": password},
                       headers=headers, environ_base=environ)


def test_ten_wrong_passwords_for_one_user_behind_the_balancer_do_not_lock_out_another(tmp_path):
    with scratch_app(tmp_path, **FAST_HASH, RATELIMIT_ENABLED=True, TRUSTED_PROXY_HOPS=1,
                     LOGIN_RATE_LIMIT="10 per minute", LOGIN_USERNAME_RATE_LIMIT="10 per minute") as app:
        create_user("inspector", username="wang")
        create_user("inspector", username="li")
        client = app.test_client()
        for _ in range(10):
            assert _attempt(client, "wang", forwarded_for="203.0.113.9").status_code == 401
        assert _attempt(client, "wang", forwarded_for="203.0.113.9").status_code == 429
        # Li logs in through the same balancer, from her own phone.
        li = _attempt(client, "li", PASSWORD, forwarded_for="198.51.100.23")
        assert li.status_code == 200, li.get_json()


def test_the_username_limit_holds_across_addresses_and_spares_other_users(tmp_path):
    with scratch_app(tmp_path, **FAST_HASH, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="30 per minute",
                     LOGIN_USERNAME_RATE_LIMIT="10 per minute") as app:
        create_user("inspector", username="wang")
        create_user("inspector", username="li")
        client = app.test_client()
        office = {"REMOTE_ADDR": "192.0.2.10"}
        for _ in range(10):
            assert _attempt(client, "wang", environ=office).status_code == 401
        # The guesser moves to another address: wang's account is still protected …
        elsewhere = _attempt(client, "wang", PASSWORD, environ={"REMOTE_ADDR": "192.0.2.77"})
        assert elsewhere.status_code == 429
        # … while li, in the same office as the guesser, still gets in.
        assert _attempt(client, "li", PASSWORD, environ=office).status_code == 200


def test_the_address_limit_stops_one_client_trying_many_usernames(tmp_path):
    with scratch_app(tmp_path, **FAST_HASH, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="5 per minute",
                     LOGIN_USERNAME_RATE_LIMIT="10 per minute") as app:
        create_user("inspector", username="wang")
        client = app.test_client()
        sprayer = {"REMOTE_ADDR": "192.0.2.66"}
        for n in range(5):
            assert _attempt(client, f"user{n}", environ=sprayer).status_code == 401
        assert _attempt(client, "wang", PASSWORD, environ=sprayer).status_code == 429
        assert _attempt(client, "wang", PASSWORD, environ={"REMOTE_ADDR": "192.0.2.67"}).status_code == 200


def test_x_forwarded_for_is_ignored_without_trusted_hops(tmp_path):
    """With TRUSTED_PROXY_HOPS=0 (the default) a client cannot pick a fresh address per attempt."""
    with scratch_app(tmp_path, **FAST_HASH, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                     LOGIN_USERNAME_RATE_LIMIT="100 per minute") as app:
        assert app.config["TRUSTED_PROXY_HOPS"] == 0
        client = app.test_client()
        for n in range(3):
            assert _attempt(client, f"user{n}", forwarded_for=f"198.51.100.{n}").status_code == 401
        assert _attempt(client, "user9", forwarded_for="198.51.100.200").status_code == 429
        failed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
        assert {e.after["address"] for e in failed} == {"10.0.0.2"}


def test_with_one_trusted_hop_the_forwarded_client_address_is_used(tmp_path):
    with scratch_app(tmp_path, **FAST_HASH, TRUSTED_PROXY_HOPS=1) as app:
        client = app.test_client()
        # A client-supplied entry before the balancer's own is not believed: only the last hop is.
        _attempt(client, "nobody", forwarded_for="6.6.6.6, 203.0.113.9")
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
        assert event.after["address"] == "203.0.113.9"


def test_a_refused_attempt_says_when_to_retry(tmp_path):
    with scratch_app(tmp_path, **FAST_HASH, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute") as app:
        client = app.test_client()
        for _ in range(2):
            _attempt(client, "wang")
        blocked = _attempt(client, "wang")
        assert blocked.status_code == 429
        assert blocked.get_json()["code"] == "rate_limited"
        retry_after = blocked.headers.get("Retry-After")
        assert retry_after is not None and 0 <= int(retry_after) <= 60


def test_failed_logins_are_audited_without_the_password(client):
    user = create_user("inspector", username="wang")
    secret_guess = "my-secret-guess-123"
    assert client.post(LOGIN, json={"username": "wang", "password": secret_guess}).status_code == 401
    assert client.post(LOGIN, json={"username": "ghost", "password": secret_guess}).status_code == 401
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")
                                .order_by(AuditEvent.seq)).all()
    assert [(e.object_id, e.after["username"], e.after["reason"]) for e in events] == [
        (str(user.id), "wang", "invalid_credentials"), ("", "ghost", "invalid_credentials")]
    assert all(e.actor_id is None and secret_guess not in str(e.after) for e in events)


def test_a_deactivated_users_attempt_is_audited_as_such(client):
    from inspect_app.auth import operations

    user = create_user("inspector", username="gone")
    operations.set_user_active(None, user, False)
    db.session.commit()
    assert client.post(LOGIN, json={"username": "gone", "password": PASSWORD}).status_code == 403
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "auth.login_failed"))
    assert event.after["reason"] == "user_inactive"


def test_an_unreadable_login_body_is_refused_not_crashed(tmp_path):
    """The username key is read before the schema: a body that is not a JSON object must not break it."""
    with scratch_app(tmp_path, **FAST_HASH, RATELIMIT_ENABLED=True) as app:
        client = app.test_client()
        for body in (b"[1, 2]", b"{not json", b'{"username": {"a": 1}, "password": "x"}', b"[" * 5000):
            response = client.post(LOGIN, data=body, content_type="application/json")
            assert 400 <= response.status_code < 500, (body[:20], response.status_code)

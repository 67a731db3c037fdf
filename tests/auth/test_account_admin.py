"""Account administration for the desk (issue 15): who may list and change accounts, role and units,
the one-time password, and that every change is audited with before and after."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from inspect_app.auth.models import User
from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from tests.factories import create_user

ME = "/api/auth/me"


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _user(user_id: int) -> User:
    db.session.expire_all()
    return db.session.get(User, user_id)


def _events(user_id: int, action: str | None = None) -> list[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.object_type == "users", AuditEvent.object_id == str(user_id))
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return list(db.session.scalars(stmt.order_by(AuditEvent.seq)))


def _change_attempts(user_id: int) -> list[tuple[str, str, dict | None]]:
    return [
        ("POST", "/api/users", {"username": "refused1", "role": "inspector", "password": "long-enough-pw"}),
        ("PATCH", f"/api/users/{user_id}", {"role": "supervisor"}),
        ("POST", f"/api/users/{user_id}/deactivate", None),
        ("POST", f"/api/users/{user_id}/reactivate", None),
        ("POST", f"/api/users/{user_id}/reset-password", {"password": "another-long-pw"}),
        ("PUT", f"/api/users/{user_id}/authority", {"authority": "ecology"}),
        ("POST", f"/api/users/{user_id}/revoke-tokens", None),
    ]


# --- who may do what ---------------------------------------------------------------------------------

def test_deactivation_stops_a_token_at_once(client, auth):
    admin = auth.as_role("admin", units=())
    user = create_user("inspector", username="zhou")
    token = auth.login("zhou")
    assert client.get(ME, headers=_bearer(token)).status_code == 200
    assert client.post(f"/api/users/{user.id}/deactivate", headers=admin).status_code == 200
    response = client.get("/api/sites", headers=_bearer(token))
    assert response.status_code == 401 and response.get_json()["code"] == "token_invalid"
    listed = next(a for a in client.get("/api/users", headers=admin).get_json() if a["id"] == user.id)
    assert listed["live_tokens"] == 0 and listed["active"] is False


def test_a_supervisor_lists_the_accounts_of_their_units_only(client, auth):
    supervisor = auth.as_role("supervisor", units=("xinhuaxilu",))
    mine = create_user("inspector", units=("xinhuaxilu",), username="mine1")
    shared = create_user("inspector", units=("guangminglu", "xinhuaxilu"), username="shared1")
    create_user("inspector", units=("guangminglu",), username="other1")
    create_user("admin", units=(), username="districtadmin")
    response = client.get("/api/users", headers=supervisor)
    assert response.status_code == 200
    names = {a["username"] for a in response.get_json()}
    assert {mine.username, shared.username} <= names
    assert "other1" not in names and "districtadmin" not in names
    # and filtering cannot widen it
    assert {a["username"] for a in client.get("/api/users?unit=guangminglu", headers=supervisor).get_json()} == {
        "shared1"}


def test_a_supervisor_without_units_sees_no_accounts(client, auth):
    create_user("inspector", username="someone")
    assert client.get("/api/users", headers=auth.as_role("supervisor", units=())).get_json() == []


def test_a_supervisor_is_refused_every_change_and_nothing_changes(client, auth):
    supervisor = auth.as_role("supervisor", units=("xinhuaxilu",))
    user = create_user("inspector", units=("xinhuaxilu",), username="kept")
    token = auth.login("kept")
    for method, path, body in _change_attempts(user.id):
        response = client.open(path, method=method, json=body, headers=supervisor)
        assert response.status_code == 403, (method, path)
        assert response.get_json()["code"] == "forbidden"
    after = _user(user.id)
    assert after.active and after.role == "inspector" and after.authority == "bureau"
    assert client.get(ME, headers=_bearer(token)).status_code == 200
    assert db.session.scalar(select(User).where(User.username == "refused1")) is None
    assert [e.action for e in _events(user.id)] == ["user.create", "auth.login"]


@pytest.mark.parametrize("role", ["inspector", "enforcement"])
def test_inspectors_and_enforcement_may_not_even_list(client, auth, role):
    headers = auth.as_role(role)
    user = create_user("inspector", username=f"target-{role}")
    assert client.get("/api/users", headers=headers).status_code == 403
    assert client.get("/api/users/units", headers=headers).status_code == 403
    for method, path, body in _change_attempts(user.id):
        assert client.open(path, method=method, json=body, headers=headers).status_code == 403, (method, path)


def test_list_filters_by_role_unit_name_and_state(client, auth):
    admin = auth.as_role("admin", units=())
    create_user("inspector", units=("xinhuaxilu",), username="filt-a", display_name="张巡查")
    create_user("supervisor", units=("guangminglu",), username="filt-b")
    gone = create_user("inspector", units=("guangminglu",), username="filt-c")
    client.post(f"/api/users/{gone.id}/deactivate", headers=admin)

    def names(query):
        return {a["username"] for a in client.get(f"/api/users?{query}", headers=admin).get_json()
                if a["username"].startswith("filt-")}

    assert names("role=supervisor") == {"filt-b"}
    assert names("unit=guangminglu") == {"filt-b", "filt-c"}
    assert names("q=张巡") == {"filt-a"}
    assert names("active=false") == {"filt-c"}
    bad = client.get("/api/users?role=mayor", headers=admin)
    assert bad.status_code == 422


def test_units_to_choose_from(client, auth):
    units = client.get("/api/users/units", headers=auth.as_role("supervisor")).get_json()
    assert len(units) == 8 and {"id", "code", "name_zh", "name_en"} <= set(units[0])


# --- role and units ------------------------------------------------------------------------------------

def test_admin_assigns_role_and_units_audited_and_the_old_sessions_end(client, auth):
    admin = auth.as_role("admin", units=())
    user = create_user("inspector", units=("xinhuaxilu",), username="promoted")
    token = auth.login("promoted")
    response = client.patch(f"/api/users/{user.id}", headers=admin,
                            json={"role": "supervisor", "units": ["guangminglu", "新华西路街道"],
                                  "display_name": "李督导"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["role"] == "supervisor" and body["display_name"] == "李督导"
    assert sorted(u["code"] for u in body["units"]) == ["guangminglu", "xinhuaxilu"]
    assert body["live_tokens"] == 0
    assert client.get(ME, headers=_bearer(token)).status_code == 401  # the phone logs in again as supervisor

    update = _events(user.id, "user.update")[-1]
    assert update.actor_id is not None
    assert update.before["role"] == "inspector" and update.after["role"] == "supervisor"
    assert update.before["units"] == ["xinhuaxilu"] and update.after["units"] == ["guangminglu", "xinhuaxilu"]
    revoke = _events(user.id, "user.revoke_tokens")[-1]
    assert revoke.after["tokens_revoked"] == 1 and revoke.after["reason"] == "role_changed"


def test_changing_units_only_keeps_the_sessions(client, auth):
    admin = auth.as_role("admin", units=())
    user = create_user("inspector", units=("xinhuaxilu",), username="moved")
    token = auth.login("moved")
    response = client.patch(f"/api/users/{user.id}", headers=admin, json={"units": ["guangminglu"]})
    assert response.status_code == 200 and response.get_json()["live_tokens"] == 1
    assert [u["code"] for u in client.get(ME, headers=_bearer(token)).get_json()["units"]] == ["guangminglu"]


def test_a_change_to_nothing_is_not_audited(client, auth):
    admin = auth.as_role("admin", units=())
    user = create_user("inspector", units=("xinhuaxilu",), username="same")
    assert client.patch(f"/api/users/{user.id}", headers=admin, json={"role": "inspector"}).status_code == 200
    assert _events(user.id, "user.update") == []


def test_patch_refusals_name_the_problem_and_change_nothing(client, auth):
    admin_user = create_user("admin", units=(), username="boss2")
    admin = auth.headers(admin_user)
    user = create_user("inspector", units=("xinhuaxilu",), username="target")
    unknown = client.patch(f"/api/users/{user.id}", headers=admin, json={"units": ["atlantis"]})
    assert unknown.status_code == 422 and unknown.get_json()["code"] == "unknown_unit"
    assert "atlantis" in unknown.get_json()["message"]
    own = client.patch(f"/api/users/{admin_user.id}", headers=admin, json={"role": "inspector"})
    assert own.status_code == 409 and own.get_json()["code"] == "cannot_change_own_role"
    assert own.get_json()["message"]
    bad_role = client.patch(f"/api/users/{user.id}", headers=admin, json={"role": "mayor"})
    assert bad_role.status_code == 422
    missing = client.patch("/api/users/999999", headers=admin, json={"role": "inspector"})
    assert missing.status_code == 404
    assert _user(admin_user.id).role == "admin"
    assert [u.code for u in _user(user.id).units] == ["xinhuaxilu"]


# --- the one-time password -------------------------------------------------------------------------------

def test_create_without_a_password_returns_a_one_time_password_once(client, auth):
    admin = auth.as_role("admin", units=())
    response = client.post("/api/users", headers=admin,
                           json={"username": "newbie", "role": "inspector", "units": ["xinhuaxilu"]})
    assert response.status_code == 201, response.get_json()
    password = response.get_json()["one_time_password"]
    assert len(password) == 12
    assert client.get(ME, headers=_bearer(auth.login("newbie", password))).status_code == 200
    user_id = response.get_json()["id"]
    assert all(password not in str(e.after) for e in _events(user_id))
    listed = next(a for a in client.get("/api/users", headers=admin).get_json() if a["id"] == user_id)
    assert "one_time_password" not in listed


def test_a_typed_password_is_never_echoed(client, auth):
    admin = auth.as_role("admin", units=())
    response = client.post("/api/users", headers=admin,
                           json={"username": "typed", "role": "inspector", "password": "typed-long-pw"})
    assert response.status_code == 201 and "one_time_password" not in response.get_json()


def test_reset_without_a_password_returns_a_one_time_password(client, auth):
    admin = auth.as_role("admin", units=())
    user = create_user("inspector", username="forgetful")
    token = auth.login("forgetful")
    response = client.post(f"/api/users/{user.id}/reset-password", headers=admin, json={})
    assert response.status_code == 200
    password = response.get_json()["one_time_password"]
    assert client.get(ME, headers=_bearer(token)).status_code == 401
    assert client.get(ME, headers=_bearer(auth.login("forgetful", password))).status_code == 200
    event = _events(user.id, "user.reset_password")[-1]
    assert password not in str(event.after) and event.after["tokens_revoked"] == 1


# --- every action audited with before and after -----------------------------------------------------------

def test_every_account_action_is_audited_with_before_and_after(client, auth):
    admin = auth.as_role("admin", units=())
    created = client.post("/api/users", headers=admin, json={"username": "audited", "role": "enforcement",
                                                             "units": [], "password": "long-enough-pw"})
    user_id = created.get_json()["id"]
    auth.login("audited", "long-enough-pw")
    base = f"/api/users/{user_id}"
    steps = [
        ("PATCH", base, {"display_name": "赵执法"}, "user.update"),
        ("PUT", f"{base}/authority", {"authority": "housing"}, "user.set_authority"),
        ("POST", f"{base}/revoke-tokens", None, "user.revoke_tokens"),
        ("POST", f"{base}/deactivate", None, "user.set_active"),
        ("POST", f"{base}/reactivate", None, "user.set_active"),
        ("POST", f"{base}/reset-password", {"password": "reset-long-pw"}, "user.reset_password"),
    ]
    for method, path, body, action in steps:
        before = len(_events(user_id, action))
        response = client.open(path, method=method, json=body, headers=admin)
        assert response.status_code == 200, (path, response.get_json())
        events = _events(user_id, action)
        assert len(events) == before + 1, action
        assert events[-1].actor_id is not None and events[-1].after is not None, action
        assert events[-1].before is not None, action
    create = _events(user_id, "user.create")[0]
    assert create.after["role"] == "enforcement" and create.actor_id is not None
    active = _events(user_id, "user.set_active")
    assert [(e.before["active"], e.after["active"]) for e in active] == [(True, False), (False, True)]

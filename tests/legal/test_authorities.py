"""Enforcement users belong to an authority (区城管执法局 by default); admins set it by API or CLI."""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.auth.models import User
from inspect_app.core.models import AuditEvent
from inspect_app.extensions import db
from tests import factories


def test_a_new_user_works_for_the_bureau_unless_told_otherwise(client, auth):
    admin = auth.as_role("admin")
    created = client.post("/api/users", json={"username": "jiaoguan1", "role": "enforcement",
                                              "password": "long-enough-pw", "authority": "traffic_police"},
                          headers=admin)
    assert created.status_code == 201 and created.get_json()["authority"] == "traffic_police"
    plain = client.post("/api/users", json={"username": "chengguan1", "role": "enforcement",
                                            "password": "long-enough-pw"}, headers=admin)
    assert plain.get_json()["authority"] == "bureau"
    me = client.get("/api/auth/me", headers=auth.headers("jiaoguan1", "long-enough-pw")).get_json()
    assert me["authority"] == "traffic_police"


def test_an_admin_moves_a_user_to_another_authority_and_it_is_audited(client, auth):
    user = factories.create_user("enforcement", units=())
    admin = auth.as_role("admin")
    response = client.put(f"/api/users/{user.id}/authority", json={"authority": "ecology"}, headers=admin)
    assert response.status_code == 200 and response.get_json()["authority"] == "ecology"
    db.session.expire_all()
    assert db.session.get(User, user.id).authority == "ecology"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.set_authority"))
    assert event.before == {"authority": "bureau"} and event.after == {"authority": "ecology"}


def test_setting_an_authority_is_refused_for_unknown_values_and_non_admins(client, auth):
    user = factories.create_user("enforcement", units=())
    bad = client.put(f"/api/users/{user.id}/authority", json={"authority": "police"}, headers=auth.as_role("admin"))
    assert bad.status_code == 422
    for role in ("inspector", "supervisor", "enforcement"):
        refused = client.put(f"/api/users/{user.id}/authority", json={"authority": "ecology"},
                             headers=auth.as_role(role))
        assert refused.status_code == 403, role
    assert client.put("/api/users/999999/authority", json={"authority": "ecology"},
                      headers=auth.as_role("admin")).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, user.id).authority == "bureau"


def test_the_cli_creates_with_and_sets_an_authority(runner):
    result = runner.invoke(args=["users", "create", "shengtai1", "--role", "enforcement", "--authority", "ecology"],
                           input="long-enough-pw\nlong-enough-pw\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.authority).where(User.username == "shengtai1")) == "ecology"
    result = runner.invoke(args=["users", "set-authority", "shengtai1", "housing"])
    assert result.exit_code == 0 and "housing" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(User.authority).where(User.username == "shengtai1")) == "housing"
    refused = runner.invoke(args=["users", "set-authority", "shengtai1", "police"])
    assert refused.exit_code != 0
    missing = runner.invoke(args=["users", "set-authority", "nobody", "bureau"])
    assert missing.exit_code == 1 and "nobody" in missing.output



def test_waiting_work_counts_only_the_users_own_authoritys_cases(client, auth, world):
    from inspect_app.auth.operations import set_user_authority
    from tests.penalties.world import set_case

    bureau_case, traffic_case = world.veto_case(), world.veto_case()
    set_case(bureau_case.id, status="approved")
    set_case(traffic_case.id, status="approved", authority="traffic_police")  # shape only: counts by state
    traffic = factories.create_user("enforcement", units=())
    set_user_authority(None, traffic, "traffic_police")
    db.session.commit()

    def to_accept(headers):
        return client.get("/api/notifications/counts", headers=headers).get_json()["counts"]["cases_to_accept"]

    assert to_accept(auth.as_role("enforcement", units=())) == 1
    assert to_accept(auth.headers(traffic)) == 1
    assert to_accept(auth.as_role("admin", units=())) == 2

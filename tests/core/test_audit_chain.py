"""The audit log is tamper-evident: every event carries the hash of the one before it, and
``flask audit verify`` names the first row that was edited, deleted or cut off the end.

Production also revokes UPDATE and DELETE on ``audit_events`` from the app's database role; these
tests play the administrator who has those rights anyway and edits rows with plain SQL.
"""
from __future__ import annotations

import os
import threading
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from inspect_app.core import audit
from inspect_app.core.audit import GENESIS_HASH, verify_chain
from inspect_app.core.models import AuditChainHead, AuditEvent
from inspect_app.extensions import db
from tests.factories import create_user

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))


def _append(count: int, action: str = "test.event", **after):
    for n in range(count):
        audit.record(None, action, None, object_type="things", object_id=str(n),
                     after={"n": n, "名称": "新华西路", **after})
    db.session.commit()


def _events() -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()


def _verify(runner):
    return runner.invoke(args=["audit", "verify"])


def test_events_are_linked_in_order_from_the_genesis_hash():
    _append(3)
    create_user("admin", username="boss")  # operations audit through the same chain
    events = _events()
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == GENESIS_HASH
    for earlier, later in zip(events, events[1:]):
        assert later.prev_hash == earlier.entry_hash
    head = db.session.get(AuditChainHead, 1)
    assert head.length == 4 and head.last_hash == events[-1].entry_hash
    assert verify_chain().ok


def test_verify_passes_on_an_untouched_chain(runner):
    _append(5)
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "intact: 5 events" in result.output


def test_verify_passes_on_an_empty_log(runner):
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "0 events" in result.output


def test_editing_an_events_after_via_sql_is_named(runner):
    _append(5)
    third = _events()[2]
    db.session.execute(sa.text("UPDATE audit_events SET after = :after WHERE id = :id"),
                       {"after": '{"n": 999}', "id": third.id})
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"event #3 (id {third.id}, test.event) was altered" in result.output
    assert "2 good events" in result.output


@pytest.mark.parametrize("column, value", [
    ("actor_id", None), ("action", "'user.create'"), ("object_id", "'42'"),
    ("at", "'2020-01-01 00:00:00'"),
])
def test_editing_any_field_is_detected(column, value):
    _append(3)
    second = _events()[1]
    if column == "actor_id":
        user = create_user("admin")  # adds event #4, leaves #2 to tamper with
        value = str(user.id)
    db.session.execute(sa.text(f"UPDATE audit_events SET {column} = {value} WHERE id = :id"), {"id": second.id})
    db.session.commit()
    report = verify_chain()
    assert not report.ok and report.broken_seq == 2


def test_rehashing_an_edited_row_breaks_the_next_link():
    """A forger who recomputes the edited row's own hash is caught by the following event."""
    _append(4)
    second = _events()[1]
    forged = audit.entry_hash(seq=2, prev_hash=second.prev_hash, at=second.at, actor_id=None,
                              action=second.action, object_type=second.object_type,
                              object_id=second.object_id, before=None, after={"n": 999})
    db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == second.id)
                       .values(after={"n": 999}, entry_hash=forged))
    db.session.commit()
    report = verify_chain()
    assert not report.ok and report.broken_seq == 3
    assert "does not follow event #2" in report.broken


def test_deleting_a_row_is_named_as_a_gap(runner):
    _append(6)
    fourth = _events()[3]
    db.session.execute(sa.text("DELETE FROM audit_events WHERE id = :id"), {"id": fourth.id})
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "event #4 is missing: the chain jumps from #3 to #5" in result.output


def test_deleting_the_newest_rows_is_caught_by_the_chain_head(runner):
    _append(5)
    db.session.execute(sa.text("DELETE FROM audit_events WHERE seq >= 4"))
    db.session.commit()
    result = _verify(runner)
    assert result.exit_code == 1
    assert "records 5 events" in result.output and "after #3 were deleted" in result.output


def test_verify_prints_progress_on_a_long_chain(runner):
    _append(250)
    result = runner.invoke(args=["audit", "verify", "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    assert "checked 100 of 250 events" in result.output
    assert "checked 200 of 250 events" in result.output
    assert "intact: 250 events" in result.output


def test_events_of_a_rolled_back_transaction_never_join_the_chain():
    audit.record(None, "test.lost", None, object_type="things", object_id="1")
    db.session.rollback()
    _append(1)
    assert [e.action for e in _events()] == ["test.event"]
    assert verify_chain().ok


def test_events_inside_a_rolled_back_savepoint_are_dropped_and_outer_ones_kept():
    audit.record(None, "test.outer", None, object_type="things", object_id="1")
    try:
        with db.session.begin_nested():
            audit.record(None, "test.inner", None, object_type="things", object_id="2")
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    with db.session.begin_nested():
        audit.record(None, "test.kept", None, object_type="things", object_id="3")
    db.session.commit()
    assert [e.action for e in _events()] == ["test.outer", "test.kept"]
    assert verify_chain().ok


def test_login_and_user_changes_chain_through_the_api(client, auth, runner):
    """The real paths (route commits) produce a chain that verifies."""
    create_user("inspector", username="wang")
    auth.login("wang")
    client.post("/api/auth/login", json={"username": "wang", "password": "wrong"})
    actions = [e.action for e in _events()]
    assert actions == ["user.create", "auth.login", "auth.login_failed"]
    assert _verify(runner).exit_code == 0


@pytest.mark.skipif(not ON_POSTGRES, reason="concurrent appenders need PostgreSQL (SQLite serialises writers)")
def test_concurrent_appends_on_postgresql_do_not_fork_the_chain(app):
    """Eight threads append at once, each in its own transactions; the chain stays one line."""
    threads, per_thread, errors = 8, 12, []
    barrier = threading.Barrier(threads)

    def appender(n: int):
        try:
            with app.app_context():
                barrier.wait()
                for i in range(per_thread):
                    audit.record(None, "test.race", None, object_type="things", object_id=f"{n}-{i}")
                    # Hold the transaction open with other work, as a real request does.
                    db.session.execute(sa.text("SELECT pg_sleep(0.002)"))
                    db.session.commit()
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=appender, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert errors == []
    events = _events()
    assert [e.seq for e in events] == list(range(1, threads * per_thread + 1))
    assert len({e.prev_hash for e in events}) == len(events)  # no two events claim the same parent
    report = verify_chain()
    assert report.ok, report.broken


# --- migration 0003 chains the events stored before it --------------------------------------------

@pytest.fixture
def migrated_app(tmp_path):
    """An app on an empty database (same kind as the suite's) for running the migrations."""
    from inspect_app import create_app

    base = os.environ.get("TEST_DATABASE_URL")
    schema = None
    if base:
        schema = f"mig_{uuid.uuid4().hex[:10]}"
        engine = sa.create_engine(base)
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    else:
        url = f"sqlite:///{tmp_path / 'chain-migration.sqlite3'}"
    other = create_app({"SQLALCHEMY_DATABASE_URI": url, "PHOTO_DIR": str(tmp_path / "photos"),
                        "TESTING": True, "RATELIMIT_ENABLED": False})
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    if schema:
        engine = sa.create_engine(base)
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def test_migration_0003_chains_existing_events_and_downgrades(migrated_app):
    directory = migrated_app.extensions["migrate"].directory
    with migrated_app.app_context():
        upgrade(directory=directory, revision="0002")
        with db.engine.begin() as conn:
            for n, at in enumerate(["2026-11-01 08:00:00.123456", "2026-11-02 09:30:00", "2026-11-03 10:00:00"]):
                conn.execute(sa.text(
                    "INSERT INTO audit_events (at, actor_id, action, object_type, object_id, before, after) "
                    "VALUES (:at, NULL, 'site.create', 'sites', :oid, NULL, :after)"),
                    {"at": at, "oid": str(n + 1), "after": '{"name": "测试工地", "n": %d}' % n})
        upgrade(directory=directory, revision="0003")
        db.session.remove()
        report = verify_chain()
        assert report.ok, report.broken
        assert report.checked == 3
        # New events continue the migrated chain.
        audit.record(None, "test.after_upgrade", None, object_type="things", object_id="x")
        db.session.commit()
        assert verify_chain().ok and verify_chain().checked == 4
        db.session.remove()
        downgrade(directory=directory, revision="0002")
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("audit_events")}
        assert not {"seq", "prev_hash", "entry_hash"} & columns
        assert "audit_chain_head" not in sa.inspect(db.engine).get_table_names()
        assert "tokens_valid_after" not in {c["name"] for c in sa.inspect(db.engine).get_columns("users")}
        db.session.remove()

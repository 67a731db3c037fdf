"""site_stats: each site's latest results, kept current by the write path and always equal to what the
history says — after any sequence of writes, after a bulk load (rebuild), and when two writers race."""
from __future__ import annotations

import random
import threading
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from inspect_app.core.models import AuditEvent
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.scorecards.models import SiteStats
from inspect_app.scorecards.operations import _computed, rebuild_site_stats
from tests.factories import create_site, create_user
from tests.scorecards.builders import add_inspection

FIELDS = ("score", "grade", "previous_score", "last_inspected_at")


def stored() -> dict[int, tuple]:
    return {row.site_id: tuple(getattr(row, f) for f in FIELDS)
            for row in db.session.scalars(select(SiteStats))}


def from_history() -> dict[int, tuple]:
    return {row.site_id: tuple(getattr(row, f) for f in FIELDS) for row in db.session.execute(_computed(None))}


def row_of(site) -> SiteStats:
    db.session.expire_all()
    return db.session.get(SiteStats, site.id)


def test_the_row_follows_new_corrected_and_moved_inspections():
    site, other = create_site(), create_site(name="另一工地")
    inspector = create_user("inspector")
    now = utcnow()
    add_inspection(site, inspector, now - timedelta(days=3), 80.0, "pass")
    second = add_inspection(site, inspector, now - timedelta(days=1), 92.0, "excellent")
    db.session.commit()
    row = row_of(site)
    assert (row.score, row.grade, row.previous_score) == (92.0, "excellent", 80.0)
    assert row.last_inspected_at == second.finished_at

    unscored = add_inspection(site, inspector, now - timedelta(hours=1), None, None)
    db.session.commit()
    row = row_of(site)
    assert (row.score, row.previous_score) == (92.0, 80.0)  # the newest scored one
    assert row.last_inspected_at == unscored.finished_at  # the newest counted one, scored or not

    second.review_status = "superseded"  # replaced by a correction: no longer counts
    db.session.commit()
    row = row_of(site)
    assert (row.score, row.grade, row.previous_score) == (80.0, "pass", None)

    second.review_status = "approved"
    second.site_id = other.id  # moved to another site: both sites' rows change
    db.session.commit()
    assert row_of(site).score == 80.0 and row_of(other).score == 92.0

    db.session.delete(db.session.get(Inspection, second.id))
    db.session.commit()
    assert row_of(other).score is None and row_of(other).last_inspected_at is None
    assert stored() == from_history()


def test_rows_equal_the_history_after_many_mixed_writes():
    """Random adds, rescoring, status changes and moves over four sites: the rows never drift."""
    rng = random.Random(14)
    sites = [create_site(name=f"工地{i}") for i in range(4)]
    inspector = create_user("inspector")
    now = utcnow()
    made: list[Inspection] = []
    for step in range(60):
        action = rng.choice(("add", "add", "rescore", "status", "move", "retime"))
        if action == "add" or not made:
            score = rng.choice((None, 55.0, 72.5, 88.0, 96.0))
            made.append(add_inspection(rng.choice(sites), inspector, now - timedelta(hours=rng.randrange(2000)),
                                       score, None if score is None else "pass"))
        else:
            target = rng.choice(made)
            if action == "rescore":
                target.score = rng.choice((None, 40.0, 99.0))
            elif action == "status":
                target.review_status = rng.choice(("submitted", "approved", "superseded", "rejected"))
            elif action == "move":
                target.site_id = rng.choice(sites).id
            else:
                target.finished_at = now - timedelta(hours=rng.randrange(2000))
        if step % 3 == 0:
            db.session.commit()
    db.session.commit()
    assert len(stored()) == len(sites)
    assert stored() == from_history()


def test_truck_checks_do_not_touch_site_rows():
    site = create_site()
    inspector = create_user("inspector")
    truck = add_inspection(site, inspector, utcnow(), 30.0, "fail")
    truck.kind = "truck"
    db.session.commit()
    assert row_of(site).score is None


def test_flag_count_follows_the_flags():
    site = create_site()
    inspection = add_inspection(site, create_user("inspector"), utcnow(), flags=[{"code": "no_position"}])
    assert inspection.flag_count == 1
    inspection.flags = list(inspection.flags) + [{"code": "photo_stale"}, {"code": "far_from_site"}]
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Inspection, inspection.id).flag_count == 3


def test_rebuild_recomputes_rows_written_around_the_orm(app):
    site = create_site()
    inspector = create_user("inspector")
    add_inspection(site, inspector, utcnow() - timedelta(days=2), 70.0, "fail")
    db.session.commit()
    finished = utcnow()
    # A bulk load (bench/seed.py, a restore of rows) bypasses the session's flush: no row update.
    db.session.execute(insert(Inspection), [{
        "uuid": str(uuid.uuid4()), "kind": "site", "content_hash": "0" * 64, "site_id": site.id,
        "unit_id": site.unit_id, "inspector_id": inspector.id, "checklist_version_ids": [],
        "started_at": finished, "finished_at": finished, "received_at": finished, "completeness": "complete",
        "review_status": "approved", "score": 95.0, "grade": "excellent", "vetoed": False,
        "flags": [{"code": "no_position"}, {"code": "photo_stale"}],
    }, {
        "uuid": str(uuid.uuid4()), "kind": "site", "content_hash": "0" * 64, "site_id": site.id,
        "unit_id": site.unit_id, "inspector_id": inspector.id, "checklist_version_ids": [],
        "started_at": finished, "finished_at": finished - timedelta(days=1), "received_at": finished,
        "completeness": "complete", "review_status": "approved", "score": None, "grade": None, "vetoed": False,
        "flags": None,  # a JSON null: counted as no flags, not an error
    }])
    db.session.commit()
    assert row_of(site).score == 70.0  # stale, as expected for a write around the ORM

    result = app.test_cli_runner().invoke(args=["scorecards", "rebuild-stats"])
    assert result.exit_code == 0, result.output
    assert "1 sites" in result.output
    row = row_of(site)
    assert (row.score, row.previous_score) == (95.0, 70.0)
    assert db.session.scalar(select(Inspection.flag_count).where(Inspection.score == 95.0)) == 2
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "site_stats.rebuild"))
    assert stored() == from_history()
    assert rebuild_site_stats(db.session.connection()) == 1  # idempotent


def test_two_writers_racing_on_one_site_both_count(app):
    """Writer B flushes while writer A's inspection is not yet committed: B waits for A's row lock,
    then recomputes from a snapshot that has A's inspection (PostgreSQL READ COMMITTED; SQLite
    runs one writer at a time). Without the lock B would write a row that misses A's inspection."""
    site = create_site()
    inspector = create_user("inspector")
    now = utcnow()
    add_inspection(site, inspector, now - timedelta(days=5), 60.0, "fail")
    db.session.commit()
    site_id, inspector_id = site.id, inspector.id
    a_flushed, errors = threading.Event(), []

    def writer(score, finished, hold):
        try:
            with app.app_context():
                from inspect_app.sites.models import Site
                from inspect_app.auth.models import User
                own_site, own_inspector = db.session.get(Site, site_id), db.session.get(User, inspector_id)
                if not hold:
                    assert a_flushed.wait(10)
                add_inspection(own_site, own_inspector, finished, score, "pass")  # flushes
                if hold:
                    a_flushed.set()
                    time.sleep(0.6)  # B's flush starts while A's transaction is open
                db.session.commit()
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    a = threading.Thread(target=writer, args=(75.0, now - timedelta(days=1), True))
    b = threading.Thread(target=writer, args=(88.0, now - timedelta(hours=1), False))
    a.start(), b.start()
    a.join(30), b.join(30)
    assert not errors, errors
    row = row_of(site)
    assert (row.score, row.previous_score) == (88.0, 75.0)
    assert stored() == from_history()


@pytest.mark.parametrize("sites", [2, 12])
def test_the_write_path_adds_two_statements_whatever_the_sites(count_queries, sites):
    inspector = create_user("inspector")
    made = [create_site(name=f"工地{i}") for i in range(sites)]
    db.session.commit()
    inspections = [add_inspection(site, inspector, utcnow(), 80.0, "pass") for site in made]
    db.session.commit()
    for inspection in inspections:
        inspection.score = 81.0
    with count_queries() as statements:
        db.session.flush()
    stats = [s for s in statements if "site_stats" in s]
    assert len(stats) == 2, stats

"""Numbers per kind and Asia/Shanghai year, without gaps or duplicates, rollbacks included."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from inspect_app.core.timeutil import LOCAL_TZ
from inspect_app.extensions import db
from inspect_app.notices.models import Notice, NoticeCounter
from inspect_app.notices.numbering import next_sequence
from inspect_app.notices.rules import format_number, numbering_year
from tests import factories
from tests.inspections.helpers import site_form, submission


def test_number_format_for_sites_and_trucks():
    assert format_number("site", 2026, 17) == "回民扬整〔2026〕第00017号"
    assert format_number("truck", 2026, 5) == "回民渣整〔2026〕第00005号"


def test_the_year_turns_at_midnight_in_shanghai_which_is_1600_utc():
    assert numbering_year(datetime(2026, 12, 31, 15, 59, 59, tzinfo=timezone.utc)) == 2026
    assert numbering_year(datetime(2026, 12, 31, 16, 0, 0, tzinfo=timezone.utc)) == 2027


def test_numbers_follow_each_other_and_start_again_in_a_new_year(form, site, submit):
    before_new_year = datetime(2026, 12, 31, 23, 20, tzinfo=LOCAL_TZ)  # finished 23:40 local, 15:40 UTC
    for minutes in (0, 5):
        submit(submission(form, site, outcomes={"hoarding": "fail"}, minutes=20,
                          started_at=before_new_year + timedelta(minutes=minutes)))
    # finishes 00:00:30 local on 1 January = 16:00:30 UTC on 31 December
    submit(submission(form, site, outcomes={"hoarding": "fail"}, minutes=1,
                      started_at=datetime(2026, 12, 31, 23, 59, 30, tzinfo=LOCAL_TZ)))
    numbers = [n.number for n in db.session.scalars(select(Notice).order_by(Notice.id))]
    assert numbers == ["回民扬整〔2026〕第00001号", "回民扬整〔2026〕第00002号", "回民扬整〔2027〕第00001号"]


def test_a_rolled_back_transaction_gives_its_number_back():
    assert next_sequence("site", 2030) == 1
    db.session.commit()
    assert next_sequence("site", 2030) == 2
    db.session.rollback()  # the issuing transaction failed
    assert next_sequence("site", 2030) == 2
    assert next_sequence("truck", 2030) == 1
    db.session.commit()
    counters = {(c.kind, c.year): c.last_number for c in db.session.scalars(select(NoticeCounter))}
    assert counters == {("site", 2030): 2, ("truck", 2030): 1}


@pytest.fixture
def on_postgres():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; SQLite serialises every write")


def test_concurrent_failed_inspections_get_consecutive_numbers(app, client, auth, checklists, on_postgres):
    """Twelve inspections (and one transaction that rolls back) race; numbers 1–12, each once."""
    inspector = factories.create_user("inspector", units=("xinhuaxilu",))
    sites = [factories.create_site("xinhuaxilu", name=f"并发工地{i}") for i in range(12)]
    headers = auth.headers(inspector)
    form = site_form(client, headers)
    bodies = [submission(form, site, outcomes={"hoarding": "fail"}) for site in sites]
    barrier = threading.Barrier(len(bodies) + 1)
    statuses: list[int] = []

    def fire(body):
        with app.test_client() as own_client:
            barrier.wait()
            statuses.append(own_client.post("/api/inspections", json=body, headers=headers).status_code)

    def take_and_roll_back():
        with app.app_context():
            barrier.wait()
            next_sequence("site", 2026)
            db.session.rollback()
            db.session.remove()

    threads = [threading.Thread(target=fire, args=(body,)) for body in bodies]
    threads.append(threading.Thread(target=take_and_roll_back))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.expire_all()
    assert statuses == [201] * len(bodies)
    sequences = sorted(n.sequence for n in db.session.scalars(select(Notice)))
    assert sequences == list(range(1, len(bodies) + 1))
    assert db.session.get(NoticeCounter, ("site", 2026)).last_number == len(bodies)

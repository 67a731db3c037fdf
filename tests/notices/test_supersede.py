"""A correction that supersedes an inspection voids the old notice (kept) and issues a new one."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from inspect_app.extensions import db
from inspect_app.notices.models import Notice
from tests import factories
from tests.inspections.helpers import WINTER_MORNING, submission


def _send_back(client, auth, uuid):
    supervisor = auth.headers(factories.create_user("supervisor", units=("xinhuaxilu",)))
    response = client.post(f"/api/inspections/{uuid}/review", headers=supervisor,
                           json={"status": "rejected", "note": "照片看不清，请重拍", "send_back": True})
    assert response.status_code == 201, response.get_json()


def test_a_correction_voids_the_old_notice_and_issues_a_new_one(client, auth, form, site, submit):
    original = submit(submission(form, site, outcomes={"hoarding": "fail"}))
    _send_back(client, auth, original["uuid"])
    submit(submission(form, site, outcomes={"hoarding": "fail", "ground_paving": "fail"},
                      supersedes=original["uuid"], started_at=WINTER_MORNING + timedelta(minutes=40)))
    db.session.expire_all()
    old, new = db.session.scalars(select(Notice).order_by(Notice.id)).all()
    assert old.status == "void" and old.void_reason == "superseded" and old.voided_at is not None
    assert old.replaced_by_id == new.id
    assert new.status == "issued" and [i["item_key"] for i in new.content["items"]] == ["hoarding", "ground_paving"]
    # the void notice keeps its number; the new one takes the next
    assert (old.number, new.number) == ("回民扬整〔2026〕第00001号", "回民扬整〔2026〕第00002号")
    # the new deadline counts from the correction (the superseded inspection's violation lapsed)
    assert new.content["items"][0]["deadline"].startswith("2026-11-28T10:30")


def test_a_correction_without_failures_voids_and_issues_nothing(client, auth, form, site, submit):
    original = submit(submission(form, site, outcomes={"hoarding": "fail"}))
    _send_back(client, auth, original["uuid"])
    submit(submission(form, site, supersedes=original["uuid"], started_at=WINTER_MORNING + timedelta(minutes=40)))
    db.session.expire_all()
    [old] = db.session.scalars(select(Notice)).all()
    assert old.status == "void" and old.replaced_by_id is None

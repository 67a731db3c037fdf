"""``flask demo`` records a small enforcement history through the real operations: a notice signed for
on the spot, one whose follow-up is due today, and a veto case decided by the bureau; and it creates
enforcement users of every authority. Running it again changes nothing."""
from __future__ import annotations

import hashlib
import io

import pypdf
from sqlalchemy import func, select

from inspect_app.core.models import AuditEvent
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.demo.data import DEMO_AUTHORITY_USERS, DEMO_PASSWORD
from inspect_app.demo.history import STORIES, demo_uuid
from inspect_app.extensions import db
from inspect_app.followups.models import FollowUp
from inspect_app.inspections.models import Inspection
from inspect_app.notices.models import Notice, NoticeService
from inspect_app.penalties.models import PenaltyCase
from tests.system.test_health_openapi_demo import empty_app  # noqa: F401  (fixture)


def _login(client, username):
    response = client.post("/api/auth/login", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200, (username, response.get_json())
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Inspection, Notice, NoticeService, FollowUp, PenaltyCase, AuditEvent))


def _run(app):
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_history_is_the_chain_recorded_through_the_real_operations_once(empty_app):  # noqa: F811
    app = empty_app
    with app.app_context():
        first = _run(app)
        counts = _counts()
        second = _run(app)
        assert _counts() == counts  # idempotent: nothing added, not even an audit event
        assert counts[:5] == (3, 3, 2, 3, 1)
        notices = {story.key: db.session.scalar(select(Notice).join(Inspection).where(
            Inspection.uuid == demo_uuid(story.key, "inspection"))) for story in STORIES}
        for notice in notices.values():
            assert notice.status == "issued" and notice.signature and notice.number.startswith("回民扬整〔")
            assert notice.number in first and notice.number in second
        issued = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.in_(
            ("inspection.submit", "notice.issue", "notice.serve", "notice.service_evidence", "follow_up.plan",
             "penalty_case.approved", "penalty_case.accepted", "penalty_case.decided")))).all()
        assert sorted(set(issued)) == sorted({"inspection.submit", "notice.issue", "notice.serve",
                                              "notice.service_evidence", "follow_up.plan",
                                              "penalty_case.approved", "penalty_case.accepted",
                                              "penalty_case.decided"})

        served = db.session.scalar(select(NoticeService).where(NoticeService.notice_id == notices["served"].id))
        assert (served.method, served.channel, served.signer_name) == ("signed", "phone", "刘建国")
        assert served.evidence_format == "png" and len(served.evidence_sha256) == 64
        mailed = db.session.scalar(select(NoticeService).where(NoticeService.notice_id == notices["decided"].id))
        assert (mailed.method, mailed.channel) == ("mail", "desk")
        assert db.session.scalar(select(NoticeService).where(
            NoticeService.notice_id == notices["due_today"].id)) is None

        today = to_local(utcnow()).date()
        due = {key: db.session.scalar(select(FollowUp.due_on).where(FollowUp.notice_id == n.id))
               for key, n in notices.items()}
        # "served" finished half an hour before the run: its 复查 falls after the day it was issued (the
        # day before today when the demo runs in the first half hour after midnight, Beijing time)
        served_on = to_local(notices["served"].issued_at).date()
        assert due["due_today"] == today and due["served"] > served_on and due["decided"] < today
        served_due_today = due["served"] == today

        case = db.session.scalar(select(PenaltyCase))
        assert case.inspection_id == notices["decided"].inspection_id and case.authority == "bureau"
        assert (case.status, case.decision) == ("decided", "fine") and case.fine_amount > 0
        assert case.decision_number in first
        case_id = case.id
        tokens = {key: n.token for key, n in notices.items()}
        served_number = notices["served"].number

    client = app.test_client()
    inspector = _login(client, "inspector")
    follow_ups = client.get("/api/follow-ups", headers=inspector).get_json()
    assert follow_ups["counts"]["today"] == 1 + served_due_today and follow_ups["counts"]["overdue"] == 1
    served_pdf = client.get(f"/api/notices/{_notice_id(client, inspector, served_number)}.pdf", headers=inspector)
    assert served_pdf.status_code == 200 and served_pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(served_pdf.data)).pages).replace("\n", "")
    assert served_number in text and "刘建国" in text
    page = client.get(f"/v/{tokens['served']}")
    assert page.status_code == 200 and hashlib.sha256(served_pdf.data).hexdigest() in page.get_data(as_text=True)

    bureau = _login(client, "enforcement")
    decided = client.get(f"/api/penalty-cases/{case_id}", headers=bureau)
    assert decided.status_code == 200 and decided.get_json()["status"] == "decided"
    assert client.get(f"/api/penalty-cases/{case_id}/decision.pdf", headers=bureau).status_code == 200

    for username, _name, authority in DEMO_AUTHORITY_USERS:
        headers = _login(client, username)
        me = client.get("/api/auth/me", headers=headers).get_json()
        assert (me["role"], me["authority"]) == ("enforcement", authority)
        assert username in first
        queue = client.get("/api/penalty-cases", headers=headers).get_json()["items"]
        assert [c["id"] for c in queue] == ([case_id] if authority == "bureau" else [])

    with app.app_context():
        verify = app.test_cli_runner().invoke(args=["audit", "verify"])
        assert verify.exit_code == 0, verify.output


def _notice_id(client, headers, number):
    items = client.get("/api/notices?page_size=50", headers=headers).get_json()["items"]
    return next(n["id"] for n in items if n["number"] == number)

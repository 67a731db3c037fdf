"""``flask demo`` enters two hotline tickets once, through the real operation: one matched to a demo site of
新华西路街道 (a task for the demo inspector), one by address only (for the supervisor to resolve)."""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.complaints.models import Complaint
from inspect_app.extensions import db
from tests.system.test_health_openapi_demo import empty_app  # noqa: F401  (fixture)


def test_demo_enters_a_matched_and_an_unmatched_complaint_once(empty_app):  # noqa: F811
    with empty_app.app_context():
        runner = empty_app.test_cli_runner()
        for _ in range(2):
            result = runner.invoke(args=["demo", "--no-serve"])
            assert result.exit_code == 0, result.output
        complaints = db.session.scalars(select(Complaint).order_by(Complaint.ticket_number)).all()
        assert [c.status for c in complaints] == ["open", "no_site_matched"]
        assert complaints[0].site.unit.code == "xinhuaxilu" and complaints[0].due_at is not None
        assert all(c.ticket_number.startswith("DEMO-") and c.complainant_phone for c in complaints)

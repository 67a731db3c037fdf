"""Alert dashboard and report: per unit, while an alert is in force (and after, for its whole duration)."""
from __future__ import annotations

import io

from flask import Response
from flask.views import MethodView

from inspect_app.alertreports import queries, report
from inspect_app.alertreports.schemas import AlertDashboardSchema
from inspect_app.alerts.queries import get_visible_alert
from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core import audit
from inspect_app.core.errors import NotFound
from inspect_app.core.parsing import Blueprint
from inspect_app.core.timeutil import utcnow
from inspect_app.exports.writers import CONTENT_TYPES
from inspect_app.extensions import db

blp = Blueprint("alertreports", __name__, url_prefix="/api/alert-reports",
                description="预警处置: per-unit dashboard and XLSX report of a heavy-pollution alert")

READERS = ("supervisor", "admin", "enforcement")


def _alert_or_404(alert_id: int):
    alert = get_visible_alert(current_user(), alert_id)
    if alert is None:
        raise NotFound("alert_not_found")
    return alert


@blp.route("/<int:alert_id>")
class AlertDashboard(MethodView):
    @roles_required(*READERS)
    @blp.response(200, AlertDashboardSchema)
    def get(self, alert_id):
        """Per unit of the caller: active sites, sites inspected since the alert began, sites found working
        against it, open alert violations (the desk polls this while the alert is in force)."""
        alert = _alert_or_404(alert_id)
        now = utcnow()
        start, end = queries.period(alert, now)
        return {"alert": alert, "period_start": start, "period_end": end, "in_force": end == now,
                "units": queries.unit_figures(current_user(), alert, now)}


@blp.route("/<int:alert_id>/xlsx")
class AlertReportFile(MethodView):
    @roles_required(*READERS)
    @blp.response(200, description="the alert report (XLSX)", content_type="application/octet-stream")
    def get(self, alert_id):
        """The same per-unit sheet for the alert's whole duration, as XLSX; every download is audited."""
        alert = _alert_or_404(alert_id)
        figures = queries.unit_figures(current_user(), alert)
        ctx = report.report_context(alert, figures)
        buffer = io.BytesIO()  # eight rows at most: no need for the weekly export's temporary file
        report.write_report(ctx, buffer)
        audit.record(current_user(), "alert_report.download", alert,
                     after={"units": [row.unit_id for row in figures], "format": "xlsx"})
        db.session.commit()
        return Response(buffer.getvalue(), mimetype=CONTENT_TYPES["xlsx"], headers={
            "Content-Disposition": f'attachment; filename="{report.filename(alert)}"',
            "Cache-Control": "private, no-store"})

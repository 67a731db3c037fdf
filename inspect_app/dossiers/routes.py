"""The case file (案卷) of a penalty case: ``GET /api/penalty-cases/<id>/dossier``, a streamed ZIP.

Everything is read (and the notices' PDFs rendered, their hashes remembered) before the first byte
is sent; then the archive streams in chunks with photos read one at a time, so memory stays flat
whatever the number of photos.
"""
from flask import Response, stream_with_context
from flask.views import MethodView

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core import audit
from inspect_app.core.errors import NotFound
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards
from inspect_app.dossiers.contents import gather
from inspect_app.dossiers.package import archive_name, render_cover, stream_dossier
from inspect_app.extensions import db
from inspect_app.penalties.queries import get_visible_case

blp = Blueprint("dossiers", __name__, url_prefix="/api", description="Case files (案卷)")

CASE_READERS = ("supervisor", "enforcement", "admin")


@blp.route("/penalty-cases/<int:case_id>/dossier")
class CaseDossier(MethodView):
    @roles_required(*CASE_READERS)
    @blp.response(200, content_type="application/zip",
                  description="the case file: cover sheet PDF, inspections (JSON and page), original photos "
                              "with SHA-256 list, notices and service records, audit events")
    def get(self, case_id):
        """The case file as a ZIP for a legal department or a court (streamed; its handing-out is audited)."""
        user = current_user()
        case = get_visible_case(user, case_id)
        if case is None:
            raise NotFound()
        record = gather(user, case)
        cover = render_cover(record)
        audit.record(user, "penalty_case.dossier", case,
                     after={"photos": len(record.photos), "inspections": len(record.inspections)})
        # The record's rows stay loaded through the commit, so streaming reads nothing more from the database.
        session = db.session()
        session.expire_on_commit = False
        try:
            session.commit()
        finally:
            session.expire_on_commit = True
        response = Response(stream_with_context(stream_dossier(record, cover)), mimetype="application/zip")
        response.headers["Content-Disposition"] = f'attachment; filename="{archive_name(record)}"'
        return response

"""Export API: the weekly violation export, streamed so a large week never sits in memory."""
import os

from flask import Response, request, stream_with_context
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.exports import writers
from inspect_app.exports.queries import export_context
from inspect_app.exports.schemas import WeeklyArgs

blp = Blueprint("exports", __name__, url_prefix="/api/exports", description="Weekly violation export")


@blp.route("/weekly")
class WeeklyExport(MethodView):
    @roles_required("supervisor", "enforcement", "admin")
    @blp.arguments(WeeklyArgs, location="query")
    @blp.response(200, description="XLSX, CSV (UTF-8 with BOM) or GeoJSON file", content_type="application/octet-stream")
    def get(self, args):
        """The week's violations, cases and scores for the caller's units, as a download.

        XLSX is built in a temporary file (a zip is only valid once complete) and then streamed;
        CSV and GeoJSON stream straight from the database cursor.
        """
        ctx = export_context(current_user(), args["week"], base_url=request.url_root)
        fmt = args["format"]
        headers = {"Content-Disposition": f'attachment; filename="{writers.filename(ctx, fmt)}"',
                   "Cache-Control": "private, no-store"}
        if fmt == "xlsx":
            handle, _ = writers.xlsx_tempfile(ctx)
            size = os.fstat(handle.fileno()).st_size
            return Response(writers.FileChunks(handle), mimetype=writers.CONTENT_TYPES[fmt],
                            headers=headers | {"Content-Length": str(size)}, direct_passthrough=True)
        body = stream_with_context(writers.STREAMED[fmt](ctx))
        return Response(body, content_type=writers.CONTENT_TYPES[fmt], headers=headers)

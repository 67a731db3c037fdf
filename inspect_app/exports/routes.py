"""Export API: the weekly violation export, streamed so a large week never sits in memory, and the
signed photo links the export holds (public: the signature is the credential)."""
import os

from flask import Response, current_app, request, stream_with_context
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.permissions import current_user, public, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.storage import stored_file_response
from inspect_app.exports import operations, writers
from inspect_app.exports.links import read_token
from inspect_app.exports.queries import export_context, photo_for_link
from inspect_app.exports.schemas import WeeklyArgs
from inspect_app.extensions import db

blp = Blueprint("exports", __name__, url_prefix="/api/exports", description="Weekly violation export")


@blp.route("/weekly")
class WeeklyExport(MethodView):
    @roles_required("supervisor", "enforcement", "admin")
    @blp.arguments(WeeklyArgs, location="query")
    @blp.response(200, description="XLSX, CSV (UTF-8 with BOM) or GeoJSON file", content_type="application/octet-stream")
    def get(self, args):
        """The week's violations, cases and scores for the caller's units, as a download.

        XLSX is built in a temporary file (a zip is only valid once complete) and then streamed;
        CSV and GeoJSON stream straight from the database cursor. Photo links are signed and expire
        after ``EXPORT_LINK_DAYS``; they point at ``PUBLIC_BASE_URL`` (else this request's host).
        The download is audited before the file is sent.
        """
        base_url = current_app.config.get("PUBLIC_BASE_URL") or request.url_root
        ctx = export_context(current_user(), args["week"], base_url=base_url)
        fmt = args["format"]
        operations.record_download(current_user(), ctx, fmt, via="api")
        db.session.commit()
        headers = {"Content-Disposition": f'attachment; filename="{writers.filename(ctx, fmt)}"',
                   "Cache-Control": "private, no-store"}
        if fmt == "xlsx":
            handle, _ = writers.xlsx_tempfile(ctx)
            size = os.fstat(handle.fileno()).st_size
            return Response(writers.FileChunks(handle), mimetype=writers.CONTENT_TYPES[fmt],
                            headers=headers | {"Content-Length": str(size)}, direct_passthrough=True)
        body = stream_with_context(writers.STREAMED[fmt](ctx))
        return Response(body, content_type=writers.CONTENT_TYPES[fmt], headers=headers)


@blp.route("/photo-links/<string:token>")
class ExportPhotoLink(MethodView):
    @public
    @blp.response(200, description="the watermarked display image (JPEG)", content_type="image/jpeg")
    @blp.alt_response(302, description="PHOTO_STORAGE=s3 with S3_PRESIGNED_READS: Location is a presigned "
                      "URL of the bucket, valid for S3_PRESIGN_SECONDS", success=True)
    @blp.alt_response(410, response="GONE", description="export_link_expired: the link is older than "
                      "EXPORT_LINK_DAYS; export the week again")
    def get(self, token):
        """A photo of an export, for whoever holds the file: the token is signed and expires.

        404 ``export_link_invalid`` for a token that was altered or never signed here (or signed
        with another SECRET_KEY), 410 ``export_link_expired`` once older than ``EXPORT_LINK_DAYS``,
        404 ``export_link_photo_missing`` when the photo is not stored for that inspection. Serves
        the display image only, never the original.
        """
        target = read_token(token)
        photo = photo_for_link(target.inspection_id, target.photo_uuid)
        if photo is None:
            raise NotFound("export_link_photo_missing")
        # The token is the credential: keep it out of referrers. On S3 a 302 to a presigned URL
        # valid for seconds, issued only after the token was checked.
        return stored_file_response(photo.display_key, "image/jpeg", cache_control="private, max-age=3600",
                                    headers={"Referrer-Policy": "no-referrer"})

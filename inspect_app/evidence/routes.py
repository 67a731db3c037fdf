"""Evidence API: upload each declared photo on its own (retryable), fetch photos by variant."""
from flask import request
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.database import commit_keeping_loaded
from inspect_app.core.errors import NotFound
from inspect_app.core.storage import stored_file_response
from inspect_app.evidence import operations
from inspect_app.evidence.fonts import cjk_font_status
from inspect_app.evidence.imaging import MIME_TYPES
from inspect_app.evidence.queries import get_inspection_for_upload, get_visible_photo
from inspect_app.evidence.schemas import PhotoUploadSchema

blp = Blueprint("evidence", __name__, url_prefix="/api", description="Photo evidence")

VARIANTS = {"original": "original_key", "display": "display_key", "thumb": "thumb_key"}


@blp.record_once
def find_watermark_font(state) -> None:
    """Look for a CJK font once at startup and say what was found (health reports it too)."""
    path, message = cjk_font_status(state.app.config.get("CJK_FONT_PATH"))
    state.app.extensions["cjk_font"] = path
    (state.app.logger.info if path else state.app.logger.warning)(message)


@blp.route("/inspections/<uuid:inspection_uuid>/photos/<uuid:photo_uuid>")
class PhotoUpload(MethodView):
    @roles_required("inspector")
    @blp.response(201, PhotoUploadSchema)
    @blp.alt_response(200, schema=PhotoUploadSchema, description="replay of a stored photo")
    def put(self, inspection_uuid, photo_uuid):
        """Upload the raw bytes of one declared photo; the same bytes again are a replay."""
        inspection = get_inspection_for_upload(current_user(), inspection_uuid)
        if inspection is None:
            raise NotFound()
        photo, created = operations.store_photo(current_user(), inspection, photo_uuid, request.get_data())
        # the answer is the photo and the inspection's completeness, written here under the inspection's lock
        commit_keeping_loaded()
        return {"photo": photo, "inspection": inspection}, 201 if created else 200


@blp.route("/photos/<uuid:photo_uuid>/<any(original, display, thumb):variant>")
class PhotoFile(MethodView):
    @roles_required("inspector", "supervisor", "enforcement", "admin")
    @blp.alt_response(302, description="PHOTO_STORAGE=s3 with S3_PRESIGNED_READS: Location is a presigned "
                      "URL of the bucket, valid for S3_PRESIGN_SECONDS", success=True)
    def get(self, photo_uuid, variant):
        """The photo's bytes, only for users allowed to see its inspection (on S3: a 302 to a
        short-lived presigned URL, issued after the same check)."""
        photo = get_visible_photo(current_user(), photo_uuid)
        if photo is None:
            raise NotFound()
        mimetype = MIME_TYPES[photo.format] if variant == "original" else "image/jpeg"
        return stored_file_response(getattr(photo, VARIANTS[variant]), mimetype,
                                    cache_control="private, max-age=86400, immutable")

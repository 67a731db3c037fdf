"""送达 API: the phone records service against its inspection's UUID (known offline) and uploads the
picture on its own; a supervisor records mail or left-at-site service from the desk."""
from __future__ import annotations

from flask import request
from flask.views import MethodView
from sqlalchemy import select

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards
from inspect_app.core.storage import stored_file_response
from inspect_app.evidence.imaging import MIME_TYPES
from inspect_app.extensions import db
from inspect_app.inspections.queries import get_visible_inspection
from inspect_app.notices import queries, service
from inspect_app.notices.models import NoticeService
from inspect_app.notices.schemas import DeskServiceSchema, FieldServiceSchema, ServiceSchema

blp = Blueprint("notice_service", __name__, url_prefix="/api",
                description="送达: serving notices (signed, refused, by mail, left at the site)")
READERS = ("inspector", "supervisor", "enforcement", "admin")


@blp.route("/inspections/<uuid:inspection_uuid>/service")
class InspectionService(MethodView):
    @roles_required("inspector")
    @blp.arguments(FieldServiceSchema)
    @blp.response(201, ServiceSchema)
    @blp.alt_response(200, schema=ServiceSchema, description="replay of a stored service record")
    def put(self, data, inspection_uuid):
        """Record service of the notice issued for this inspection (the same UUID and content again: 200)."""
        inspection = get_visible_inspection(current_user(), inspection_uuid)
        if inspection is None:
            raise NotFound()
        record, created = service.record_field_service(current_user(), inspection, data)
        db.session.commit()
        return record, 201 if created else 200


@blp.route("/notice-services/<uuid:service_uuid>/evidence")
class ServiceEvidence(MethodView):
    @roles_required("inspector")
    @blp.response(201, ServiceSchema)
    @blp.alt_response(200, schema=ServiceSchema, description="replay of a stored picture")
    def put(self, service_uuid):
        """Upload the declared picture's raw bytes: a PNG signature (≤ 512 KB) or a JPEG/HEIC refusal photo."""
        record = db.session.scalar(select(NoticeService).where(
            NoticeService.uuid == str(service_uuid), NoticeService.recorded_by_id == current_user().id))
        if record is None:
            raise NotFound()
        record, created = service.store_service_evidence(current_user(), record, request.get_data())
        db.session.commit()
        return record, 201 if created else 200


@blp.route("/notices/<int:notice_id>/service")
class NoticeServiceItem(MethodView):
    @roles_required(*READERS)
    @blp.response(200, ServiceSchema)
    def get(self, notice_id):
        """The notice's service record (404 while it is not served)."""
        return _service_or_404(notice_id)

    @roles_required("supervisor", "admin")
    @blp.arguments(DeskServiceSchema)
    @blp.response(201, ServiceSchema)
    @blp.alt_response(200, schema=ServiceSchema, description="replay of a stored service record")
    def post(self, data, notice_id):
        """Record service from the desk: by mail (邮寄) or left at the site (留置), with a note."""
        notice = queries.get_visible_notice(current_user(), notice_id)
        if notice is None:
            raise NotFound()
        record, created = service.record_desk_service(current_user(), notice, data)
        db.session.commit()
        return record, 201 if created else 200


@blp.route("/notices/<int:notice_id>/service/evidence")
class NoticeServiceEvidence(MethodView):
    @roles_required(*READERS)
    @blp.response(200, content_type="image/png", description="the signature or refusal photo as uploaded")
    @blp.alt_response(302, description="PHOTO_STORAGE=s3 with S3_PRESIGNED_READS: Location is a presigned "
                      "URL of the bucket, valid for S3_PRESIGN_SECONDS", success=True)
    def get(self, notice_id):
        """The service picture's original bytes (404 when there is none yet)."""
        record = _service_or_404(notice_id)
        if record.evidence_key is None:
            raise NotFound()
        return stored_file_response(record.evidence_key, MIME_TYPES[record.evidence_format],
                                    cache_control="private, max-age=86400, immutable")


def _service_or_404(notice_id: int) -> NoticeService:
    notice = queries.get_visible_notice(current_user(), notice_id)
    record = notice.service if notice is not None else None
    if record is None:
        raise NotFound()
    return record

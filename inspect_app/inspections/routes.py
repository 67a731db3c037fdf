"""Inspections API: submit exactly once, list, read one."""
from datetime import datetime

from flask import request
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate_capped
from inspect_app.extensions import db
from inspect_app.inspections import operations, queries
from inspect_app.inspections.schemas import InspectionListArgs, InspectionSchema, SubmissionSchema

blp = Blueprint("inspections", __name__, url_prefix="/api/inspections",
                description="Site inspections submitted from the phone")

InspectionPageSchema = paged_schema(InspectionSchema, "InspectionPage", capped=True)
READERS = ("inspector", "supervisor", "enforcement", "admin")


def _device_time(header: str | None) -> datetime | None:
    """The phone's clock at send time (ISO 8601 with offset); ignored when absent or unreadable."""
    if not header:
        return None
    try:
        value = datetime.fromisoformat(header)
    except ValueError:
        return None
    return value if value.tzinfo else None


@blp.route("")
class Inspections(MethodView):
    @roles_required(*READERS)
    @blp.arguments(InspectionListArgs, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, InspectionPageSchema)
    def get(self, args, page, page_size):
        """Own inspections for inspectors; the caller's units for everyone else (total capped)."""
        return paginate_capped(queries.list_inspections(current_user(), **args), page, page_size)

    @roles_required("inspector")
    @blp.arguments(SubmissionSchema)
    @blp.response(201, InspectionSchema)
    @blp.alt_response(200, schema=InspectionSchema, description="replay of an already stored inspection")
    def post(self, data):
        """Submit a finished checklist; the same UUID with the same content returns the stored one."""
        inspection, created = operations.submit_inspection(
            current_user(), data, device_time=_device_time(request.headers.get("X-Device-Time")))
        db.session.commit()
        return inspection, 201 if created else 200


@blp.route("/<uuid:inspection_uuid>")
class InspectionItem(MethodView):
    @roles_required(*READERS)
    @blp.response(200, InspectionSchema)
    def get(self, inspection_uuid):
        """One inspection with score, breakdown, flags and missing photos."""
        inspection = queries.get_visible_inspection(current_user(), inspection_uuid)
        if inspection is None:
            raise NotFound()
        return inspection

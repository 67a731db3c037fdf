"""Complaints API: entering hotline tickets, the list and one complaint, choosing the site, linking the
answering inspection, the reply (办结回复)."""
from __future__ import annotations

from flask.views import MethodView
from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.complaints import importer, operations, queries
from inspect_app.complaints.schemas import (
    ComplaintArgs,
    ComplaintFullSchema,
    ComplaintImportArgsSchema,
    ComplaintImportReportSchema,
    ComplaintInSchema,
    InspectionLinkSchema,
    ReplySchema,
    SiteChoiceSchema,
)
from inspect_app.core.errors import NotFound, ValidationFailed
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate
from inspect_app.core.parsing import Blueprint
from inspect_app.core.spreadsheet import uploaded_bytes
from inspect_app.extensions import db
from inspect_app.inspections.queries import get_visible_inspection
from inspect_app.sites.models import OPEN_SITE_STATUSES
from inspect_app.sites.queries import get_visible_site

blp = Blueprint("complaints", __name__, url_prefix="/api/complaints",
                description="投诉: hotline complaints (12345 / 12369 / 12319) and their handling")

READERS = ("inspector", "supervisor", "admin", "enforcement")
SUPERVISORS = ("supervisor", "admin")
ComplaintPageSchema = paged_schema(ComplaintFullSchema, "ComplaintPage")


def _complaint_or_404(complaint_id: int):
    complaint = queries.get_visible_complaint(current_user(), complaint_id)
    if complaint is None:
        raise NotFound()
    return complaint


@blp.route("")
class Complaints(MethodView):
    @roles_required(*READERS)
    @blp.arguments(ComplaintArgs, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, ComplaintPageSchema)
    def get(self, args, page, page_size):
        """Supervisors: their units' complaints (filters status, overdue); inspectors: open complaint tasks."""
        return paginate(queries.list_complaints(current_user(), **args), page, page_size)

    @roles_required(*SUPERVISORS)
    @blp.arguments(ComplaintInSchema)
    @blp.response(201, ComplaintFullSchema)
    @blp.alt_response(200, schema=ComplaintFullSchema, description="replay of the same ticket")
    def post(self, data):
        """Enter a hotline ticket; it is matched to the nearest site whose geofence contains it."""
        complaint, created = operations.enter(current_user(), data)
        db.session.commit()
        return complaint, 201 if created else 200


@blp.route("/import")
class ComplaintImport(MethodView):
    @roles_required(*SUPERVISORS)
    @blp.arguments(ComplaintImportArgsSchema, location="query")
    @blp.response(200, ComplaintImportReportSchema)
    @blp.alt_response(413, description="file above the import limit")
    @blp.alt_response(422, description="complaint_import_refused: details.errors lists each row")
    def post(self, args):
        """Import a day's hotline tickets (CSV or XLSX, multipart ``file`` or raw body) — all or nothing.

        Each row is entered as ``POST /api/complaints`` would; ``?dry_run=1`` checks without writing.
        """
        report = importer.import_complaints(current_user(), uploaded_bytes(importer.MAX_IMPORT_BYTES),
                                            dry_run=args["dry_run"])
        db.session.commit()
        return report


@blp.route("/<int:complaint_id>")
class ComplaintItem(MethodView):
    @roles_required(*READERS)
    @blp.response(200, ComplaintFullSchema)
    def get(self, complaint_id):
        """One complaint (the complainant's details for supervisors and admins only)."""
        return _complaint_or_404(complaint_id)


@blp.route("/<int:complaint_id>/site")
class ComplaintSite(MethodView):
    @roles_required(*SUPERVISORS)
    @blp.arguments(SiteChoiceSchema)
    @blp.response(200, ComplaintFullSchema)
    def post(self, data, complaint_id):
        """Resolve a complaint no site matched by choosing the site."""
        complaint = _complaint_or_404(complaint_id)
        site = get_visible_site(current_user(), data["site_id"])
        if site is None or site.status not in OPEN_SITE_STATUSES:  # a closed site gets no task
            raise ValidationFailed("complaint_site_unknown")
        operations.resolve_site(current_user(), complaint, site)
        db.session.commit()
        return complaint


@blp.route("/<int:complaint_id>/inspection")
class ComplaintInspection(MethodView):
    @roles_required("inspector", *SUPERVISORS)
    @blp.arguments(InspectionLinkSchema)
    @blp.response(200, ComplaintFullSchema)
    def post(self, data, complaint_id):
        """Link the inspection that answered the complaint (same site, finished after it was received)."""
        complaint = _complaint_or_404(complaint_id)
        inspection = get_visible_inspection(current_user(), str(data["inspection_uuid"]))
        operations.link_inspection(current_user(), complaint, inspection)
        db.session.commit()
        return complaint


@blp.route("/<int:complaint_id>/reply")
class ComplaintReply(MethodView):
    @roles_required(*SUPERVISORS)
    @blp.arguments(ReplySchema)
    @blp.response(200, ComplaintFullSchema)
    def post(self, data, complaint_id):
        """Record the reply to the hotline (办结回复) and close the complaint."""
        complaint = _complaint_or_404(complaint_id)
        operations.reply(current_user(), complaint, data["reply"])
        db.session.commit()
        return complaint

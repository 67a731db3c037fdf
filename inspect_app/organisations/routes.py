"""Organisations API: admins keep the records; supervisors read them. District-wide, like companies."""
from flask.views import MethodView

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound, ValidationFailed
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards
from inspect_app.extensions import db
from inspect_app.core import audit
from inspect_app.core.spreadsheet import download, uploaded_bytes
from inspect_app.organisations import importer, operations, queries
from inspect_app.organisations.schemas import (ExportArgs, ImportArgs, MergeSchema, OrganisationImportReportSchema,
                                               OrganisationInSchema, OrganisationOutSchema, OrganisationQuerySchema,
                                               OrganisationUpdateSchema)

blp = Blueprint("organisations", __name__, url_prefix="/api/organisations",
                description="Organisation records (建设/施工/监理单位)")

OrganisationPageSchema = paged_schema(OrganisationOutSchema, "OrganisationPage")
READERS = ("admin", "supervisor")


def _load(organisation_id: int):
    organisation = queries.get_organisation(organisation_id)
    if organisation is None:
        raise NotFound()
    return organisation


@blp.route("")
class Organisations(MethodView):
    @roles_required(*READERS)
    @blp.arguments(OrganisationQuerySchema, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, OrganisationPageSchema)
    def get(self, args, page, page_size):
        """Search organisations by name, credit code or address (merged duplicates left out)."""
        return paginate(queries.search_organisations(**args), page, page_size)

    @roles_required("admin")
    @blp.arguments(OrganisationInSchema)
    @blp.response(201, OrganisationOutSchema)
    def post(self, data):
        """Record an organisation (admin); a wrong credit code is refused with the reason."""
        organisation = operations.create_organisation(current_user(), data)
        db.session.commit()
        return organisation


@blp.route("/import")
class OrganisationImport(MethodView):
    @roles_required("admin")
    @blp.arguments(ImportArgs, location="query")
    @blp.response(200, OrganisationImportReportSchema)
    @blp.alt_response(413, description="file above the import limit")
    @blp.alt_response(422, description="organisation_import_refused: details.errors lists each row")
    def post(self, args):
        """Import organisation records (CSV or XLSX) — all or nothing, matched by credit code, then name."""
        data = uploaded_bytes(importer.MAX_IMPORT_BYTES, importer.CODE)
        report = importer.import_organisations(current_user(), data, dry_run=args["dry_run"])
        if not args["dry_run"]:
            db.session.commit()
        return report


@blp.route("/export")
class OrganisationExport(MethodView):
    @roles_required(*READERS)
    @blp.arguments(ExportArgs, location="query")
    @blp.response(200, description="XLSX or CSV (UTF-8 with BOM)", content_type="application/octet-stream")
    def get(self, args):
        """Every organisation record with the import's columns (the download is audited)."""
        data = importer.export_organisations(args["format"])
        audit.record(current_user(), "organisation.export", None, object_type="organisations",
                     object_id="export", after={"format": args["format"]})
        db.session.commit()
        return download(data, args["format"], "organisations")


@blp.route("/<int:organisation_id>")
class OrganisationItem(MethodView):
    @roles_required(*READERS)
    @blp.response(200, OrganisationOutSchema)
    def get(self, organisation_id):
        """One organisation record."""
        return _load(organisation_id)

    @roles_required("admin")
    @blp.arguments(OrganisationUpdateSchema(partial=True))
    @blp.response(200, OrganisationOutSchema)
    def patch(self, data, organisation_id):
        """Change an organisation's details (admin); before and after are audited."""
        organisation = operations.update_organisation(current_user(), _load(organisation_id), data)
        db.session.commit()
        return organisation


@blp.route("/<int:organisation_id>/merge")
class OrganisationMerge(MethodView):
    @roles_required("admin")
    @blp.arguments(MergeSchema)
    @blp.response(200, OrganisationOutSchema)
    def post(self, data, organisation_id):
        """Merge ``duplicate_id`` into this organisation (admin): its sites and their cases move here."""
        duplicate = queries.get_organisation(data["duplicate_id"])
        if duplicate is None:
            raise ValidationFailed("unknown_organisation", id=data["duplicate_id"])
        survivor = operations.merge_organisations(current_user(), _load(organisation_id), duplicate)
        db.session.commit()
        return survivor

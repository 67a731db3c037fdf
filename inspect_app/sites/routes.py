"""Sites API: everyone lists the sites of their units (nearest first on request); admins manage."""
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.models import ALL_ROLES
from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound, ValidationFailed
from inspect_app.core.geo import to_wgs84
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate
from inspect_app.extensions import db
from inspect_app.core import audit
from inspect_app.core.spreadsheet import download, uploaded_bytes
from inspect_app.sites import importer, operations, queries
from inspect_app.sites.registry_export import export_sites
from inspect_app.sites.schemas import (CloseSchema, PhaseChangeSchema, RegistryExportArgs, RegistryImportArgs,
                                      SiteImportReportSchema, SiteInSchema, SiteOutSchema, SiteQuerySchema,
                                      SiteUpdateSchema)

blp = Blueprint("sites", __name__, url_prefix="/api/sites", description="Construction sites")

SitePageSchema = paged_schema(SiteOutSchema, "SitePage")


def _parse_near(text: str | None, datum: str) -> tuple[float, float] | None:
    if not text:
        return None
    try:
        lat_s, lon_s = text.split(",")
        lat, lon = float(lat_s), float(lon_s)
    except ValueError as exc:
        raise ValidationFailed("bad_near") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationFailed("bad_near")
    return to_wgs84(lat, lon, datum)


def _load_site(site_id: int):
    site = queries.get_visible_site(current_user(), site_id)
    if site is None:
        raise NotFound()
    return site


@blp.route("")
class Sites(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.arguments(SiteQuerySchema, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, SitePageSchema)
    def get(self, args, page, page_size):
        """List sites in the caller's units; ``near=lat,lon`` orders nearest first with metres."""
        near = _parse_near(args.pop("near"), args.pop("datum"))
        stmt = queries.search_sites(current_user(), near=near, **args)
        result = paginate(stmt, page, page_size)
        if near:
            result["items"] = queries.with_distances(result["items"], near)
        return result

    @roles_required("admin")
    @blp.arguments(SiteInSchema)
    @blp.response(201, SiteOutSchema)
    def post(self, data):
        """Register a site (admin)."""
        site = operations.create_site(current_user(), data)
        db.session.commit()
        return site


@blp.route("/import")
class SiteImport(MethodView):
    @roles_required("admin")
    @blp.arguments(RegistryImportArgs, location="query")
    @blp.response(200, SiteImportReportSchema)
    @blp.alt_response(413, description="file above the import limit")
    @blp.alt_response(422, description="site_import_refused: details.errors lists each row")
    def post(self, args):
        """Import the site registry (CSV or XLSX, multipart ``file`` or raw body) — all or nothing.

        A row updates the site of the same name in the same unit, else registers one; parties are
        credit codes or names (an unknown name becomes a new organisation record).
        """
        data = uploaded_bytes(importer.MAX_IMPORT_BYTES, importer.CODE)
        report = importer.import_sites(current_user(), data, dry_run=args["dry_run"])
        if not args["dry_run"]:
            db.session.commit()
        return report


@blp.route("/export")
class SiteExport(MethodView):
    @roles_required("admin", "supervisor")
    @blp.arguments(RegistryExportArgs, location="query")
    @blp.response(200, description="XLSX or CSV (UTF-8 with BOM)", content_type="application/octet-stream")
    def get(self, args):
        """The registry of the caller's sites with the import's columns (the download is audited)."""
        data = export_sites(current_user(), args["format"])
        audit.record(current_user(), "site.export", None, object_type="sites", object_id="export",
                     after={"format": args["format"]})
        db.session.commit()
        return download(data, args["format"], "sites")


@blp.route("/<int:site_id>")
class SiteItem(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.response(200, SiteOutSchema)
    def get(self, site_id):
        """One site, if it is in the caller's units."""
        return _load_site(site_id)

    @roles_required("admin")
    @blp.arguments(SiteUpdateSchema(partial=True))
    @blp.response(200, SiteOutSchema)
    def patch(self, data, site_id):
        """Change a site's details, phase or status (admin)."""
        site = operations.update_site(current_user(), _load_site(site_id), data)
        db.session.commit()
        return site


@blp.route("/<int:site_id>/close")
class SiteClose(MethodView):
    @roles_required("admin")
    @blp.arguments(CloseSchema(), required=False)
    @blp.response(200, SiteOutSchema)
    def post(self, data, site_id):
        """Close a site (admin), optionally with a reason; its history stays."""
        site = operations.close_site(current_user(), _load_site(site_id), (data or {}).get("reason"))
        db.session.commit()
        return site


@blp.route("/<int:site_id>/phases")
class SitePhases(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.response(200, PhaseChangeSchema(many=True))
    def get(self, site_id):
        """The site's phase history, oldest first (which phase a past inspection saw)."""
        return queries.phase_history(_load_site(site_id))

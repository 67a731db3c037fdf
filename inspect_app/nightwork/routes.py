"""Night-work permits API: everyone who sees the site reads its permits (inspectors at the gate at night);
supervisors and admins of the site's unit record, correct, revoke and import them."""
from __future__ import annotations

from flask.views import MethodView

from inspect_app.auth.models import ALL_ROLES
from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.parsing import Blueprint
from inspect_app.core.spreadsheet import uploaded_bytes
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.extensions import db
from inspect_app.nightwork import importer, operations, queries
from inspect_app.nightwork.rules import covers
from inspect_app.nightwork.schemas import (PermitImportArgsSchema, PermitImportReportSchema, NightPermitInSchema,
                                           NightPermitListSchema, NightPermitSchema, NightPermitUpdateSchema,
                                           PermitListArgs, RevokeSchema)
from inspect_app.sites.queries import get_visible_site

blp = Blueprint("nightwork", __name__, url_prefix="/api", description="夜间施工证明: night-work permits per site")

WRITERS = ("supervisor", "admin")


def _site_or_404(site_id: int):
    site = get_visible_site(current_user(), site_id)
    if site is None:
        raise NotFound()
    return site


def _permit_or_404(permit_id: int):
    permit = queries.get_visible_permit(current_user(), permit_id)
    if permit is None:
        raise NotFound()
    return permit


def _valid_at(permits, at):
    return {"items": [p for p in permits if at is None or covers(p, at)]}


@blp.route("/sites/<int:site_id>/night-permits")
class SitePermits(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.arguments(PermitListArgs, location="query")
    @blp.response(200, NightPermitListSchema)
    def get(self, args, site_id):
        """Every permit of the site, latest first; ``valid_at`` keeps those allowing work at that instant."""
        return _valid_at(queries.site_permits(_site_or_404(site_id)), args["valid_at"])

    @roles_required(*WRITERS)
    @blp.arguments(NightPermitInSchema)
    @blp.response(201, NightPermitSchema)
    def post(self, data, site_id):
        """Record a night-work permit (overlapping permits allowed; the number is unique per site)."""
        permit = operations.create_permit(current_user(), _site_or_404(site_id), data)
        db.session.commit()
        return permit


@blp.route("/night-permits")
class CurrentPermits(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.arguments(PermitListArgs, location="query")
    @blp.response(200, NightPermitListSchema)
    def get(self, args):
        """Permits not revoked and not over of the open sites the caller sees — what a phone keeps offline."""
        permits = db.session.scalars(queries.current_permits(current_user(), to_local(utcnow()).date()))
        return _valid_at(list(permits), args["valid_at"])


@blp.route("/night-permits/import")
class PermitImport(MethodView):
    @roles_required(*WRITERS)
    @blp.arguments(PermitImportArgsSchema, location="query")
    @blp.response(200, PermitImportReportSchema)
    @blp.alt_response(413, description="file above the import limit")
    @blp.alt_response(422, description="night_permit_import_refused: details.errors lists each row")
    def post(self, args):
        """Import permits (CSV or XLSX with Chinese headers, multipart ``file`` or raw body) — all or nothing.

        Permits are matched by site and 证明编号: a known one is updated, a new one created. ``?dry_run=1``
        checks the file and reports what would change without writing.
        """
        data = uploaded_bytes(importer.MAX_IMPORT_BYTES, importer.CODE)
        report = importer.import_permits(current_user(), data,
                                         dry_run=args["dry_run"])
        if not args["dry_run"]:
            db.session.commit()
        return report


@blp.route("/night-permits/<int:permit_id>")
class PermitItem(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.response(200, NightPermitSchema)
    def get(self, permit_id):
        """One permit, if its site is in the caller's units."""
        return _permit_or_404(permit_id)

    @roles_required(*WRITERS)
    @blp.arguments(NightPermitUpdateSchema(partial=True))
    @blp.response(200, NightPermitSchema)
    def patch(self, data, permit_id):
        """Correct a permit's details (audited with before and after); a revoked permit is 409."""
        permit = operations.update_permit(current_user(), _permit_or_404(permit_id), data)
        db.session.commit()
        return permit


@blp.route("/night-permits/<int:permit_id>/revoke")
class PermitRevoke(MethodView):
    @roles_required(*WRITERS)
    @blp.arguments(RevokeSchema)
    @blp.response(200, NightPermitSchema)
    def post(self, data, permit_id):
        """Revoke a permit from now on, with a reason; it covers no later night."""
        permit = operations.revoke_permit(current_user(), _permit_or_404(permit_id), data["reason"])
        db.session.commit()
        return permit

"""Stop-work orders of a site and its resumption (复工): read by everyone who sees the site;
the application and the approval are recorded by a supervisor of the site's unit (or an admin)."""
from flask.views import MethodView

from inspect_app.auth.models import ALL_ROLES
from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.i18n import translate
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards
from inspect_app.extensions import db
from inspect_app.sites.queries import get_visible_site
from inspect_app.suspensions import operations, queries
from inspect_app.suspensions.schemas import ResumptionStepSchema, SiteSuspensionsSchema

blp = Blueprint("suspensions", __name__, url_prefix="/api/sites",
                description="Stop-work orders (停工整治) and resumption (复工)")

SUPERVISORS = ("supervisor", "admin")


def _site(site_id: int):
    site = get_visible_site(current_user(), site_id)
    if site is None:
        raise NotFound()
    return site


def _view(site) -> dict:
    rows = queries.site_suspensions(site.id)
    for row in rows:
        row.status_label = translate(f"suspension_{row.status}")
    return {"site_id": site.id, "site_status": site.status,
            "suspension_order_number": site.suspension_order_number, "suspensions": rows}


@blp.route("/<int:site_id>/suspensions")
class SiteSuspensions(MethodView):
    @roles_required(*ALL_ROLES)
    @blp.response(200, SiteSuspensionsSchema)
    def get(self, site_id):
        """The site's status and its stop-work orders with their resumption steps, newest first."""
        return _view(_site(site_id))


@blp.route("/<int:site_id>/resumption/application")
class ResumptionApplication(MethodView):
    @roles_required(*SUPERVISORS)
    @blp.arguments(ResumptionStepSchema)
    @blp.response(201, SiteSuspensionsSchema)
    def post(self, data, site_id):
        """Record the suspended site's application to resume work (复工申请)."""
        site = _site(site_id)
        operations.apply_for_resumption(current_user(), site, data.get("note"))
        db.session.commit()
        return _view(site)


@blp.route("/<int:site_id>/resumption/approval")
class ResumptionApproval(MethodView):
    @roles_required(*SUPERVISORS)
    @blp.arguments(ResumptionStepSchema)
    @blp.response(201, SiteSuspensionsSchema)
    def post(self, data, site_id):
        """Approve resumption after a passing inspection since the application: the site is active again."""
        site = _site(site_id)
        operations.approve_resumption(current_user(), site, data.get("note"))
        db.session.commit()
        return _view(site)

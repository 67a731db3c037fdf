"""Violations (整改) and the penalty-case queue, read-only here."""
from flask.views import MethodView
from flask_smorest import Blueprint

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate
from inspect_app.penalties import queries
from inspect_app.penalties.schemas import CaseArgs, PenaltyCaseSchema, ViolationArgs, ViolationSchema

blp = Blueprint("penalties", __name__, url_prefix="/api", description="Violations and penalty cases")

ViolationPage = paged_schema(ViolationSchema, "ViolationPage")
CasePage = paged_schema(PenaltyCaseSchema, "PenaltyCasePage")


@blp.route("/violations")
class Violations(MethodView):
    @roles_required("inspector", "supervisor", "enforcement", "admin")
    @blp.arguments(ViolationArgs, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, ViolationPage)
    def get(self, args, page, page_size):
        """Violations in the caller's units, most urgent deadline first."""
        return paginate(queries.list_violations(current_user(), **args), page, page_size)


@blp.route("/penalty-cases")
class PenaltyCases(MethodView):
    @roles_required("supervisor", "enforcement", "admin")
    @blp.arguments(CaseArgs, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, CasePage)
    def get(self, args, page, page_size):
        """The penalty queue for the caller's units (enforcement sees the district)."""
        return paginate(queries.list_cases(current_user(), **args), page, page_size)

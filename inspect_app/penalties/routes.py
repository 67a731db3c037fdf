"""Violations (整改) and the penalty-case queue: lists, one case's page, and moving a case."""
from urllib.parse import quote

from flask import Response
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate
from inspect_app.extensions import db
from inspect_app.penalties import operations, queries
from inspect_app.penalties.decision_document import render_decision
from inspect_app.penalties.schemas import (
    CaseArgs,
    CaseDetailSchema,
    PenaltyCaseSchema,
    TransitionSchema,
    ViolationArgs,
    ViolationSchema,
)

blp = Blueprint("penalties", __name__, url_prefix="/api", description="Violations and penalty cases")

ViolationPage = paged_schema(ViolationSchema, "ViolationPage")
CasePage = paged_schema(PenaltyCaseSchema, "PenaltyCasePage")
CASE_READERS = ("supervisor", "enforcement", "admin")


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
    @roles_required(*CASE_READERS)
    @blp.arguments(CaseArgs, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, CasePage)
    def get(self, args, page, page_size):
        """The penalty queue for the caller's units (enforcement sees the district)."""
        return paginate(queries.list_cases(current_user(), **args), page, page_size)


@blp.route("/penalty-cases/<int:case_id>")
class PenaltyCaseItem(MethodView):
    @roles_required(*CASE_READERS)
    @blp.response(200, CaseDetailSchema)
    def get(self, case_id):
        """A case's page: site, contractor, items with legal basis and fine range, evidence, history.

        Inspectors are refused: cases are the supervisors' and the bureau's work.
        """
        case = queries.get_visible_case(current_user(), case_id)
        if case is None:
            raise NotFound()
        return queries.case_view(current_user(), case)


@blp.route("/penalty-cases/<int:case_id>/transitions")
class PenaltyCaseTransitions(MethodView):
    @roles_required(*CASE_READERS)
    @blp.arguments(TransitionSchema)
    @blp.response(201, CaseDetailSchema)
    @blp.alt_response(200, schema=CaseDetailSchema, description="a retry: the case was already moved")
    def post(self, data, case_id):
        """Move a case along the queue; who may make which move is decided by penalties.workflow."""
        user = current_user()
        # no row lock: operations.transition_case moves the case by compare-and-set on its state
        case = queries.get_visible_case(user, case_id)
        if case is None:
            raise NotFound()
        target, request_id = data.pop("to"), data.pop("request_id")
        case, moved = operations.transition_case(user, case, target, data, request_id=request_id)
        db.session.commit()
        return queries.case_view(user, case), 201 if moved else 200


@blp.route("/penalty-cases/<int:case_id>/decision.pdf")
class PenaltyCaseDecisionPdf(MethodView):
    @roles_required(*CASE_READERS)
    @blp.response(200, content_type="application/pdf", description="the 行政处罚决定书 as an A4 PDF")
    @blp.alt_response(409, response="PROBLEM_409", description="decision_pdf_not_final: the case has no final "
                      "decision yet (pending, a reduction awaiting its second approver, or never decided)")
    def get(self, case_id):
        """The case's decision document (处罚决定书), once decided; 409 while there is no final decision."""
        case = queries.get_visible_case(current_user(), case_id)
        if case is None:
            raise NotFound()
        pdf, sha256 = render_decision(case)
        response = Response(pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = (
            f"inline; filename=\"decision-{case_id}.pdf\"; filename*=UTF-8''{quote(case.decision_number + '.pdf')}")
        response.headers["X-Content-SHA256"] = sha256
        return response

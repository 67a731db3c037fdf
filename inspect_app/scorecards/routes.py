"""Scorecards API: which sites need attention, one site's page, and the rankings (read-only)."""
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.pagination import PageArgsSchema, paged_schema
from inspect_app.core.timeutil import utcnow
from inspect_app.scorecards import messages  # noqa: F401  (registers strings)
from inspect_app.scorecards.queries import ScorecardFilters, scorecard_item, scorecard_page, site_summaries
from inspect_app.scorecards.rankings import rankings
from inspect_app.scorecards.schemas import (
    RankingArgs,
    RankingSchema,
    ScorecardArgs,
    ScorecardSchema,
    SiteScorecardArgs,
    SiteScorecardSchema,
    SiteSummaryArgs,
    SiteSummaryListSchema,
    OrganisationOverviewSchema,
)
from inspect_app.organisations.queries import get_organisation
from inspect_app.scorecards.organisation_page import organisation_page
from inspect_app.scorecards.site_page import site_scorecard
from inspect_app.sites.queries import get_visible_site

blp = Blueprint("scorecards", __name__, url_prefix="/api/scorecards", description="Site scorecards")

summaries_blp = Blueprint("site_summaries", __name__, url_prefix="/api/sites",
                          description="Last score and open violations for the inspector's site list")
API_BLUEPRINTS = (summaries_blp,)

ScorecardPage = paged_schema(ScorecardSchema, "ScorecardPage")
DESK_ROLES = ("supervisor", "enforcement", "admin")


@blp.route("")
class Scorecards(MethodView):
    @roles_required(*DESK_ROLES)
    @blp.arguments(ScorecardArgs, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, ScorecardPage)
    def get(self, args, page, page_size):
        """Every site in the caller's units with its figures, so supervisors see where to go next.

        Sorted by ``sort`` (default: lowest latest score first); the query count does not depend on
        the number of sites.
        """
        now = utcnow()
        sort = args.pop("sort")
        result = scorecard_page(current_user(), now, ScorecardFilters(**args), sort, page, page_size)
        result["items"] = [scorecard_item(row, now) for row in result["items"]]
        return result


@blp.route("/<int:site_id>")
class SiteScorecard(MethodView):
    @roles_required(*DESK_ROLES)
    @blp.arguments(SiteScorecardArgs, location="query")
    @blp.response(200, SiteScorecardSchema)
    def get(self, args, site_id):
        """One site's page: score history, evidence, flags in words, open violations, map link."""
        site = get_visible_site(current_user(), site_id)
        if site is None:
            raise NotFound()
        return site_scorecard(current_user(), site, utcnow(), history_days=args["history_days"])


@blp.route("/organisations/<int:organisation_id>")
class OrganisationPage(MethodView):
    @roles_required("admin", "supervisor")
    @blp.response(200, OrganisationOverviewSchema)
    def get(self, organisation_id):
        """One organisation's page: its sites in the caller's units with scores, violations, cases."""
        organisation = get_organisation(organisation_id)
        if organisation is None:
            raise NotFound()
        return organisation_page(current_user(), organisation, utcnow())


@blp.route("/rankings")
class Rankings(MethodView):
    @roles_required(*DESK_ROLES)
    @blp.arguments(RankingArgs, location="query")
    @blp.response(200, RankingSchema)
    def get(self, args):
        """Contractors or units ranked by average score and repeat violations over ``days``."""
        items = rankings(current_user(), args["by"], utcnow(), args["days"])
        return {"by": args["by"], "days": args["days"], "items": items}


@summaries_blp.route("/summaries")
class SiteSummaries(MethodView):
    @roles_required("inspector", *DESK_ROLES)
    @summaries_blp.arguments(SiteSummaryArgs, location="query")
    @summaries_blp.response(200, SiteSummaryListSchema)
    def get(self, args):
        """Last score, grade and open/overdue violations of the listed sites the caller may see."""
        return {"items": site_summaries(current_user(), utcnow(), args["ids"])}

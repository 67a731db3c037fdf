"""Roadside checks API: submit a muck-truck check exactly once, list and read checks, repeat offenders."""
from datetime import datetime

from flask import request
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.pagination import PageArgsSchema, paged_schema, paginate
from inspect_app.core.timeutil import utcnow
from inspect_app.extensions import db
from inspect_app.roadside import operations, queries
from inspect_app.roadside.schemas import (
    RepeatOffenderArgs,
    RepeatOffendersSchema,
    RoadsideCheckSchema,
    RoadsideListArgs,
    RoadsideSubmissionSchema,
)

blp = Blueprint("roadside", __name__, url_prefix="/api", description="Roadside muck-truck checks (渣土车路检)")

RoadsidePageSchema = paged_schema(RoadsideCheckSchema, "RoadsideCheckPage")
READERS = ("inspector", "supervisor", "enforcement", "admin")
DESK_ROLES = ("supervisor", "enforcement", "admin")


def _device_time(header: str | None) -> datetime | None:
    """The phone's clock at send time (ISO 8601 with offset); ignored when absent or unreadable."""
    if not header:
        return None
    try:
        value = datetime.fromisoformat(header)
    except ValueError:
        return None
    return value if value.tzinfo else None


@blp.route("/roadside-checks")
class RoadsideChecks(MethodView):
    @roles_required(*READERS)
    @blp.arguments(RoadsideListArgs, location="query")
    @blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
    @blp.response(200, RoadsidePageSchema)
    def get(self, args, page, page_size):
        """Own checks for inspectors, the caller's units for supervisors, all for enforcement and admins."""
        return paginate(queries.list_roadside_checks(current_user(), **args), page, page_size)

    @roles_required("inspector")
    @blp.arguments(RoadsideSubmissionSchema)
    @blp.response(201, RoadsideCheckSchema)
    @blp.alt_response(200, schema=RoadsideCheckSchema, description="replay of an already stored check")
    def post(self, data):
        """Submit a finished truck check; the same UUID with the same content returns the stored one.

        An unknown or unfiled plate, and a load above the rated load, are failed by the server
        (``server_findings`` says why); violations and cases are opened in the same transaction.
        """
        inspection, created = operations.submit_roadside_check(
            current_user(), data, device_time=_device_time(request.headers.get("X-Device-Time")))
        db.session.commit()
        return inspection, 201 if created else 200


@blp.route("/roadside-checks/<uuid:check_uuid>")
class RoadsideCheckItem(MethodView):
    @roles_required(*READERS)
    @blp.response(200, RoadsideCheckSchema)
    def get(self, check_uuid):
        """One truck check with its findings, load, vehicle, company, origin site and cases."""
        inspection = queries.get_visible_roadside_check(current_user(), check_uuid)
        if inspection is None:
            raise NotFound()
        return inspection


@blp.route("/roadside/repeat-offenders")
class RepeatOffenders(MethodView):
    @roles_required(*DESK_ROLES)
    @blp.arguments(RepeatOffenderArgs, location="query")
    @blp.response(200, RepeatOffendersSchema)
    def get(self, args):
        """Vehicles and companies with the most failed checks in the last ``days`` days, for follow-up."""
        return queries.repeat_offenders(current_user(), utcnow(), **args)

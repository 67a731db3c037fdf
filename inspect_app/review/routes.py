"""Review of inspections by supervisors, its history, and each role's waiting-work counts."""
from flask.views import MethodView
from inspect_app.core.parsing import Blueprint  # flask-smorest's, with the API-wide input guards

from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.extensions import db
from inspect_app.inspections.queries import get_visible_inspection
from inspect_app.review import operations, queries
from inspect_app.review.schemas import (
    NotificationCountsSchema,
    ReviewArgs,
    ReviewHistorySchema,
    ReviewResultSchema,
)

blp = Blueprint("review", __name__, url_prefix="/api", description="Inspection review and waiting work")


def _visible_or_404(uuid):
    inspection = get_visible_inspection(current_user(), uuid)
    if inspection is None:
        raise NotFound()
    return inspection


@blp.route("/inspections/<uuid:inspection_uuid>/review")
class InspectionReview(MethodView):
    @roles_required("supervisor", "admin")
    @blp.arguments(ReviewArgs)
    @blp.response(201, ReviewResultSchema)
    @blp.alt_response(200, schema=ReviewResultSchema, description="the same decision again: nothing new")
    def post(self, data, inspection_uuid):
        """A supervisor's decision on an inspection in their units (another unit's is not found)."""
        inspection = _visible_or_404(inspection_uuid)
        event, created = operations.review_inspection(current_user(), inspection, **data)
        db.session.commit()
        return {"review": event, "inspection": inspection}, 201 if created else 200


@blp.route("/inspections/<uuid:inspection_uuid>/reviews")
class InspectionReviewHistory(MethodView):
    @roles_required("inspector", "supervisor", "enforcement", "admin")
    @blp.response(200, ReviewHistorySchema)
    def get(self, inspection_uuid):
        """Every review of the inspection, its original and its corrections, for whoever may see it."""
        return queries.review_history(_visible_or_404(inspection_uuid))


@blp.route("/notifications/counts")
class NotificationCounts(MethodView):
    @roles_required("inspector", "supervisor", "enforcement", "admin")
    @blp.response(200, NotificationCountsSchema)
    def get(self):
        """How much work waits for the caller, for the badge on each role's home screen."""
        user = current_user()
        counts = queries.notification_counts(user)
        return {"role": user.role, "counts": counts, "total": sum(counts.values())}

"""Follow-ups API: the caller's 复查 list, one task, recording a follow-up, reassigning; and a
supervisor closing a violation that can never be re-checked."""
from __future__ import annotations

from datetime import datetime

from flask import request
from flask.views import MethodView

from inspect_app.auth.models import User
from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.core.errors import NotFound
from inspect_app.core.parsing import Blueprint
from inspect_app.extensions import db
from inspect_app.followups import operations, queries
from inspect_app.followups.schemas import (
    AssigneeSchema,
    ClosureResultSchema,
    ClosureSchema,
    FollowUpArgs,
    FollowUpListSchema,
    FollowUpSchema,
    FollowUpSubmissionSchema,
)
from inspect_app.inspections.schemas import InspectionSchema

blp = Blueprint("followups", __name__, url_prefix="/api/follow-ups",
                description="复查: follow-up tasks of notices, recorded as short inspections")
closures = Blueprint("violation_closures", __name__, url_prefix="/api/violations",
                     description="Closing violations that can never be re-checked")
API_BLUEPRINTS = (closures,)

READERS = ("inspector", "supervisor", "admin")
SUPERVISORS = ("supervisor", "admin")


def _task_or_404(follow_up_id: int):
    task = queries.get_visible_follow_up(current_user(), follow_up_id)
    if task is None:
        raise NotFound()
    return task


def _view(task):
    return queries.task_views([task])[0]


def _device_time(header: str | None) -> datetime | None:
    try:
        value = datetime.fromisoformat(header) if header else None
    except ValueError:
        return None
    return value if value is not None and value.tzinfo else None


@blp.route("")
class FollowUps(MethodView):
    @roles_required(*READERS)
    @blp.arguments(FollowUpArgs, location="query")
    @blp.response(200, FollowUpListSchema)
    def get(self, args):
        """Open follow-ups assigned to the caller (or of their units), by due date, with 今日/逾期 counts."""
        views = queries.open_tasks(current_user(), all_units=args["all_units"])
        counts = {name: sum(1 for v in views if v.bucket == name) for name in queries.BUCKETS}
        return {"counts": counts, "items": views}


@blp.route("/<int:follow_up_id>")
class FollowUpItem(MethodView):
    @roles_required(*READERS)
    @blp.response(200, FollowUpSchema)
    def get(self, follow_up_id):
        """One follow-up: its notice's items with their status, the visits so far."""
        return _view(_task_or_404(follow_up_id))


@blp.route("/<int:follow_up_id>/inspections")
class FollowUpInspections(MethodView):
    @roles_required("inspector")
    @blp.arguments(FollowUpSubmissionSchema)
    @blp.response(201, InspectionSchema)
    @blp.alt_response(200, schema=InspectionSchema, description="replay of an already stored follow-up")
    def post(self, data, follow_up_id):
        """Record the follow-up (exactly once by its UUID); photos then go to /api/inspections/<uuid>/photos."""
        task = _task_or_404(follow_up_id)
        inspection, created = operations.record_follow_up(
            current_user(), task, data, device_time=_device_time(request.headers.get("X-Device-Time")))
        db.session.commit()
        return inspection, 201 if created else 200


@blp.route("/<int:follow_up_id>/assignee")
class FollowUpAssignee(MethodView):
    @roles_required(*SUPERVISORS)
    @blp.arguments(AssigneeSchema)
    @blp.response(200, FollowUpSchema)
    def post(self, data, follow_up_id):
        """Give the follow-up to another inspector of its unit (audited)."""
        task = _task_or_404(follow_up_id)
        operations.reassign(current_user(), task, db.session.get(User, data["assignee_id"]))
        db.session.commit()
        return _view(task)


@closures.route("/<int:violation_id>/close")
class ViolationClose(MethodView):
    @roles_required(*SUPERVISORS)
    @closures.arguments(ClosureSchema)
    @closures.response(201, ClosureResultSchema)
    def post(self, data, violation_id):
        """Close a violation that can never be re-checked (ozone item after 30 Sep, a phase that has
        moved on), with the reason and evidence; the follow-ups of its notices are settled."""
        violation = queries.get_visible_violation(current_user(), violation_id)
        if violation is None:
            raise NotFound()
        closure = operations.close_violation(current_user(), violation, data)
        db.session.commit()
        return closure

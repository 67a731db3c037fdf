"""Today's list API: the inspector's day in route order, skipping a stop; supervisors' assignments,
coverage targets and the week's coverage."""
from __future__ import annotations

from datetime import date

from flask import current_app
from flask.views import MethodView
from sqlalchemy import select

from inspect_app.auth.models import User
from inspect_app.auth.permissions import current_user, roles_required
from inspect_app.auth.queries import user_may_see_unit
from inspect_app.core.errors import NotFound, ValidationFailed
from inspect_app.core.models import Unit
from inspect_app.core.parsing import Blueprint
from inspect_app.core.timeutil import iso_week_of, parse_iso_week, to_local, utcnow
from inspect_app.extensions import db
from inspect_app.sites.models import Site
from inspect_app.sites.queries import get_visible_site, visible_sites
from inspect_app.today import operations
from inspect_app.today.day import build_day
from inspect_app.today.models import Assignment
from inspect_app.today.schemas import (
    AssignmentArgs, AssignmentCreateSchema, AssignmentListSchema, AssignmentSchema, CoverageArgs,
    CoverageSchema, CoverageTargetResultSchema, CoverageTargetSchema, SkipResultSchema, SkipSchema,
    TodayArgs, TodaySchema,
)
from inspect_app.today.weekly import units_of, week_coverage

blp = Blueprint("today", __name__, url_prefix="/api/today", description="今日任务: the inspector's day and its route")
desk = Blueprint("assignments", __name__, url_prefix="/api",
                 description="Assignments of sites to inspectors, coverage targets and weekly coverage")
API_BLUEPRINTS = (desk,)

SUPERVISORS = ("supervisor", "admin")


def _local_today() -> date:
    return to_local(utcnow()).date()


def _inspector_for(args) -> User:
    """The caller's own day, or (supervisors) the day of an inspector of their units."""
    user = current_user()
    if user.role == "inspector":
        return user
    if args["inspector_id"] is None:
        raise ValidationFailed("today_inspector_required")
    inspector = db.session.get(User, args["inspector_id"])
    if inspector is None or inspector.role != "inspector" or not (
            user.sees_all_units or set(inspector.unit_ids) & set(user.unit_ids)):
        raise NotFound()
    return inspector


@blp.route("")
class Today(MethodView):
    @roles_required("inspector", *SUPERVISORS)
    @blp.arguments(TodayArgs, location="query")
    @blp.response(200, TodaySchema)
    def get(self, args):
        """The day's stops: to visit (in route order from lat/lon, with legs and total), done, skipped."""
        inspector = _inspector_for(args)
        position = (args["lat"], args["lon"]) if args["lat"] is not None else None
        day_size = current_app.config["TODAY_DAY_SIZE"]
        day = build_day(inspector, args["date"] or _local_today(), utcnow(), position=position, day_size=day_size)
        return {**day, "inspector_id": inspector.id, "day_size": day_size}


@blp.route("/skips")
class Skips(MethodView):
    @roles_required("inspector")
    @blp.arguments(SkipSchema)
    @blp.response(201, SkipResultSchema)
    @blp.alt_response(200, schema=SkipResultSchema, description="replay of an already stored skip")
    def post(self, data):
        """Skip a stop of the day with a reason (exactly once by its UUID; audited, shown to supervisors)."""
        site = get_visible_site(current_user(), data["site_id"])
        if site is None:
            raise ValidationFailed("skip_site_unknown")
        data["uuid"] = str(data["uuid"])
        skip, created = operations.record_skip(current_user(), site, data)
        db.session.commit()
        return skip, 201 if created else 200


@desk.route("/assignments")
class Assignments(MethodView):
    @roles_required(*SUPERVISORS)
    @desk.arguments(AssignmentArgs, location="query")
    @desk.response(200, AssignmentListSchema)
    def get(self, args):
        """Active assignments of the caller's units (on a day, of an inspector)."""
        stmt = select(Assignment).join(Site, Assignment.site_id == Site.id).where(Assignment.status == "active")
        stmt = stmt.where(Site.id.in_(visible_sites(current_user()).with_only_columns(Site.id)))
        if args["date"]:
            stmt = stmt.where(Assignment.start_on <= args["date"], Assignment.end_on >= args["date"])
        if args["inspector_id"]:
            stmt = stmt.where(Assignment.inspector_id == args["inspector_id"])
        return {"items": list(db.session.scalars(stmt.order_by(Assignment.start_on, Assignment.id).limit(500)))}

    @roles_required(*SUPERVISORS)
    @desk.arguments(AssignmentCreateSchema)
    @desk.response(201, AssignmentListSchema)
    def post(self, data):
        """Assign sites of the caller's units to an inspector for a day or a range of days (audited)."""
        user = current_user()
        sites = [get_visible_site(user, site_id) for site_id in dict.fromkeys(data["site_ids"])]
        if any(site is None for site in sites):
            raise NotFound()
        created = operations.assign_sites(user, db.session.get(User, data["inspector_id"]), sites,
                                          data["start_on"], data["end_on"] or data["start_on"], data["note"])
        db.session.commit()
        return {"items": created}


@desk.route("/assignments/<int:assignment_id>")
class AssignmentItem(MethodView):
    @roles_required(*SUPERVISORS)
    @desk.response(200, AssignmentSchema)
    def delete(self, assignment_id):
        """Withdraw an assignment (kept as cancelled; audited)."""
        assignment = db.session.get(Assignment, assignment_id)
        if assignment is None or not user_may_see_unit(current_user(), assignment.unit_id):
            raise NotFound()
        operations.cancel_assignment(current_user(), assignment)
        db.session.commit()
        return assignment


@desk.route("/coverage-targets/<unit_code>")
class CoverageTargetItem(MethodView):
    @roles_required(*SUPERVISORS)
    @desk.arguments(CoverageTargetSchema)
    @desk.response(200, CoverageTargetResultSchema)
    def put(self, data, unit_code):
        """Set the unit's target: every open site at least once every N days (audited)."""
        unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
        if unit is None or not user_may_see_unit(current_user(), unit.id):
            raise NotFound("coverage_unit_unknown")
        target = operations.set_coverage_target(current_user(), unit, data["every_days"])
        db.session.commit()
        return target


@desk.route("/coverage")
class Coverage(MethodView):
    @roles_required(*SUPERVISORS)
    @desk.arguments(CoverageArgs, location="query")
    @desk.response(200, CoverageSchema)
    def get(self, args):
        """Sites due, done, missed and pending in an ISO week (Asia/Shanghai), per unit and per inspector."""
        year, week = _week(args["week"])
        return week_coverage(units_of(current_user(), args["unit"]), year, week, _local_today())


def _week(text: str | None) -> tuple[int, int]:
    if text is None:
        return iso_week_of(utcnow())
    try:
        year, week = parse_iso_week(text.strip())
    except ValueError as exc:
        raise ValidationFailed("bad_week", week=text) from exc
    if not 2000 <= year <= 2100:
        raise ValidationFailed("bad_week", week=text)
    return year, week

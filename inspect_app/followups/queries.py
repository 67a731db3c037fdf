"""Reads of follow-up tasks, scoped to the caller's units; an inspector's own list by due date."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, select

from inspect_app.auth.models import User
from inspect_app.auth.queries import scope_to_units
from inspect_app.checklists.queries import form_for_versions
from inspect_app.core.timeutil import to_local, utcnow
from inspect_app.extensions import db
from inspect_app.followups.models import FollowUp
from inspect_app.followups.progress import due_on, rectified, statuses_for
from inspect_app.penalties.models import Violation

BUCKETS = ("overdue", "today", "upcoming")


def visible_follow_ups(user: User) -> Select:
    """Tasks of the caller's units (an inspector may re-check a colleague's task: it may have been
    reassigned while the phone was offline)."""
    return scope_to_units(select(FollowUp), user, FollowUp.unit_id)


def get_visible_follow_up(user: User, follow_up_id: int) -> FollowUp | None:
    return db.session.scalar(visible_follow_ups(user).where(FollowUp.id == follow_up_id))


def get_visible_violation(user: User, violation_id: int) -> Violation | None:
    return db.session.scalar(scope_to_units(select(Violation), user, Violation.unit_id)
                             .where(Violation.id == violation_id))


def local_today() -> date:
    return to_local(utcnow()).date()


def bucket(due: date, today: date) -> str:
    """今日复查 / 已逾期 / upcoming, by the due date against today's local date."""
    if due < today:
        return "overdue"
    return "today" if due == today else "upcoming"


@dataclass
class TaskView:
    """A task as lists and its page show it: items with their status and form data, due, bucket."""

    task: FollowUp
    items: list[dict]
    rectified: bool
    due_on: date
    bucket: str | None
    extra: dict = field(default_factory=dict)

    def __getattr__(self, name):
        return getattr(self.task, name)


def task_views(tasks: list[FollowUp], today: date | None = None) -> list[TaskView]:
    """Views of many tasks: one violation query for all, one form per distinct checklist versions."""
    today = today or local_today()
    statuses = statuses_for([task.notice for task in tasks])
    forms: dict[tuple, dict] = {}
    views = []
    for task in tasks:
        notice = task.notice
        versions = tuple(sorted(notice.inspection.checklist_version_ids))
        if versions not in forms:
            forms[versions] = {item["key"]: item for item in form_for_versions(versions)["items"]}
        form_items = forms[versions]
        item_status = statuses.get(notice.id, {})
        items = []
        for item in notice.content["items"]:
            form_item = form_items.get(item["item_key"], {})
            items.append({
                "key": item["item_key"], "text_zh": item["text_zh"], "text_en": form_item.get("text_en"),
                "clause": item.get("clause"), "deadline_date": item["deadline_date"],
                "status": item_status.get(item["item_key"], "open"),
                "photos_on_fail": form_item.get("photos_on_fail", 0), "phases": form_item.get("phases"),
                "window": form_item.get("window"), "veto": form_item.get("veto", False),
            })
        done = rectified(item_status)
        due = due_on(notice, item_status)
        open_now = task.status == "open" and not done and notice.status != "void"
        views.append(TaskView(task, items, done, due, bucket(due, today) if open_now else None))
    return views


def open_tasks(user: User, *, all_units: bool = False) -> list[TaskView]:
    """The caller's open tasks (or every open task of their units), rectified ones left out, by due date."""
    stmt = visible_follow_ups(user).where(FollowUp.status == "open")
    if not all_units:
        stmt = stmt.where(FollowUp.assignee_id == user.id)
    tasks = list(db.session.scalars(stmt.order_by(FollowUp.due_on, FollowUp.id)))
    views = [view for view in task_views(tasks) if view.bucket is not None]
    return sorted(views, key=lambda view: (view.due_on, view.task.id))


def tasks_of_notices(notice_ids: list[int]) -> dict[int, FollowUp]:
    """The task of each notice (exports, the site page)."""
    if not notice_ids:
        return {}
    return {task.notice_id: task for task in db.session.scalars(
        select(FollowUp).where(FollowUp.notice_id.in_(notice_ids)))}

"""Reads of photo evidence, scoped through the inspection the photo belongs to."""
from __future__ import annotations

from sqlalchemy import select

from inspect_app.auth.models import User
from inspect_app.evidence.models import Photo
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection
from inspect_app.inspections.queries import visible_inspections


def get_visible_photo(user: User, photo_uuid: str) -> Photo | None:
    """A photo only for users allowed to see its inspection."""
    inspection_ids = visible_inspections(user).with_only_columns(Inspection.id)
    return db.session.scalar(
        select(Photo).where(Photo.uuid == str(photo_uuid), Photo.inspection_id.in_(inspection_ids))
    )

"""Seeding the eight units (七办一镇); idempotent, used by the migration's data step and tests."""
from sqlalchemy import select

from inspect_app.core.models import UNIT_NAMES, Unit
from inspect_app.extensions import db


def ensure_units() -> list[Unit]:
    """Insert whichever of the eight units are missing; return all of them in plan order."""
    existing = {u.code: u for u in db.session.scalars(select(Unit))}
    for code, name_zh, name_en in UNIT_NAMES:
        if code not in existing:
            existing[code] = Unit(code=code, name_zh=name_zh, name_en=name_en)
            db.session.add(existing[code])
    db.session.flush()
    return [existing[code] for code, _, _ in UNIT_NAMES]

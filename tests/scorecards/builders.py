"""Rows written straight to the database, so tests control every time, score and status.

(The API path is exercised in tests/inspections; here the figures must be exactly known.)
"""
from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from inspect_app.checklists.models import ChecklistItem
from inspect_app.extensions import db
from inspect_app.inspections.models import Inspection, ItemResult
from inspect_app.penalties.models import PenaltyCase, Violation

_case_seq = itertools.count(1)


def checklist_item(key: str | None = None) -> ChecklistItem:
    """A stored checklist item (the ``checklists`` fixture must have synced them)."""
    stmt = select(ChecklistItem).order_by(ChecklistItem.id)
    if key:
        stmt = stmt.where(ChecklistItem.key == key)
    return db.session.scalars(stmt).first()


def distinct_items(n: int) -> list[ChecklistItem]:
    """``n`` stored checklist items with different keys (one open violation per site and key)."""
    items, seen = [], set()
    for item in db.session.scalars(select(ChecklistItem).order_by(ChecklistItem.id)):
        if item.key not in seen:
            seen.add(item.key)
            items.append(item)
        if len(items) == n:
            return items
    raise AssertionError("not enough checklist items")


def add_inspection(site, inspector, finished_at: datetime, score: float | None = 90.0,
                   grade: str | None = "excellent", *, flags=None, review_status: str = "submitted",
                   vetoed: bool = False, failed: dict | None = None) -> Inspection:
    """An inspection of ``site``; ``failed`` maps item key → photo ids of failed item results."""
    inspection = Inspection(
        uuid=str(uuid.uuid4()), kind="site", content_hash="0" * 64, site_id=site.id, unit_id=site.unit_id,
        inspector_id=inspector.id, checklist_version_ids=[], site_phase=site.phase,
        started_at=finished_at - timedelta(minutes=20), finished_at=finished_at, received_at=finished_at,
        completeness="complete", review_status=review_status, score=score, grade=grade, vetoed=vetoed,
        flags=flags or [],
    )
    db.session.add(inspection)
    db.session.flush()
    for position, (key, photo_ids) in enumerate((failed or {}).items()):
        item = checklist_item(key)
        db.session.add(ItemResult(inspection_id=inspection.id, item_key=key, checklist_item_id=item.id,
                                  position=position, outcome="fail", photo_ids=photo_ids))
    db.session.flush()
    return inspection


def add_violation(inspection: Inspection, item: ChecklistItem, found_at: datetime | None = None, *,
                  days: int = 3, status: str = "open", fail_count: int = 1, deadline=None) -> Violation:
    found_at = found_at or inspection.finished_at
    violation = Violation(
        site_id=inspection.site_id, unit_id=inspection.unit_id, item_key=item.key, checklist_item_id=item.id,
        opened_by_inspection_id=inspection.id, last_failed_inspection_id=inspection.id, status=status,
        found_at=found_at, deadline=deadline or found_at + timedelta(days=days), fail_count=fail_count,
    )
    db.session.add(violation)
    db.session.flush()
    return violation


def add_case(inspection: Inspection, item: ChecklistItem, created_at: datetime, *,
             status: str = "pending_review", photo_ids=("p-1",)) -> PenaltyCase:
    basis = item.legal_basis
    case = PenaltyCase(
        case_number=f"回民扬尘移〔2026〕{next(_case_seq):05d}号", inspection_id=inspection.id,
        site_id=inspection.site_id, unit_id=inspection.unit_id, contractor=inspection.site.contractor,
        status=status, authority=basis.get("authority", "bureau"),
        items=[{"item_key": item.key, "text_zh": item.text_zh, "text_en": item.text_en, "clause": item.clause,
                "reasons": ["veto"], "legal_basis": basis}],
        photo_ids=list(photo_ids), fine_min=basis.get("fine_min"), fine_max=basis.get("fine_max"),
        created_at=created_at, updated_at=created_at,
    )
    db.session.add(case)
    db.session.flush()
    return case

"""Reads of organisation records (district-wide; merged duplicates are left out of lists)."""
from __future__ import annotations

from sqlalchemy import Select, or_, select

from inspect_app.extensions import db
from inspect_app.organisations.models import Organisation


def search_organisations(q: str | None = None) -> Select:
    """Live records whose name, credit code or address contains ``q``, by name."""
    stmt = select(Organisation).where(Organisation.merged_into_id.is_(None))
    if q:
        text = q.strip()
        stmt = stmt.where(or_(*(column.icontains(text, autoescape=True) for column in
                                (Organisation.name, Organisation.credit_code, Organisation.address))))
    return stmt.order_by(Organisation.name, Organisation.id)


def get_organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def get_by_credit_code(code: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.credit_code == code))


def live_by_name() -> dict[str, list[Organisation]]:
    """Name → live records carrying it (an import refers to organisations by code or name)."""
    index: dict[str, list[Organisation]] = {}
    for organisation in db.session.scalars(select(Organisation).where(Organisation.merged_into_id.is_(None))):
        index.setdefault(organisation.name, []).append(organisation)
    return index

"""Taking the next notice number of a kind and year, inside the caller's transaction.

``INSERT … ON CONFLICT DO NOTHING`` makes sure the counter row exists (two first issuers of a year
both succeed: one inserts, the other does nothing), then ``UPDATE … SET last_number =
last_number + 1 … RETURNING`` takes the number. The update locks the row until the transaction
ends, so concurrent issuers queue on PostgreSQL (SQLite serialises every writer anyway); a rollback
undoes the increment, so a number is never lost and never given twice.
"""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspect_app.extensions import db
from inspect_app.notices.models import NoticeCounter

_INSERTS = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def next_sequence(kind: str, year: int) -> int:
    """The next number (1, 2, 3 …) of ``kind`` in ``year``; held until the transaction ends."""
    table = NoticeCounter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = _INSERTS.get(dialect)
    if insert is None:
        raise RuntimeError(f"notice numbering supports SQLite and PostgreSQL, not {dialect}")
    db.session.execute(insert(table).values(kind=kind, year=year, last_number=0)
                       .on_conflict_do_nothing(index_elements=["kind", "year"]))
    return db.session.execute(
        update(table).where(table.c.kind == kind, table.c.year == year)
        .values(last_number=table.c.last_number + 1)
        .returning(table.c.last_number)
    ).scalar_one()

"""Page-number pagination with the total in the body, shared by every list endpoint."""
from __future__ import annotations

from marshmallow import Schema, fields, validate
from sqlalchemy import Select, func, literal, select

from inspect_app.core.fields import MAX_DB_INT
from inspect_app.extensions import db

MAX_PAGE_SIZE = 200
# The largest page whose OFFSET still fits a 32-bit integer at the largest page size; a page
# number beyond it used to overflow the database's OFFSET (a 500) instead of being refused.
MAX_PAGE = MAX_DB_INT // MAX_PAGE_SIZE
# Lists over the whole history (inspections) count at most this many rows: counting a million rows
# for every page cost more than the page itself. Beyond it ``total`` is this cap and
# ``total_capped`` is true ("10,000+").
COUNT_CAP = 10_000


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


def paged_schema(item_schema: type[Schema], name: str, *, capped: bool = False) -> type[Schema]:
    """A response schema ``{items, page, page_size, total}`` around ``item_schema``.

    ``capped``: the list counts at most :data:`COUNT_CAP` rows (:func:`paginate_capped`); the
    schema adds ``total_capped`` and says so.
    """
    shape = {
        "items": fields.List(fields.Nested(item_schema)),
        "page": fields.Integer(),
        "page_size": fields.Integer(),
        "total": fields.Integer(),
    }
    if capped:
        shape["total"] = fields.Integer(metadata={
            "description": f"rows matching, counted up to {COUNT_CAP:,}; when total_capped it is a lower bound"})
        shape["total_capped"] = fields.Boolean(metadata={
            "description": f"true when more than {COUNT_CAP:,} rows match: total is then {COUNT_CAP:,}, "
                          "not the exact count (pages beyond it still work)"})
    return Schema.from_dict(shape, name=name)


def paginate(stmt: Select, page: int, page_size: int, *, scalars: bool = True) -> dict:
    """Run ``stmt`` for one page and count the total with the same filters."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page_stmt = stmt.limit(page_size).offset((page - 1) * page_size)
    result = db.session.execute(page_stmt)
    items = result.scalars().all() if scalars else result.all()
    return {"items": items, "page": page, "page_size": page_size, "total": total}


def paginate_capped(stmt: Select, page: int, page_size: int, *, cap: int | None = None) -> dict:
    """Like :func:`paginate`, but the total counts at most ``cap`` rows (a capped, exact-below-cap
    total): the count stops after ``cap + 1`` matching rows instead of scanning the whole history."""
    cap = COUNT_CAP if cap is None else cap
    probe = stmt.order_by(None).with_only_columns(literal(1), maintain_column_froms=True).limit(cap + 1)
    counted = db.session.scalar(select(func.count()).select_from(probe.subquery()))
    result = db.session.execute(stmt.limit(page_size).offset((page - 1) * page_size))
    return {"items": result.scalars().all(), "page": page, "page_size": page_size,
            "total": min(counted, cap), "total_capped": counted > cap}


def paginate_rows_with_total(stmt: Select, page: int, page_size: int) -> dict:
    """One query for a page of rows *and* the total, via ``count(*) OVER ()``.

    For statements whose filtering is expensive (aggregate subqueries) this halves the work of
    :func:`paginate`, which evaluates the statement twice. Rows come back without the extra column.
    Only a page past the end needs the separate count query.
    """
    windowed = stmt.add_columns(func.count().over().label("_total"))
    rows = db.session.execute(windowed.limit(page_size).offset((page - 1) * page_size)).all()
    if rows:
        total = rows[0]._total
    elif page == 1:
        total = 0
    else:
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = [_without_total(row) for row in rows]
    return {"items": items, "page": page, "page_size": page_size, "total": total}


def _without_total(row) -> dict:
    data = dict(row._mapping)
    data.pop("_total", None)
    return data

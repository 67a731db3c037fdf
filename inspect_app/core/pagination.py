"""Page-number pagination with the total in the body, shared by every list endpoint."""
from __future__ import annotations

from marshmallow import Schema, fields, validate
from sqlalchemy import Select, func, select

from inspect_app.core.fields import MAX_DB_INT
from inspect_app.extensions import db

MAX_PAGE_SIZE = 200
# The largest page whose OFFSET still fits a 32-bit integer at the largest page size; a page
# number beyond it used to overflow the database's OFFSET (a 500) instead of being refused.
MAX_PAGE = MAX_DB_INT // MAX_PAGE_SIZE


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE_SIZE))


def paged_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """A response schema ``{items, page, page_size, total}`` around ``item_schema``."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Integer(),
            "page_size": fields.Integer(),
            "total": fields.Integer(),
        },
        name=name,
    )


def paginate(stmt: Select, page: int, page_size: int, *, scalars: bool = True) -> dict:
    """Run ``stmt`` for one page and count the total with the same filters."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page_stmt = stmt.limit(page_size).offset((page - 1) * page_size)
    result = db.session.execute(page_stmt)
    items = result.scalars().all() if scalars else result.all()
    return {"items": items, "page": page, "page_size": page_size, "total": total}


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

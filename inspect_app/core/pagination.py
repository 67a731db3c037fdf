"""Page-number pagination with the total in the body, shared by every list endpoint."""
from __future__ import annotations

from marshmallow import Schema, fields, validate
from sqlalchemy import Select, func, select

from inspect_app.extensions import db

MAX_PAGE_SIZE = 200


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
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

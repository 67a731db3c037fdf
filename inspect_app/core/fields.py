"""Shared marshmallow fields whose ranges match the database columns behind them.

Every id, page number and count a client sends ends up in an ``INTEGER`` column or an ``OFFSET``.
A value outside the column's range is a client mistake, so it is refused here with 422 — never
passed on to the database, where PostgreSQL answers "integer out of range" (a 500 before this).
"""
from __future__ import annotations

from marshmallow import fields, validate

#: The largest value of a 32-bit signed ``INTEGER`` column (SQLite and PostgreSQL alike).
MAX_DB_INT = 2**31 - 1


class Id(fields.Integer):
    """A row id: a whole number from 1 to :data:`MAX_DB_INT` (documented as such in OpenAPI)."""

    def __init__(self, **kwargs):
        validators = kwargs.pop("validate", None)
        extra = [validators] if callable(validators) else list(validators or [])
        super().__init__(validate=[validate.Range(min=1, max=MAX_DB_INT), *extra], **kwargs)


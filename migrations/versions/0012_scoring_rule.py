"""Scoring rule version on inspections — reserved for the scoring work

Reserved so that work in parallel chains; an empty revision until filled.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

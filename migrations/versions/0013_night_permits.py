"""Night-work permits (夜间施工证明) — reserved for the night-work work

Reserved so that work in parallel chains; an empty revision until filled.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

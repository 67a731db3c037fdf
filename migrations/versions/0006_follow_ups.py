"""Follow-up tasks (复查) and supervisor closure of violations

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

(Skeleton reserved for parallel work; filled in by the change that needs it.)
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

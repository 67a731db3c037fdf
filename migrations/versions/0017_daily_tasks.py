"""Today's list: assignments, coverage targets — reserved

Reserved so that work in parallel chains; an empty revision until filled.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

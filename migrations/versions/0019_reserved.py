"""Reserved for a later change

Reserved so that work in parallel chains; an empty revision until filled.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass

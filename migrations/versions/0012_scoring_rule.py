"""Scoring rule version on inspections

inspections.scoring_rule: the rule that graded the sheet (scoring/rules.py). Every row stored before
this revision was graded by rule 1 (windowed items in the denominator) and keeps it: the server
default fills them in, and nothing is re-graded. New inspections are stored with rule 2 by the app.
Roadside truck checks are inspections (kind "truck") and get the same column.

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
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scoring_rule', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_column('scoring_rule')

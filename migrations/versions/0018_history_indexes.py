"""Indexes that keep lists and counts from growing with the history

inspections.supersedes_id (a superseded row's correction was a sequential scan); a site's and an
inspector's inspections newest first (site summaries, scorecards, 我的巡查); partial indexes on the
few rows waiting for review or for photos (notification counts).

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

AWAITING = sa.text("review_status = 'submitted'")
INCOMPLETE = sa.text("completeness = 'incomplete'")


def upgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inspections_supersedes_id'), ['supersedes_id'], unique=False)
        batch_op.create_index('ix_inspections_site_finished', ['site_id', 'finished_at', 'id'], unique=False)
        batch_op.create_index('ix_inspections_inspector_finished', ['inspector_id', 'finished_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_inspections_awaiting_review', ['unit_id'], unique=False,
                              postgresql_where=AWAITING, sqlite_where=AWAITING)
        batch_op.create_index('ix_inspections_incomplete', ['inspector_id'], unique=False,
                              postgresql_where=INCOMPLETE, sqlite_where=INCOMPLETE)


def downgrade():
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_index('ix_inspections_incomplete')
        batch_op.drop_index('ix_inspections_awaiting_review')
        batch_op.drop_index('ix_inspections_inspector_finished')
        batch_op.drop_index('ix_inspections_site_finished')
        batch_op.drop_index(batch_op.f('ix_inspections_supersedes_id'))

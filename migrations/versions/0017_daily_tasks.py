"""Today's list (今日任务): site assignments, coverage targets, skipped stops

site_assignments: a site given to an inspector for local dates start_on..end_on by a supervisor
(cancelled ones kept); coverage_targets: per unit, every open site at least once every N days;
stop_skips: a stop of an inspector's day left out, with the reason (one row per client UUID).

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
    op.create_table('coverage_targets',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('every_days', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('every_days >= 1 AND every_days <= 366', name=op.f('ck_coverage_targets_every_days_range')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_coverage_targets_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_coverage_targets_updated_by_id_users')),
    sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_coverage_targets'))
    )
    op.create_table('site_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('end_on >= start_on', name=op.f('ck_site_assignments_assignment_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_site_assignments_created_by_id_users')),
    sa.ForeignKeyConstraint(['inspector_id'], ['users.id'], name=op.f('fk_site_assignments_inspector_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_site_assignments_site_id_sites')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_site_assignments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_assignments'))
    )
    with op.batch_alter_table('site_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_site_assignments_end_on'), ['end_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_assignments_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_assignments_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_assignments_start_on'), ['start_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_assignments_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_site_assignments_unit_id'), ['unit_id'], unique=False)

    op.create_table('stop_skips',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('inspector_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inspector_id'], ['users.id'], name=op.f('fk_stop_skips_inspector_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_stop_skips_site_id_sites')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_stop_skips_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stop_skips')),
    sa.UniqueConstraint('uuid', name=op.f('uq_stop_skips_uuid'))
    )
    with op.batch_alter_table('stop_skips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stop_skips_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_stop_skips_inspector_id'), ['inspector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stop_skips_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stop_skips_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('stop_skips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stop_skips_unit_id'))
        batch_op.drop_index(batch_op.f('ix_stop_skips_site_id'))
        batch_op.drop_index(batch_op.f('ix_stop_skips_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_stop_skips_day'))

    op.drop_table('stop_skips')
    with op.batch_alter_table('site_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_site_assignments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_site_assignments_status'))
        batch_op.drop_index(batch_op.f('ix_site_assignments_start_on'))
        batch_op.drop_index(batch_op.f('ix_site_assignments_site_id'))
        batch_op.drop_index(batch_op.f('ix_site_assignments_inspector_id'))
        batch_op.drop_index(batch_op.f('ix_site_assignments_end_on'))

    op.drop_table('site_assignments')
    op.drop_table('coverage_targets')

"""Follow-up tasks (复查) and supervisor closure of violations

follow_ups: one task per notice (assignee, due date, open/closed/cancelled and how it closed);
follow_up_visits: the follow-up inspections recorded for a task (one per inspection);
violation_closures: a violation a supervisor closed because it can never be re-checked (reason,
note, photos). Notices issued before this revision get no task: their 复查 was planned on paper.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('plate', sa.String(length=12), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('created_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_follow_ups_assignee_id_users')),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], name=op.f('fk_follow_ups_notice_id_notices')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_follow_ups_site_id_sites')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_follow_ups_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups')),
    sa.UniqueConstraint('notice_id', name=op.f('uq_follow_ups_notice_id'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_plate'), ['plate'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_unit_id'), ['unit_id'], unique=False)

    op.create_table('follow_up_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('follow_up_id', sa.Integer(), nullable=False),
    sa.Column('inspection_id', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(length=10), nullable=False),
    sa.Column('visited_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['follow_up_id'], ['follow_ups.id'], name=op.f('fk_follow_up_visits_follow_up_id_follow_ups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id'], name=op.f('fk_follow_up_visits_inspection_id_inspections')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_visits')),
    sa.UniqueConstraint('inspection_id', name=op.f('uq_follow_up_visits_inspection_id'))
    )
    with op.batch_alter_table('follow_up_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_visits_follow_up_id'), ['follow_up_id'], unique=False)

    op.create_table('violation_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('violation_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('photo_ids', sa.JSON(), nullable=False),
    sa.Column('closed_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_violation_closures_actor_id_users')),
    sa.ForeignKeyConstraint(['violation_id'], ['violations.id'], name=op.f('fk_violation_closures_violation_id_violations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_violation_closures')),
    sa.UniqueConstraint('violation_id', name=op.f('uq_violation_closures_violation_id'))
    )


def downgrade():
    op.drop_table('violation_closures')
    with op.batch_alter_table('follow_up_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_visits_follow_up_id'))
    op.drop_table('follow_up_visits')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_unit_id'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_status'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_site_id'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_plate'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_due_on'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_assignee_id'))
    op.drop_table('follow_ups')

"""Heavy-pollution alerts (重污染天气预警)

alerts: level (blue/yellow/orange/red), start and end (UTC), district-wide or some units
(alert_units), the city's notice number, note, who declared and lifted it, and its revisions.
checklist_items.alert: the alert levels an item is asked under (None: any time).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

"""
from alembic import op
import sqlalchemy as sa
import inspect_app.core.models


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('starts_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('district_wide', sa.Boolean(), nullable=False),
    sa.Column('notice_number', sa.String(length=80), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('declared_by_id', sa.Integer(), nullable=False),
    sa.Column('declared_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lifted_at', inspect_app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('revisions', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['declared_by_id'], ['users.id'], name=op.f('fk_alerts_declared_by_id_users')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id'], name=op.f('fk_alerts_lifted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_ends_at'), ['ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_starts_at'), ['starts_at'], unique=False)

    op.create_table('alert_units',
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_units_alert_id_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_alert_units_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('alert_id', 'unit_id', name=op.f('pk_alert_units'))
    )
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alert', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('checklist_items', schema=None) as batch_op:
        batch_op.drop_column('alert')

    op.drop_table('alert_units')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_starts_at'))
        batch_op.drop_index(batch_op.f('ix_alerts_ends_at'))

    op.drop_table('alerts')
